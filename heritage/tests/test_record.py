import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from heritage.models import Citation, ClaimStanding, HistoryEvent, Incident, Source, Status
from heritage.tests.factories import make_assessment, make_event, make_incident, make_source
from sites.tests.factories import make_site


def test_a_published_fact_must_cite_a_source(db):
    incident = make_incident([make_site("Temple of Bel")], status=Status.DRAFT)

    with pytest.raises(ValidationError, match="must cite at least one source"):
        incident.publish()

    incident.refresh_from_db()
    assert incident.status == Status.DRAFT


@pytest.mark.parametrize("make_fact", [make_event, make_incident])
def test_a_cited_fact_can_be_published(db, make_fact):
    fact = make_fact([make_site("Temple of Bel")], status=Status.DRAFT)
    Citation.objects.create(source=make_source(), **{"event" if isinstance(fact, HistoryEvent) else "incident": fact})

    fact.publish()

    fact.refresh_from_db()
    assert fact.status == Status.PUBLISHED
    assert fact.published_at is not None


def test_an_uncited_assessment_cannot_be_published(db):
    assessment = make_assessment(make_site("Temple of Bel"), status=Status.DRAFT)
    with pytest.raises(ValidationError, match="condition assessment must cite"):
        assessment.publish()


def test_a_citation_cites_exactly_one_fact(db):
    source = make_source()
    with pytest.raises(IntegrityError), transaction.atomic():
        Citation.objects.create(source=source)
    event, incident = make_event(), make_incident()
    with pytest.raises(IntegrityError), transaction.atomic():
        Citation.objects.create(source=source, event=event, incident=incident)


def test_readers_see_only_published_facts(db, alice, charlie):
    site = make_site("Temple of Bel")
    published = make_incident([site])
    draft = make_incident([site], status=Status.DRAFT)

    assert list(Incident.objects.published()) == [published]
    assert set(Incident.objects.visible_to(charlie)) == {published}
    assert set(Incident.objects.visible_to(alice)) == {published, draft}


def test_history_events_sort_in_true_order_across_bc_and_ad(db):
    palmyra = make_site("Site of Palmyra")
    for date in ["2015-08-30", "0032", "-0040", "0140~/0160~", "-1899~/-1700~", "0273"]:
        make_event([palmyra], date=date)

    dates = [event.date_display for event in palmyra.events.chronological()]

    assert dates == ["c. 1900–1701 BC", "41 BC", "AD 32", "c. AD 140–160", "AD 273", "30 August 2015"]


def test_between_finds_facts_that_may_fall_in_a_range(db):
    from sites.dates import bounds

    site = make_site("Theatre")
    spanning = make_incident([site], date="2016-12-11/2017-01-10")
    make_incident([site], date="2015-08-30")

    start, _ = bounds("2017-01-01")
    assert list(Incident.objects.between(start=start)) == [spanning]


def test_an_invalid_date_is_rejected_with_the_edtf_help(db):
    event = make_event([make_site("Temple of Bel")])
    event.date = "32 AD"
    with pytest.raises(ValidationError) as error:
        event.full_clean()
    assert "is not a valid EDTF date" in error.value.message_dict["date"][0]


def test_a_source_url_is_unique_when_set(db):
    make_source(url="https://example.org/report")
    make_source(url="")
    make_source(url="")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_source(url="https://example.org/report")


def test_a_source_carries_its_admiralty_grading_and_what_it_relies_on(db):
    sohr = make_source("Video of an execution", publisher="Syrian Observatory for Human Rights", kind=Source.Kind.MONITORING)
    article = make_source(
        "Child executioner", publisher="Daily Mail", reliability=Source.Reliability.C,
        credibility=Source.Credibility.POSSIBLY_TRUE, graphic=True, published="2015-07-17",
    )
    article.relies_on.add(sohr)

    assert article.grading == "C3"
    assert article.published_display == "17 July 2015"
    assert list(sohr.relied_on_by.all()) == [article]


def test_confirming_an_incident_marks_its_claim_confirmed(db):
    incident = make_incident([make_site("Temple of Bel")])
    incident.confirm()
    incident.refresh_from_db()
    assert incident.claim == ClaimStanding.CONFIRMED
    assert list(Incident.objects.standing()) == [incident]


def test_the_audit_trail_records_an_edit_and_can_revert_it(db, alice):
    incident = make_incident([make_site("Temple of Bel")], title="Temple blown up")
    incident._history_user = alice
    incident.title = "Temple of Bel blown up"
    incident.save()

    latest, previous = incident.history.all()[:2]
    assert latest.history_user == alice
    delta = latest.diff_against(previous)
    assert [(change.field, change.old, change.new) for change in delta.changes] == [
        ("title", "Temple blown up", "Temple of Bel blown up")
    ]

    previous.instance.save()
    incident.refresh_from_db()
    assert incident.title == "Temple blown up"
    assert incident.history.first().title == "Temple blown up"


def test_the_audit_trail_records_which_sites_an_incident_concerns(db):
    bel, baalshamin = make_site("Temple of Bel"), make_site("Temple of Baalshamin")
    incident = make_incident([bel])
    incident.sites.add(baalshamin)

    latest = incident.history.first()
    assert {row.site_id for row in latest.sites.all()} == {bel.pk, baalshamin.pk}
