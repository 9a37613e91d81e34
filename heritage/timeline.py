"""A site's timeline: its history events, incidents and condition assessments in true order, each happening once."""

from dataclasses import dataclass, field

from django.utils.translation import gettext

KIND_ORDER = {"event": 0, "incident": 1, "assessment": 2}

# The kinds of history event that an incident can record too: what was done to a site, not its founding,
# building, study or listing. The curated record writes the Temple of Bel's destruction both ways.
RECORDED_AS_INCIDENTS = {"damage", "destruction", "capture", "recapture", "conflict", "conquest", "event"}


@dataclass
class Entry:
    """One dated happening on a timeline; ``kind`` is "event", "incident" or "assessment".

    An event entry lists in ``incidents`` the incidents that record the same happening.
    """

    kind: str
    fact: object
    incidents: list = field(default_factory=list)

    @property
    def sort_key(self):
        # Undated facts go last; equal dates keep history before incidents before assessments.
        earliest, latest = self.fact.date_earliest, self.fact.date_latest
        return (earliest is None, earliest or 0, latest or 0, KIND_ORDER[self.kind])

    @property
    def title(self):
        if self.kind == "assessment":
            return gettext("Condition assessed as %(state)s by %(assessor)s") % {
                "state": self.fact.state.localized_label, "assessor": self.fact.assessor,
            }
        return self.fact.title

    @property
    def anchor(self):
        """The entry's id in the page, so that a link can point at it."""
        key = self.fact.pk if self.kind == "assessment" else self.fact.slug
        return f"{self.kind}-{key}"


def same_happening(event, incident):
    """True when a history event and an incident tell of one happening: an event of a kind incidents
    record, the same date as written (EDTF), and a site in common. Both need their ``sites`` prefetched."""
    if event.kind not in RECORDED_AS_INCIDENTS or not event.date or event.date != incident.date:
        return False
    return not {site.pk for site in event.sites.all()}.isdisjoint(site.pk for site in incident.sites.all())


def merge(events=(), incidents=(), assessments=()):
    """Entries for the given facts, oldest first, by the earliest then latest day they can mean.

    An incident that records the same happening as a history event is not an entry of its own: it is
    linked from the event's entry, so the Temple of Bel's destruction shows once on Palmyra's page.
    """
    events = [Entry("event", fact) for fact in events]
    entries = list(events)
    for incident in incidents:
        recording = [entry for entry in events if same_happening(entry.fact, incident)]
        for entry in recording:
            entry.incidents.append(incident)
        if not recording:
            entries.append(Entry("incident", incident))
    entries += [Entry("assessment", fact) for fact in assessments]
    return sorted(entries, key=lambda entry: entry.sort_key)
