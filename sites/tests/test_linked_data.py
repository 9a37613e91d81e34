from sites.linked_data import site_json_ld
from sites.tests.factories import PALMYRA, make_identifier, make_name, make_site


def test_a_monument_is_a_historical_building_linked_to_its_authorities(db, settings):
    settings.CANONICAL_URL = "https://heritage.example.org"
    palmyra = make_site("Site of Palmyra", slug="palmyra", **PALMYRA)
    temple = make_site("Temple of Bel", slug="temple-of-bel", kind="temple", parent=palmyra,
                       latitude=34.5473478, longitude=38.2738581)
    make_identifier(temple, "wikidata", "Q797481")
    make_identifier(temple, "pleiades", "35794949")
    make_name(temple, "معبد بل", language="ar")

    document = site_json_ld(temple)

    assert document["@type"] == "LandmarksOrHistoricalBuildings"
    assert document["geo"] == {"@type": "GeoCoordinates", "latitude": 34.5473478, "longitude": 38.2738581}
    assert document["@id"] == "https://heritage.example.org/sites/temple-of-bel/"
    assert document["containedInPlace"] == {
        "@id": "https://heritage.example.org/sites/palmyra/", "@type": "Place", "name": "Site of Palmyra",
    }
    assert document["alternateName"] == [{"@value": "معبد بل", "@language": "ar"}]
    assert sorted(document["sameAs"]) == [
        "https://pleiades.stoa.org/places/35794949",
        "https://www.wikidata.org/wiki/Q797481",
    ]


def test_a_whole_site_is_a_place_and_unknown_locations_are_left_out(db, settings):
    settings.CANONICAL_URL = "https://heritage.example.org"
    site = make_site("Unlocated site")

    document = site_json_ld(site)

    assert document["@type"] == "Place"
    assert "geo" not in document
    assert document["address"]["addressCountry"] == ["SY"]
