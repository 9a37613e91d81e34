"""Protected locations: a hidden or generalised site's exact point reaches no reader without the permission.

Two Syrian places stand in for vulnerable sites. The Tower of Elahbel, a tower
tomb of Palmyra, is *hidden*: a part of a public whole. Qasr al-Hayr al-Gharbi
is *generalised*: readers see the centre of its 0.1° grid cell, 34.35, 37.65.
Their coordinates and sources are those of /work/shared/data/palmyra_monuments.geojson
(English Wikipedia infoboxes, as mirrored); their sensitivity is the test's choice.

Every surface a reader can reach is walked as an anonymous reader, as an editor
without ``sites.view_exact_location`` and as one with it (alice, whose group holds
every view permission). A surface that showed the recorded point would put its
digits in the body: the test looks for them at every precision a surface prints
(5 decimals on pages, the full float in JSON, the degrees and minutes of a source).
"""

import io
import json
import tempfile

import pytest
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse

from sites.models import Site
from sites.tests.factories import DAMASCUS, PALMYRA, make_site

ELAHBEL = {"latitude": 34.5535764, "longitude": 38.2503176}
QASR = {"latitude": 34.374444, "longitude": 37.605833}
QASR_SOURCE = "English Wikipedia infobox (34°22′28″N 37°36′21″E) as mirrored"

# Printed digits of the recorded points. Four decimals and more: "34.55" is also Palmyra's.
HIDDEN_DIGITS = ["34.5535", "34.5536", "38.2503"]
GENERALISED_DIGITS = ["34.374", "37.605", "37.606", "34°22", "37°36"]


@pytest.fixture
def places(db):
    make_site("Ancient City of Damascus", slug="damascus", kind="city", **DAMASCUS)
    palmyra = make_site("Site of Palmyra", slug="palmyra", **PALMYRA)
    elahbel = make_site(
        "Tower of Elahbel", slug="tower-of-elahbel", kind="tomb", parent=palmyra, **ELAHBEL,
        location_source="English Wikipedia infobox as mirrored (wikimili.com/en/Tower_of_Elahbel)",
        location_sensitivity=Site.LocationSensitivity.HIDDEN, coordinate_method=Site.CoordinateMethod.GEOCODED,
    )
    qasr = make_site(
        "Qasr al-Hayr al-Gharbi", slug="qasr-al-hayr-al-gharbi", kind="palace",
        location_sensitivity=Site.LocationSensitivity.GENERALISED,
    )
    # Located in a second edit, so that its history holds a change of coordinates.
    qasr.latitude, qasr.longitude = QASR["latitude"], QASR["longitude"]
    qasr.location_source, qasr.coordinate_uncertainty_m = QASR_SOURCE, 100
    qasr.save()
    return {"hidden": elahbel, "generalised": qasr}


@pytest.fixture
def dana(django_user_model):
    """An editor who may change every record but not see exact locations."""
    user = django_user_model.objects.create_user("dana", "dana@example.org", "password", is_staff=True)
    permissions = Permission.objects.filter(content_type__app_label__in=["sites", "heritage"])
    user.user_permissions.set(permissions.exclude(codename="view_exact_location"))
    return user


@pytest.fixture(params=["anonymous", "editor without the permission"])
def reader(request, client, dana):
    """A client that must not see exact points."""
    if request.param != "anonymous":
        client.force_login(dana)
    return client


@pytest.fixture
def trusted(client, alice):
    client.force_login(alice)
    return client


def _admin_change(site):
    return reverse("admin:sites_site_change", args=[site.pk])


def _admin_old_version(site):
    return reverse("admin:sites_site_simple_history", args=[site.pk, site.history.earliest().history_id])


def _release_then(get, *args):
    """A release of the record as it is, then the request: what readers see of releases once there are some."""
    with override_settings(CANONICAL_URL="https://heritage.example.org"), tempfile.TemporaryDirectory() as directory:
        call_command("release", output=f"{directory}/release", date="2026-12-01", stdout=io.StringIO())
    return get(*args)


# (name, request) for each surface; request(client, site) returns a response.
SURFACES = {
    "site page": lambda client, site: client.get(site.get_absolute_url()),
    "site page in Arabic": lambda client, site: client.get(f"/ar{site.get_absolute_url()}"),
    "site URL as JSON-LD": lambda client, site: client.get(site.get_absolute_url(), HTTP_ACCEPT="application/ld+json"),
    "site URL as GeoJSON": lambda client, site: client.get(site.get_absolute_url(), HTTP_ACCEPT="application/geo+json"),
    "whole site's page": lambda client, site: client.get("/sites/palmyra/"),
    "home page": lambda client, site: client.get("/"),
    "map": lambda client, site: client.get("/map/"),
    "map points": lambda client, site: client.get("/map/points.json"),
    "site list": lambda client, site: client.get("/sites/"),
    "search": lambda client, site: client.get("/search/", {"q": site.name}),
    "site feed": lambda client, site: client.get(f"/feeds/sites/{site.slug}.atom"),
    "API list": lambda client, site: client.get("/api/v1/sites/"),
    "API list of parts": lambda client, site: client.get("/api/v1/sites/", {"parent": "palmyra"}),
    "API detail": lambda client, site: client.get(f"/api/v1/sites/{site.slug}/"),
    "API JSON-LD": lambda client, site: client.get(f"/api/v1/sites/{site.slug}/jsonld/"),
    "API GeoJSON": lambda client, site: client.get("/api/v1/sites/geojson/"),
    "API CSV": lambda client, site: client.get("/api/v1/sites/csv/"),
    "API near the recorded point": lambda client, site: client.get(
        "/api/v1/sites/", {"near": f"{site.latitude},{site.longitude}", "radius_km": 200}
    ),
    "API GeoJSON near the recorded point": lambda client, site: client.get(
        "/api/v1/sites/geojson/", {"near": f"{site.latitude},{site.longitude}", "radius_km": 200}
    ),
    "Linked Places dump": lambda client, site: client.get("/api/v1/sites/lpf/"),
    "site in Linked Places": lambda client, site: client.get(f"/api/v1/sites/{site.slug}/lpf/"),
    "reconciliation preview": lambda client, site: client.get("/api/v1/reconcile/preview/", {"id": site.slug}),
    "reconciliation query": lambda client, site: client.get(
        "/api/v1/reconcile/", {"queries": json.dumps({"q0": {"query": site.name}})}
    ),
    "reconciliation suggest": lambda client, site: client.get(
        "/api/v1/reconcile/suggest/entity/", {"prefix": site.name}
    ),
    "changes since": lambda client, site: client.get("/api/v1/changes/", {"since": "2000-01-01T00:00:00Z"}),
    "releases page": lambda client, site: _release_then(client.get, "/releases/"),
    "changes since a release": lambda client, site: _release_then(
        client.get, "/api/v1/changes/", {"since": "2026.12.01"}
    ),
    "admin change form": lambda client, site: client.get(_admin_change(site)),
    "admin change form in Arabic": lambda client, site: client.get(_admin_change(site), HTTP_ACCEPT_LANGUAGE="ar"),
    "admin history": lambda client, site: client.get(reverse("admin:sites_site_history", args=[site.pk])),
    "admin old version": lambda client, site: client.get(_admin_old_version(site)),
}


def _body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.mark.parametrize("surface", SURFACES)
@pytest.mark.parametrize("sensitivity", ["hidden", "generalised"])
def test_no_surface_shows_a_protected_point_to_a_reader_without_the_permission(reader, places, surface, sensitivity):
    site = places[sensitivity]
    response = SURFACES[surface](reader, site)
    body = _body(response).decode()

    # A surface that failed would show nothing, and pass: only the admin may send readers away.
    assert response.status_code == 200 or (surface.startswith("admin") and response.status_code in (302, 403))

    for digits in HIDDEN_DIGITS if sensitivity == "hidden" else GENERALISED_DIGITS:
        assert digits not in body, f"{surface} shows {digits}"


@pytest.mark.parametrize("surface", ["site page", "site URL as JSON-LD", "API detail", "API CSV", "admin change form"])
def test_editors_with_the_permission_see_the_recorded_points(trusted, places, surface):
    for sensitivity, digits in [("hidden", "38.2503"), ("generalised", "37.605")]:
        body = _body(SURFACES[surface](trusted, places[sensitivity])).decode()
        assert digits in body, f"{surface} hides the {sensitivity} point from an editor who may see it"


@pytest.mark.parametrize("surface", ["site page", "site URL as JSON-LD", "site URL as GeoJSON", "API detail",
                                     "API GeoJSON", "API CSV", "map points"])
def test_the_generalised_point_is_shown_in_its_place(client, places, surface):
    body = _body(SURFACES[surface](client, places["generalised"])).decode()

    assert "34.35" in body and "37.65" in body


def test_the_api_marks_a_generalised_point_and_widens_its_uncertainty(api, places):
    site = api.get("/api/v1/sites/qasr-al-hayr-al-gharbi/").json()

    assert (site["latitude"], site["longitude"]) == (34.35, 37.65)
    assert site["coordinate_uncertainty_m"] == 100 + 7_900
    assert site["location_generalised"] is True
    assert site["location_sensitivity"] == "generalised"
    assert site["location_source"] == ""


def test_the_api_gives_a_hidden_site_no_point_and_no_source(api, places):
    site = api.get("/api/v1/sites/tower-of-elahbel/").json()

    assert (site["latitude"], site["longitude"], site["location_source"]) == (None, None, "")
    assert site["location_sensitivity"] == "hidden"


def test_nearby_search_never_finds_a_hidden_site_and_measures_to_the_generalised_point(api, places):
    # Qasr al-Hayr al-Gharbi's recorded point is 3.2 km from its cell centre (34.35, 37.65).
    near_recorded_point = api.get("/api/v1/sites/", {"near": "34.374444,37.605833", "radius_km": 3}).json()
    near_cell_centre = api.get("/api/v1/sites/", {"near": "34.35,37.65", "radius_km": 1}).json()
    near_tomb = api.get("/api/v1/sites/", {"near": "34.5535764,38.2503176", "radius_km": 0.5}).json()

    assert near_recorded_point["results"] == []
    assert [(site["slug"], site["distance_km"]) for site in near_cell_centre["results"]] == [
        ("qasr-al-hayr-al-gharbi", 0.0),
    ]
    assert near_tomb["results"] == []


def test_sites_sharing_a_grid_cell_are_listed_by_name_wherever_the_search_starts(api, db):
    # The Temples of Bel and of Baalshamin (points of palmyra_monuments.geojson) lie 0.8 km apart in the same cell
    # (34.55, 38.25). Nearest first by the recorded points, each search would put the temple it starts at first.
    for name, slug, latitude, longitude in [("Temple of Bel", "temple-of-bel", 34.5473478, 38.2738581),
                                            ("Temple of Baalshamin", "temple-of-baalshamin", 34.5534199, 38.2699931)]:
        make_site(name, slug=slug, kind="temple", latitude=latitude, longitude=longitude,
                  location_sensitivity=Site.LocationSensitivity.GENERALISED)
    temples = {}
    for origin in ["34.5473478,38.2738581", "34.5534199,38.2699931"]:
        found = api.get("/api/v1/sites/", {"near": origin, "radius_km": 5}).json()["results"]
        temples[origin] = [(site["slug"], site["distance_km"]) for site in found if site["slug"].startswith("temple")]

    assert temples == {
        "34.5473478,38.2738581": [("temple-of-baalshamin", 2.0), ("temple-of-bel", 2.0)],
        "34.5534199,38.2699931": [("temple-of-baalshamin", 2.0), ("temple-of-bel", 2.0)],
    }


def test_the_whole_sites_page_measures_nearby_places_to_their_generalised_point(trusted, places):
    # From Palmyra: 63.9 km to the recorded point, 61.0 km to the cell centre (geodesic, WGS 84), shown in whole km.
    anonymous = Client().get("/sites/palmyra/").text

    assert '<span class="muted">61 km</span>' in anonymous and "63.9 km" not in anonymous
    assert "63.9 km" in trusted.get("/sites/palmyra/").text


def test_a_hidden_site_is_neither_listed_nor_measured_as_nearby(client, dana, alice, places):
    assert "Tower of Elahbel" not in client.get("/sites/qasr-al-hayr-al-gharbi/").text
    client.force_login(dana)
    assert "Tower of Elahbel" not in client.get("/sites/qasr-al-hayr-al-gharbi/").text
    client.force_login(alice)
    assert "Tower of Elahbel" in client.get("/sites/qasr-al-hayr-al-gharbi/").text


def test_a_generalised_site_is_placed_coarsely_and_a_hidden_one_not_at_all(client, places):
    generalised = client.get("/sites/qasr-al-hayr-al-gharbi/").text
    hidden = client.get("/sites/tower-of-elahbel/").text

    # Recorded point: "about 153 km north-east of Damascus"; cell centre, to the nearest 10 km:
    assert "About 150 km north-east of Damascus." in generalised
    assert "153 km" not in generalised
    assert "The location is withheld to protect the site." in hidden
    assert "of Palmyra" not in hidden.split('id="location-heading"')[1].split("</section>")[0]


def test_the_response_cache_never_hands_an_editors_exact_page_to_an_anonymous_reader(client, trusted, settings, places):
    settings.RESPONSE_CACHE_SECONDS = 300
    anonymous = Client()
    assert "37.60583" in trusted.get("/sites/qasr-al-hayr-al-gharbi/").text
    first = anonymous.get("/sites/qasr-al-hayr-al-gharbi/")
    second = anonymous.get("/sites/qasr-al-hayr-al-gharbi/")

    assert first["X-Response-Cache"] == "miss" and second["X-Response-Cache"] == "hit"
    assert "37.60583" not in second.text and "37.65" in second.text
    assert "37.60583" in trusted.get("/sites/qasr-al-hayr-al-gharbi/").text


def test_the_maps_points_are_cached_for_anonymous_readers_and_never_an_editors_exact_ones(
    client, trusted, settings, places
):
    settings.RESPONSE_CACHE_SECONDS = 300
    anonymous = Client()
    assert "37.60583" in trusted.get("/map/points.json").text
    first = anonymous.get("/map/points.json")
    second = anonymous.get("/map/points.json")

    assert first["X-Response-Cache"] == "miss" and second["X-Response-Cache"] == "hit"
    assert "37.60583" not in second.text and "37.65" in second.text
    assert "38.2503" not in second.text  # the hidden tomb
    assert "37.60583" in trusted.get("/map/points.json").text


def test_editors_without_the_permission_cannot_change_a_protected_location_through_the_api(api_as, dana, places):
    api = api_as(dana)
    url = "/api/v1/sites/qasr-al-hayr-al-gharbi/"
    read = api.get(url)

    moved = api.patch(url, {"latitude": 34.4, "longitude": 37.6}, format="json", HTTP_IF_MATCH=read["ETag"])
    published = api.patch(url, {"location_sensitivity": "public"}, format="json", HTTP_IF_MATCH=read["ETag"])
    renamed = api.put(url, {**read.json(), "name": "Qasr al-Hayr al-Gharbi (Umayyad palace)"}, format="json",
                      HTTP_IF_MATCH=read["ETag"])

    message = ["Only editors who may see exact locations can change the location of a generalised or hidden site."]
    assert moved.status_code == 400
    assert moved.json()["error"]["fields"]["latitude"] == message
    assert published.status_code == 400
    assert published.json()["error"]["fields"]["location_sensitivity"] == message
    assert renamed.status_code == 200, renamed.json()
    places["generalised"].refresh_from_db()
    assert (places["generalised"].latitude, places["generalised"].location_sensitivity) == (34.374444, "generalised")


def test_a_misplaced_point_is_reported_without_quoting_a_protected_point(api_as, dana, places):
    api = api_as(dana)
    url = "/api/v1/sites/qasr-al-hayr-al-gharbi/"

    response = api.patch(url, {"countries": ["FR"]}, format="json", HTTP_IF_MATCH=api.get(url)["ETag"])

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"countries": [
        "The site's protected point is not in these countries. Send \"confirm_location\": true to save them, "
        "or ask an editor who may see exact locations to check it."
    ]}


def test_editors_with_the_permission_may_publish_a_protected_location(api_as, alice, places):
    api = api_as(alice)
    url = "/api/v1/sites/qasr-al-hayr-al-gharbi/"

    response = api.patch(url, {"location_sensitivity": "public"}, format="json", HTTP_IF_MATCH=api.get(url)["ETag"])

    assert response.status_code == 200
    assert (response.json()["latitude"], response.json()["location_generalised"]) == (34.374444, False)


def test_the_admin_shows_editors_without_the_permission_only_the_public_location(client, dana, places):
    client.force_login(dana)

    form = client.get(_admin_change(places["generalised"])).text
    hidden = client.get(_admin_change(places["hidden"])).text

    assert "34.35, 37.65 (generalised to a 0.1° grid cell, ± 8000 m)" in form
    assert 'name="latitude"' not in form and 'name="location_sensitivity"' not in form
    assert "Hidden: only editors who may see exact locations see it." in hidden
    assert client.get(_admin_old_version(places["hidden"])).status_code == 403


# A release reads in a transaction of its own (REPEATABLE READ on PostgreSQL), not inside the test's.
@pytest.mark.django_db(transaction=True)
def test_a_release_holds_no_protected_point(places, tmp_path, settings):
    settings.CANONICAL_URL = "https://heritage.example.org"
    call_command("release", output=str(tmp_path / "release"), date="2026-12-01")

    texts = {
        path.name: path.read_bytes().decode("utf-8", errors="replace")
        for path in (tmp_path / "release").rglob("*") if path.is_file()
    }
    assert any("Tower of Elahbel" in text and "37.65" in text for text in texts.values())
    for name, text in texts.items():
        for digits in HIDDEN_DIGITS + GENERALISED_DIGITS:
            assert digits not in text, f"{name} holds {digits}"
