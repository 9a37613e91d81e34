"""Title, publisher, author, date, language and main text of a report, from a saved page or pasted text.

report_from_html() reads the page's own metadata first (og:title, og:site_name,
article:published_time, author, <html lang>, the canonical link), then what trafilatura
finds in the page; report_from_text() reads a pasted article's headline, byline and
dateline. prefill() fills what is still blank from the publisher's Organisation record
(its name when only the address is known) and grades the report with the publisher's
default reliability. The intake form shows all of it for the editor to change.
"""

import re

import lxml.html
import trafilatura
from django.core.exceptions import ValidationError
from lxml.etree import ParserError

from heritage.intake.dates import find_dates
from heritage.intake.proposals import Report
from heritage.intake.text import ARABIC_LETTER
from heritage.models import Organisation
from sites.dates import validate_edtf

# Where pages state each field, most specific first (Open Graph, article, Dublin Core, schema.org).
META_KEYS = {
    "title": ("og:title", "twitter:title", "dc.title"),
    "publisher": ("og:site_name", "application-name", "publisher", "dc.publisher"),
    "authors": ("author", "article:author", "parsely-author", "dc.creator", "byl"),
    "published": ("article:published_time", "datepublished", "og:published_time", "pubdate", "publishdate",
                  "date", "dc.date", "dc.date.issued", "parsely-pub-date"),
}
ISO_DAY = re.compile(r"^\d{4}-\d\d-\d\d")
# A pasted article's byline ("By Jane Doe and John Roe for MailOnline") and dateline ("Published: 17:23 BST,
# 17 July 2015"), looked for near its top.
NAME = r"[A-Z][\w.'’-]+(?:\s+(?:[A-Z][\w.'’-]+|de|al|el|van|von|bin))*"
BYLINE = re.compile(
    rf"^\s*By\s+(?P<authors>{NAME}(?:\s*(?:,|\band\b|&)\s*{NAME})*)(?:\s*(?:,|\bfor\b|\bin\b)\s+(?P<publisher>.+?))?\s*$"
)
DATELINE = re.compile(r"^\s*(?:Published|Posted|Updated|Last updated|First published)\b", re.IGNORECASE)
HEAD_LINES = 15
HEADLINE_LIMIT = 300


class ExtractionError(ValueError):
    pass


def report_from_html(html, url=""):
    """A Report from the HTML of a saved article; raises ExtractionError when no article text is found."""
    if isinstance(html, bytes):
        html = html.decode("utf-8", errors="replace")
    document = trafilatura.bare_extraction(
        html, url=url or None, with_metadata=True, include_comments=False, include_tables=False
    )
    if document is None or not (document.text or "").strip():
        raise ExtractionError("No article text was found in this page.")
    meta = page_metadata(html)
    text = document.text
    title = meta.get("title") or (document.title or "").strip()
    # trafilatura repeats the headline as the first line of the text.
    for headline in dict.fromkeys((title, (document.title or "").strip())):
        if headline and text.startswith(headline):
            text = text[len(headline):].lstrip()
    published = meta.get("published") or (document.date or "")
    return Report(
        text=text,
        title=title,
        publisher=meta.get("publisher") or (document.sitename or document.hostname or "").strip(),
        authors=meta.get("authors") or (document.author or "").strip(),
        url=(url or meta.get("canonical") or document.url or "").strip(),
        published=published[:10] if ISO_DAY.match(published) else "",
        language=meta.get("language") or document.language or language_of(text),
        page_urls=meta.get("page_urls", []),
    )


def page_metadata(html):
    """What a page says of itself in its <head>: title, publisher, authors, publication day, language,
    and the addresses it gives itself (canonical link, og:url)."""
    try:
        tree = lxml.html.fromstring(html)
    except (ParserError, ValueError):
        return {}
    values = {}
    for element in tree.iter("meta"):
        key = (element.get("property") or element.get("name") or element.get("itemprop") or "").strip().lower()
        value = " ".join((element.get("content") or "").split())
        if key and value:
            values.setdefault(key, value)
    found = {}
    for field_name, keys in META_KEYS.items():
        value = next((values[key] for key in keys if values.get(key)), "")
        if field_name == "authors" and value.startswith(("http://", "https://")):
            value = ""  # article:author is often the author's profile page
        if value:
            found[field_name] = value
    root = tree.getroottree().getroot()
    language = (root.get("lang") or root.get("xml:lang") or "").strip()
    if language:
        found["language"] = language
    canonical = [href.strip() for href in tree.xpath("//link[@rel='canonical']/@href") if href.strip()]
    urls = [*canonical[:1], *([values["og:url"]] if values.get("og:url") else [])]
    if canonical:
        found["canonical"] = canonical[0]
    found["page_urls"] = list(dict.fromkeys(urls))
    return found


def report_from_text(text):
    """A Report from a pasted article: its first line as the title when it reads as a headline, the
    byline's authors (and the publisher it names), the dateline's day and the text's language."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    report = Report(text=text, language=language_of(text))
    if len(lines) > 1 and len(lines[0]) <= HEADLINE_LIMIT and not lines[0].endswith((".", ":")):
        report.title = lines[0]
    for line in lines[:HEAD_LINES]:
        byline = BYLINE.match(line)
        if byline and not report.authors:
            report.authors = "; ".join(
                name.strip() for name in re.split(r"\s*(?:,|\band\b|&)\s*", byline.group("authors")) if name.strip()
            )
            report.publisher = (byline.group("publisher") or "").strip()
        if DATELINE.match(line) and not report.published:
            days = [date.edtf for date in find_dates(line) if re.fullmatch(r"\d{4}-\d\d-\d\d", date.edtf)]
            report.published = days[0] if days else ""
    return report


def language_of(text):
    """"ar" when most of the text's letters are Arabic, else "en" (the intake's default)."""
    letters = [char for char in text if char.isalpha()]
    arabic = sum(1 for char in letters if ARABIC_LETTER.match(char))
    return "ar" if letters and arabic * 2 > len(letters) else "en"


def read_report(*, html=None, text="", url="", given=None, fallback=None):
    """The Report intake proposes from, read the same way by the intake form and ingest_reports.

    Read from a saved page (``html``, whose own metadata come first) or else from pasted ``text``; the
    non-blank fields ``given`` (what the editor typed) put over what the document says, the ``fallback``
    ones (the command's --publisher, --published) fill only what it leaves blank; a publication date
    that is not EDTF is dropped; then prefill() from the publisher's record. Raises ExtractionError for
    a page without article text, or for blank text.
    """
    if html is None and not text.strip():
        raise ExtractionError("The report has no text.")
    report = report_from_html(html, url=url) if html is not None else report_from_text(text)
    for name, value in (given or {}).items():
        if value:
            setattr(report, name, value)
    for name, value in (fallback or {}).items():
        if value and not getattr(report, name):
            setattr(report, name, value)
    if report.published:
        try:
            validate_edtf(report.published)
        except ValidationError:
            report.published = ""
    prefill(report)
    return report


def prefill(report):
    """Fill the report's publisher and grading from the publisher's Organisation record, when recorded.

    The publisher is found by name, else by the domain of the report's address; a report whose
    publisher has no record keeps what it has. Returns the organisation, or None.
    """
    organisation = Organisation.objects.named(report.publisher).first() if report.publisher else None
    if organisation is None and report.url:
        organisation = Organisation.objects.for_url(report.url).first()
    if organisation is None:
        return None
    if not report.publisher:
        report.publisher = organisation.name
    report.reliability = organisation.reliability
    return organisation
