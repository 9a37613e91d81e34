"""Uncertain dates, written in EDTF (Extended Date/Time Format, ISO 8601-2).

Places are built, named and listed on dates like "c. AD 140–160" or "41 BC". We keep
the EDTF text as entered and store two sortable bounds next to it: the
Julian Day Numbers of the earliest and latest day the date can mean. Julian
days are plain integers that keep counting through 1 BC (EDTF year 0000) and
further back, so ordering and range filters work in SQL for any era.
python-edtf's own struct_time_to_date() fails before AD 1; its
struct_time_to_jd() does not, so we build on that.
"""

import contextvars
import datetime
import functools
import math
import re
import time

from django.core.exceptions import ValidationError
from django.utils import dates as django_dates
from django.utils import translation
from django.utils.translation import gettext_noop
from edtf import Date, jd_to_struct_time, parse_edtf, struct_time_to_jd
from edtf.parser.edtf_exceptions import EDTFParseException

EDTF_HELP_TEXT = gettext_noop(  # translated where shown: gettext_lazy(EDTF_HELP_TEXT)
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


# Said when no suggestion fits; the fields' help text (EDTF_HELP_TEXT) lists the forms in full.
EDTF_HINT = (
    "Write a year (2015; 41 BC is -0040), a month (2015-08) or a day (2015-08-30), with ~ after it for "
    "“about” and / between two dates."
)


def _invalid(text, problem=None):
    """What is wrong with the text and, when suggest_edtf() finds one, the nearest valid form."""
    suggestion = None if _suggesting.get() else suggest_edtf(text)
    if suggestion:
        advice, params = "Did you mean “%(suggestion)s” (%(meaning)s)?", {
            "suggestion": suggestion, "meaning": humanize(suggestion, language="en"),
        }
    else:
        advice, params = ("%(hint)s", {"hint": EDTF_HINT}) if problem is None else ("", {})
    if problem is None:
        return ValidationError(
            f"“%(value)s” is not a valid EDTF date. {advice}".strip(), code="invalid_edtf",
            params={"value": text, **params},
        )
    return ValidationError(
        f"“%(value)s” %(problem)s. {advice}".strip(), code="unsupported_edtf",
        params={"value": text, "problem": problem, **params},
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


def iso_date(number):
    """ISO 8601 text, in astronomical years, of the day a Julian Day Number of bounds() stands for, in any
    era: bounds("-0040") → "-0040-01-01" … "-0040-12-31". For exports that speak ISO 8601 (Linked Places)."""
    year, month, day = jd_to_struct_time(number)[:3]
    return f"{'-' if year < 0 else ''}{abs(year):04d}-{month:02d}-{day:02d}"


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


def humanize(text, language=None):
    """An EDTF date as people write it: “41 BC”, “c. AD 140–160”, “30 August 2015”.

    In the reader's language (the active one unless language is given): English, or Arabic
    (“41 ق.م”, “نحو 140–160 م”, “30 أغسطس 2015”).
    """
    if not text:
        return ""
    text = text.strip()
    try:
        parse(text)
    except ValidationError:
        # A row saved before a rule was added (or loaded raw) is shown as entered, not a broken page.
        return text
    if (language or translation.get_language() or "en").split("-")[0] == "ar":
        return _humanize_arabic(text)
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


# Arabic: years before AD 1 end in ق.م (قبل الميلاد), years AD before 1000 in م (ميلادي), as Arabic
# writing on antiquity does; months as Django's Arabic catalogue names them, so every date on a page
# agrees. Written by the project team, awaiting a native speaker's review (docs/i18n.md).
ARABIC_SUB_YEARS = {
    21: "ربيع", 22: "صيف", 23: "خريف", 24: "شتاء",
    25: "ربيع (نصف الكرة الشمالي)", 26: "صيف (نصف الكرة الشمالي)", 27: "خريف (نصف الكرة الشمالي)",
    28: "شتاء (نصف الكرة الشمالي)", 29: "ربيع (نصف الكرة الجنوبي)", 30: "صيف (نصف الكرة الجنوبي)",
    31: "خريف (نصف الكرة الجنوبي)", 32: "شتاء (نصف الكرة الجنوبي)",
    33: "الربع الأول من", 34: "الربع الثاني من", 35: "الربع الثالث من", 36: "الربع الرابع من",
    37: "الأشهر الأربعة الأولى من", 38: "الأشهر الأربعة الثانية من", 39: "الأشهر الأربعة الأخيرة من",
    40: "النصف الأول من", 41: "النصف الثاني من",
}
ARABIC_CENTURIES = [
    "الأول", "الثاني", "الثالث", "الرابع", "الخامس", "السادس", "السابع", "الثامن", "التاسع", "العاشر",
    "الحادي عشر", "الثاني عشر", "الثالث عشر", "الرابع عشر", "الخامس عشر", "السادس عشر", "السابع عشر",
    "الثامن عشر", "التاسع عشر", "العشرين", "الحادي والعشرين",
]
BC_AR, AD_AR, ABOUT_AR = "ق.م", "م", "نحو"


def _arabic_month(number):
    with translation.override("ar"):
        return str(django_dates.MONTHS[number])


def _arabic_year(year):
    if year <= 0:
        return f"{1 - year} {BC_AR}"
    if year < 1000:
        return f"{year} {AD_AR}"
    return str(year)


def _arabic_year_span(lowest, highest):
    if highest <= 0:
        return f"{1 - lowest}–{1 - highest} {BC_AR}"
    if lowest > 0 and highest < 1000:
        return f"{lowest}–{highest} {AD_AR}"
    return f"{_arabic_year(lowest)}–{_arabic_year(highest)}"


def _arabic_unspecified_year(year):
    unknown = year.count("X")
    if unknown == 4:
        return "سنة غير معروفة"
    digits = int(year.lstrip("-").rstrip("X"))
    if year.startswith("-"):
        return _arabic_year_span(-(digits * 10**unknown + 10**unknown - 1), -digits * 10**unknown)
    if unknown == 2 and digits < len(ARABIC_CENTURIES):
        return f"القرن {ARABIC_CENTURIES[digits]} الميلادي"
    return _arabic_year_span(max(digits * 10**unknown, 1), digits * 10**unknown + 10**unknown - 1)


def _arabic_single(part):
    match = PART.fullmatch(part.strip())
    qualifiers = "".join(match[name] for name in ("q1", "q2", "q3", "q4", "q5", "q6") if match[name])
    year, month, day = match["year"], match["month"], match["day"]
    if "X" in year:
        label = _arabic_unspecified_year(year)
    elif not month or "X" in month:
        label = _arabic_year(int(year))
    elif int(month) > 12:
        label = f"{ARABIC_SUB_YEARS[int(month)]} {_arabic_year(int(year))}"
    elif not day or "X" in day:
        label = f"{_arabic_month(int(month))} {_arabic_year(int(year))}"
    else:
        label = f"{int(day)} {_arabic_month(int(month))} {_arabic_year(int(year))}"
    if "~" in qualifiers or "%" in qualifiers:
        label = f"{ABOUT_AR} {label}"
    if "?" in qualifiers or "%" in qualifiers:
        label = f"{label} (غير مؤكد)"
    return label


def _arabic_set_item(item):
    start, dots, end = item.strip().partition("..")
    if not dots:
        return _arabic_single(start)
    if not start:
        return f"{_arabic_single(end)} أو قبل ذلك"
    if not end:
        return f"{_arabic_single(start)} أو بعد ذلك"
    return f"من {_arabic_single(start)} إلى {_arabic_single(end)}"


def _humanize_arabic(text):
    if text[0] in "[{":
        joiner = " أو " if text[0] == "[" else " و"
        return joiner.join(_arabic_set_item(item) for item in text[1:-1].split(","))
    if "/" not in text:
        return _arabic_single(text)
    start, end = text.split("/", 1)
    if start in ("", ".."):
        return f"بحلول {_arabic_single(end)}"
    if end in ("", ".."):
        return f"منذ {_arabic_single(start)}"
    first, last = _arabic_single(start), _arabic_single(end)
    about = f"{ABOUT_AR} "
    # "نحو 140 م – نحو 160 م" reads better as "نحو 140–160 م", as in English.
    for era in (f" {AD_AR}", f" {BC_AR}"):
        if first.endswith(era) and last.endswith(era):
            if first.startswith(about) and last.startswith(about):
                return f"{first[:-len(era)]}–{last[len(about):]}"
            if not first.startswith(about) and not last.startswith(about):
                return f"{first[:-len(era)]}–{last}"
    return f"{first} – {last}"


def is_uncertain(text):
    """True when the date is approximate, uncertain, a choice or a span."""
    return any(mark in (text or "") for mark in "~?%[{/X")


# The languages dates are stored in words for (the site's languages), each in the column words_field() names.
WORDS_LANGUAGES = ("en", "ar")


def words_field(name, language):
    """The column holding the EDTF field ``name`` in words in ``language``: built_words, built_words_ar."""
    return f"{name}_words" if language == "en" else f"{name}_words_{language}"


def in_words(text):
    """{language: the EDTF date in words} in every language pages are read in: what save() stores beside the text."""
    return {language: humanize(text, language=language) for language in WORDS_LANGUAGES}


def _reader_language(language=None):
    language = (language or translation.get_language() or "en").split("-")[0]
    return language if language in WORDS_LANGUAGES else "en"


class EDTFBoundsMixin:
    """Keeps <field>_earliest/<field>_latest and the date in words (<field>_words, <field>_words_ar) in step
    with an EDTF text field.

    Models list the EDTF fields they carry in ``edtf_fields``; save() refreshes
    the bounds and the words so no caller can forget to, and pages read the
    stored words (in_words_of()) instead of parsing the date on every request
    (python-edtf's grammar takes milliseconds a date). Rows written around
    save() (a raw loaddata) are given their words by store_date_words().
    """

    edtf_fields = ()

    def refresh_date_bounds(self):
        """Sets the stored bounds and words of every EDTF field from its text."""
        for name in self.edtf_fields:
            text = getattr(self, name)
            earliest, latest = bounds(text)
            setattr(self, f"{name}_earliest", earliest)
            setattr(self, f"{name}_latest", latest)
            for language, words in in_words(text).items():
                setattr(self, words_field(name, language), words)

    def save(self, *args, **kwargs):
        self.refresh_date_bounds()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:  # what is derived from a date is saved with it
            derived = [
                derived for name in self.edtf_fields if name in update_fields
                for derived in (f"{name}_earliest", f"{name}_latest",
                                *(words_field(name, language) for language in WORDS_LANGUAGES))
            ]
            kwargs["update_fields"] = [*update_fields, *derived]
        super().save(*args, **kwargs)

    def in_words_of(self, name, language=None):
        """The EDTF field ``name`` in words, in the reader's language (the active one unless given).

        As save() stored it; humanize() only for a row not saved through save() yet.
        """
        language = _reader_language(language)
        stored = getattr(self, words_field(name, language), "")
        text = getattr(self, name)
        return stored if stored or not text else humanize(text, language=language)


def store_date_words(model, names, using="default", batch_size=2000):
    """Gives the rows of ``model`` whose EDTF fields ``names`` have no words stored yet their words; returns how many
    dates (distinct texts) were put in words.

    For rows written around save(): a raw loaddata (manage.py load_curated), and the migration that
    added the columns. Each distinct date is put in words once; on PostgreSQL a batch of dates is
    stored with one UPDATE joined on the text, elsewhere one UPDATE per date. Takes a model class
    (a migration's historical model too), not a queryset.
    """
    from django.db import connections

    manager, connection, count = model._base_manager.db_manager(using), connections[using], 0
    for name in names:
        english = words_field(name, "en")
        texts = sorted(set(
            manager.filter(**{english: ""}).exclude(**{name: ""}).order_by().values_list(name, flat=True).distinct()
        ))
        count += len(texts)
        for start in range(0, len(texts), batch_size):
            batch = {text: in_words(text) for text in texts[start:start + batch_size]}
            if connection.vendor == "postgresql":
                table, qn = model._meta.db_table, connection.ops.quote_name
                column = qn(model._meta.get_field(name).column)
                assignments = ", ".join(
                    f"{qn(words_field(name, language))} = words.{language}" for language in WORDS_LANGUAGES
                )
                arrays = ", ".join("%s::text[]" for _ in range(len(WORDS_LANGUAGES) + 1))
                with connection.cursor() as cursor:
                    cursor.execute(
                        f"UPDATE {qn(table)} SET {assignments} FROM unnest({arrays}) "  # noqa: S608  # nosec B608
                        f"AS words(edtf, {', '.join(WORDS_LANGUAGES)}) "
                        f"WHERE {qn(table)}.{column} = words.edtf AND {qn(table)}.{qn(english)} = ''",
                        [list(batch), *([words[language] for words in batch.values()] for language in WORDS_LANGUAGES)],
                    )
            else:
                for text, words in batch.items():
                    manager.filter(**{name: text, english: ""}).update(
                        **{words_field(name, language): words[language] for language in WORDS_LANGUAGES}
                    )
    return count


# Suggestions ----------------------------------------------------------------------------------------------
# What people type for a date ("around 2015", "August 2015", "c. 300 BC", "between 2014 and 2016"), turned
# into the EDTF they meant, so that an error can offer the nearest valid form instead of a list of examples.

_suggesting = contextvars.ContextVar("suggesting", default=False)
_MONTH_NUMBERS = {name.lower()[:length]: number for number, name in enumerate(MONTHS, start=1) for length in (3, len(name))}
_MONTH_NUMBERS["sept"] = 9
_SEASONS = {"spring": 21, "summer": 22, "autumn": 23, "fall": 23, "winter": 24}
_APPROXIMATE = re.compile(r"^(?:around|about|approximately|approx\.?|circa|ca\.?|c\.|c(?=\d)|~)\s*")
_UNCERTAIN = re.compile(r"^(?:probably|possibly|perhaps|maybe)\s+")
_ERA = re.compile(r"\s*(?<![a-z])(?:(?P<bc>b\.?\s?c\.?(?:\s?e\.?)?)|(?P<ad>a\.?\s?d\.?|c\.?\s?e\.?))(?=\s|$)\s*")
_BETWEEN = re.compile(r"^(?:between|from)\s+(?P<start>.+?)\s+(?:and|to|until|till)\s+(?P<end>.+)$")
_RANGE = re.compile(r"^(?P<start>.+?)\s*(?:\bto\b|\buntil\b|–|—|\s-\s|(?<=\d)-(?=\d{4}\b))\s*(?P<end>.+)$")
_BEFORE = re.compile(r"^(?:before|by|until|no later than)\s+(?P<date>.+)$")
_AFTER = re.compile(r"^(?:after|since|from|no earlier than)\s+(?P<date>.+)$")


def suggest_edtf(text):
    """The EDTF date most likely meant by text that is not one ("around 2015" → "2015~", "August 2015" →
    "2015-08", "2015-8-23" → "2015-08-23", "c. 300 BC" → "-0299~", "between 2014 and 2016" → "2014/2016"),
    or None. Every suggestion is a date validate_edtf() accepts and humanize() shows."""
    candidate = _suggest(" ".join(str(text).lower().replace(",", " ").split()))
    if candidate is None or candidate == text:
        return None
    token = _suggesting.set(True)
    try:
        validate_edtf(candidate)
        humanize(candidate, language="en")
    except ValidationError:
        return None
    finally:
        _suggesting.reset(token)
    return candidate


def _suggest(text):
    if match := _BETWEEN.match(text) or _RANGE.match(text):
        qualifier, start = _qualifier_of(match["start"])
        end_qualifier, end = _qualifier_of(match["end"])
        # "300–200 BC": the era written once, after the second year, holds for both.
        start_era = _ERA.search(start) is None and _ERA.search(end) is not None and start.strip().isdigit()
        start_date = _single(f"{start} {_ERA.search(end).group().strip()}" if start_era else start)
        end_date = _single(end)
        if start_date and end_date:
            return f"{start_date}{qualifier or end_qualifier}/{end_date}{end_qualifier or qualifier}"
        return None
    qualifier, rest = _qualifier_of(text)
    if match := _BEFORE.match(rest):
        date = _single(match["date"])
        return f"../{date}{qualifier}" if date else None
    if match := _AFTER.match(rest):
        date = _single(match["date"])
        return f"{date}{qualifier}/.." if date else None
    date = _single(rest)
    return f"{date}{qualifier}" if date else None


def _qualifier_of(text):
    """("~", "?" or "%" for what the words say, the text without them): "around 2015?" → ("%", "2015")."""
    text = text.strip()
    approximate = uncertain = False
    while True:
        if match := _APPROXIMATE.match(text):
            approximate, text = True, text[match.end():]
        elif match := _UNCERTAIN.match(text):
            uncertain, text = True, text[match.end():]
        else:
            break
    if text.endswith("?"):
        uncertain, text = True, text[:-1].strip()
    if text.endswith("~"):
        approximate, text = True, text[:-1].strip()
    qualifier = "%" if approximate and uncertain else "~" if approximate else "?" if uncertain else ""
    return qualifier, text.strip()


def _year(digits, bc=False):
    year = int(digits)
    if bc:  # astronomical years: 1 BC is 0000, 41 BC is -0040
        return None if year == 0 else f"-{year - 1:04d}" if year > 1 else "0000"
    return f"{year:04d}" if 0 < year <= 9999 else None


def _single(text):
    """One date in words or loose digits as EDTF, without qualifiers; None when it cannot be read."""
    text = text.strip().removeprefix("the ").strip()
    bc = False
    if era := _ERA.search(text):
        bc = bool(era["bc"])
        text = (text[: era.start()] + " " + text[era.end():]).strip()
    if match := re.fullmatch(r"(\d{1,2})(?:st|nd|rd|th) century", text):
        century = int(match[1])
        if not 1 <= century <= 100:
            return None
        return f"-{century - 1:02d}XX" if bc else f"{century - 1:02d}XX"
    if match := re.fullmatch(r"(\d{3})0'?s", text):
        return None if bc else f"{match[1]}X"
    if match := re.fullmatch(r"(\d{1,4})", text):
        return _year(match[1], bc)
    if bc:  # BC is read for years and centuries only
        return None
    if match := re.fullmatch(r"(-?\d{4})[-/.](\d{1,2})(?:[-/.](\d{1,2}))?", text):
        year, month, day = match.groups()
        return f"{year}-{int(month):02d}" + (f"-{int(day):02d}" if day else "")
    if match := re.fullmatch(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})", text):
        first, second, year = (int(group) for group in match.groups())
        if first > 12 >= second:  # only a day can be above 12: 23/08/2015 is unambiguous, 03/08/2015 is not
            return f"{year:04d}-{second:02d}-{first:02d}"
        return None
    words = text.replace(".", " ").split()
    if len(words) == 2 and words[0] in _SEASONS and words[1].isdigit():
        year = _year(words[1])
        return f"{year}-{_SEASONS[words[0]]}" if year else None
    months = [word for word in words if word in _MONTH_NUMBERS]
    numbers = [word for word in words if word.isdigit()]
    if len(months) != 1 or len(months) + len(numbers) != len(words) or not 1 <= len(numbers) <= 2:
        return None
    if len(numbers) == 1 and len(numbers[0]) <= 2:
        return None  # "30 August": a day without its year, more likely than August AD 30
    month = _MONTH_NUMBERS[months[0]]
    # "30 August 2015", "August 30 2015", "6 April 32": the year is the number of three or more digits, else the last.
    year_index = next((index for index, number in enumerate(numbers) if len(number) >= 3), len(numbers) - 1)
    year = _year(numbers.pop(year_index))
    if year is None or (numbers and not 1 <= int(numbers[0]) <= 31):
        return None
    return f"{year}-{month:02d}" + (f"-{int(numbers[0]):02d}" if numbers else "")
