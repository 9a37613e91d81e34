"""What the app proposes for a report, and the drafts it saves once an editor has confirmed.

propose() reads a report and returns the sites it mentions (with the
sentences), the part each plays (roles.py: affected by the report's event, or
only mentioned), a threat category per site from the keyword rules, the dates
mentioned, and the incidents already recorded that the report may be telling
again (Incident.objects.matching). Nothing is written until save_drafts(),
which creates in one transaction a draft Source and, per confirmed site, either
a citation of the incident already recorded or a draft Incident citing the
source with the sentence as quote, then files the source in its story.
"""

import datetime
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction

from heritage.intake.attribution import attribute
from heritage.intake.dates import find_dates
from heritage.intake.keywords import keyword_rules
from heritage.intake.linking import link_sites
from heritage.intake.roles import AFFECTED, EVENT, assign_roles, with_article_off
from heritage.intake.text import Sentences, tokenize
from heritage.models import (
    QUOTE_LIMIT,
    Citation,
    Incident,
    RiskProfile,
    Source,
    Status,
    Story,
    profiled_site_pks,
    unique_slug,
)
from sites.dates import bounds, date_from_day_number

MATCHES_SHOWN = 5  # incidents already recorded offered per site
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
    reliability: str = Source.Reliability.F  # the publisher's default (Organisation), or the editor's
    page_urls: list = field(default_factory=list)  # the addresses a saved page gives itself (canonical, og:url)

    def same_documents(self):
        """Sources already recorded that are this report under another address or copy."""
        return Source.objects.same_document(
            urls=[self.url, *self.page_urls], title=self.title, sentences=list(Sentences(self.text))
        )

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
    role: str = AFFECTED
    reason: str = ""
    recalled: list = field(default_factory=list)  # roles.RecalledEvent: earlier events told at the site
    matches: list = field(default_factory=list)  # incidents already recorded this report may tell again

    @property
    def is_affected(self):
        return self.role == AFFECTED

    @property
    def match(self):
        """The incident to cite by default, for an affected site or a recalled event: the closest match
        at the site itself. One at a part or a whole of it (Incident.objects.matching lists them after)
        is only offered: "the Temple of Bel destroyed" is not by default the recorded seizure of Palmyra."""
        return next((incident for incident in self.matches if incident.at_site), None)


@dataclass
class Proposal:
    report: Report
    sites: list
    categories: list
    dates: list
    graphic: bool = False
    attributions: list = field(default_factory=list)  # attribution.Attribution: whom the report credits

    @property
    def distinct_dates(self):
        """Each date once, as first written."""
        return list({date.edtf: date for date in reversed(self.dates)}.values())[::-1]


def propose(report):
    text = report.text
    sentences = Sentences(text)
    rules = keyword_rules()
    categories = rules.categorise(text, sentences)
    dates = find_dates(text, report.published_date, day_known=report.published_day_known)
    mentions = link_sites(text)
    threats = {}
    for hit in categories:
        for index in hit.sentence_indexes:
            threats.setdefault(index, set()).add(hit.category.pk)
    roles = assign_roles(mentions, text, sentences, dates, report.published_date, threats,
                         day_known=report.published_day_known)
    proposals = []
    for mention in mentions:
        role = roles[mention.site.pk]
        indexes = {item.sentence_index for item in mention.mentions}
        told = {role.sentence_index}
        near = [hit for hit in categories if hit.sentence_indexes & told] or [
            hit for hit in categories if hit.sentence_indexes & indexes
        ]
        telling = _told_categories(rules, role.sentence)
        near.sort(key=lambda hit: hit.category.pk not in telling)  # stable: by score within each
        ranked = near or (categories if role.role == AFFECTED else [])
        site_dates = [date for date in dates if sentences.index_at(date.start) in indexes]
        told_dates = [date for date in site_dates if sentences.index_at(date.start) in told]
        if role.role == AFFECTED:
            date = _best_date(told_dates) or report.published
        else:
            date = next((event.date for event in role.recalled if event.date), "") or _best_date(site_dates)
        category = ranked[0].category if ranked else None
        proposals.append(
            SiteProposal(
                site=mention.site,
                sentence=role.sentence,
                sentences=mention.sentences,
                category=category,
                categories=[hit.category for hit in ranked],
                date=date,
                dates=site_dates,
                variant=mention.is_variant,
                role=role.role,
                reason=role.reason,
                recalled=role.recalled,
                matches=_matches(mention.site, category, date) if role.role == AFFECTED or role.recalled else [],
            )
        )
    graphic = bool(GRAPHIC.search(text))
    attributions = attribute(report, site_pks={item.site.pk for item in proposals if item.is_affected})
    return Proposal(
        report=report, sites=proposals, categories=categories, dates=dates, graphic=graphic, attributions=attributions
    )


def _told_categories(rules, sentence):
    """Pks of the categories whose keywords are the sentence's event words: in "militants bulldozed the
    site" the threat is what "bulldozed" tells (destruction), not what "militants" names (terrorism)."""
    forms = [with_article_off(token.forms) for token in tokenize(sentence)]
    events = [(start, end) for start, end, _phrases in EVENT.scan(forms)]
    return {
        category_pk
        for start, end, payloads in rules.index.scan(forms)
        if any(start < event_end and event_start < end for event_start, event_end in events)
        for category_pk, _phrase in payloads
    }


def _matches(site, category, date):
    """Incidents already recorded that a proposal may be telling again (Incident.objects.matching)."""
    try:
        earliest, latest = bounds(date)
    except ValidationError:
        return []
    if earliest is None and latest is None:
        return []
    return list(Incident.objects.matching(site, category, earliest, latest).select_related("category")[:MATCHES_SHOWN])


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
    incident: object = None  # an incident already recorded: cite the report for it instead of a new one


@transaction.atomic
def save_drafts(report, confirmed, *, graphic=False, relies_on=(), claims_of=(), at=None):
    """Create the draft source and, per confirmed site, a citation of the incident already recorded
    that it chose or else one draft incident citing it; return the source.

    The source relies on ``relies_on`` (sources) and on a new draft source for the claim of each
    organisation in ``claims_of`` that the report credits (Organisation.claim_cited_by())."""
    recorded = report.same_documents().first()
    if recorded is not None:
        raise ValidationError({"url": already_recorded_message(recorded)})
    at = at or datetime.date.today()
    source = Source(
        slug=unique_slug(Source, f"{report.publisher} {report.title}"),
        kind=report.kind,
        title=report.title[:500] or f"Report of {at.isoformat()}",
        publisher=report.publisher[:255],
        authors=report.authors[:500],
        url=report.url,
        published=report.published,
        language=report.language or "en",
        graphic=graphic,
        reliability=report.reliability,
        status=Status.DRAFT,
    )
    source.full_clean(exclude=["story"])
    source.save()
    source.relies_on.set([*relies_on, *(organisation.claim_cited_by(source) for organisation in claims_of)])
    touched = set()
    for item in confirmed:
        if item.incident is not None:
            Citation.objects.create(source=source, incident=item.incident, quote=item.quote[:QUOTE_LIMIT])
            touched |= profiled_site_pks(item.incident)
            continue
        incident = Incident(
            slug=unique_slug(Incident, f"{item.site.slug} {item.category.slug} {item.date}"),
            title=f"{item.site.name}: {item.category.label}"[:300],
            date=item.date,
            category=item.category,
            status=Status.DRAFT,
        )
        incident.full_clean(exclude=["sites"])
        incident.save()
        incident.sites.add(item.site)
        Citation.objects.create(source=source, incident=incident, quote=item.quote[:QUOTE_LIMIT])
        touched.add(item.site.pk)
    Story.assign(source)
    RiskProfile.objects.record_changed(touched)
    return source


def already_recorded_message(source):
    """What the form and the command say of a report already recorded as ``source``."""
    return f"This report is already recorded as the source “{source}” ({source.slug})."
