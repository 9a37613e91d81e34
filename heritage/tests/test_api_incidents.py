import csv
import io

import pytest
from django.http import StreamingHttpResponse

from heritage.models import Citation, ClaimStanding, Incident, Status
from heritage.tests.factories import make_actor, make_category, make_incident, make_source
from sites.tests.factories import make_certainty, make_site

pytestmark = pytest.mark.django_db

INCIDENTS = "/api/v1/incidents/"


@pytest.fixture
def palmyra():
    return make_site("Site of Palmyra", slug="palmyra")


@pytest.fixture
def bel(palmyra):
    return make_site("Temple of Bel", slug="temple-of-bel", kind="temple", parent=palmyra)


@pytest.fixture
def source():
    return make_source("Damage to the Temple of Bel", publisher="UNOSAT", published="2015-08-31")


def slugs(response):
    assert response.status_code == 200, response.content
    return [item["slug"] for item in response.json()["results"]]


def new_incident(**fields):
    return {
        "slug": "temple-of-bel-destroyed", "title": "Temple of Bel blown up", "date": "2015-08-30",
        "sites": ["temple-of-bel"], "category": "deliberate-destruction-of-heritage", **fields,
    }


def test_an_incident_shows_its_sites_category_claim_and_citations(api, bel, source):
    incident = make_incident([bel], title="Temple of Bel blown up", date="2015-08-30", actor=make_actor(),
                             claim=ClaimStanding.CONFIRMED, source=source)
    body = api.get(f"{INCIDENTS}{incident.slug}/").json()
    assert body["title"] == "Temple of Bel blown up"
    assert body["date"] == "2015-08-30"
    assert body["date_display"] == "30 August 2015"
    assert body["date_earliest"] == body["date_latest"] == 2457265
    assert body["sites"] == [
        {"slug": "temple-of-bel", "name": "Temple of Bel", "url": "http://testserver/api/v1/sites/temple-of-bel/"}
    ]
    assert body["category"] == {
        "slug": "deliberate-destruction-of-heritage", "label": "Deliberate destruction of heritage",
        "url": "http://testserver/api/v1/categories/deliberate-destruction-of-heritage/",
    }
    assert body["claim"] == "confirmed"
    assert body["actor"] == {"slug": "islamic-state", "label": "Islamic State"}
    assert body["citations"] == [{
        "source": {"slug": source.slug, "title": "Damage to the Temple of Bel",
                   "url": f"http://testserver/api/v1/sources/{source.slug}/"},
        "locator": "", "quote": "",
    }]
    assert body["status"] == "published"


def test_drafts_are_hidden_from_readers_and_shown_to_editors(api, api_as, alice, charlie, bel):
    published = make_incident([bel], title="Published")
    draft = make_incident([bel], title="Draft", status=Status.DRAFT)
    assert slugs(api.get(INCIDENTS)) == [published.slug]
    assert slugs(api_as(charlie).get(INCIDENTS)) == [published.slug]
    assert api.get(f"{INCIDENTS}{draft.slug}/").status_code == 404
    assert set(slugs(api_as(alice).get(INCIDENTS))) == {published.slug, draft.slug}
    assert slugs(api_as(alice).get(INCIDENTS, {"status": "draft"})) == [draft.slug]


def test_citations_of_draft_sources_are_hidden_from_readers(api, api_as, alice, bel):
    incident = make_incident([bel])
    Citation.objects.create(incident=incident, source=make_source(status=Status.DRAFT))
    assert len(api.get(f"{INCIDENTS}{incident.slug}/").json()["citations"]) == 1
    assert len(api_as(alice).get(f"{INCIDENTS}{incident.slug}/").json()["citations"]) == 2


# Filters --------------------------------------------------------------------


def test_it_filters_by_site_including_its_parts_and_by_country(api, palmyra, bel):
    at_bel = make_incident([bel])
    at_palmyra = make_incident([palmyra], date="2015-07")
    elsewhere = make_incident([make_site(countries=("IQ",))])
    assert set(slugs(api.get(INCIDENTS, {"site": "palmyra"}))) == {at_bel.slug, at_palmyra.slug}
    assert slugs(api.get(INCIDENTS, {"site": "temple-of-bel"})) == [at_bel.slug]
    assert slugs(api.get(INCIDENTS, {"country": "IQ"})) == [elsewhere.slug]


def test_a_primary_category_includes_its_secondary_ones(api, bel):
    category = make_category()
    other = make_category("War", code="9.1")
    destroyed = make_incident([bel], category=category)
    war = make_incident([bel], category=other, date="2015-05")
    assert set(slugs(api.get(INCIDENTS, {"category": category.parent.slug}))) == {destroyed.slug, war.slug}
    assert slugs(api.get(INCIDENTS, {"category": category.slug})) == [destroyed.slug]


def test_it_filters_by_claim_actor_and_certainty(api, bel):
    confirmed = make_incident([bel], claim=ClaimStanding.CONFIRMED, actor=make_actor(),
                              certainty=make_certainty("definite"))
    alleged = make_incident([bel], date="2015-07")
    retracted = make_incident([bel], date="2015-06", claim=ClaimStanding.RETRACTED)
    assert slugs(api.get(INCIDENTS, {"claim": "confirmed"})) == [confirmed.slug]
    assert slugs(api.get(f"{INCIDENTS}?claim=alleged&claim=retracted")) == [alleged.slug, retracted.slug]
    assert slugs(api.get(INCIDENTS, {"actor": "islamic-state"})) == [confirmed.slug]
    assert slugs(api.get(INCIDENTS, {"certainty": "definite"})) == [confirmed.slug]


def test_date_ranges_work_on_uncertain_and_interval_dates(api, bel):
    facade = make_incident([bel], title="Tetrapylon and theatre façade destroyed", date="2016-12-26/2017-01-10")
    bel_destroyed = make_incident([bel], date="2015-08-30")
    assert slugs(api.get(INCIDENTS, {"date_from": "2017-01-01"})) == [facade.slug]
    assert slugs(api.get(INCIDENTS, {"date_to": "2016-12-31"})) == [facade.slug, bel_destroyed.slug]
    assert slugs(api.get(INCIDENTS, {"date_from": "2015", "date_to": "2015"})) == [bel_destroyed.slug]
    assert slugs(api.get(INCIDENTS, {"date_to": "2014"})) == []


def test_it_searches_titles_and_orders_by_date_or_title(api, bel):
    theatre = make_incident([bel], title="Theatre used for executions", date="2015-07")
    temple = make_incident([bel], title="Temple blown up", date="2015-08-30")
    assert slugs(api.get(INCIDENTS, {"q": "theatre"})) == [theatre.slug]
    assert slugs(api.get(INCIDENTS)) == [temple.slug, theatre.slug]
    assert slugs(api.get(INCIDENTS, {"ordering": "date"})) == [theatre.slug, temple.slug]
    assert slugs(api.get(INCIDENTS, {"ordering": "title"})) == [temple.slug, theatre.slug]
    assert slugs(api.get(INCIDENTS, {"ordering": "-updated"})) == [temple.slug, theatre.slug]


@pytest.mark.parametrize("params", [
    {"site": "atlantis"}, {"category": "nope"}, {"claim": "rumoured"}, {"actor": "nobody"},
    {"date_from": "soon"}, {"status": "secret"}, {"status": ""}, {"claim": ""},
    {"ordering": "colour"}, {"updated_since": "2015-99-99"},
])
def test_bad_filters_are_a_400_naming_the_parameter(api, params):
    response = api.get(INCIDENTS, params)
    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) == set(params)


def test_the_list_takes_three_queries_whatever_the_data(api, bel, django_assert_num_queries):
    make_incident([bel])
    # count, the page (category and vocabularies joined), its sites; plus its visible citations with sources
    with django_assert_num_queries(4):
        api.get(INCIDENTS, {"page_size": 1})
    for number in range(8):
        make_incident([bel, make_site()], date=f"2015-0{number + 1}", actor=make_actor())
    with django_assert_num_queries(4):
        assert len(api.get(INCIDENTS, {"page_size": 9}).json()["results"]) == 9


def test_csv_export_streams_every_matching_incident(api, bel, palmyra, django_assert_num_queries):
    make_incident([bel, palmyra], title="Temple of Bel blown up", date="2015-08-30")
    make_incident([bel], title="Draft", status=Status.DRAFT)
    # the rows, then their sites (one prefetch per chunk)
    with django_assert_num_queries(2):
        response = api.get(f"{INCIDENTS}csv/")
        content = b"".join(response.streaming_content).decode()
    assert isinstance(response, StreamingHttpResponse)
    rows = list(csv.DictReader(io.StringIO(content)))
    assert len(rows) == 1
    assert rows[0]["title"] == "Temple of Bel blown up"
    assert rows[0]["sites"] == "palmyra|temple-of-bel"
    assert rows[0]["category"] == "deliberate-destruction-of-heritage"
    assert rows[0]["date_display"] == "30 August 2015"


# Writes ----------------------------------------------------------------------


def test_an_editor_reports_an_incident_with_its_sources(api_as, alice, bel, source):
    make_category()
    response = api_as(alice).post(INCIDENTS, new_incident(
        status="published", claim="confirmed", citations=[{"source": source.slug, "locator": "p. 2"}],
    ), format="json")
    assert response.status_code == 201, response.content
    incident = Incident.objects.get(slug="temple-of-bel-destroyed")
    assert incident.status == Status.PUBLISHED and incident.published_at is not None
    assert list(incident.sites.all()) == [bel]
    assert incident.citations.get().locator == "p. 2"
    assert {record.history_user for record in incident.history.all()} == {alice}
    assert incident.citations.get().history.get().history_user == alice
    bel.risk_profile.refresh_from_db()
    assert bel.risk_profile.standing_incidents == 1


def test_a_published_incident_without_a_source_is_refused(api_as, alice, bel):
    make_category()
    response = api_as(alice).post(INCIDENTS, new_incident(status="published"), format="json")
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"citations": [
        "A published incident must cite at least one source. Add a citation, or keep it as a draft."
    ]}
    assert not Incident.objects.exists()


def test_a_draft_may_be_saved_without_a_source_and_published_later(api_as, alice, bel, source):
    make_category()
    client = api_as(alice)
    assert client.post(INCIDENTS, new_incident(), format="json").status_code == 201
    url = f"{INCIDENTS}temple-of-bel-destroyed/"
    refused = client.patch(url, {"status": "published"}, format="json", HTTP_IF_MATCH=client.get(url)["ETag"])
    assert refused.status_code == 400
    assert "citations" in refused.json()["error"]["fields"]
    published = client.patch(url, {"status": "published", "citations": [{"source": source.slug}]}, format="json",
                             HTTP_IF_MATCH=client.get(url)["ETag"])
    assert published.status_code == 200, published.content
    assert published.json()["status"] == "published"
    assert [citation["source"]["slug"] for citation in published.json()["citations"]] == [source.slug]


@pytest.mark.parametrize(("change", "field"), [
    ({"date": "30 August 2015"}, "date"),
    ({"date": "2017/2016"}, "date"),
    ({"sites": []}, "sites"),
    ({"sites": ["atlantis"]}, "sites"),
    ({"category": "nope"}, "category"),
    ({"claim": "rumoured"}, "claim"),
    ({"actor": "nobody"}, "actor"),
    ({"citations": [{"source": "no-such-source"}]}, "citations"),
    ({"citations": "unosat"}, "citations"),
    ({"status": "secret"}, "status"),
])
def test_invalid_incidents_are_refused_field_by_field(api_as, alice, bel, change, field):
    make_category()
    response = api_as(alice).post(INCIDENTS, new_incident(**change), format="json")
    assert response.status_code == 400
    assert field in response.json()["error"]["fields"]
    assert not Incident.objects.exists()


def test_updating_an_incident_needs_the_current_etag(api_as, alice, bel):
    incident = make_incident([bel])
    client = api_as(alice)
    url = f"{INCIDENTS}{incident.slug}/"
    assert client.patch(url, {"claim": "confirmed"}, format="json").status_code == 428
    stale = client.get(url)["ETag"]
    assert client.get(url, HTTP_IF_NONE_MATCH=stale).status_code == 304
    assert client.patch(url, {"claim": "disputed"}, format="json", HTTP_IF_MATCH=stale).status_code == 200
    assert client.patch(url, {"claim": "confirmed"}, format="json", HTTP_IF_MATCH=stale).status_code == 412
    incident.refresh_from_db()
    assert incident.claim == ClaimStanding.DISPUTED
    assert incident.history.first().history_user == alice


def test_a_reader_without_permission_cannot_change_an_incident(api_as, charlie, bel):
    incident = make_incident([bel])
    client = api_as(charlie)
    url = f"{INCIDENTS}{incident.slug}/"
    response = client.patch(url, {"claim": "confirmed"}, format="json", HTTP_IF_MATCH=client.get(url)["ETag"])
    assert response.status_code == 403
