"""Uncertain dates, written in EDTF (Extended Date/Time Format, ISO 8601-2).

Facts about heritage come with dates like "c. AD 140–160" or "41 BC". We keep
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


# Plain calendar dates ("2015-08-30", "2015-08", "0032", "-0040") are most of the record's dates.
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


def parse(text):
    """Parse EDTF text, raising ValidationError with a readable message."""
    try:
        return _parse_edtf(text.strip())
    except (EDTFParseException, ValueError, TypeError, AttributeError) as error:
        raise ValidationError(
            "“%(value)s” is not a valid EDTF date. %(help)s",
            code="invalid_edtf",
            params={"value": text, "help": EDTF_HELP_TEXT},
        ) from error


def validate_edtf(text):
    if text:
        parse(text)


def _julian_day_number(struct_time):
    # struct_time_to_jd gives the Julian Date at midnight (x.5); +0.5 floors to the day number.
    return math.floor(struct_time_to_jd(struct_time) + 0.5)


def bounds(text):
    """Earliest and latest Julian Day Number that an EDTF date can mean.

    Open or unknown ends of an interval ("2015/..") give None on that side.
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
    if lower is not None and upper is not None and lower > upper:
        raise ValidationError(
            "“%(value)s” ends before it starts.", code="edtf_reversed", params={"value": text}
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


def format_year(year):
    """Astronomical year to what people write: 0032 → AD 32, -0040 → 41 BC."""
    if year <= 0:
        return f"{1 - year} BC"
    if year < 1000:
        return f"AD {year}"
    return str(year)


def _format_single(parsed_text):
    """Human form of one EDTF date (no interval)."""
    text = parsed_text.strip()
    approximate = "~" in text or "%" in text
    uncertain = "?" in text or "%" in text
    core = text.replace("~", "").replace("?", "").replace("%", "")
    if core.startswith("[") or core.startswith("{"):
        choices = [_format_single(part) for part in core.strip("[]{}").split(",")]
        return " or ".join(choices)
    negative = core.startswith("-")
    parts = core.lstrip("-").split("-")
    year_text = parts[0]
    if "X" in year_text.upper():
        digits = year_text.upper()
        if digits.endswith("XX") and not negative:
            century = int(digits[:2]) + 1
            suffix = {1: "st", 2: "nd", 3: "rd"}.get(century if century < 20 else century % 10, "th")
            label = f"{century}{suffix} century AD"
        elif digits.endswith("X") and not negative:
            label = f"AD {int(digits[:3])}0s"
        else:
            label = text
        return _qualify(label, approximate, uncertain)
    year = int(year_text) * (-1 if negative else 1)
    if len(parts) == 1 or negative:
        label = format_year(year)
    else:
        month = int(parts[1])
        if month > 12:  # seasons (21–24) and other EDTF level-2 codes
            label = format_year(year)
        elif len(parts) == 2:
            label = f"{MONTHS[month - 1]} {format_year(year)}"
        else:
            day = int(parts[2])
            label = f"{day} {MONTHS[month - 1]} {format_year(year)}"
    return _qualify(label, approximate, uncertain)


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
    parse(text)
    if "/" in text:
        start, end = text.split("/", 1)
        if start in ("", "..") and end not in ("", ".."):
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
