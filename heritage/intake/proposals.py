"""What the app proposes for a report, and the drafts it saves once an editor has confirmed.

propose() reads a report and returns the sites it mentions (with the
sentences), a threat category per site from the keyword rules, and the dates
mentioned. Nothing is written until save_drafts(), which creates in one
transaction a draft Source and, per confirmed site, a draft Incident citing
the source with the sentence as quote, then files the source in its story.
"""

import datetime
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify

from heritage.intake.dates import find_dates
from heritage.intake.keywords import keyword_rules
from heritage.intake.linking import link_sites
from heritage.intake.text import Sentences
from heritage.models import Citation, Incident, RiskProfile, Source, Status, Story
from sites.dates import bounds, date_from_day_number

QUOTE_LIMIT = 500
# Words that make a report graphic: pages hide graphic sources behind a warning.
GRAPHIC = re.compile(
    r"\b(behead\w*|decapitat\w*|execut(?:ed|ion|ions|ioners?)|corpses?|bodies|graphic content)\b", re.IGNORECASE
)


@dataclass
class Report:
    """A news report as pasted or extracted from saved HTML, before anything is saved."""

    text: str
    title: str = ""
    publisher: str = ""
    authors: str = ""
    url: str = ""
    published: str = ""  # EDTF
    language: str = "en"
    kind: str = Source.Kind.NEWS

    @property
    def published_date(self):
        """The publication day as a date, when it is known to the day (for "in May", "yesterday")."""
        if not self.published:
            return None
        try:
            earliest, latest = bounds(self.published)
        except ValidationError:
            return None
        if earliest is None or latest is None:
            return None
        if earliest == latest:
            return date_from_day_number(earliest)
        # A month or a year: "in May" still needs the year, and the last day keeps month logic right.
        return date_from_day_number(latest)

    @property
    def published_day_known(self):
        try:
            earliest, latest = bounds(self.published)
        except ValidationError:
            return False
        return earliest is not None and earliest == latest


@dataclass
class SiteProposal:
    site: object
    sentence: str
    sentences: list
    category: object = None
    categories: list = field(default_factory=list)
    date: str = ""
    dates: list = field(default_factory=list)
    variant: bool = False


@dataclass
class Proposal:
    report: Report
    sites: list
    categories: list
    dates: list
    graphic: bool = False

    @property
    def distinct_dates(self):
        """Each date once, as first written."""
        return list({date.edtf: date for date in reversed(self.dates)}.values())[::-1]


def propose(report):
    text = report.text
    sentences = Sentences(text)
    categories = keyword_rules().categorise(text, sentences)
    dates = find_dates(text, report.published_date, day_known=report.published_day_known)
    proposals = []
    for mention in link_sites(text):
        indexes = {item.sentence_index for item in mention.mentions}
        near = [hit for hit in categories if hit.sentence_indexes & indexes]
        ranked = near or categories
        site_dates = [date for date in dates if sentences.index_at(date.start) in indexes]
        proposals.append(
            SiteProposal(
                site=mention.site,
                sentence=mention.sentence,
                sentences=mention.sentences,
                category=ranked[0].category if ranked else None,
                categories=[hit.category for hit in ranked],
                date=_best_date(site_dates) or report.published,
                dates=site_dates,
                variant=mention.is_variant,
            )
        )
    graphic = bool(GRAPHIC.search(text))
    return Proposal(report=report, sites=proposals, categories=categories, dates=dates, graphic=graphic)


def _best_date(dates):
    """The first modern date in a site's sentences: ancient ones ("dedicated in AD 32") date the
    monument, not what happened to it."""
    return next((date.edtf for date in dates if re.fullmatch(r"(19|20)\d\d(-\d\d){0,2}", date.edtf)), "")


@dataclass
class ConfirmedSite:
    site: object
    category: object
    date: str
    quote: str


def _unique_slug(model, text, limit):
    base = slugify(text)[: limit - 12].strip("-") or "report"
    slug, number = base, 2
    while model.objects.filter(slug=slug).exists():
        slug, number = f"{base}-{number}", number + 1
    return slug


@transaction.atomic
def save_drafts(report, confirmed, *, graphic=False, relies_on=(), at=None):
    """Create the draft source and one draft incident per confirmed site; return the source."""
    if report.url and Source.objects.filter(url=report.url).exists():
        raise ValidationError({"url": f"A source with the URL {report.url} is already recorded."})
    at = at or datetime.date.today()
    source = Source(
        slug=_unique_slug(Source, f"{report.publisher} {report.title}", 160),
        kind=report.kind,
        title=report.title[:500] or f"Report of {at.isoformat()}",
        publisher=report.publisher[:255],
        authors=report.authors[:500],
        url=report.url,
        published=report.published,
        language=report.language or "en",
        graphic=graphic,
        status=Status.DRAFT,
    )
    source.full_clean(exclude=["story"])
    source.save()
    source.relies_on.set(relies_on)
    for item in confirmed:
        incident = Incident(
            slug=_unique_slug(Incident, f"{item.site.slug} {item.category.slug} {item.date}", 160),
            title=f"{item.site.name}: {item.category.label}"[:300],
            date=item.date,
            category=item.category,
            status=Status.DRAFT,
        )
        incident.full_clean(exclude=["sites"])
        incident.save()
        incident.sites.add(item.site)
        Citation.objects.create(source=source, incident=incident, quote=item.quote[:QUOTE_LIMIT])
    Story.assign(source)
    RiskProfile.objects.record_changed({item.site.pk for item in confirmed})
    return source
