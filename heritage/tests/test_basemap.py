"""The map's context layers: what scripts/build_basemap.py keeps of Natural Earth, and the files it wrote to
static/basemap/, which the map (static/js/map.js) reads."""

import importlib.util
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("build_basemap", ROOT / "scripts" / "build_basemap.py")
build_basemap = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(build_basemap)

BOX = (0.0, 0.0, 10.0, 10.0)


def place(name, lon, lat, **properties):
    props = {"NAME": name, "NAME_EN": None, "min_zoom": 6.7, "FEATURECLA": "Populated place", "POP_MAX": 1000,
             "wikidataid": None, **properties}
    return {"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, lat]}, "properties": props}


def test_towns_outside_the_region_are_left_out_and_the_rest_keep_their_english_name_and_zoom():
    collection = build_basemap.places([
        place("Hims", 5.123456, 5.0, NAME_EN="Homs", POP_MAX=900, wikidataid="Q131301"),
        place("Tadmur", 6.0, 6.0, POP_MAX=50),
        place("Far away", 11.0, 5.0),
    ], BOX)

    assert collection["type"] == "FeatureCollection"
    assert [feature["properties"] for feature in collection["features"]] == [
        {"name": "Homs", "local_name": "Hims", "min_zoom": 6.7, "capital": False, "population": 900,
         "wikidata": "Q131301"},
        {"name": "Tadmur", "local_name": "Tadmur", "min_zoom": 6.7, "capital": False, "population": 50,
         "wikidata": None},
    ]
    assert collection["features"][0]["geometry"] == {"type": "Point", "coordinates": [5.1235, 5.0]}


def test_a_river_is_cut_where_it_crosses_the_regions_edge_and_split_where_it_leaves_and_comes_back():
    river = {
        "type": "Feature",
        "geometry": {"type": "LineString", "coordinates": [[-5, 5], [5, 5], [15, 5], [15, 8], [5, 8], [5, 9]]},
        "properties": {"name": "Al Furat", "min_zoom": 3.0, "featurecla": "River"},
    }
    outside = {**river, "geometry": {"type": "LineString", "coordinates": [[20, 20], [30, 30]]}}

    collection = build_basemap.rivers([river, outside], BOX)

    assert collection["features"] == [{
        "type": "Feature",
        "geometry": {"type": "MultiLineString", "coordinates": [[[0, 5], [5, 5], [10, 5]], [[10, 8], [5, 8], [5, 9]]]},
        "properties": {"name": "Al Furat", "min_zoom": 3.0, "kind": "River"},
    }]


def test_a_lake_across_the_regions_edge_keeps_only_its_part_inside():
    lake = {
        "type": "Feature",
        "geometry": {"type": "Polygon", "coordinates": [[[8, 2], [12, 2], [12, 4], [8, 4], [8, 2]]]},
        "properties": {"name": "Buhayrat al-Assad", "min_zoom": 5.7, "featurecla": "Reservoir"},
    }

    (feature,) = build_basemap.lakes([lake], BOX)["features"]

    ring = feature["geometry"]["coordinates"][0][0]
    assert ring[0] == ring[-1]
    assert sorted(map(tuple, ring[:-1])) == [(8, 2), (8, 4), (10, 2), (10, 4)]
    assert feature["properties"] == {"name": "Buhayrat al-Assad", "min_zoom": 5.7, "kind": "Reservoir"}


@pytest.fixture(scope="module")
def vendored():
    return {
        name: json.loads((build_basemap.OUTPUT / f"{name}-10m.geojson").read_text(encoding="utf-8"))
        for name in build_basemap.BUILDERS
    }


def test_the_vendored_layers_hold_the_regions_towns_and_rivers_within_its_bounds(vendored):
    west, south, east, north = build_basemap.REGION
    points = [feature["geometry"]["coordinates"] for feature in vendored["places"]["features"]]
    points += [
        point
        for name in ("rivers", "lakes")
        for feature in vendored[name]["features"]
        for part in feature["geometry"]["coordinates"]
        for point in (part if name == "rivers" else [p for ring in part for p in ring])
    ]
    assert all(west <= lon <= east and south <= lat <= north for lon, lat in points)

    towns = {feature["properties"]["name"]: feature for feature in vendored["places"]["features"]}
    # Natural Earth's points for them, 1:10m: Tadmur is the modern town beside ancient Palmyra.
    assert towns["Tadmur"]["geometry"]["coordinates"] == [38.2833, 34.5504]
    assert towns["Homs"]["properties"]["local_name"] == "Hims"
    assert towns["Damascus"]["properties"]["capital"] is True
    assert {"Al Furat", "Euphrates", "Tigris", "Jordan"} <= {f["properties"]["name"] for f in vendored["rivers"]["features"]}
    assert "Buhayrat al-Assad" in {feature["properties"]["name"] for feature in vendored["lakes"]["features"]}


def test_the_vendored_towns_come_largest_first_so_that_a_crowded_map_keeps_the_cities(vendored):
    populations = [feature["properties"]["population"] for feature in vendored["places"]["features"]]
    assert populations == sorted(populations, reverse=True)


def test_an_arabic_name_is_kept_only_where_every_row_of_a_name_agrees_on_it():
    rows = [
        {"name": "Al Furat", "name_ar": "الفرات"},
        {"name": "Al Furat", "name_ar": "الفرات "},
        {"name": "Jordan", "name_ar": "نهر الأردن"},
        {"name": "Jordan", "name_ar": "الأردن"},
        {"name": "Khabur", "name_ar": ""},
        {"name": "", "name_ar": "نهر"},
    ]

    assert build_basemap.arabic_names(rows, "name", "name_ar") == {"Al Furat": "الفرات"}


def test_features_take_the_arabic_name_of_their_key_and_the_others_keep_only_the_english():
    collection = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": None, "properties": {"name": "Damascus", "wikidata": "Q3766"}},
        {"type": "Feature", "geometry": None, "properties": {"name": "Homs", "wikidata": "Q131301", "name_ar": "old"}},
        {"type": "Feature", "geometry": None, "properties": {"name": "Nowhere", "wikidata": None}},
    ]}

    count = build_basemap.add_arabic_names(collection, {"Q3766": "دمشق"}, "wikidata")

    assert count == 1
    assert [feature["properties"].get("name_ar") for feature in collection["features"]] == ["دمشق", None, None]


def test_the_vendored_layers_name_the_euphrates_the_lakes_and_the_cities_in_arabic(vendored):
    def arabic(layer, name):
        return {f["properties"].get("name_ar") for f in vendored[layer]["features"] if f["properties"]["name"] == name}

    # Natural Earth 5's name_ar (static/basemap/README.txt): one Arabic name for the Euphrates in three countries.
    assert arabic("rivers", "Al Furat") == arabic("rivers", "Firat") == arabic("rivers", "Euphrates") == {"الفرات"}
    assert arabic("lakes", "Buhayrat al-Assad") == {"بحيرة الأسد"}
    assert arabic("places", "Damascus") == {"دمشق"}
    assert arabic("places", "Aleppo") == {"حلب"}
    # Only the larger towns are in the table the Arabic names come from: the others stay in English.
    assert arabic("places", "Tadmur") == {None}
