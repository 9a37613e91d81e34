import datetime

import pytest

from heritage.intake.dates import find_dates

PUBLISHED = datetime.date(2015, 7, 17)


def edtf(text, published=PUBLISHED):
    return [mention.edtf for mention in find_dates(text, published)]


@pytest.mark.parametrize(("text", "expected"), [
    ("The temple was blown up on 30 August 2015.", ["2015-08-30"]),
    ("It was destroyed on August 30, 2015, officials said.", ["2015-08-30"]),
    ("Imagery from August 2015 shows the damage.", ["2015-08"]),
    ("ISIS captured the city in May.", ["2015-05"]),
    ("The theatre was built after a visit by Hadrian in AD 129.", ["0129"]),
    ("Dedicated in 32 AD.", ["0032"]),
    ("Antony raided the city in 41 BC.", ["-0040"]),
    ("Frescoes dating from the second century AD.", ["01XX"]),
    ("Tombs of the 2nd century AD.", ["01XX"]),
    ("Trade grew in the 1st century BC.", ["-0099/0000"]),
    ("Walls of the 2nd century BC.", ["-0199/-0100"]),
    ("The civil war broke out in 2011.", ["2011"]),
    ("Yesterday 17 troops were killed.", ["2015-07-16"]),
    ("Earlier this month a video was released.", ["2015-07"]),
])
def test_dates_in_a_report_become_edtf(text, expected):
    assert edtf(text) == expected


def test_a_month_still_to_come_at_publication_is_last_years():
    assert edtf("The city fell in December.") == ["2014-12"]


def test_numbers_that_are_not_dates_are_ignored():
    assert edtf("Some 1,500 people fled and 17 soldiers were killed; the arch is 2,000 years old.") == []


def test_month_names_need_a_date_word_and_relative_dates_need_the_publication_date():
    assert edtf("They may return.") == []
    assert edtf("ISIS captured the city in May.", published=None) == []


def test_each_date_keeps_the_words_it_was_read_from():
    [mention] = find_dates("It was razed in AD 129.", PUBLISHED)

    assert mention.text == "AD 129"


def test_yesterday_needs_the_day_of_publication_but_in_may_only_its_year():
    end_of_july = datetime.date(2015, 7, 31)

    assert [m.edtf for m in find_dates("Yesterday, in May.", end_of_july, day_known=False)] == ["2015-05"]
