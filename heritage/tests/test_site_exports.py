"""The whole-table site exports: the CSV PostgreSQL writes is the CSV Python writes, and every export shows
a protected point as the API does.

On PostgreSQL the CSV of the sites is written by the database (COPY of the export's own queryset, points
from Site.objects.with_points_for()); elsewhere, and near a point, by csv.writer from the same queryset's
rows. The two are held to the same rows here, on sites chosen for what could tell them apart: protected
points, a point on whole degrees, quotes, commas and line breaks in the text, empty and missing values,
timestamps with and without microseconds.
"""

import csv
import datetime
import io
import json

import orjson
import pytest
from django.test.utils import override_script_prefix

from apikit.base import stream_csv_copy
from heritage.models import RiskProfile, StoredSiteDetail
from heritage.opendata.lpf import LPF_CONTEXT, features_in_chunks, site_feature, sites_for_lpf
from sites.models import Identifier, Site
from sites.tests.factories import DAMASCUS, PALMYRA, make_certainty, make_identifier, make_name, make_site

pytestmark = pytest.mark.django_db

SITES = "/api/v1/sites/"

# The Tower of Elahbel and Qasr al-Hayr al-Gharbi, as in test_location_sensitivity.py (English Wikipedia
# infoboxes, as mirrored); their sensitivity is the test's choice.
ELAHBEL = {"latitude": 34.5535764, "longitude": 38.2503176}
QASR = {"latitude": 34.374444, "longitude": 37.605833}


@pytest.fixture
def sites():
    palmyra = make_site("Site of Palmyra", slug="palmyra", countries=("SY",), location_certainty=make_certainty("high"),
                        **PALMYRA)
    make_site("Ancient City of Damascus", slug="damascus", kind="city", **DAMASCUS,
              summary='Said to be "the oldest", continuously inhabited,\r\nit is walled.\nSee\rbelow.')
    make_site("Tower of Elahbel", slug="tower-of-elahbel", kind="tomb", parent=palmyra, **ELAHBEL,
              location_sensitivity=Site.LocationSensitivity.HIDDEN)
    make_site("Qasr al-Hayr al-Gharbi", slug="qasr-al-hayr-al-gharbi", kind="palace", **QASR,
              coordinate_uncertainty_m=100, location_sensitivity=Site.LocationSensitivity.GENERALISED)
    # Made up for the test, not a place: a point on whole degrees, which PostgreSQL prints as "36", Python as "36.0".
    make_site("A test point on whole degrees", slug="whole-degrees", countries=("SY", "IQ"), latitude=36.0,
              longitude=0.0, coordinate_uncertainty_m=0, built="0032")
    make_site("A test site, nowhere", slug="nowhere", countries=())
    RiskProfile.objects.record_changed([palmyra])
    # Timestamps as the write path leaves them have microseconds; imported ones may not.
    Site.objects.filter(slug="nowhere").update(updated=datetime.datetime(2026, 1, 2, 3, 4, 5, tzinfo=datetime.UTC))


def _csv(client, params=None):
    response = client.get(f"{SITES}csv/", params or {"ordering": "name"})
    assert response.status_code == 200
    return b"".join(response.streaming_content).decode()


def _rows(text):
    return {row["slug"]: row for row in csv.DictReader(io.StringIO(text))}


@pytest.mark.postgres
@pytest.mark.parametrize("who", ["anonymous", "editor who sees exact points"])
def test_the_csv_postgresql_writes_is_the_csv_python_writes(api, alice, sites, monkeypatch, who):
    if who != "anonymous":
        api.force_authenticate(alice)
    written_by_postgresql = _csv(api)
    monkeypatch.setattr("heritage.api.views.copies_csv", lambda queryset: False)
    written_by_python = _csv(api)

    # One definition of the format (SITE_CSV_COLUMNS), two writers, the same bytes: lines end in LF in both.
    assert written_by_python.startswith("slug,name,kind,parent,countries,latitude,longitude,")
    assert written_by_postgresql == written_by_python
    assert "\r\n" not in written_by_python.replace('\r\nit is walled', '')
    rows = _rows(written_by_postgresql)
    assert len(rows) == 6
    assert (rows["whole-degrees"]["latitude"], rows["whole-degrees"]["longitude"]) == ("36.0", "0.0")
    assert rows["whole-degrees"]["countries"] == "IQ|SY"  # sorted, as django-countries stores them
    assert rows["damascus"]["summary"] == 'Said to be "the oldest", continuously inhabited,\r\nit is walled.\nSee\rbelow.'
    assert rows["nowhere"]["updated"] == "2026-01-02T03:04:05+00:00"
    assert (rows["palmyra"]["in_danger"], rows["palmyra"]["built"], rows["palmyra"]["location_certainty"]) == (
        "False", "", "high")
    assert rows["whole-degrees"]["built"] == "0032"
    assert (rows["nowhere"]["in_danger"], rows["nowhere"]["risk_level"], rows["nowhere"]["countries"]) == ("", "", "")


HEADER = ("slug,name,kind,parent,countries,latitude,longitude,coordinate_uncertainty_m,location_generalised,"
          "location_certainty,condition,risk_level,in_danger,built,summary,updated,url")


def test_the_csv_python_writes_ends_its_lines_as_copy_does(api, sites, monkeypatch):
    monkeypatch.setattr("heritage.api.views.copies_csv", lambda queryset: False)
    written = _csv(api)
    assert written.startswith(HEADER + "\n")
    assert written.count("\n") == 1 + 6 + 2  # the header, six sites, and two line breaks inside Damascus's summary
    assert "\r\n" not in written.replace('\r\nit is walled', '')


def test_the_csv_of_no_sites_is_its_header(api, sites):
    assert _csv(api, {"kind": "palace", "country": "IQ"}).splitlines() == [HEADER]


@pytest.mark.postgres
def test_a_queryset_that_can_match_nothing_is_copied_as_its_header():
    response = stream_csv_copy("none.csv", ["slug"], Site.objects.none().values_list("slug"))
    assert b"".join(response.streaming_content) == b"slug\n"


@pytest.mark.postgres
def test_postgresql_streams_the_csv_in_chunks_of_rows(api, sites, monkeypatch):
    monkeypatch.setattr("apikit.base.COPY_CHUNK_BYTES", 1)
    response = api.get(f"{SITES}csv/", {"ordering": "name"})
    chunks = list(response.streaming_content)

    # The header, then a chunk per row once a row fills a chunk, then what is left (nothing).
    assert len(chunks) == 1 + 6 + 1
    assert chunks[1].startswith(b"whole-degrees,")
    assert chunks[-1] == b""


@pytest.mark.parametrize("who", ["anonymous", "editor who sees exact points"])
def test_the_csv_the_geojson_and_the_api_show_each_point_alike(api, alice, sites, who):
    if who != "anonymous":
        api.force_authenticate(alice)
    rows = _rows(_csv(api))
    features = {
        feature["id"]: feature
        for feature in json.loads(b"".join(api.get(f"{SITES}geojson/").streaming_content))["features"]
    }
    for slug in ["palmyra", "tower-of-elahbel", "qasr-al-hayr-al-gharbi", "whole-degrees", "nowhere"]:
        detail = api.get(f"{SITES}{slug}/").json()
        row, feature = rows[slug], features[slug]
        point = None if detail["latitude"] is None else [detail["longitude"], detail["latitude"]]
        assert (feature["geometry"] or {}).get("coordinates") == point, slug
        assert [float(row["longitude"]), float(row["latitude"])] == point if point else row["latitude"] == "", slug
        assert feature["properties"]["coordinate_uncertainty_m"] == detail["coordinate_uncertainty_m"], slug
        uncertainty = detail["coordinate_uncertainty_m"]
        assert row["coordinate_uncertainty_m"] == ("" if uncertainty is None else str(uncertainty)), slug
        assert feature["properties"]["location_generalised"] is detail["location_generalised"], slug
        assert row["location_generalised"] == (str(detail["location_generalised"]) if point else ""), slug

    if who == "anonymous":
        assert rows["tower-of-elahbel"]["latitude"] == ""
        assert (rows["qasr-al-hayr-al-gharbi"]["latitude"], rows["qasr-al-hayr-al-gharbi"]["longitude"]) == (
            "34.35", "37.65")
        assert rows["qasr-al-hayr-al-gharbi"]["location_generalised"] == "True"
    else:
        assert rows["tower-of-elahbel"]["latitude"] == "34.5535764"
        assert rows["qasr-al-hayr-al-gharbi"]["longitude"] == "37.605833"
        assert rows["qasr-al-hayr-al-gharbi"]["location_generalised"] == "False"


def test_the_linked_places_dump_is_each_sites_own_feature_read_a_chunk_at_a_time(client, sites, monkeypatch, rf):
    palmyra, damascus = Site.objects.get(slug="palmyra"), Site.objects.get(slug="damascus")
    make_name(palmyra, "Tadmur", "ar-Latn", kind="transliteration")
    make_name(palmyra, "Palmyra", "en", kind="preferred")
    make_identifier(palmyra, Identifier.Authority.WIKIDATA, "Q5747")
    make_identifier(palmyra, Identifier.Authority.PLEIADES, "668331")
    make_name(palmyra, "تدمر", "ar")
    make_name(damascus, "Dimashq", "ar-Latn", kind="transliteration")
    make_name(damascus, "Damascus", "en", kind="preferred")
    make_name(damascus, "دمشق", "ar")
    make_identifier(damascus, Identifier.Authority.UNESCO, "20")
    RiskProfile.objects.record_changed([palmyra, damascus])  # where every editor's write ends (the admin's too)
    # Chunks of two: names and identifiers are read beside the sites, across the chunks' edges.
    monkeypatch.setattr("heritage.opendata.lpf.EXPORT_CHUNK", 2)

    dump = json.loads(b"".join(client.get("/api/v1/sites/lpf/").streaming_content))

    # What the site's own LPF address shows an anonymous reader, one site at a time.
    request = rf.get("/api/v1/sites/lpf/")
    assert dump["features"] == [json.loads(json.dumps(site_feature(site, request))) for site in sites_for_lpf(None)]
    assert [feature["@id"].rsplit("/", 2)[1] for feature in dump["features"]] == sorted(
        ["palmyra", "damascus", "tower-of-elahbel", "qasr-al-hayr-al-gharbi", "whole-degrees", "nowhere"])
    by_slug = {feature["@id"].rsplit("/", 2)[1]: feature for feature in dump["features"]}
    # Both name kinds at position 1 here: by language, then name (SiteName.Meta.ordering).
    assert [name["toponym"] for name in by_slug["palmyra"]["names"]] == ["تدمر", "Tadmur", "Palmyra"]
    assert [name["toponym"] for name in by_slug["damascus"]["names"]] == ["دمشق", "Dimashq", "Damascus"]
    assert "geometry" not in by_slug["tower-of-elahbel"]
    assert by_slug["qasr-al-hayr-al-gharbi"]["geometry"]["geometries"][0]["coordinates"] == [37.65, 34.35]


def _lpf_dump(client):
    response = client.get("/api/v1/sites/lpf/")
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def _built_dump(rf):
    """The dump as built from the record itself, no stored feature read, in the view's envelope."""
    features = b",".join(features_in_chunks(sites_for_lpf(None), rf.get("/api/v1/sites/lpf/")))
    return b'{"@context":' + orjson.dumps(LPF_CONTEXT) + b',"type":"FeatureCollection","features":[' + features + b"]}"


def test_the_linked_places_dump_reads_the_features_the_write_path_stored_in_one_query(
        client, sites, rf, django_assert_num_queries):
    RiskProfile.objects.record_changed(Site.objects.all())
    assert StoredSiteDetail.objects.current().count() == Site.objects.count()

    # How many are not stored, then the features, however many sites (the test's transaction is the snapshot).
    with django_assert_num_queries(2):
        dump = _lpf_dump(client)

    assert dump == _built_dump(rf)


def test_the_linked_places_dump_builds_the_few_features_not_stored_or_stored_by_older_code(client, sites, rf, monkeypatch):
    RiskProfile.objects.record_changed(Site.objects.all())
    StoredSiteDetail.objects.filter(site__slug="damascus").delete()
    StoredSiteDetail.objects.filter(site__slug="nowhere").update(built_by="an older version", lpf_feature='{"old":1}')
    monkeypatch.setattr("heritage.opendata.lpf.EXPORT_CHUNK", 2)

    assert _lpf_dump(client) == _built_dump(rf)


@pytest.mark.parametrize("prefix", ["/heritage/", "/hé ritage/"])
def test_the_stored_linked_places_dump_is_the_built_one_under_a_script_prefix(client, sites, rf, prefix):
    RiskProfile.objects.record_changed(Site.objects.all())

    with override_script_prefix(prefix):
        dump = _lpf_dump(client)

        assert dump == _built_dump(rf)
    assert b"/h%C3%A9%20ritage/sites/palmyra/" in dump if "é" in prefix else b"/heritage/sites/palmyra/" in dump


def test_an_editors_write_shows_in_the_linked_places_dump_in_the_site_and_its_parts(client, sites):
    RiskProfile.objects.record_changed(Site.objects.all())
    palmyra = Site.objects.get(slug="palmyra")
    make_name(palmyra, "Tadmor", "en", kind="historical")
    palmyra.name = "Palmyra"
    palmyra.save()
    RiskProfile.objects.record_changed([palmyra])

    features = {feature["@id"].rsplit("/", 2)[1]: feature for feature in json.loads(_lpf_dump(client))["features"]}

    assert "Tadmor" in [name["toponym"] for name in features["palmyra"]["names"]]
    assert features["tower-of-elahbel"]["relations"][0]["label"] == "part of Palmyra"
