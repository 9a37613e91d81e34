"""Linked Places Format: every site as an LPF Feature, valid against the schema the World Historical
Gazetteer validates contributions with (heritage/tests/data/lpf/ORIGIN.md)."""

import json
from pathlib import Path

import jsonschema
from django.utils import translation

from heritage.models import RiskProfile, StoredSiteDetail
from heritage.opendata.lpf import when_of
from sites.dates import bounds
from sites.models import Site

SCHEMA = json.loads((Path(__file__).parent / "data" / "lpf" / "schema_lpf_v1.2.2.json").read_text())
CONTEXT = "https://raw.githubusercontent.com/LinkedPasts/linked-places/master/linkedplaces-context-v1.1.jsonld"


def protect(slug, sensitivity):
    """Protect a site's location as an editor does: saved, then the write path's end (the admin's, the API's)."""
    site = Site.objects.get(slug=slug)
    site.location_sensitivity = sensitivity
    site.save()
    RiskProfile.objects.record_changed([site])


def streamed_json(response):
    return json.loads(b"".join(response.streaming_content))


def lpf_errors(collection):
    """What is wrong with an LPF FeatureCollection: its own shape, then each Feature against the schema."""
    errors = []
    if collection.get("@context") != CONTEXT or collection.get("type") != "FeatureCollection":
        errors.append("not an LPF FeatureCollection")
    validator = jsonschema.Draft7Validator(SCHEMA)
    for feature in collection["features"]:
        errors += [f"{feature.get('@id')}: {error.message}" for error in validator.iter_errors(feature)]
    return errors


def feature_of(collection, slug):
    return next(feature for feature in collection["features"] if feature["@id"].endswith(f"/sites/{slug}/"))


def test_the_whole_gazetteer_validates_against_the_lpf_schema(client, curated, db):
    response = client.get("/api/v1/sites/lpf/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/ld+json"
    collection = streamed_json(response)
    assert len(collection["features"]) == Site.objects.count() == 17
    assert lpf_errors(collection) == []


def test_the_schema_check_catches_a_feature_without_names(client, curated, db):
    collection = streamed_json(client.get("/api/v1/sites/lpf/"))
    del collection["features"][0]["names"]

    assert lpf_errors(collection) == [f"{collection['features'][0]['@id']}: 'names' is a required property"]


def test_palmyra_has_its_names_in_every_script_and_links_to_pleiades_wikidata_and_geonames(client, curated, db):
    collection = client.get("/api/v1/sites/palmyra/lpf/").json()
    palmyra = collection["features"][0]

    assert lpf_errors(collection) == []
    assert palmyra["@id"] == "http://testserver/sites/palmyra/"
    assert palmyra["properties"] == {"title": "Site of Palmyra", "ccodes": ["SY"]}
    assert {(name["toponym"], name["lang"]) for name in palmyra["names"]} >= {
        ("Site of Palmyra", "en"), ("تدمر", "ar"), ("Tadmur", "ar-Latn"), ("Hadriana Palmyra", "la"),
    }
    assert palmyra["types"] == [{"label": "Archaeological site", "sourceLabel": "archaeological-site"}]
    assert palmyra["links"] == [
        {"type": "closeMatch", "identifier": "https://sws.geonames.org/163809/"},
        {"type": "closeMatch", "identifier": "https://pleiades.stoa.org/places/668331"},
        {"type": "closeMatch", "identifier": "http://www.wikidata.org/entity/Q5747"},
        {"type": "seeAlso", "identifier": "https://whc.unesco.org/en/list/23/"},
    ]
    assert palmyra["geometry"] == {"type": "GeometryCollection", "geometries": [
        {"type": "Point", "coordinates": [38.26667, 34.55417], "certainty": "certain"},
    ]}
    assert "relations" not in palmyra and "when" not in palmyra


def test_a_part_says_what_it_is_part_of_and_when_it_was_built(client, curated, db):
    bel = client.get("/api/v1/sites/temple-of-bel/lpf/").json()["features"][0]

    assert bel["relations"] == [{
        "relationType": "gvp:broaderPartitive",
        "relationTo": "http://testserver/sites/palmyra/",
        "label": "part of Site of Palmyra",
    }]
    assert bel["when"] == {
        "timespans": [{"start": {"earliest": "0032-01-01", "latest": "0032-12-31"}}],
        "label": "AD 32",
        "certainty": "certain",
    }


def test_an_approximate_date_is_less_certain(client, curated, db):
    hypogeum = client.get("/api/v1/sites/hypogeum-three-brothers/lpf/").json()["features"][0]

    assert hypogeum["when"] == {
        "timespans": [{"start": {"earliest": "0140-01-01", "latest": "0160-12-31"}}],
        "label": "c. AD 140–160",
        "certainty": "less-certain",
    }


def test_a_dates_label_is_english_whatever_language_is_active():
    with translation.override("ar"):
        assert when_of("-0040", *bounds("-0040"))["label"] == "41 BC"


def test_a_bce_date_keeps_its_sign_and_an_uncertain_one_says_so():
    assert when_of("-0040", *bounds("-0040")) == {
        "timespans": [{"start": {"earliest": "-0040-01-01", "latest": "-0040-12-31"}}],
        "label": "41 BC",
        "certainty": "certain",
    }
    assert when_of("2015-06?", *bounds("2015-06?"))["certainty"] == "uncertain"
    assert when_of("", None, None) is None


def test_a_hidden_site_has_no_geometry_and_a_generalised_one_its_grid_cell(client, curated, db):
    protect("temple-of-bel", Site.LocationSensitivity.HIDDEN)
    protect("temple-of-baalshamin", Site.LocationSensitivity.GENERALISED)
    collection = streamed_json(client.get("/api/v1/sites/lpf/"))

    assert "geometry" not in feature_of(collection, "temple-of-bel")
    assert feature_of(collection, "temple-of-baalshamin")["geometry"]["geometries"] == [
        {"type": "Point", "coordinates": [38.25, 34.55], "certainty": "certain", "uncertainty_m": 7900,
         "generalised": True},
    ]
    assert "34.547" not in json.dumps(collection) and "38.273" not in json.dumps(collection)
    assert lpf_errors(collection) == []


def test_the_dump_shows_anonymous_points_even_to_an_editor_but_a_site_shows_the_editor_hers(
    client, curated, db, alice
):
    protect("temple-of-bel", Site.LocationSensitivity.HIDDEN)
    client.force_login(alice)

    dump = streamed_json(client.get("/api/v1/sites/lpf/"))
    own = client.get("/api/v1/sites/temple-of-bel/lpf/").json()["features"][0]

    assert "geometry" not in feature_of(dump, "temple-of-bel")
    assert own["geometry"]["geometries"][0]["coordinates"] == [38.2738581, 34.5473478]


def test_an_unknown_site_is_a_json_404(client, curated, db):
    response = client.get("/api/v1/sites/atlantis/lpf/")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json()["error"]["code"] == "not_found"


def test_the_dump_reads_the_stored_features_in_one_query_and_builds_them_in_three_when_none_is_stored(
    client, curated, db, django_assert_num_queries, monkeypatch
):
    monkeypatch.setattr("heritage.opendata.lpf.EXPORT_CHUNK", 2)
    # How many sites have no feature stored (at most a chunk's worth and one), then each site's feature as the
    # write path stored it (StoredSiteDetail.lpf_feature), read a chunk at a time.
    with django_assert_num_queries(2):
        stored = streamed_json(client.get("/api/v1/sites/lpf/"))
    StoredSiteDetail.objects.all().delete()
    # With none stored, the sites are built from the record: the sites with kind, parent, certainty and points;
    # their names (with kinds); their identifiers, each read a chunk at a time, side by side.
    with django_assert_num_queries(1 + 3):
        built = streamed_json(client.get("/api/v1/sites/lpf/"))

    assert stored == built
    assert len(stored["features"]) == Site.objects.count() > 2
