"""The API site detail an anonymous reader gets is stored by the write path, and is the serializer's, byte for byte.

Every writer ends in RiskProfile.objects.record_changed(sites), which stores the detail of the
trees those sites belong to (StoredSiteDetail); GET /api/v1/sites/<slug>/ then answers an anonymous
reader with one query. Each test compares the stored answer with the one the serializer builds
when nothing is stored, headers included.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from heritage.api.serializers import SiteSerializer
from heritage.models import Incident, RiskProfile, StoredSiteDetail, profiled_site_pks
from heritage.tests.factories import make_event
from sites.models import Site, SiteKind
from sites.tests.factories import make_site

SITES = "/api/v1/sites/"


@pytest.fixture(autouse=True)
def no_response_cache(settings):
    """What is compared is the stored detail, not the whole-response cache in front of it (on in CI with Redis)."""
    settings.RESPONSE_CACHE_SECONDS = 0
# Coordinates from /work/shared/data/palmyra_monuments.geojson (English Wikipedia infoboxes, as mirrored), as
# test_location_sensitivity.py uses them; their sensitivity is the test's choice.
ELAHBEL = {"latitude": 34.5535764, "longitude": 38.2503176}
QASR = {"latitude": 34.374444, "longitude": 37.605833}


def stored_then_built(api, slug, **headers):
    """(the stored answer, the serializer's answer once nothing is stored) for an anonymous GET."""
    with CaptureQueriesContext(connection) as queries:
        stored = api.get(f"{SITES}{slug}/", **headers)
    assert len(queries) == 1, "the stored detail was not served"
    StoredSiteDetail.objects.filter(site__slug=slug).delete()  # raw, as if never stored
    built = api.get(f"{SITES}{slug}/", **headers)
    return stored, built


def assert_same(stored, built):
    assert stored.status_code == built.status_code
    assert stored.content == built.content
    assert dict(stored.headers) == dict(built.headers)


@pytest.fixture
def protected(palmyra):
    """A hidden part of Palmyra and a generalised site of its own, stored as every writer ends."""
    elahbel = make_site(
        "Tower of Elahbel", slug="tower-of-elahbel", kind="tomb", parent=palmyra.site, **ELAHBEL,
        location_source="English Wikipedia infobox as mirrored", location_sensitivity=Site.LocationSensitivity.HIDDEN,
    )
    qasr = make_site(
        "Qasr al-Hayr al-Gharbi", slug="qasr-al-hayr-al-gharbi", kind="palace", **QASR,
        location_source="English Wikipedia infobox (34°22′28″N 37°36′21″E) as mirrored",
        location_sensitivity=Site.LocationSensitivity.GENERALISED,
    )
    RiskProfile.objects.record_changed([elahbel, qasr])
    return elahbel, qasr


def test_an_anonymous_reader_gets_the_stored_detail_in_one_query(api, palmyra, django_assert_num_queries):
    with django_assert_num_queries(1):  # the stored detail, by the site's slug
        response = api.get(f"{SITES}palmyra/")
    assert response.status_code == 200
    assert response.json()["url"] == "http://testserver/api/v1/sites/palmyra/"


@pytest.mark.parametrize("slug", ["palmyra", "temple-of-bel", "temple-of-baalshamin", "ancient-city-of-damascus"])
def test_the_stored_detail_is_the_serializers_byte_for_byte(api, palmyra, slug):
    stored, built = stored_then_built(api, slug)
    assert_same(stored, built)
    assert stored.status_code == 200


def test_the_stored_detail_names_parts_names_and_published_facts_only(api, palmyra):
    detail = api.get(f"{SITES}palmyra/").json()
    assert [part["slug"] for part in detail["parts"]] == ["temple-of-baalshamin", "temple-of-bel"]
    assert "تدمر" in [name["name"] for name in detail["names"]]
    assert [event["title"] for event in detail["events"]] == [
        "Mark Antony's cavalry raid on Palmyra", "Temple of Bel consecrated", "Hypogeum of the Three Brothers founded",
    ]
    # The draft rumour of looting at the Temple of Bel reaches no anonymous reader.
    assert [incident["title"] for incident in detail["incidents"]] == [
        "Temple of Bel blown up", "Temple of Baalshamin blown up",
    ]


@pytest.mark.parametrize("slug", ["tower-of-elahbel", "qasr-al-hayr-al-gharbi", "palmyra"])
def test_protected_locations_are_stored_as_anonymous_readers_may_see_them(api, protected, slug):
    stored, built = stored_then_built(api, slug)
    assert_same(stored, built)


def test_a_hidden_part_is_stored_without_its_point_and_a_generalised_site_at_its_grid_cell(api, protected):
    hidden = api.get(f"{SITES}tower-of-elahbel/").json()
    assert (hidden["latitude"], hidden["longitude"], hidden["location_source"]) == (None, None, "")
    assert hidden["location_sensitivity"] == "hidden"
    generalised = api.get(f"{SITES}qasr-al-hayr-al-gharbi/").json()
    assert (generalised["latitude"], generalised["longitude"], generalised["location_generalised"]) == (
        34.35, 37.65, True,
    )
    assert "34.374" not in str(generalised) and generalised["location_source"] == ""


def test_an_editor_who_may_see_exact_locations_gets_them_not_the_stored_detail(api_as, alice, protected):
    # alice's group holds every view permission, sites.view_exact_location among them.
    detail = api_as(alice).get(f"{SITES}qasr-al-hayr-al-gharbi/").json()
    assert (detail["latitude"], detail["longitude"]) == (QASR["latitude"], QASR["longitude"])
    assert detail["location_source"].startswith("English Wikipedia")


def test_an_editor_sees_drafts_the_stored_detail_leaves_out(api_as, alice, palmyra):
    titles = [incident["title"] for incident in api_as(alice).get(f"{SITES}temple-of-bel/").json()["incidents"]]
    assert "Unchecked rumour of looting" in titles


def test_the_stored_etag_answers_if_none_match_with_304(api, palmyra):
    etag = api.get(f"{SITES}palmyra/")["ETag"]
    stored, built = stored_then_built(api, "palmyra", HTTP_IF_NONE_MATCH=etag)
    assert stored.status_code == 304
    assert_same(stored, built)


def test_stored_urls_name_the_host_the_reader_asked(api, palmyra):
    stored, built = stored_then_built(api, "temple-of-bel", HTTP_HOST="localhost")
    assert_same(stored, built)
    detail = stored.json()
    assert detail["url"] == "http://localhost/api/v1/sites/temple-of-bel/"
    assert detail["parent"]["url"] == "http://localhost/api/v1/sites/palmyra/"
    assert detail["jsonld_url"] == "http://localhost/api/v1/sites/temple-of-bel/jsonld/"


def test_indented_json_is_built_not_stored(api, palmyra):
    response = api.get(f"{SITES}palmyra/", HTTP_ACCEPT="application/json; indent=2")
    assert response.status_code == 200
    assert response.content.startswith(b'{\n  "url"')


def test_an_api_write_restores_the_details_of_the_tree_it_touched(api, api_as, alice, palmyra):
    editor = api_as(alice)
    path = f"/api/v1/incidents/{palmyra.destroyed.slug}/"
    etag = editor.get(path)["ETag"]
    response = editor.patch(path, {"title": "Temple of Bel blown up by Islamic State"}, format="json",
                            HTTP_IF_MATCH=etag)
    assert response.status_code == 200, response.content
    # Palmyra's detail lists its part's incident: the write touched the Temple of Bel's tree.
    titles = [incident["title"] for incident in api.get(f"{SITES}palmyra/").json()["incidents"]]
    assert "Temple of Bel blown up by Islamic State" in titles
    stored, built = stored_then_built(api, "palmyra")
    assert_same(stored, built)


def test_publishing_a_history_event_restores_the_details_of_its_sites(api, palmyra):
    make_event([palmyra.baalshamin], title="Temple of Baalshamin dedicated", date="0017")  # publish() ends the write
    titles = [event["title"] for event in api.get(f"{SITES}palmyra/").json()["events"]]
    assert "Temple of Baalshamin dedicated" in titles


def test_a_history_event_feeds_the_details_of_its_sites(palmyra):
    assert profiled_site_pks(palmyra.consecrated) == {palmyra.bel.pk}


def test_relabelling_a_kind_restores_the_details_of_the_sites_of_that_kind(api, palmyra):
    temple = SiteKind.objects.get(slug="temple")
    assert profiled_site_pks(temple) == {palmyra.bel.pk, palmyra.baalshamin.pk}
    temple.label = "Temple (sanctuary)"
    temple.save()
    RiskProfile.objects.record_changed(profiled_site_pks(temple))  # as the admin's write path ends
    assert api.get(f"{SITES}temple-of-bel/").json()["kind"]["label"] == "Temple (sanctuary)"
    stored, built = stored_then_built(api, "temple-of-bel")
    assert_same(stored, built)


def test_a_write_touching_more_sites_than_a_request_should_build_drops_their_details_until_the_refresh(
    api, palmyra, protected, monkeypatch
):
    monkeypatch.setattr("heritage.models.STORED_IN_A_WRITE_AT_MOST", 1)
    temple = SiteKind.objects.get(slug="temple")
    temple.label = "Temple (sanctuary)"
    temple.save()
    RiskProfile.objects.record_changed(profiled_site_pks(temple))

    assert not StoredSiteDetail.objects.filter(site__slug__in=["temple-of-bel", "palmyra"]).exists()  # their tree
    assert StoredSiteDetail.objects.filter(site__slug="qasr-al-hayr-al-gharbi").exists()
    assert api.get(f"{SITES}temple-of-bel/").json()["kind"]["label"] == "Temple (sanctuary)"
    RiskProfile.objects.refresh()  # the daily manage.py refresh_risk_profiles
    stored, built = stored_then_built(api, "temple-of-bel")
    assert_same(stored, built)
    assert stored.json()["kind"]["label"] == "Temple (sanctuary)"


def test_a_write_that_goes_around_the_write_path_leaves_the_stored_detail_until_a_refresh(api, palmyra):
    Incident.objects.filter(pk=palmyra.destroyed.pk).update(title="Renamed behind the write path's back")
    assert "Renamed behind the write path's back" not in str(api.get(f"{SITES}palmyra/").json())
    RiskProfile.objects.refresh()  # what manage.py refresh_risk_profiles runs
    assert "Renamed behind the write path's back" in str(api.get(f"{SITES}palmyra/").json())


def test_deleting_a_site_deletes_its_stored_detail(palmyra):
    site = make_site("A site recorded twice")
    RiskProfile.objects.record_changed([site])
    assert StoredSiteDetail.objects.filter(site=site).exists()
    site.delete()
    assert not StoredSiteDetail.objects.filter(site_id=site.pk).exists()


# Lists ------------------------------------------------------------------------------------------------------


def stored_page_then_built(api, query, monkeypatch):
    """(the page made of stored items, the page the serializer builds once nothing is stored)."""
    with monkeypatch.context() as patched:
        patched.setattr(SiteSerializer, "to_representation", not_called)
        stored = api.get(f"{SITES}{query}")
    StoredSiteDetail.objects.all().delete()  # raw, as if never stored
    built = api.get(f"{SITES}{query}")
    return stored, built


def not_called(*args):
    raise AssertionError("the serializer built what was stored")


@pytest.mark.parametrize("query", [
    "", "?page_size=2", "?page=2&page_size=2", "?country=SY&ordering=-name", "?kind=temple",
    "?pagination=cursor&page_size=2", "?risk_level=high",
])
def test_an_anonymous_page_of_sites_is_made_of_stored_items_byte_for_byte(api, protected, query, monkeypatch):
    stored, built = stored_page_then_built(api, query, monkeypatch)
    assert stored.status_code == 200
    assert_same(stored, built)


def test_a_page_of_stored_items_takes_two_queries(api, palmyra, django_assert_num_queries):
    with django_assert_num_queries(2):  # count; the page's stored items
        body = api.get(SITES, {"country": "SY", "page_size": 2}).json()
    assert body["count"] == 4
    assert body["next"] == "http://testserver/api/v1/sites/?country=SY&page=2&page_size=2"
    assert [item["url"] for item in body["results"]] == [
        "http://testserver/api/v1/sites/ancient-city-of-damascus/", "http://testserver/api/v1/sites/palmyra/",
    ]


def test_a_page_with_a_site_stored_by_no_write_builds_that_sites_item(api, palmyra, django_assert_num_queries):
    make_site("Recorded behind the write path's back", slug="unstored")
    with django_assert_num_queries(3):  # count; the page's stored items; the unstored site, built
        mixed = api.get(SITES, {"page_size": 50})
    assert "unstored" in [item["slug"] for item in mixed.json()["results"]]
    StoredSiteDetail.objects.all().delete()
    assert_same(mixed, api.get(SITES, {"page_size": 50}))


def test_pages_near_a_point_are_built_with_their_distances(api, palmyra):
    body = api.get(SITES, {"near": "34.5542,38.2667", "radius_km": "5"}).json()
    assert [item["slug"] for item in body["results"]][0] == "palmyra"
    assert body["results"][0]["distance_km"] is not None


def test_a_name_or_an_identifier_written_on_its_own_feeds_its_sites_detail(palmyra):
    # As the admin's name and identifier pages write them, outside the site's own form.
    name = palmyra.site.names.first()
    identifier = palmyra.site.identifiers.first()
    assert profiled_site_pks(name) == profiled_site_pks(identifier) == {palmyra.site.pk}


def test_what_another_version_of_the_code_stored_is_not_served(api, palmyra, django_assert_num_queries):
    StoredSiteDetail.objects.update(built_by="a-version-before-a-deploy")
    # the stored detail, not current; then built: the site, names, identifiers, designations, parts, events, incidents
    with django_assert_num_queries(8):
        assert api.get(f"{SITES}palmyra/").status_code == 200
    with django_assert_num_queries(3):  # count; the page's stored items, none current; the page's sites, built
        assert api.get(SITES, {"page_size": 2}).status_code == 200
    RiskProfile.objects.refresh()  # what manage.py refresh_risk_profiles runs after a deploy
    with django_assert_num_queries(1):
        assert api.get(f"{SITES}palmyra/").status_code == 200
