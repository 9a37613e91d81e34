"""Small helpers that build record rows for tests: make_source(), make_incident()…"""

import itertools

from heritage.models import (
    Actor,
    Citation,
    ClaimStanding,
    ConditionAssessment,
    ConditionState,
    HistoryEvent,
    Incident,
    Source,
    Status,
    ThreatCategory,
)

_counter = itertools.count(1)

CONDITION_SCALE = ["good", "fair", "poor", "very-bad", "destroyed", "unknown"]


def make_condition(slug="poor"):
    state, _ = ConditionState.objects.get_or_create(
        slug=slug, defaults={"label": slug.replace("-", " ").capitalize(), "position": CONDITION_SCALE.index(slug)}
    )
    return state


def make_category(label="Deliberate destruction of heritage", code="9.2", parent_label="Other human activities"):
    parent, _ = ThreatCategory.objects.get_or_create(
        slug="other-human-activities", defaults={"label": parent_label, "code": code.split(".")[0]}
    )
    category, _ = ThreatCategory.objects.get_or_create(
        slug=label.lower().replace(" ", "-"), defaults={"label": label, "code": code, "parent": parent}
    )
    return category


def make_actor(label="Islamic State"):
    actor, _ = Actor.objects.get_or_create(slug=label.lower().replace(" ", "-"), defaults={"label": label})
    return actor


def make_source(title=None, *, status=Status.PUBLISHED, kind=Source.Kind.NEWS, **fields):
    number = next(_counter)
    title = title or f"Report {number}"
    fields.setdefault("published", "2015-08-31")
    return Source.objects.create(slug=f"source-{number}", title=title, kind=kind, status=status, **fields)


def _cite(fact, source):
    field = {HistoryEvent: "event", Incident: "incident", ConditionAssessment: "assessment"}[type(fact)]
    Citation.objects.create(source=source or make_source(), **{field: fact})


def make_event(sites=(), *, title=None, date="0032", kind=HistoryEvent.Kind.DEDICATION, status=Status.PUBLISHED,
               source=None, **fields):
    number = next(_counter)
    event = HistoryEvent.objects.create(
        slug=f"event-{number}", title=title or f"Event {number}", date=date, kind=kind, status=Status.DRAFT, **fields
    )
    event.sites.set(sites)
    if status == Status.PUBLISHED:
        _cite(event, source)
        event.publish()
    return event


def make_incident(sites=(), *, title=None, date="2015-08-30", category=None, status=Status.PUBLISHED,
                  claim=ClaimStanding.ALLEGED, source=None, **fields):
    number = next(_counter)
    incident = Incident.objects.create(
        slug=f"incident-{number}",
        title=title or f"Incident {number}",
        date=date,
        category=category or make_category(),
        claim=claim,
        status=Status.DRAFT,
        **fields,
    )
    incident.sites.set(sites)
    if status == Status.PUBLISHED:
        _cite(incident, source)
        incident.publish()
    return incident


def make_assessment(site, state="poor", *, date="2016-04-27", assessor="UNESCO", status=Status.PUBLISHED,
                    source=None, **fields):
    assessment = ConditionAssessment.objects.create(
        site=site, state=make_condition(state), date=date, assessor=assessor, status=Status.DRAFT, **fields
    )
    if status == Status.PUBLISHED:
        _cite(assessment, source)
        assessment.publish()
    return assessment
