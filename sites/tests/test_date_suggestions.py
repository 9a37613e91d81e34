"""Date errors say what is wrong and offer the nearest valid form (sites.dates.suggest_edtf())."""

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from sites.dates import EDTF_HELP_TEXT, MONTHS, bounds, humanize, suggest_edtf, validate_edtf


@pytest.mark.parametrize(("typed", "suggestion"), [
    ("around 2015", "2015~"),
    ("August 2015", "2015-08"),
    ("2015-8-23", "2015-08-23"),
    ("c. 300 BC", "-0299~"),
    ("between 2014 and 2016", "2014/2016"),
    ("30 August 2015", "2015-08-30"),
    ("August 30, 2015", "2015-08-30"),
    ("6 April 32", "0032-04-06"),
    ("41 BC", "-0040"),
    ("AD 32", "0032"),
    ("ca. 1750", "1750~"),
    ("probably 2015", "2015?"),
    ("around 2015?", "2015%"),
    ("2014-2016", "2014/2016"),
    ("c. 2014–2016", "2014~/2016~"),
    ("300–200 BC", "-0299/-0199"),
    ("before 2015", "../2015"),
    ("since 2015", "2015/.."),
    ("the 1990s", "199X"),
    ("2nd century", "01XX"),
    ("3rd century BC", "-02XX"),
    ("spring 2015", "2015-21"),
    ("23/08/2015", "2015-08-23"),
    ("٢٠١٥", "2015"),
])
def test_what_people_type_is_turned_into_the_edtf_they_meant(typed, suggestion):
    assert suggest_edtf(typed) == suggestion


@pytest.mark.parametrize("typed", [
    "the reign of Zenobia",  # no date in it
    "03/08/2015",  # 3 August or March 8: either could be meant
    "30 August",  # a day without its year
    "2015-02-30",  # no such day
    "2015-13",
    "2015",  # already EDTF
])
def test_nothing_is_suggested_when_nothing_fits_for_sure(typed):
    assert suggest_edtf(typed) is None


def error_of(text):
    with pytest.raises(ValidationError) as error:
        bounds(text)
    return error.value.messages


def test_an_invalid_date_says_so_once_and_offers_the_nearest_valid_form():
    assert error_of("around 2015") == ["“around 2015” is not a valid EDTF date. Did you mean “2015~” (c. 2015)?"]
    assert error_of("c. 300 BC") == ["“c. 300 BC” is not a valid EDTF date. Did you mean “-0299~” (c. 300 BC)?"]


def test_without_a_suggestion_the_error_gives_a_short_hint_not_the_fields_help_again():
    assert error_of("the reign of Zenobia") == [
        "“the reign of Zenobia” is not a valid EDTF date. Write a year (2015; 41 BC is -0040), a month (2015-08) or "
        "a day (2015-08-30), with ~ after it for “about” and / between two dates."
    ]
    assert EDTF_HELP_TEXT not in error_of("the reign of Zenobia")[0]


def test_an_unsupported_form_names_its_problem_and_a_suggestion_when_there_is_one():
    assert error_of("Y17E7") == ["“Y17E7” uses a year beyond four digits (Y…, exponents), which cannot be shown."]
    assert error_of("٢٠١٥") == [
        "“٢٠١٥” is not written in the digits 0–9 and the signs EDTF uses. Did you mean “2015” (2015)?"
    ]


# Properties ------------------------------------------------------------------------------------------------

years = st.integers(min_value=1, max_value=9999)
qualifier_words = st.sampled_from([("", ""), ("around ", "~"), ("c. ", "~"), ("circa ", "~"), ("probably ", "?")])


@st.composite
def days_in_words(draw):
    """(text, EDTF) of a day written as people do: "30 August 2015", "Aug 30, 2015", "2015-8-30"."""
    year, month = draw(years), draw(st.integers(1, 12))
    day = draw(st.integers(1, 28))
    name = draw(st.sampled_from([MONTHS[month - 1], MONTHS[month - 1][:3], MONTHS[month - 1].upper()]))
    text = draw(st.sampled_from([
        f"{day} {name} {year}", f"{name} {day}, {year}", f"{year:04d}-{month}-{day}", f"{year:04d}/{month}/{day}",
    ]))
    return text, f"{year:04d}-{month:02d}-{day:02d}"


@st.composite
def years_in_words(draw):
    """(text, EDTF) of a year with its era: "AD 32", "41 BC", "300 BCE"."""
    year = draw(st.integers(1, 9999))
    bc = f"-{year - 1:04d}" if year > 1 else "0000"  # astronomical: 1 BC is year 0
    era, edtf = draw(st.sampled_from([("AD {}", f"{year:04d}"), ("{} BC", bc), ("{} BCE", bc), ("{} CE", f"{year:04d}")]))
    return era.format(year), edtf


@settings(max_examples=300, deadline=None)
@given(qualifier=qualifier_words, date=days_in_words() | years_in_words())
def test_a_date_in_words_is_read_as_the_date_it_names(qualifier, date):
    (words, mark), (text, edtf) = qualifier, date

    meant = edtf + mark
    assert suggest_edtf(words + text) == (None if words + text == meant else meant)  # EDTF already: nothing to say


# What is typed into date fields: the phrases above mixed with words, digits and signs at random.
phrases = st.lists(
    st.sampled_from(["around", "c.", "between", "and", "to", "before", "since", "BC", "AD", "century", "3rd",
                     "1990s", "spring", "August", "Aug", "30", "2015", "32", "0", "-", "–", "/", "?", "~", ",", "the"])
    | st.text(max_size=6),
    max_size=7,
).map(" ".join)


@settings(max_examples=500, deadline=None)
@given(phrases | st.text(max_size=30))
def test_every_suggestion_is_a_date_the_validator_accepts_and_the_pages_can_show(text):
    suggestion = suggest_edtf(text)

    if suggestion is not None:
        validate_edtf(suggestion)
        assert bounds(suggestion) != (None, None)
        assert humanize(suggestion, language="en")
        assert humanize(suggestion, language="ar")
