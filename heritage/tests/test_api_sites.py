import csv
import functools
import io
import json

import pytest
from django.http import StreamingHttpResponse

from apikit.base import batches
from heritage.models import RiskProfile, Status, StoredSiteDetail
from heritage.tests.factories import make_assessment, make_category, make_event, make_incident
from sites import geography
from sites.models import Designation, Identifier, Site
from sites.tests.factories import (
    DAMASCUS,
    PALMYRA,
    make_certainty,
    make_designation,
    make_identifier,
    make_name,
    make_site,
)

pytestmark = pytest.mark.django_db

SITES = "/api/v1/sites/"


@pytest.fixture
def palmyra():
    site = make_site("Site of Palmyra", slug="palmyra", **PALMYRA)
    make_name(site, "Palmyra", "en", kind="preferred")
    make_name(site, "تدمر", "ar")
    make_name(site, "Tadmur", "ar-Latn", kind="transliteration")
    make_identifier(site, Identifier.Authority.UNESCO, "23")
    make_identifier(site, Identifier.Authority.WIKIDATA, "Q5747")
    make_identifier(site, Identifier.Authority.PLEIADES, "668331")
    make_designation(site, criteria="(i)(ii)(iv)", reference="23")
    make_designation(site, kind=Designation.Kind.IN_DANGER, start="2013")
    RiskProfile.objects.record_changed([site])  # as every writer ends; the factories write raw
    return site


@pytest.fixture
def bel(palmyra):
    site = make_site("Temple of Bel", slug="temple-of-bel", kind="temple", parent=palmyra,
                     latitude=34.5473478, longitude=38.2738581, built="0032")
    RiskProfile.objects.record_changed([site])
    return site


@pytest.fixture
def damascus():
    site = make_site("Ancient City of Damascus", slug="damascus", kind="city", **DAMASCUS)
    RiskProfile.objects.record_changed([site])
    return site


def results(response):
    assert response.status_code == 200, response.content
    return [item["slug"] for item in response.json()["results"]]


def test_the_list_shows_each_site_with_its_place_kind_and_risk(api, palmyra, bel):
    response = api.get(SITES)
    body = response.json()
    assert body["count"] == 2
    assert body["next"] is None and body["previous"] is None
    palmyra_item = next(item for item in body["results"] if item["slug"] == "palmyra")
    assert palmyra_item["url"] == "http://testserver/api/v1/sites/palmyra/"
    assert palmyra_item["name"] == "Site of Palmyra"
    assert palmyra_item["kind"] == {"slug": "archaeological-site", "label": "Archaeological site"}
    assert palmyra_item["countries"] == ["SY"]
    assert palmyra_item["latitude"] == PALMYRA["latitude"]
    assert palmyra_item["risk_profile"]["in_danger"] is True
    assert palmyra_item["risk_profile"]["risk_level"] == "high"
    assert palmyra_item["risk_profile"]["risk_reasons"] == ["On the List of World Heritage in Danger."]
    assert palmyra_item["distance_km"] is None
    bel_item = next(item for item in body["results"] if item["slug"] == "temple-of-bel")
    assert bel_item["parent"] == {
        "slug": "palmyra", "name": "Site of Palmyra", "url": "http://testserver/api/v1/sites/palmyra/"
    }


def test_the_detail_gives_names_identifiers_designations_and_links(api, palmyra, bel):
    make_event([palmyra], title="Dedication of the Temple of Bel", date="0032")
    make_incident([palmyra], title="Theatre used for executions", date="2015-07")
    response = api.get(f"{SITES}palmyra/")
    assert response.status_code == 200
    site = response.json()
    assert {(name["name"], name["language"], name["is_rtl"]) for name in site["names"]} == {
        ("Palmyra", "en", False), ("تدمر", "ar", True), ("Tadmur", "ar-Latn", False),
    }
    assert {identifier["url"] for identifier in site["identifiers"]} == {
        "https://whc.unesco.org/en/list/23/",
        "https://www.wikidata.org/wiki/Q5747",
        "https://pleiades.stoa.org/places/668331",
    }
    assert [(d["kind"], d["period"], d["criteria"]) for d in site["designations"]] == [
        ("world-heritage", "since 1980", "(i)(ii)(iv)"), ("in-danger", "since 2013", ""),
    ]
    assert [part["slug"] for part in site["parts"]] == ["temple-of-bel"]
    assert [event["title"] for event in site["events"]] == ["Dedication of the Temple of Bel"]
    assert site["events"][0]["url"].startswith("http://testserver/api/v1/events/event-")
    assert [incident["title"] for incident in site["incidents"]] == ["Theatre used for executions"]
    assert site["risk_profile"]["risk_level"] == "high"
    assert site["risk_profile"]["standing_incidents"] == 1
    assert site["jsonld_url"] == "http://testserver/api/v1/sites/palmyra/jsonld/"


def test_a_site_without_a_risk_profile_shows_null(api, palmyra):
    palmyra.risk_profile.delete()
    palmyra.stored_detail.delete()  # stored with the profile: before the first refresh there is neither
    assert api.get(f"{SITES}palmyra/").json()["risk_profile"] is None


def test_drafts_linked_to_a_site_are_hidden_from_readers_but_shown_to_editors(api, api_as, alice, charlie, palmyra):
    make_incident([palmyra], title="Published", date="2015-08-30")
    make_incident([palmyra], title="Draft", date="2015-08-31", status=Status.DRAFT)
    make_event([palmyra], title="Draft event", status=Status.DRAFT)
    for client in (api, api_as(charlie)):
        site = client.get(f"{SITES}palmyra/").json()
        assert [incident["title"] for incident in site["incidents"]] == ["Published"]
        assert site["events"] == []
    site = api_as(alice).get(f"{SITES}palmyra/").json()
    assert [incident["title"] for incident in site["incidents"]] == ["Draft", "Published"]
    assert [event["title"] for event in site["events"]] == ["Draft event"]


def test_an_unknown_site_is_a_json_404(api):
    response = api.get(f"{SITES}atlantis/")
    assert response.status_code == 404
    assert response.json() == {"error": {"status": 404, "code": "not_found", "message": "No Site matches the given query."}}


# Filters --------------------------------------------------------------------


def test_it_filters_by_country_including_transboundary_sites(api, palmyra):
    make_site("Baghdad site", slug="baghdad", countries=("IQ",))
    make_site("Border site", slug="border", countries=("IQ", "SY"))
    assert results(api.get(SITES, {"country": "IQ", "ordering": "name"})) == ["baghdad", "border"]
    assert results(api.get(SITES, {"country": "SY", "ordering": "name"})) == ["border", "palmyra"]


def test_it_filters_by_kind_parent_and_name_in_any_script(api, palmyra, bel, damascus):
    assert results(api.get(SITES, {"kind": "temple"})) == ["temple-of-bel"]
    assert results(api.get(SITES, {"parent": "palmyra"})) == ["temple-of-bel"]
    assert results(api.get(SITES, {"q": "تدمر"})) == ["palmyra"]
    assert results(api.get(SITES, {"q": "TADMUR"})) == ["palmyra"]


def test_it_filters_by_condition_risk_and_in_danger(api, palmyra, bel, damascus):
    make_assessment(bel, "destroyed", date="2015-08-31")
    assert results(api.get(SITES, {"condition": "destroyed"})) == ["temple-of-bel"]
    assert results(api.get(SITES, {"in_danger": "true", "ordering": "name"})) == ["palmyra", "temple-of-bel"]
    assert results(api.get(SITES, {"in_danger": "false"})) == ["damascus"]
    assert results(api.get(SITES, {"risk": "unknown"})) == ["damascus"]
    assert results(api.get(SITES, {"ordering": "-risk,name"}))[-1] == "damascus"


def test_a_primary_category_finds_sites_with_incidents_in_its_secondary_ones(api, palmyra, bel, damascus):
    category = make_category()
    make_incident([bel], category=category)
    make_incident([damascus], category=category, status=Status.DRAFT)
    assert results(api.get(SITES, {"category": category.parent.slug})) == ["temple-of-bel"]
    assert results(api.get(SITES, {"category": category.slug})) == ["temple-of-bel"]


def test_it_filters_by_construction_date_before_and_after_the_common_era(api, palmyra):
    make_site("Old", slug="old", built="-0040")
    make_site("Roman", slug="roman", built="0140~/0160~")
    assert results(api.get(SITES, {"built_to": "-0001"})) == ["old"]
    assert results(api.get(SITES, {"built_to": "-40"})) == ["old"]
    assert results(api.get(SITES, {"built_from": "0100", "built_to": "0200"})) == ["roman"]
    assert results(api.get(SITES, {"built_from": "0150-06-01"})) == ["roman"]


def test_updated_since_finds_only_sites_changed_since(api, palmyra, damascus):
    Site.objects.filter(slug="palmyra").update(updated="2020-01-01T00:00:00Z")
    assert results(api.get(SITES, {"updated_since": "2021-01-01T00:00:00Z"})) == ["damascus"]
    assert results(api.get(SITES, {"updated_since": "2019-12-31T23:00:00+00:00", "ordering": "updated"})) == [
        "palmyra", "damascus",
    ]


def test_it_orders_by_name_or_construction_date(api):
    make_site("B", slug="b", built="0032")
    make_site("A", slug="a", built="-0040")
    make_site("C", slug="c", built="2001")
    assert results(api.get(SITES, {"ordering": "-name"})) == ["c", "b", "a"]
    assert results(api.get(SITES, {"ordering": "built"})) == ["a", "b", "c"]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"country": "XX"}, "country"),
        ({"kind": "spaceport"}, "kind"),
        ({"parent": "atlantis"}, "parent"),
        ({"condition": "shiny"}, "condition"),
        ({"risk": "extreme"}, "risk"),
        ({"in_danger": "maybe"}, "in_danger"),
        ({"category": "unknown-factor"}, "category"),
        ({"built_from": "last tuesday"}, "built_from"),
        ({"built_to": "2015-13-45"}, "built_to"),
        ({"updated_since": "yesterday"}, "updated_since"),
        ({"ordering": "colour"}, "ordering"),
        ({"page": "0"}, "page"),
        ({"page": "two"}, "page"),
        ({"page_size": "100000"}, "page_size"),
        ({"pagination": "scroll"}, "pagination"),
        ({"pagination": ""}, "pagination"),
        ({"ordering": ""}, "ordering"),
        ({"kind": ""}, "kind"),
        ({"q": ""}, "q"),
        ({"cursor": "not-a-cursor"}, "cursor"),
        ({"near": "34.5"}, "near"),
        ({"near": "91,38"}, "near"),
        ({"near": "34,181"}, "near"),
        ({"near": "nan,38"}, "near"),
        ({"near": "34,38", "radius_km": "-1"}, "radius_km"),
        ({"near": "34,38", "radius_km": "inf"}, "radius_km"),
        ({"radius_km": "10"}, "radius_km"),
        ({"near": "34,38", "ordering": "name"}, "ordering"),
        ({"near": "34,38", "pagination": "cursor"}, "pagination"),
    ],
)
def test_bad_parameters_get_a_400_naming_the_field(api, palmyra, params, field):
    response = api.get(SITES, params)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["status"] == 400 and error["code"] == "invalid"
    assert field in error["fields"], error
    assert error["message"].startswith(f"{field}: ")


def test_a_page_past_the_end_is_a_404(api, palmyra):
    response = api.get(SITES, {"page": "9"})
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


# Pagination -----------------------------------------------------------------


def test_pages_carry_a_count_and_links(api):
    for number in range(5):
        make_site(f"Site {number}", slug=f"site-{number}")
    body = api.get(SITES, {"page_size": 2, "page": 2, "ordering": "name"}).json()
    assert body["count"] == 5
    assert [item["slug"] for item in body["results"]] == ["site-2", "site-3"]
    assert body["next"] == "http://testserver/api/v1/sites/?ordering=name&page=3&page_size=2"
    assert body["previous"] == "http://testserver/api/v1/sites/?ordering=name&page_size=2"


def test_cursor_pagination_walks_every_site_once_in_id_order(api):
    created = [make_site(f"Site {number}", slug=f"site-{number}").slug for number in range(5)]
    seen, url = [], f"{SITES}?pagination=cursor&page_size=2"
    while url:
        body = api.get(url).json()
        assert body["count"] is None
        seen += [item["slug"] for item in body["results"]]
        url = body["next"]
    assert seen == created


# Geography -------------------------------------------------------------------


def test_near_returns_sites_within_the_radius_nearest_first_with_distances(api, palmyra, bel, damascus):
    body = api.get(SITES, {"near": "34.5473478,38.2738581", "radius_km": "10"}).json()
    assert [item["slug"] for item in body["results"]] == ["temple-of-bel", "palmyra"]
    assert body["results"][0]["distance_km"] == 0
    assert 0.8 < body["results"][1]["distance_km"] < 1.2
    body = api.get(SITES, {"near": f"{DAMASCUS['latitude']},{DAMASCUS['longitude']}", "radius_km": "300"}).json()
    assert [item["slug"] for item in body["results"]] == ["damascus", "palmyra", "temple-of-bel"]
    assert 205 < body["results"][1]["distance_km"] < 225


def test_near_combines_with_other_filters(api, palmyra, bel, damascus):
    body = api.get(SITES, {"near": "34.55,38.27", "radius_km": "500", "kind": "city"}).json()
    assert [item["slug"] for item in body["results"]] == ["damascus"]


def test_near_pages_follow_the_exact_distance_order(api):
    import random

    generator = random.Random(3)
    origin = (34.55, 38.27)
    for number in range(60):
        make_site(f"Cluster {number}", latitude=origin[0] + generator.uniform(-0.4, 0.4),
                  longitude=origin[1] + generator.uniform(-0.4, 0.4))
    expected = sorted(
        (site for site in Site.objects.all() if geography.distance_km(origin, site.point) <= 40),
        key=lambda site: geography.distance_km(origin, site.point),
    )
    params = {"near": "34.55,38.27", "radius_km": "40", "page_size": 7}
    first, third = api.get(SITES, params).json(), api.get(SITES, {**params, "page": 3}).json()
    assert first["count"] == len(expected)
    assert [item["slug"] for item in first["results"]] == [site.slug for site in expected[:7]]
    assert [item["slug"] for item in third["results"]] == [site.slug for site in expected[14:21]]


def test_near_takes_two_queries_however_many_sites_are_near(api, django_assert_num_queries):
    # ids and coordinates of the candidates, then the page's sites (kind, parent and risk profile joined)
    for number in range(5):
        make_site(f"Near {number}", latitude=34.55 + number / 100, longitude=38.27)
    with django_assert_num_queries(2):
        assert api.get(SITES, {"near": "34.55,38.27", "radius_km": "50", "page_size": 3}).status_code == 200
    for number in range(40):
        make_site(f"Nearer {number}", latitude=34.55 - number / 1000, longitude=38.27)
    with django_assert_num_queries(2):
        assert api.get(SITES, {"near": "34.55,38.27", "radius_km": "50", "page_size": 30}).json()["count"] == 45


def test_geojson_is_a_feature_collection_with_longitude_first(api, palmyra, bel):
    make_site("Lost site", slug="lost")
    response = api.get(f"{SITES}geojson/", {"ordering": "name"})
    assert response.status_code == 200
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "application/geo+json"
    collection = json.loads(b"".join(response.streaming_content))
    assert collection["type"] == "FeatureCollection"
    features = {feature["id"]: feature for feature in collection["features"]}
    assert set(features) == {"palmyra", "temple-of-bel", "lost"}
    assert features["palmyra"]["type"] == "Feature"
    assert features["palmyra"]["geometry"] == {
        "type": "Point", "coordinates": [PALMYRA["longitude"], PALMYRA["latitude"]],
    }
    assert features["lost"]["geometry"] is None
    assert features["temple-of-bel"]["properties"]["parent"] == "palmyra"
    assert features["palmyra"]["properties"]["in_danger"] is True


def test_geojson_takes_the_list_filters(api, palmyra, bel, damascus):
    response = api.get(f"{SITES}geojson/", {"near": "34.5473478,38.2738581", "radius_km": "5"})
    collection = json.loads(b"".join(response.streaming_content))
    assert [feature["id"] for feature in collection["features"]] == ["temple-of-bel", "palmyra"]
    assert api.get(f"{SITES}geojson/", {"kind": "nope"}).status_code == 400


def test_geojson_errors_are_json(api):
    response = api.get(f"{SITES}geojson/", {"near": "x"}, HTTP_ACCEPT="application/geo+json")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json()["error"]["fields"]["near"]


def test_csv_streams_one_row_per_site(api, palmyra, bel):
    make_certainty("high")
    response = api.get(f"{SITES}csv/", {"ordering": "name"})
    assert response.status_code == 200
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="sites.csv"'
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert [row["slug"] for row in rows] == ["palmyra", "temple-of-bel"]
    assert rows[0]["countries"] == "SY"
    assert rows[0]["in_danger"] == "True"
    assert rows[0]["risk_level"] == "high"
    assert rows[1]["parent"] == "palmyra"
    assert rows[1]["built"] == "0032"
    assert rows[1]["url"] == "http://testserver/api/v1/sites/temple-of-bel/"


def test_csv_export_queries_stay_constant_as_sites_grow(api, django_assert_num_queries):
    for number in range(3):
        make_site(f"Site {number}")
    # One query for all the rows (kind, parent, certainty and risk profile joined); chunking adds none below 2000.
    with django_assert_num_queries(1):
        b"".join(api.get(f"{SITES}csv/").streaming_content)
    for number in range(30):
        make_site(f"More {number}")
    with django_assert_num_queries(1):
        b"".join(api.get(f"{SITES}csv/").streaming_content)


def test_geojson_export_queries_stay_constant_as_sites_grow(api, django_assert_num_queries):
    for number in range(3):
        make_site(f"Site {number}")
    # One query for all the rows (kind, parent and risk profile joined); chunking adds none below 2000.
    with django_assert_num_queries(1):
        assert len(json.loads(b"".join(api.get(f"{SITES}geojson/").streaming_content))["features"]) == 3
    for number in range(30):
        make_site(f"More {number}")
    with django_assert_num_queries(1):
        assert len(json.loads(b"".join(api.get(f"{SITES}geojson/").streaming_content))["features"]) == 33


def test_exports_written_a_chunk_at_a_time_join_into_one_document(api, palmyra, bel, damascus, monkeypatch):
    monkeypatch.setattr("heritage.api.views.batches", functools.partial(batches, size=2))
    collection = json.loads(b"".join(api.get(f"{SITES}geojson/", {"ordering": "name"}).streaming_content))
    assert [feature["id"] for feature in collection["features"]] == ["damascus", "palmyra", "temple-of-bel"]
    rows = list(csv.reader(io.StringIO(b"".join(api.get(f"{SITES}csv/", {"ordering": "name"}).streaming_content).decode())))
    assert [row[0] for row in rows] == ["slug", "damascus", "palmyra", "temple-of-bel"]


def test_exports_show_protected_points_as_anonymous_readers_may_see_them(api):
    # The Temple of Bel's point, generalised: the centre of its 0.1° cell, 7,900 m more uncertain.
    make_site("Generalised", slug="generalised", latitude=34.5473478, longitude=38.2738581,
              coordinate_uncertainty_m=20, location_sensitivity=Site.LocationSensitivity.GENERALISED)
    make_site("Hidden", slug="hidden", latitude=34.5473478, longitude=38.2738581,
              location_sensitivity=Site.LocationSensitivity.HIDDEN)
    collection = json.loads(b"".join(api.get(f"{SITES}geojson/", {"ordering": "name"}).streaming_content))
    generalised, hidden = collection["features"]
    assert generalised["geometry"] == {"type": "Point", "coordinates": [38.25, 34.55]}
    assert generalised["properties"]["coordinate_uncertainty_m"] == 7920
    assert generalised["properties"]["location_generalised"] is True
    assert hidden["geometry"] is None
    assert hidden["properties"]["coordinate_uncertainty_m"] is None
    assert hidden["properties"]["location_generalised"] is False
    response = api.get(f"{SITES}csv/", {"ordering": "name"})
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    point = ["latitude", "longitude", "coordinate_uncertainty_m", "location_generalised"]
    assert [[row[column] for column in point] for row in rows] == [["34.55", "38.25", "7920", "True"], ["", "", "", ""]]


def test_json_ld_describes_the_site_with_same_as_links(api, palmyra):
    response = api.get(f"{SITES}palmyra/jsonld/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/ld+json"
    document = response.json()
    assert document["@context"] == "https://schema.org"
    assert document["name"] == "Site of Palmyra"
    assert document["geo"]["latitude"] == PALMYRA["latitude"]
    assert "https://www.wikidata.org/wiki/Q5747" in document["sameAs"]
    assert "https://pleiades.stoa.org/places/668331" in document["sameAs"]
    assert api.get(f"{SITES}atlantis/jsonld/").status_code == 404


# Query counts ------------------------------------------------------------------


def test_the_list_takes_two_queries_whatever_the_page_size_and_data(api, django_assert_num_queries):
    for number in range(3):
        make_site(f"Site {number}")
    RiskProfile.objects.record_changed(Site.objects.all())  # as every writer ends; the factories write raw
    # count, then the page's list items as the write path stored them (heritage/api/stored.py)
    with django_assert_num_queries(2):
        assert api.get(SITES, {"page_size": 2}).status_code == 200
    for number in range(12):
        make_site(f"More {number}")
    make_incident([make_site("With an incident")])
    RiskProfile.objects.record_changed(Site.objects.all())
    with django_assert_num_queries(2):
        assert len(api.get(SITES, {"page_size": 16}).json()["results"]) == 16
    # Sites written around the write path have no stored item: the page's are built, with kind, parent and
    # risk profile (and its condition) joined, in one more query.
    make_site("Unstored")
    with django_assert_num_queries(3):
        assert len(api.get(SITES, {"page_size": 17}).json()["results"]) == 17


def test_the_detail_takes_a_fixed_number_of_queries(api, palmyra, bel, django_assert_num_queries, settings):
    settings.RESPONSE_CACHE_SECONDS = 0  # the queries of an answer built from the stored detail, not a cached one
    with django_assert_num_queries(1):  # the detail the write path stored (heritage/api/stored.py)
        api.get(f"{SITES}palmyra/")
    # Built when none is stored: that lookup; the site (kind, parent, certainty, risk profile joined), names,
    # identifiers, designations, parts, events, incidents.
    StoredSiteDetail.objects.all().delete()
    with django_assert_num_queries(8):
        api.get(f"{SITES}palmyra/")
    for number in range(3):
        make_event([palmyra])
        make_incident([palmyra])
        make_site(parent=palmyra)
        make_name(palmyra, f"Name {number}")
    StoredSiteDetail.objects.all().delete()
    with django_assert_num_queries(8):
        api.get(f"{SITES}palmyra/")
    RiskProfile.objects.record_changed([palmyra])  # as every writer ends; the factories write raw
    with django_assert_num_queries(1):
        detail = api.get(f"{SITES}palmyra/").json()
    assert (len(detail["events"]), len(detail["incidents"]), len(detail["parts"])) == (3, 3, 4)


def test_csv_rejects_bad_filters_before_streaming(api):
    response = api.get(f"{SITES}csv/", {"built_from": "whenever"})
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert list(response.json()["error"]["fields"]) == ["built_from"]
