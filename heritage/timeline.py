"""A site's timeline: its history events, incidents and condition assessments in true order."""

from dataclasses import dataclass

KIND_ORDER = {"event": 0, "incident": 1, "assessment": 2}


@dataclass
class Entry:
    """One dated fact on a timeline; ``kind`` is "event", "incident" or "assessment"."""

    kind: str
    fact: object

    @property
    def sort_key(self):
        # Undated facts go last; equal dates keep history before incidents before assessments.
        earliest, latest = self.fact.date_earliest, self.fact.date_latest
        return (earliest is None, earliest or 0, latest or 0, KIND_ORDER[self.kind])

    @property
    def title(self):
        if self.kind == "assessment":
            return f"Condition assessed as {self.fact.state.label} by {self.fact.assessor}"
        return self.fact.title


def merge(events=(), incidents=(), assessments=()):
    """Entries for the given facts, oldest first, by the earliest then latest day they can mean."""
    entries = (
        [Entry("event", fact) for fact in events]
        + [Entry("incident", fact) for fact in incidents]
        + [Entry("assessment", fact) for fact in assessments]
    )
    return sorted(entries, key=lambda entry: entry.sort_key)
