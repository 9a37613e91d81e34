"""Round 5 of the role rules (heritage/intake/roles.py): which sentence tells a report's own event.

Every text here is SYNTHETIC: a short sentence written for the test in the style of a news report,
not a quotation. Each test is one general rule, found on the development files of
linking_evaluation.DEVELOPMENT_FILES, stated as a sentence in and a role out.
"""

import datetime

import pytest

from heritage.intake.dates import find_dates
from heritage.intake.proposals import Report, propose
from heritage.intake.text import Sentences
from heritage.tests.gazetteer import build_gazetteer

pytestmark = pytest.mark.django_db


@pytest.fixture
def sites():
    return build_gazetteer()


def roles(text, published):
    return {item.site.slug: item.role for item in propose(Report(text=text, published=published)).sites}


@pytest.mark.parametrize("headline", [
    "Ancient city of Palmyra falls to IS",
    "The ancient city of Palmyra has fallen to the militants",
    "Palmyra has been taken over by the militants",
])
def test_a_place_falling_to_or_taken_over_by_a_force_is_its_event(sites, headline):
    assert roles(f"{headline}\nMore follows.", "2015-05-22") == {"palmyra": "affected"}


def test_an_earlier_time_word_describing_the_place_after_the_event_does_not_date_the_event(sites):
    text = "Government troops capture Crac des Chevaliers, a World Heritage site previously held by rebels."

    assert roles(text, "2014-03-20") == {"crac-des-chevaliers": "affected"}


def test_an_earlier_time_word_before_the_event_still_dates_it(sites):
    text = "Previously, government troops captured Crac des Chevaliers."

    assert roles(text, "2014-03-20") == {"crac-des-chevaliers": "mentioned"}


def test_an_arabic_clause_opened_by_wakana_after_the_event_describes_the_place(sites):
    # "Iraqi forces recaptured Nimrud, which the militants had overrun two years ago."
    text = "استعادت القوات العراقية بلدة نمرود وكان مسلحو التنظيم اجتاحوها قبل عامين."

    assert roles(text, "2016-11-14") == {"nimrud": "affected"}


def test_a_sentence_listing_what_the_event_before_it_struck_tells_that_event(sites):
    text = ("Militants have blown up three tower tombs at Palmyra, the antiquities chief said on Friday.\n"
            "He said they included the Tower of Elahbel.")

    assert roles(text, "2015-09-04") == {"palmyra": "mentioned", "tower-of-elahbel": "affected"}


def test_a_list_that_does_not_refer_back_to_the_event_stays_background(sites):
    text = ("Militants have blown up three tower tombs at Palmyra on Friday. "
            "The treasures of the city include the Temple of Bel.")

    assert roles(text, "2015-09-04")["temple-of-bel"] == "mentioned"


def test_an_event_on_a_weekday_before_the_leads_is_an_earlier_event(sites):
    text = ("Militants destroyed the remains of Hatra on Saturday, officials said. "
            "On Thursday they attacked the remains of Nimrud with bulldozers.")

    assert roles(text, "2015-03-07") == {"hatra": "affected", "nimrud": "mentioned"}


def test_the_day_something_was_said_is_not_the_day_of_the_lead(sites):
    text = ("Militants destroyed a statue outside the Palmyra Museum, the director said Thursday. "
            "Militants on Saturday destroyed the Lion of al-Lat.")

    assert roles(text, "2015-07-03")["lion-of-al-lat"] == "affected"


def test_weekdays_date_nothing_when_only_the_month_of_publication_is_known(sites):
    text = "Militants destroyed Hatra on Saturday. On Thursday they attacked Nimrud with bulldozers."

    assert roles(text, "2015-03")["nimrud"] == "affected"


def test_an_arabic_execution_noun_with_its_case_ending_is_an_event_word(sites):
    # "ISIS broadcasts a mass execution in the Temple of Bel"
    text = "التنظيم يبث إعداماً جماعياً في معبد بل\nتفاصيل."

    assert roles(text, "2015-07-05") == {"temple-of-bel": "affected"}


def test_an_arabic_month_called_past_is_an_earlier_time(sites):
    # "… shortly after the militants took control of Palmyra on 21 May past"
    text = "نشر التنظيم شريطا يظهر إعدام جنود بعد سيطرة المسلحين على مدينة تدمر في أيار الفائت."

    assert roles(text, "2015-07-05") == {"palmyra": "mentioned"}


def test_a_month_abbreviation_does_not_end_a_sentence():
    assert list(Sentences("It occurred between Aug. 27 and Wednesday. Gen. Saad said so.")) == [
        "It occurred between Aug. 27 and Wednesday.", "Gen. Saad said so.",
    ]


@pytest.mark.parametrize(("text", "edtf"), [
    ("between Aug. 27 and Wednesday", "2015-08-27"),
    ("on 21 May the city fell", "2015-05-21"),
    ("on December 3 the city fell", "2014-12-03"),  # still to come in September: the December before
])
def test_a_day_and_month_without_a_year_is_dated_in_the_year_of_publication(text, edtf):
    assert [date.edtf for date in find_dates(text, datetime.date(2015, 9, 5))] == [edtf]


@pytest.mark.parametrize("headline", [
    "Islamic State militants attacked Nimrud",
    "Militants have planted mines in the ruins of Palmyra",
    "زرع التنظيم ألغاما في تدمر",
])
def test_attacking_and_mining_a_place_are_its_event(sites, headline):
    expected = "nimrud" if "Nimrud" in headline else "palmyra"

    assert roles(f"{headline}\nMore follows.", "2015-06-21") == {expected: "affected"}
