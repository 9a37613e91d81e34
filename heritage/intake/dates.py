"""Dates a report mentions, as EDTF.

"30 August 2015" → 2015-08-30, "August 2015" → 2015-08, "in May" → the month
and "Aug. 27" → the day in the article's year (the year before when it is
still to come at publication), "AD 129" → 0129, "41 BC" → -0040 (EDTF years are astronomical:
1 BC is 0000), "2nd century AD" → 01XX, "1st century BC" → -0099/0000,
"yesterday" → the day before publication. Bare years count only after a
word that introduces a date ("in 2011", "since 2013"), so that "1,500
people" or "17 troops" are not dates.
"""

import datetime
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError

from sites.dates import validate_edtf

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",), ("june", "jun"),
            ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"), ("october", "oct"),
            ("november", "nov"), ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
MONTH = r"(?P<month>January|February|March|April|May|June|July|August|September|October|November|December|" \
    r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
    "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13, "fourteenth": 14, "fifteenth": 15,
    "sixteenth": 16, "seventeenth": 17, "eighteenth": 18, "nineteenth": 19, "twentieth": 20, "twenty-first": 21,
}
ERA_BC = r"(?P<bc>B\.?C\.?E?\.?|BCE)"
ERA_AD = r"(?P<ad>A\.?D\.?|C\.?E\.?)"
DATE_WORDS = r"(?i:in|since|by|until|till|from|during|of|early|late|mid|before|after|around|circa|c\.|between|and|to)"

PATTERNS = [
    ("day_month_year", re.compile(rf"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+{MONTH},?\s+(?P<year>\d{{4}})\b")),
    ("month_day_year", re.compile(rf"\b{MONTH}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year>\d{{4}})\b")),
    ("month_year", re.compile(rf"\b{MONTH}\s+(?:of\s+)?(?P<year>\d{{4}})\b")),
    ("century", re.compile(
        rf"\b(?P<number>\d{{1,2}})(?:st|nd|rd|th)[\s-]+century(?:\s+{ERA_BC}|\s+{ERA_AD})?", re.IGNORECASE
    )),
    ("century", re.compile(
        rf"\b(?P<word>{'|'.join(ORDINALS)})[\s-]+century(?:\s+{ERA_BC}|\s+{ERA_AD})?", re.IGNORECASE
    )),
    ("era_year", re.compile(rf"\b{ERA_AD}\s*(?P<year>\d{{1,4}})\b")),
    ("year_era", re.compile(rf"\b(?P<year>\d{{1,4}})\s*(?:{ERA_BC}|{ERA_AD})(?![A-Za-z])")),
    # "Aug. 27", "21 May": the day in the article's year (the year before when it is still to come).
    ("month_day", re.compile(rf"\b{MONTH}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\b(?!,?\s*\d)")),
    ("day_month", re.compile(rf"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+{MONTH}(?![\w.]*,?\s*\d)")),
    ("month_alone", re.compile(rf"\b(?:{DATE_WORDS}|this|last|early|late|mid-)\s+{MONTH}(?!\.?\s*\d)")),
    ("year_alone", re.compile(rf"\b{DATE_WORDS}\s+(?P<year>1[0-9]{{3}}|20[0-9]{{2}})\b(?![,.]?\d)")),
    ("relative", re.compile(r"\b(?P<relative>yesterday|today|earlier this month|this month|last month)\b",
                            re.IGNORECASE)),
]


@dataclass
class DateMention:
    edtf: str
    text: str
    start: int
    end: int


def astronomical(year):
    return f"-{abs(year):04d}" if year < 0 else f"{year:04d}"


def _century(number, bc):
    if bc:
        # The Nth century BC runs from (N×100) BC to (N×100 − 99) BC: astronomical 1 − N×100 … −(N−1)×100.
        return f"{astronomical(1 - number * 100)}/{astronomical(-(number - 1) * 100)}"
    return f"{number - 1:02d}XX"


def _edtf(kind, match, published):
    groups = match.groupdict()
    if kind in ("day_month_year", "month_day_year"):
        return datetime.date(int(groups["year"]), MONTHS[groups["month"].lower()], int(groups["day"])).isoformat()
    if kind == "month_year":
        return f"{int(groups['year']):04d}-{MONTHS[groups['month'].lower()]:02d}"
    if kind == "century":
        number = int(groups["number"]) if groups.get("number") else ORDINALS[groups["word"].lower()]
        return _century(number, bool(groups.get("bc")))
    if kind in ("era_year", "year_era"):
        year = int(groups["year"])
        if year == 0:
            return None
        return astronomical(1 - year) if groups.get("bc") else astronomical(year)
    if kind == "year_alone":
        return groups["year"]
    if published is None:
        return None
    if kind in ("month_day", "day_month"):
        day = datetime.date(published.year, MONTHS[groups["month"].lower()], int(groups["day"]))
        return (day if day <= published else day.replace(year=published.year - 1)).isoformat()
    if kind == "month_alone":
        month = MONTHS[groups["month"].lower()]
        # "in May" in a July article is this May; "in December" in a July article, last December.
        year = published.year if month <= published.month else published.year - 1
        return f"{year:04d}-{month:02d}"
    relative = groups["relative"].lower()
    if relative == "yesterday":
        return (published - datetime.timedelta(days=1)).isoformat()
    if relative == "today":
        return published.isoformat()
    if relative == "last month":
        previous = published.replace(day=1) - datetime.timedelta(days=1)
        return f"{previous.year:04d}-{previous.month:02d}"
    return f"{published.year:04d}-{published.month:02d}"


def find_dates(text, published=None, day_known=True):
    """Dates mentioned in the text, in order, without overlaps.

    ``published`` is the article's date; ``day_known`` False when only its month
    or year is known, so "yesterday" and "today" cannot be dated.
    """
    taken, found = [], []
    for kind, pattern in PATTERNS:
        for match in pattern.finditer(text):
            if kind == "relative" and not day_known and match.group("relative").lower() in ("yesterday", "today"):
                continue
            start, end = match.span()
            if kind == "month_alone":
                start, end = match.start("month"), match.end("month")
            elif kind == "year_alone":
                start = match.start("year")
            if text[end - 1] == "." and text[end - 3:end - 2] != "." and (end == len(text) or text[end].isspace()):
                end -= 1  # the full stop ends the sentence, not "AD" (but "B.C." keeps its own)
            if any(start < other_end and other_start < end for other_start, other_end in taken):
                continue
            try:
                edtf = _edtf(kind, match, published)
                if edtf:
                    validate_edtf(edtf)
            except (ValueError, KeyError, ValidationError):  # an impossible day such as 31 February
                continue
            if edtf:
                taken.append((start, end))
                found.append(DateMention(edtf=edtf, text=text[start:end], start=start, end=end))
    found.sort(key=lambda mention: mention.start)
    return found
