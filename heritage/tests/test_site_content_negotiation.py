"""A site's address serves its page, its JSON-LD or its GeoJSON, as the Accept header asks (linked data that links)."""

import pytest

from sites.tests.factories import PALMYRA, make_identifier, make_site

BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
TEMPLE_OF_BEL = {"latitude": 34.5473478, "longitude": 38.2738581}


@pytest.fixture
def bel(db, settings):
    settings.CANONICAL_URL = "https://heritage.example.org"
    palmyra = make_site("Site of Palmyra", slug="palmyra", **PALMYRA)
    temple = make_site("Temple of Bel", slug="temple-of-bel", kind="temple", parent=palmyra, **TEMPLE_OF_BEL)
    make_identifier(temple, "wikidata", "Q797481")
    return temple


def test_a_browser_gets_the_page(client, bel):
    response = client.get("/sites/temple-of-bel/", HTTP_ACCEPT=BROWSER_ACCEPT)

    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert "Accept" in response["Vary"]


def test_json_ld_is_served_at_the_page_address_and_links_its_whole_by_uri(client, bel):
    response = client.get("/sites/temple-of-bel/", HTTP_ACCEPT="application/ld+json")

    assert response["Content-Type"] == "application/ld+json"
    assert "Accept" in response["Vary"]
    document = response.json()
    assert document["@id"] == "https://heritage.example.org/sites/temple-of-bel/"
    assert document["containedInPlace"] == {
        "@id": "https://heritage.example.org/sites/palmyra/", "@type": "Place", "name": "Site of Palmyra",
    }
    assert document["sameAs"] == ["https://www.wikidata.org/wiki/Q797481"]


def test_geojson_is_served_at_the_page_address_as_a_feature(client, bel):
    response = client.get("/sites/temple-of-bel/", HTTP_ACCEPT="application/geo+json")

    assert response["Content-Type"] == "application/geo+json"
    assert response.json() == {
        "type": "Feature",
        "id": "https://heritage.example.org/sites/temple-of-bel/",
        "geometry": {"type": "Point", "coordinates": [38.2738581, 34.5473478]},
        "properties": {
            "slug": "temple-of-bel", "name": "Temple of Bel", "kind": "temple",
            "part_of": "https://heritage.example.org/sites/palmyra/", "countries": ["SY"],
            "coordinate_uncertainty_m": None, "location_generalised": False,
        },
    }


def test_the_preferred_type_wins_by_quality(client, bel):
    response = client.get("/sites/temple-of-bel/", HTTP_ACCEPT="text/html;q=0.5, application/ld+json")

    assert response["Content-Type"] == "application/ld+json"


def test_the_uri_is_the_same_in_every_language_and_in_the_api(client, api, bel):
    arabic = client.get("/ar/sites/temple-of-bel/", HTTP_ACCEPT="application/ld+json").json()
    from_api = api.get("/api/v1/sites/temple-of-bel/jsonld/").json()

    assert arabic["@id"] == from_api["@id"] == "https://heritage.example.org/sites/temple-of-bel/"


def test_without_a_canonical_host_uris_use_the_requests_host(client, bel, settings):
    settings.CANONICAL_URL = ""

    document = client.get("/sites/temple-of-bel/", HTTP_ACCEPT="application/ld+json").json()

    assert document["@id"] == "http://testserver/sites/temple-of-bel/"


def test_the_response_cache_keeps_each_representation_apart(client, bel, settings):
    settings.RESPONSE_CACHE_SECONDS = 300

    page = client.get("/sites/temple-of-bel/", HTTP_ACCEPT=BROWSER_ACCEPT)
    document = client.get("/sites/temple-of-bel/", HTTP_ACCEPT="application/ld+json")
    feature = client.get("/sites/temple-of-bel/", HTTP_ACCEPT="application/geo+json")
    document_again = client.get("/sites/temple-of-bel/", HTTP_ACCEPT="application/ld+json")

    assert [page["X-Response-Cache"], document["X-Response-Cache"], feature["X-Response-Cache"]] == ["miss"] * 3
    assert document_again["X-Response-Cache"] == "hit"
    assert document_again["Content-Type"] == "application/ld+json"
    assert document_again.json() == document.json()


def test_an_unknown_site_is_not_found_in_any_representation(client, db):
    assert client.get("/sites/atlantis/", HTTP_ACCEPT="application/ld+json").status_code == 404
    assert client.get("/sites/atlantis/", HTTP_ACCEPT="application/geo+json").status_code == 404
