import datetime

import pytest
from django.core.exceptions import ValidationError
from edtf import parse_edtf
from edtf.parser.edtf_exceptions import EDTFParseException
from hypothesis import example, given, settings
from hypothesis import strategies as st

from sites.dates import (
    FIRST_DAY,
    LAST_DAY,
    _simple_date,
    bounds,
    date_from_day_number,
    day_number,
    humanize,
    is_uncertain,
    validate_edtf,
)
from sites.tests.edtf_strategies import edtf_like


@pytest.mark.parametrize(
    "edtf, expected",
    [
        ("-0040", "41 BC"),
        ("0032", "AD 32"),
        ("0140~/0160~", "c. AD 140–160"),
        ("-1899~/-1700~", "c. 1900–1701 BC"),
        ("2015-08-30", "30 August 2015"),
        ("2011-03", "March 2011"),
        ("0137-04", "April AD 137"),
        ("0193/0211", "AD 193–211"),
        ("01XX", "2nd century AD"),
        ("[0267,0268]", "AD 267 or AD 268"),
        ("2015-05-27~", "c. 27 May 2015"),
        ("2015-06?", "June 2015 (uncertain)"),
        ("2016-12-11/2017-01-10", "11 December 2016 – 10 January 2017"),
        ("1980", "1980"),
        ("2015-21", "Spring 2015"),
        ("2015-35", "Third quarter of 2015"),
        ("201X", "AD 2010s"),
        ("1XXX", "1000–1999"),
        ("-1XXX", "2000–1001 BC"),
        ("XXXX", "year unknown"),
        ("2015-XX", "2015"),
        ("2015-12-XX", "December 2015"),
        ("-0040-05", "May 41 BC"),
        ("2004-06~-11", "c. 11 June 2004"),
        ("{2015,2016}", "2015 and 2016"),
        ("[..1760-12-03]", "3 December 1760 or earlier"),
        ("[2015..]", "2015 or later"),
        ("{1667,1670..1672}", "1667 and 1670 to 1672"),
        ("../2015", "by 2015"),
        ("2015/..", "from 2015"),
        ("/2015", "by 2015"),
    ],
)
def test_dates_read_as_people_write_them(edtf, expected):
    assert humanize(edtf) == expected


def test_year_zero_is_one_bc_and_sorts_between_bc_and_ad():
    one_bc, _ = bounds("0000")
    two_bc, _ = bounds("-0001")
    ad_one, _ = bounds("0001")
    assert humanize("0000") == "1 BC"
    assert two_bc < one_bc < ad_one


def test_bounds_order_bce_uncertain_and_interval_dates_truly():
    dates = ["2015-08-30", "0032", "-0040", "0140~/0160~", "-1899~/-1700~", "2016-12-11/2017-01-10", "01XX"]
    in_order = sorted(dates, key=lambda text: bounds(text))
    assert in_order == ["-1899~/-1700~", "-0040", "0032", "01XX", "0140~/0160~", "2015-08-30", "2016-12-11/2017-01-10"]


def test_a_day_has_equal_bounds_and_a_year_spans_it():
    day = day_number(datetime.date(2015, 8, 30))
    assert bounds("2015-08-30") == (day, day)
    assert bounds("2015") == (day_number(datetime.date(2015, 1, 1)), day_number(datetime.date(2015, 12, 31)))


def test_an_interval_spans_from_the_first_day_to_the_last():
    earliest, latest = bounds("0140~/0160~")
    assert earliest == bounds("0140")[0]
    assert latest == bounds("0160")[1]


def test_day_numbers_round_trip_to_dates():
    date = datetime.date(2015, 10, 4)
    assert date_from_day_number(day_number(date)) == date
    assert date_from_day_number(bounds("-0040")[0]) is None


@pytest.mark.parametrize("text", ["garbage", "2015-13-01", "2015-02-30", "30/08/2015", "AD 32"])
def test_invalid_dates_are_rejected_with_a_message(text):
    with pytest.raises(ValidationError) as error:
        validate_edtf(text)
    assert "is not a valid EDTF date" in str(error.value)
    assert "Examples:" not in str(error.value)  # the field's help text lists them; the error does not repeat them


@pytest.mark.parametrize(
    "text, problem",
    [
        ("2017-01-10/2016-12-11", "ends before it starts"),
        ("Y170000000", "a year beyond four digits"),
        ("Y-170000000", "a year beyond four digits"),
        ("Y17E7", "a year beyond four digits"),
        ("1950S2", "uses significant digits (S…), which cannot be shown"),
        ("1X5X", "unspecified digits (X) before known ones"),
        ("0328-1X-3X", "a month or day that is only partly unspecified"),
        ("967X-0X", "a month or day that is only partly unspecified"),
        ("2015-02-29", "February 2015 has 28 days"),
        ("9999/", "beyond the years -9999 to 9999 that can be stored"),
        ("/-9999", "beyond the years -9999 to 9999"),
        ("../..", "uses an interval without a known end, which cannot be shown"),
        ("٢٠١٥", "not written in the digits 0–9"),
        ("２０１５-08", "not written in the digits 0–9"),
    ],
)
def test_dates_that_cannot_be_sorted_or_shown_are_rejected_naming_the_problem(text, problem):
    with pytest.raises(ValidationError) as error:
        validate_edtf(text)
    assert problem in error.value.messages[0]


def test_29_february_of_a_leap_year_is_a_day():
    assert humanize("2016-02-29") == "29 February 2016"
    assert humanize("0000-02-29") == "29 February 1 BC"


def test_a_stored_date_that_is_no_longer_accepted_is_shown_as_entered():
    assert humanize("Y17E7") == "Y17E7"


@given(text=edtf_like)
@example(text="XXXX").via("the widest unspecified year")
@example(text="9999-12-31").via("the last day that can be stored")
@example(text="-9999").via("the first year that can be stored")
@example(text="-0139-XX-1X").via("python-edtf parses it but cannot place it")
@settings(max_examples=600, deadline=None)
def test_every_accepted_date_has_ordered_bounds_and_reads_as_words(text):
    try:
        validate_edtf(text)
    except ValidationError as error:
        assert error.messages[0].startswith(f"“{text.strip()}”")
        return
    earliest, latest = bounds(text)
    assert earliest is not None or latest is not None, repr(text)
    for bound in (earliest, latest):
        assert bound is None or (type(bound) is int and FIRST_DAY <= bound <= LAST_DAY)
    if earliest is not None and latest is not None:
        assert earliest <= latest
    words = humanize(text)
    assert words and not any(mark in words for mark in ["[", "]", "{", "}", "/", "?", "~", "%", "X", ".."]), words


def test_spans_and_approximations_are_marked_uncertain():
    assert is_uncertain("0140~/0160~")
    assert is_uncertain("2015-06?")
    assert not is_uncertain("2015-08-30")


@given(
    year=st.integers(min_value=-9999, max_value=9999),
    month=st.one_of(st.none(), st.integers(min_value=0, max_value=13)),
    day=st.one_of(st.none(), st.integers(min_value=0, max_value=32)),
)
@settings(max_examples=300, deadline=None)
def test_plain_dates_are_built_exactly_as_python_edtf_parses_them(year, month, day):
    text = f"{'-' if year < 0 else ''}{abs(year):04d}"
    if month is not None:
        text += f"-{month:02d}" + (f"-{day:02d}" if day is not None else "")
    built = _simple_date(text)
    try:
        parsed = parse_edtf(text)
    except EDTFParseException:
        assert built is None
        return
    if built is not None:
        assert type(built) is type(parsed)
        assert vars(built) == vars(parsed)
        assert (built.lower_strict(), built.upper_strict()) == (parsed.lower_strict(), parsed.upper_strict())
