"""Uncertain dates, written in EDTF (Extended Date/Time Format, ISO 8601-2).

Places are built, named and listed on dates like "c. AD 140–160" or "41 BC". We keep
the EDTF text as entered and store two sortable bounds next to it: the
Julian Day Numbers of the earliest and latest day the date can mean. Julian
days are plain integers that keep counting through 1 BC (EDTF year 0000) and
further back, so ordering and range filters work in SQL for any era.
python-edtf's own struct_time_to_date() fails before AD 1; its
struct_time_to_jd() does not, so we build on that.
"""

import datetime
import functools
import math
import re
import time

from django.core.exceptions import ValidationError
from edtf import Date, parse_edtf, struct_time_to_jd
from edtf.parser.edtf_exceptions import EDTFParseException

EDTF_HELP_TEXT = (
    "EDTF date. Examples: 2015-08-30 (a day), 2015-08 (a month), 0032 (AD 32), "
    "-0040 (41 BC: years are astronomical, 0000 is 1 BC), 0140~/0160~ (about AD 140 to 160), "
    "2015-05-27~ (approximate), 2015-06? (uncertain), 01XX (2nd century AD), "
    "2016-12-11/2017-01-10 (some time between two days)."
)

MONTHS = [
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
]


# Plain calendar dates ("2015-08-30", "2015-08", "0032", "-0040") are most of the dates stored.
SIMPLE_DATE = re.compile(r"(?P<year>-?\d{4})(?:-(?P<month>\d{2})(?:-(?P<day>\d{2}))?)?")


def _simple_date(text):
    """The Date python-edtf's parser would build for a plain calendar date, built directly; else None.

    Only a year alone (BC too), or a real day or month of the years 1–9999 is taken here;
    anything else, valid or not, is left to the grammar. A test holds the two to the same result.
    """
    match = SIMPLE_DATE.fullmatch(text)
    if not match:
        return None
    year, month, day = match.group("year", "month", "day")
    if month is None:
        return None if year == "-0000" else Date(year=year)
    try:
        datetime.date(int(year), int(month), int(day or "01"))
    except ValueError:
        return None
    return Date(year=year, month=month, day=day)


@functools.lru_cache(maxsize=4096)
def _parse_edtf(text):
    # python-edtf's grammar takes about 4 ms per date, and every save, validation and humanised
    # list cell parses again: plain dates are built directly, and what is parsed is remembered.
    return _simple_date(text) or parse_edtf(text)


# What can be stored and shown. python-edtf parses all of EDTF levels 0–2, but a date is only useful
# here if its bounds fit the stored range and it reads as words on every page, so a date must also have
# this shape: four-digit years (-9999 to 9999) whose unspecified digits (X) come last, months,
# seasons and days, qualifiers (? ~ %) on any of them, intervals with at most one open (..) or
# unknown (empty) end, and sets of dates and ranges. Long and exponential years (Y…, E), significant
# digits (S…) and times of day parse but are refused with a message saying which one it was.
_QUALIFIER = r"[?~%]?"
_YEAR = r"-?(?:\d{4}|\d{3}X|\d{2}XX|\dXXX|XXXX)"
PART = re.compile(
    rf"(?P<q1>{_QUALIFIER})(?P<year>{_YEAR})(?P<q2>{_QUALIFIER})"
    rf"(?:-(?P<q3>{_QUALIFIER})(?P<month>\d{{2}}|XX)(?P<q4>{_QUALIFIER})"
    rf"(?:-(?P<q5>{_QUALIFIER})(?P<day>\d{{2}}|XX)(?P<q6>{_QUALIFIER}))?)?"
)
_P = re.sub(r"\(\?P<\w+>", "(?:", PART.pattern)
_SET_ITEM = rf"(?:{_P}\.\.{_P}|\.\.{_P}|{_P}\.\.|{_P})"
SUPPORTED = re.compile(
    rf"{_P}"
    rf"|(?:{_P}|\.\.)?/{_P}|{_P}/(?:{_P}|\.\.)?"
    rf"|\[\s*{_SET_ITEM}(?:\s*,\s*{_SET_ITEM})*\s*\]"
    rf"|\{{\s*{_SET_ITEM}(?:\s*,\s*{_SET_ITEM})*\s*\}}"
)
UNSUPPORTED_FEATURES = [
    (re.compile(r"[YE]"), "a year beyond four digits (Y…, exponents)"),
    (re.compile(r"S\d"), "significant digits (S…)"),
    (re.compile(r"[T:]"), "a time of day"),
    (re.compile(r"-[?~%]?(?:\dX|X\d)"), "a month or day that is only partly unspecified (write XX)"),
    (re.compile(r"X\d"), "unspecified digits (X) before known ones"),
    (re.compile(r"^(?:\.\.)?/(?:\.\.)?$"), "an interval without a known end"),
]
DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]


def _invalid(text, problem=None):
    if problem is None:
        return ValidationError(
            "“%(value)s” is not a valid EDTF date. %(help)s",
            code="invalid_edtf",
            params={"value": text, "help": EDTF_HELP_TEXT},
        )
    return ValidationError(
        "“%(value)s” %(problem)s. %(help)s",
        code="unsupported_edtf",
        params={"value": text, "problem": problem, "help": EDTF_HELP_TEXT},
    )


def _is_leap(year):
    # Proleptic Gregorian, astronomical years: 0000 (1 BC) and -0004 are leap years.
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def _parts(text):
    """The single dates an EDTF text is made of: the ends of an interval, the members of a set."""
    return [part for part in re.split(r"/|,|\.\.", text.strip("[]{} ")) if part.strip()]


def _check_day(text, part):
    match = PART.fullmatch(part.strip())
    month, day = match["month"], match["day"]
    if not day or "X" in day or not month or "X" in month or int(month) > 12:
        return
    year = match["year"]
    days = DAYS_IN_MONTH[int(month) - 1]
    if month == "02" and "X" not in year and not _is_leap(int(year)):
        days = 28
    if int(day) > days:  # python-edtf takes 29 February of any year, and any day of an unspecified year
        raise _invalid(text, f"names a day that does not exist: {MONTHS[int(month) - 1]} {year} has {days} days")


def parse(text):
    """Parse EDTF text that can be stored and shown, raising ValidationError with a readable message."""
    text = text.strip()
    if not text.isascii():
        # Python's \d takes any script's digits ("٢٠١٥"): stored as typed, they are not EDTF to anyone reading our exports.
        raise _invalid(text, "is not written in the digits 0–9 and the signs EDTF uses")
    try:
        parsed = _parse_edtf(text)
    except (EDTFParseException, ValueError, TypeError, AttributeError) as error:
        raise _invalid(text) from error
    if not SUPPORTED.fullmatch(text):
        problem = next((name for pattern, name in UNSUPPORTED_FEATURES if pattern.search(text)), "a form of EDTF")
        raise _invalid(text, f"uses {problem}, which cannot be shown")
    for part in _parts(text):
        _check_day(text, part)
    return parsed


def validate_edtf(text):
    """A date is valid when it can be sorted (bounds()) and shown (humanize())."""
    if text:
        bounds(text)


def _julian_day_number(struct_time):
    # struct_time_to_jd gives the Julian Date at midnight (x.5); +0.5 floors to the day number.
    return math.floor(struct_time_to_jd(struct_time) + 0.5)


def bounds(text):
    """Earliest and latest Julian Day Number that an EDTF date can mean.

    Open ends of an interval ("2015/..") give None on that side.
    """
    if not text:
        return None, None
    parsed = parse(text)
    try:
        lower = _julian_day_number(parsed.lower_strict())
    except (TypeError, ValueError, OverflowError, AttributeError):
        lower = None
    try:
        upper = _julian_day_number(parsed.upper_strict())
    except (TypeError, ValueError, OverflowError, AttributeError):
        upper = None
    if lower is None and upper is None:  # python-edtf parses some forms it cannot place in time
        raise _invalid(text, "cannot be placed in time")
    if lower is not None and upper is not None and lower > upper:
        raise ValidationError(
            "“%(value)s” ends before it starts.", code="edtf_reversed", params={"value": text}
        )
    # An unknown end ("9999/") reaches ten years past the known one; pages turn bounds into dates.
    if any(bound is not None and not FIRST_DAY <= bound <= LAST_DAY for bound in (lower, upper)):
        raise ValidationError(
            "“%(value)s” reaches beyond the years -9999 to 9999 that can be stored.",
            code="edtf_out_of_range", params={"value": text},
        )
    return lower, upper


def day_number(date):
    """Julian Day Number of a datetime.date (proleptic Gregorian), for range filters."""
    return date.toordinal() + 1721425


def date_from_day_number(number):
    """The datetime.date of a Julian Day Number, or None before AD 1."""
    ordinal = number - 1721425
    if ordinal < 1:
        return None
    return datetime.date.fromordinal(ordinal)


def year_day_number(year, end=False):
    """Julian Day Number of 1 January (or 31 December) of an astronomical year."""
    month, day = (12, 31) if end else (1, 1)
    return _julian_day_number(time.struct_time((year, month, day, 0, 0, 0, 0, 0, -1)))


FIRST_DAY, LAST_DAY = year_day_number(-9999), year_day_number(9999, end=True)


def format_year(year):
    """Astronomical year to what people write: 0032 → AD 32, -0040 → 41 BC."""
    if year <= 0:
        return f"{1 - year} BC"
    if year < 1000:
        return f"AD {year}"
    return str(year)


def _ordinal(number):
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


# EDTF's season codes: 21–24 seasons, 25–32 by hemisphere, 33–36 quarters, 37–39 thirds, 40–41 halves.
SUB_YEARS = {
    21: "spring", 22: "summer", 23: "autumn", 24: "winter",
    25: "spring (north)", 26: "summer (north)", 27: "autumn (north)", 28: "winter (north)",
    29: "spring (south)", 30: "summer (south)", 31: "autumn (south)", 32: "winter (south)",
    33: "first quarter of", 34: "second quarter of", 35: "third quarter of", 36: "fourth quarter of",
    37: "first four months of", 38: "second four months of", 39: "last four months of",
    40: "first half of", 41: "second half of",
}


def _year_span(lowest, highest):
    if highest <= 0:
        return f"{1 - lowest}–{1 - highest} BC"
    return f"{format_year(lowest)}–{format_year(highest)}"


def _unspecified_year(year):
    """A year with unspecified last digits: 19XX, 198X, -1XXX, XXXX."""
    unknown = year.count("X")
    if unknown == 4:
        return "year unknown"
    digits = int(year.lstrip("-").rstrip("X"))
    if year.startswith("-"):
        return _year_span(-(digits * 10**unknown + 10**unknown - 1), -digits * 10**unknown)
    if unknown == 2:
        return f"{_ordinal(digits + 1)} century AD"
    if unknown == 1:
        return f"AD {digits * 10}s"
    return _year_span(digits * 10**unknown, digits * 10**unknown + 10**unknown - 1)


def _format_single(part):
    """Human form of one EDTF date (no interval, no set)."""
    match = PART.fullmatch(part.strip())
    qualifiers = "".join(match[name] for name in ("q1", "q2", "q3", "q4", "q5", "q6") if match[name])
    year, month, day = match["year"], match["month"], match["day"]
    if "X" in year:
        label = _unspecified_year(year)
    elif not month or "X" in month:
        label = format_year(int(year))
    elif int(month) > 12:
        label = f"{SUB_YEARS[int(month)]} {format_year(int(year))}"
        label = label[0].upper() + label[1:]
    elif not day or "X" in day:
        label = f"{MONTHS[int(month) - 1]} {format_year(int(year))}"
    else:
        label = f"{int(day)} {MONTHS[int(month) - 1]} {format_year(int(year))}"
    return _qualify(label, approximate="~" in qualifiers or "%" in qualifiers,
                    uncertain="?" in qualifiers or "%" in qualifiers)


def _format_set_item(item):
    start, dots, end = item.strip().partition("..")
    if not dots:
        return _format_single(start)
    if not start:
        return f"{_format_single(end)} or earlier"
    if not end:
        return f"{_format_single(start)} or later"
    return f"{_format_single(start)} to {_format_single(end)}"


def _qualify(label, approximate, uncertain):
    if approximate:
        label = f"c. {label}"
    if uncertain:
        label = f"{label} (uncertain)"
    return label


def humanize(text):
    """An EDTF date as people write it: “41 BC”, “c. AD 140–160”, “30 August 2015”."""
    if not text:
        return ""
    text = text.strip()
    try:
        parse(text)
    except ValidationError:
        # A row saved before a rule was added (or loaded raw) is shown as entered, not a broken page.
        return text
    if text[0] in "[{":
        joiner = " or " if text[0] == "[" else " and "
        return joiner.join(_format_set_item(item) for item in text[1:-1].split(","))
    if "/" in text:
        start, end = text.split("/", 1)
        if start in ("", ".."):
            return f"by {_format_single(end)}"
        if end in ("", ".."):
            return f"from {_format_single(start)}"
        left, right = _format_single(start), _format_single(end)
        # "c. AD 140 – c. AD 160" reads better as "c. AD 140–160"
        if left.startswith("c. AD ") and right.startswith("c. AD "):
            return f"c. AD {left[6:]}–{right[6:]}"
        if left.startswith("AD ") and right.startswith("AD "):
            return f"AD {left[3:]}–{right[3:]}"
        if left.endswith(" BC") and right.endswith(" BC"):
            if left.startswith("c. ") and right.startswith("c. "):
                return f"{left[:-3]}–{right[3:]}"
            return f"{left[:-3]}–{right}"
        return f"{left} – {right}"
    return _format_single(text)


def is_uncertain(text):
    """True when the date is approximate, uncertain, a choice or a span."""
    return any(mark in (text or "") for mark in "~?%[{/X")


class EDTFBoundsMixin:
    """Keeps <field>_earliest/<field>_latest in step with an EDTF text field.

    Models list the EDTF fields they carry in ``edtf_fields``; save() refreshes
    the bounds so no caller can forget to.
    """

    edtf_fields = ()

    def refresh_date_bounds(self):
        for name in self.edtf_fields:
            earliest, latest = bounds(getattr(self, name))
            setattr(self, f"{name}_earliest", earliest)
            setattr(self, f"{name}_latest", latest)

    def save(self, *args, **kwargs):
        self.refresh_date_bounds()
        super().save(*args, **kwargs)
