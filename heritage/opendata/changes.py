"""What changed in the published record since a moment: for mirrors that keep a copy in step.

Each record readers can fetch (a site, source, history event, incident or condition assessment)
that changed after the moment is listed once, with when it last changed and whether it is now
``updated`` (fetch it again) or ``deleted`` (drop it: deleted, or taken back to draft). The audit
trail (django-simple-history) is the ledger: a change to a site's names, identifiers or
designations changes the site, a change to a citation its fact, to a quotation its source. Records
that were never published are never listed, nor are changes to drafts.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Max
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from heritage.models import Citation, ConditionAssessment, HistoryEvent, Incident, Quotation, Release, Source, Status
from sites.models import Designation, Identifier, Site, SiteName


@dataclass(frozen=True, order=True)
class Change:
    at: datetime.datetime
    type: str
    id: str
    change: str  # "updated" or "deleted"


@dataclass(frozen=True)
class Kind:
    """One kind of record mirrors fetch: its model, the history of its parts (model, link to it), how its
    id reads, and the API view of one."""

    type: str
    model: type
    parts: tuple
    key_field: str = "slug"
    view: str = ""

    @property
    def publishable(self):
        return hasattr(self.model, "status")

    def present(self, pks):
        """{pk: id} of these records that readers can fetch now."""
        rows = self.model._default_manager.filter(pk__in=pks)
        if self.publishable:
            rows = rows.published()
        return {pk: str(key) for pk, key in rows.values_list("pk", self.key_field)}

    def gone(self, pks):
        """{pk: id} of these absent records that readers could once fetch (as their last version had it)."""
        history = self.model.history.model.objects.filter(id__in=pks)
        if self.publishable:
            history = history.filter(id__in=history.filter(status=Status.PUBLISHED).values("id"))
        found = {}
        for pk, key in history.order_by("id", "-history_date", "-history_id").values_list("id", self.key_field):
            found.setdefault(pk, str(key))
        return found


KINDS = [
    Kind("site", Site, ((SiteName, "site_id"), (Identifier, "site_id"), (Designation, "site_id")),
         view="api:site-detail"),
    Kind("source", Source, ((Quotation, "source_id"),), view="api:source-detail"),
    Kind("event", HistoryEvent, ((Citation, "event_id"),), view="api:event-detail"),
    Kind("incident", Incident, ((Citation, "incident_id"),), view="api:incident-detail"),
    Kind("assessment", ConditionAssessment, ((Citation, "assessment_id"),), key_field="id",
         view="api:assessment-detail"),
]


def _latest_changes(model, link, since):
    """{pk of the record: its latest change after ``since``} from the history of a model (or of its parts)."""
    rows = (
        model.history.model.objects.filter(history_date__gt=since)
        .exclude(**{f"{link}__isnull": True})
        .values(link)
        .annotate(last=Max("history_date"))
        .order_by()
    )
    return {row[link]: row["last"] for row in rows}


def changes_since(since):
    """The records readers can fetch, or could and no longer can, that changed after ``since``, oldest
    change first (ties by type and id). A fixed number of queries whatever the number of changes."""
    changes = []
    for kind in KINDS:
        latest = _latest_changes(kind.model, "id", since)
        for model, link in kind.parts:
            for pk, at in _latest_changes(model, link, since).items():
                latest[pk] = max(at, latest.get(pk, at))
        if not latest:
            continue
        present = kind.present(latest)
        gone = kind.gone(set(latest) - set(present))
        changes += [Change(latest[pk], kind.type, key, "updated") for pk, key in present.items()]
        changes += [Change(latest[pk], kind.type, key, "deleted") for pk, key in gone.items()]
    return sorted(changes)


def moment_named(text):
    """The moment a mirror gives as ``since``: a release's version (when it read the record), or an ISO 8601
    date-time (UTC unless it says) or date (midnight UTC). ValueError, with a message, for anything else."""
    if "\x00" in text:
        raise ValueError("since must not contain NUL characters.")
    if not text:
        raise ValueError("Give since: a date-time such as 2026-11-30T12:00:00Z, or a release version such as 2026.12.01.")
    release = Release.objects.filter(version=text).first()
    if release is not None:
        return release.record_as_of
    try:
        moment = parse_datetime(text)
        day = parse_date(text) if moment is None and len(text) == 10 else None
    except ValueError:  # well formed but impossible: 2026-02-30
        moment = day = None
    if moment is None and day is not None:
        moment = datetime.datetime.combine(day, datetime.time())
    if moment is None:
        raise ValueError(f"“{text}” is neither an ISO 8601 date-time nor a release version.")
    moment = moment if timezone.is_aware(moment) else timezone.make_aware(moment, datetime.UTC)
    try:
        return moment.astimezone(datetime.UTC)
    except OverflowError:  # 0001-01-01T00:00:00+14:00 is before the year 1 in UTC
        raise ValueError(f"“{text}” is outside the years 1 to 9999 in UTC.") from None
