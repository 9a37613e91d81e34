"""Publication is an invariant of the record: a published fact cites at least one published source.

Every path that publishes a fact (the model, the admin form and action, the API, the spreadsheet
import) asks the same rule; taking a source back to draft takes with it the facts it alone supported;
and no surface names a draft source to a reader.
"""

import csv
import io

import pytest
import tablib
from django.core.exceptions import ValidationError
from django.db.models import ProtectedError

from heritage.models import Citation, ConditionAssessment, HistoryEvent, Incident, Source, Status, Story
from heritage.resources import IncidentResource, SourceResource
from heritage.tests.factories import (
    make_assessment,
    make_category,
    make_condition,
    make_event,
    make_incident,
    make_source,
)
from sites.tests.admin_forms import admin_url, form_data, messages_of, post_action
from sites.tests.factories import make_site

pytestmark = pytest.mark.django_db

DRAFT_ONLY = (
    "A published incident must cite at least one published source; “Unverified claim” is still a draft. "
    "Publish the source first, or keep the incident as a draft."
)


@pytest.fixture
def bel():
    return make_site("Temple of Bel", slug="temple-of-bel")


@pytest.fixture
def unverified():
    return make_source("Unverified claim", status=Status.DRAFT)


def draft_citing(source, sites, **fields):
    """A draft incident whose only citation is of the source."""
    incident = make_incident(sites, status=Status.DRAFT, **fields)
    Citation.objects.create(source=source, incident=incident)
    return incident


def status_of(record):
    return type(record).objects.values_list("status", flat=True).get(pk=record.pk)


# The rule, on the model ---------------------------------------------------------------------


def test_a_fact_whose_only_source_is_a_draft_cannot_be_published(bel, unverified):
    incident = draft_citing(unverified, [bel])

    with pytest.raises(ValidationError) as refused:
        incident.publish()

    assert refused.value.messages == [DRAFT_ONLY]
    assert incident.status == Status.DRAFT
    assert status_of(incident) == Status.DRAFT


def test_a_fact_citing_a_published_source_besides_a_draft_can_be_published(bel, unverified):
    incident = draft_citing(unverified, [bel])
    Citation.objects.create(source=make_source(), incident=incident)

    incident.publish()

    assert status_of(incident) == Status.PUBLISHED


def test_publishable_facts_are_those_citing_at_least_one_published_source(bel, unverified):
    on_draft = draft_citing(unverified, [bel])
    uncited = make_incident([bel], status=Status.DRAFT)
    cited = make_incident([bel], status=Status.DRAFT)
    Citation.objects.create(source=make_source(), incident=cited)
    event = make_event([bel], status=Status.DRAFT)
    Citation.objects.create(source=unverified, event=event)

    assert list(Incident.objects.publishable()) == [cited]
    assert on_draft not in Incident.objects.publishable() and uncited not in Incident.objects.publishable()
    assert not HistoryEvent.objects.publishable().exists()


def test_publishing_a_selection_publishes_the_publishable_and_returns_the_refused(bel, unverified):
    cited = make_incident([bel], status=Status.DRAFT)
    Citation.objects.create(source=make_source(), incident=cited)
    on_draft = draft_citing(unverified, [bel])

    published, refused = Incident.objects.filter(pk__in=[cited.pk, on_draft.pk]).publish()

    assert published == [cited]
    assert [(record, error.messages) for record, error in refused] == [(on_draft, [DRAFT_ONLY])]
    assert (status_of(cited), status_of(on_draft)) == (Status.PUBLISHED, Status.DRAFT)
    bel.risk_profile.refresh_from_db()
    assert bel.risk_profile.standing_incidents == 1


def test_a_bulk_update_cannot_publish_facts_and_points_to_publish(bel, unverified):
    incident = draft_citing(unverified, [bel])

    with pytest.raises(ValueError, match=r"published with \.publish\(\)"):
        Incident.objects.update(status=Status.PUBLISHED)
    with pytest.raises(ValueError, match=r"published with \.publish\(\)"):
        HistoryEvent.objects.all().update(status=Status.PUBLISHED)

    assert status_of(incident) == Status.DRAFT
    assert ConditionAssessment.objects.update(status=Status.DRAFT) == 0  # back to draft in bulk is harmless


def test_a_bulk_update_cannot_take_sources_back_to_draft_and_points_to_withdraw(bel):
    source = make_source()
    make_incident([bel], source=source)

    with pytest.raises(ValueError, match=r"\.withdraw\(\)"):
        Source.objects.filter(pk=source.pk).update(status=Status.DRAFT)

    assert status_of(source) == Status.PUBLISHED


# The rule, on every path that publishes --------------------------------------------------------


UNCITED = "A published incident must cite at least one source. Add a citation, or keep it as a draft."


def test_the_admin_publish_action_publishes_cited_facts_and_reports_the_uncited(editor, bel):
    cited = make_incident([bel], title="Theatre used for executions", status=Status.DRAFT)
    Citation.objects.create(source=make_source(), incident=cited)
    uncited = make_incident([bel], title="Uncited report", status=Status.DRAFT)

    response = post_action(editor, Incident, "publish_selected", [cited, uncited])

    cited.refresh_from_db()
    uncited.refresh_from_db()
    assert cited.status == Status.PUBLISHED
    assert uncited.status == Status.DRAFT
    assert messages_of(response) == [f"“{uncited}” was not published: {UNCITED}", "Published 1 incident."]


def test_the_admin_publish_action_refuses_an_incident_whose_only_source_is_a_draft(editor, bel, unverified):
    on_draft = draft_citing(unverified, [bel])

    response = post_action(editor, Incident, "publish_selected", [on_draft])

    assert messages_of(response) == [f"“{on_draft}” was not published: {DRAFT_ONLY}"]
    assert status_of(on_draft) == Status.DRAFT


def incident_form(client, site, **changes):
    fields = {
        "title": "Temple of Bel blown up", "slug": "temple-of-bel-blown-up", "date": "2015-08-30",
        "sites": [site.pk], "category": make_category().pk, "claim": "alleged", "status": Status.PUBLISHED,
    }
    return form_data(client.get(admin_url(Incident, "add")), **{**fields, **changes})


def test_the_admin_form_refuses_to_publish_an_incident_without_a_citation_and_saves_nothing(editor, bel):
    response = editor.post(admin_url(Incident, "add"), incident_form(editor, bel))

    assert response.status_code == 200
    assert UNCITED in response.text
    assert not Incident.objects.exists()


def test_the_admin_form_refuses_to_publish_an_event_or_an_assessment_without_a_citation_too(editor, bel):
    event = {"title": "Temple of Bel dedicated", "slug": "bel-dedicated", "kind": "dedication", "date": "0032",
             "sites": [bel.pk], "status": Status.PUBLISHED}
    assessment = {"site": bel.pk, "date": "2016-04-27", "state": make_condition("destroyed").pk,
                  "assessor": "UNESCO", "status": Status.PUBLISHED}

    for model, fields in [(HistoryEvent, event), (ConditionAssessment, assessment)]:
        form = form_data(editor.get(admin_url(model, "add")), **fields)
        response = editor.post(admin_url(model, "add"), form)

        assert f"A published {model._meta.verbose_name} must cite at least one source." in response.text
        assert not model.objects.exists()


def test_the_admin_form_saves_a_draft_incident_without_a_citation(editor, bel):
    response = editor.post(admin_url(Incident, "add"), incident_form(editor, bel, status=Status.DRAFT))

    assert response.status_code == 302
    assert Incident.objects.get().status == Status.DRAFT


def test_the_admin_form_refuses_to_publish_an_incident_citing_only_a_draft_in_its_inline(editor, bel, unverified):
    response = editor.post(
        admin_url(Incident, "add"), incident_form(editor, bel, **{"citations-0-source": unverified.pk})
    )

    assert response.status_code == 200
    assert DRAFT_ONLY in response.text
    assert not Incident.objects.exists() and not Citation.objects.exists()


def test_the_admin_form_publishes_an_incident_with_a_published_source_added_in_the_same_form(editor, alice, bel):
    source = make_source("Satellite imagery of the Temple of Bel", kind=Source.Kind.IMAGERY, publisher="UNOSAT")

    response = editor.post(admin_url(Incident, "add"), incident_form(editor, bel, **{"citations-0-source": source.pk}))

    assert response.status_code == 302
    incident = Incident.objects.get()
    assert incident.status == Status.PUBLISHED
    assert [citation.source for citation in incident.citations.all()] == [source]
    assert incident.history.latest().history_user == alice


def test_removing_the_only_citation_of_a_published_incident_in_its_form_is_refused(client, bob, bel):
    client.force_login(bob)
    incident = make_incident([bel])
    page = client.get(admin_url(Incident, "change", incident.pk))

    response = client.post(admin_url(Incident, "change", incident.pk), form_data(page, **{"citations-0-DELETE": "on"}))

    assert response.status_code == 200
    assert "A published incident must cite at least one source." in response.text
    assert incident.citations.count() == 1


def test_the_only_citation_of_a_published_fact_cannot_be_deleted_or_moved(client, bob, bel):
    client.force_login(bob)
    incident, other = make_incident([bel]), make_incident([bel])
    citation = incident.citations.get()

    assert client.get(admin_url(Citation, "delete", citation.pk)).status_code == 403
    page = client.get(admin_url(Citation, "change", citation.pk))
    response = client.post(admin_url(Citation, "change", citation.pk), form_data(page, incident=other.pk))
    assert f"“{incident}” would lose its only published source." in response.text
    assert incident.citations.count() == 1


def test_pointing_the_only_published_citation_at_a_draft_source_is_refused(editor, bel, unverified):
    incident = make_incident([bel])
    citation = incident.citations.get()
    page = editor.get(admin_url(Citation, "change", citation.pk))

    response = editor.post(admin_url(Citation, "change", citation.pk), form_data(page, source=unverified.pk))

    assert f"“{incident}” would lose its only published source. {DRAFT_ONLY}" in response.text
    assert incident.citations.get().source != unverified


def test_the_api_refuses_to_publish_an_incident_whose_only_source_is_a_draft(api_as, alice, bel, unverified):
    incident = draft_citing(unverified, [bel])
    client, url = api_as(alice), f"/api/v1/incidents/{incident.slug}/"

    response = client.patch(url, {"status": "published"}, format="json", HTTP_IF_MATCH=client.get(url)["ETag"])

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"citations": [DRAFT_ONLY]}
    assert status_of(incident) == Status.DRAFT


def test_the_api_refuses_a_new_published_incident_citing_only_a_draft(api_as, alice, bel, unverified):
    make_category()
    incident = {
        "slug": "bel-blown-up", "title": "Temple of Bel blown up", "date": "2015-08-30", "sites": [bel.slug],
        "category": "deliberate-destruction-of-heritage", "status": "published",
        "citations": [{"source": unverified.slug}],
    }

    response = api_as(alice).post("/api/v1/incidents/", incident, format="json")

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"citations": [DRAFT_ONLY]}
    assert not Incident.objects.exists()


def incident_sheet(*rows):
    dataset = tablib.Dataset(headers=["slug", "title", "date", "sites", "category", "claim", "status", "sources"])
    for row in rows:
        dataset.append(row)
    return dataset


def test_an_import_row_publishing_an_incident_on_a_draft_source_is_a_row_error_and_is_not_written(
    bel, unverified
):
    category = make_category()
    published = make_source()
    sheet = incident_sheet(
        ["fine", "Arch blown up", "2015-10-04", bel.slug, category.slug, "alleged", "published", published.slug],
        ["on-draft", "Theatre damaged", "2015-10-05", bel.slug, category.slug, "alleged", "published",
         unverified.slug],
    )

    result = IncidentResource().import_data(sheet, dry_run=False)

    assert {row.number: row.error_dict for row in result.invalid_rows} == {2: {"sources": [DRAFT_ONLY]}}
    assert not Incident.objects.filter(slug="on-draft").exists()
    assert not Citation.objects.filter(source=unverified).exists()


def test_an_import_row_cannot_publish_a_stored_draft_whose_only_citation_is_a_draft(bel, unverified):
    incident = draft_citing(unverified, [bel], category=make_category())
    sheet = incident_sheet(
        [incident.slug, incident.title, incident.date, bel.slug, incident.category.slug, "alleged", "published", ""]
    )

    result = IncidentResource().import_data(sheet, dry_run=False)

    assert [row.error_dict for row in result.invalid_rows] == [{"sources": [DRAFT_ONLY]}]
    assert status_of(incident) == Status.DRAFT


# Withdrawing a source withdraws what depended on it --------------------------------------------


@pytest.fixture
def leaning_on_one_source(bel):
    """A source supporting an event, an incident and an assessment alone, and an incident with another source."""
    source = make_source("Monitoring report")
    alone = {
        "event": make_event([bel], title="Temple rededicated", source=source),
        "incident": make_incident([bel], title="Cella blown up", source=source),
        "assessment": make_assessment(bel, source=source),
    }
    corroborated = make_incident([bel], title="Portico damaged", source=source)
    Citation.objects.create(source=make_source("Satellite imagery"), incident=corroborated)
    return source, alone, corroborated


def test_withdrawing_a_source_withdraws_the_facts_that_cite_no_other_published_source(bel, leaning_on_one_source):
    source, alone, corroborated = leaning_on_one_source

    withdrawn = source.withdraw()

    assert withdrawn == [alone["event"], alone["incident"], alone["assessment"]]
    assert [status_of(fact) for fact in alone.values()] == [Status.DRAFT] * 3
    assert status_of(corroborated) == Status.PUBLISHED
    assert status_of(source) == Status.DRAFT
    bel.risk_profile.refresh_from_db()
    assert bel.risk_profile.standing_incidents == 1
    assert bel.risk_profile.condition is None


def test_saving_a_source_as_a_draft_withdraws_its_dependent_facts_too(leaning_on_one_source):
    source, alone, _ = leaning_on_one_source
    source = Source.objects.get(pk=source.pk)

    source.status = Status.DRAFT
    source.save()

    assert source.withdrawn_facts == list(alone.values())
    assert status_of(alone["incident"]) == Status.DRAFT


def test_a_save_that_does_not_write_the_status_withdraws_nothing(leaning_on_one_source):
    source, alone, _ = leaning_on_one_source
    source.status = Status.DRAFT

    source.save(update_fields=["title"])

    assert source.withdrawn_facts == []
    assert status_of(alone["incident"]) == Status.PUBLISHED


def test_a_source_cited_by_published_facts_cannot_be_deleted(leaning_on_one_source):
    source, alone, _ = leaning_on_one_source

    with pytest.raises(ProtectedError):
        source.delete()

    assert status_of(alone["incident"]) == Status.PUBLISHED


def test_the_admin_form_tells_the_editor_which_facts_were_withdrawn(editor, leaning_on_one_source):
    source, alone, _ = leaning_on_one_source
    page = editor.get(admin_url(Source, "change", source.pk))

    response = editor.post(admin_url(Source, "change", source.pk), form_data(page, status=Status.DRAFT), follow=True)

    event, incident, assessment = alone.values()
    assert (
        f"Withdrew 1 history event, 1 incident and 1 condition assessment that cited no other published source: "
        f"“{event}”, “{incident}”, “{assessment}”."
    ) in messages_of(response)
    assert status_of(incident) == Status.DRAFT


def test_the_admin_withdraw_action_withdraws_sources_and_names_the_facts_withdrawn(editor, bel):
    first, second = make_source("First report"), make_source("Second report")
    both = make_incident([bel], title="Cited by both", source=first)
    Citation.objects.create(source=second, incident=both)
    only_first = make_incident([bel], title="Cited by the first", source=first)

    response = post_action(editor, Source, "withdraw_selected", [first, second])

    assert messages_of(response) == [
        "Withdrew 2 sources.",
        f"Withdrew 2 incidents that cited no other published source: “{only_first}”, “{both}”.",
    ]
    assert (status_of(first), status_of(second), status_of(both)) == (Status.DRAFT, Status.DRAFT, Status.DRAFT)


def test_withdrawing_a_source_through_the_api_withdraws_its_dependent_facts(api_as, alice, leaning_on_one_source):
    source, alone, corroborated = leaning_on_one_source
    client, url = api_as(alice), f"/api/v1/sources/{source.slug}/"

    response = client.patch(url, {"status": "draft"}, format="json", HTTP_IF_MATCH=client.get(url)["ETag"])

    assert response.status_code == 200, response.content
    assert [status_of(fact) for fact in alone.values()] == [Status.DRAFT] * 3
    assert status_of(corroborated) == Status.PUBLISHED


def test_withdrawing_a_source_in_a_spreadsheet_withdraws_its_dependent_facts(leaning_on_one_source):
    source, alone, _ = leaning_on_one_source
    sheet = SourceResource().export(queryset=Source.objects.filter(pk=source.pk))
    sheet.dict = [{**sheet.dict[0], "status": Status.DRAFT}]

    result = SourceResource().import_data(sheet, dry_run=False)

    assert not result.has_errors() and not result.has_validation_errors()
    assert status_of(source) == Status.DRAFT
    assert [status_of(fact) for fact in alone.values()] == [Status.DRAFT] * 3


# Readers never see a draft source named ---------------------------------------------------------


@pytest.fixture
def repeating():
    """A published news story relying on one published and one draft source."""
    story = make_source("News story", publisher="Example News")
    checked = make_source("Checked report", publisher="Observatory")
    unchecked = make_source("Unchecked report", publisher="Anonymous blog", status=Status.DRAFT)
    story.relies_on.set([checked, unchecked])
    return story, checked, unchecked


def test_every_surface_names_only_the_published_sources_a_source_relies_on(
    client, api, api_as, alice, repeating
):
    story, checked, unchecked = repeating
    detail = api.get(f"/api/v1/sources/{story.slug}/").json()
    listed = {item["slug"]: item for item in api.get("/api/v1/sources/").json()["results"]}
    cursor_page = {item["slug"]: item for item in api.get("/api/v1/sources/?pagination=cursor").json()["results"]}
    exported = csv.DictReader(io.StringIO(b"".join(api.get("/api/v1/sources/csv/").streaming_content).decode()))
    page = client.get(story.get_absolute_url()).content.decode()

    def named(item):
        return [other["slug"] for other in item["relies_on"]]

    assert named(detail) == [checked.slug]
    assert named(listed[story.slug]) == [checked.slug]
    assert named(cursor_page[story.slug]) == [checked.slug]
    assert {row["slug"]: row["relies_on"] for row in exported}[story.slug] == checked.slug
    assert "Checked report" in page and "Unchecked report" not in page
    as_editor = api_as(alice).get(f"/api/v1/sources/{story.slug}/").json()
    assert sorted(named(as_editor)) == sorted([checked.slug, unchecked.slug])


def test_a_published_incident_does_not_name_its_draft_source_to_readers(client, api, api_as, alice, bel, unverified):
    incident = make_incident([bel], title="Temple of Bel blown up")
    Citation.objects.create(source=unverified, incident=incident)

    page = client.get(incident.get_absolute_url()).content.decode()
    site_page = client.get(bel.get_absolute_url()).content.decode()
    cited = api.get(f"/api/v1/incidents/{incident.slug}/").json()["citations"]

    assert "Unverified claim" not in page and "Unverified claim" not in site_page
    assert unverified.slug not in [citation["source"]["slug"] for citation in cited]
    as_editor = api_as(alice).get(f"/api/v1/incidents/{incident.slug}/").json()["citations"]
    assert unverified.slug in [citation["source"]["slug"] for citation in as_editor]


def test_a_story_counts_only_the_primary_sources_a_reader_may_see(bel, repeating, django_assert_num_queries):
    story, checked, unchecked = repeating
    make_incident([bel], source=story)
    Story.assign(story)

    with django_assert_num_queries(4):  # the stories, their reports, (report, primary source) pairs, primaries
        stories = list(Story.objects.for_site(bel))

    assert [report.title for report in stories[0].reports_shown] == ["News story"]
    assert stories[0].primary_sources == [checked]
    assert stories[0].counts_display == "1 report, 1 primary source"
    everyone = list(Story.objects.for_site(bel, reports=Source.objects.all()))
    assert sorted(source.title for source in everyone[0].primary_sources) == ["Checked report", "Unchecked report"]
