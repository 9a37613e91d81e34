"""Builds the map's context layers (rivers, lakes, towns) from Natural Earth 1:10m, clipped to the region the
site serves: Syria and the near parts of its neighbours.

No package on npm, PyPI or Debian ships Natural Earth's rivers or populated places (see static/basemap/README.txt),
so the source is a GeoJSON conversion of Natural Earth 4.0.0 published on GitHub, read at a pinned commit from a
local clone, each archive checked against its SHA-256 before use. Re-run it after changing REGION or the kept
properties:

    git clone https://github.com/martynafford/natural-earth-geojson /tmp/ne-geojson
    git -C /tmp/ne-geojson checkout 0b9a6ceb0a7032713abd9460ac1e995a9c60cd1e
    .venv/bin/python scripts/build_basemap.py --source /tmp/ne-geojson

It needs Debian's 7zip (7zz) to open the archives. The output is committed: serving the map needs none of this.

Natural Earth 4.0.0 has no Arabic names; later releases have name_ar. Their attributes (without geometry) are in
CSV conversions of Natural Earth's tables, read at a pinned commit of a clone of ARABIC_SOURCE_REPOSITORY and
checked against their SHA-256. The Arabic names are joined to the features by Natural Earth's own name (rivers,
lakes) or Wikidata id (towns), on a fresh build or on the committed files:

    git clone https://github.com/Raysphere24/NaturalEarthCsvTsv /tmp/ne-csv
    .venv/bin/python scripts/build_basemap.py --source /tmp/ne-geojson --arabic-names /tmp/ne-csv
    .venv/bin/python scripts/build_basemap.py --arabic-names /tmp/ne-csv    # the committed files only
Coordinates are rounded to 4 decimals (about 11 m, far finer than a 1:10m source) and Leaflet simplifies lines
for each zoom as it draws, so one file per layer serves every zoom.
"""

import argparse
import csv
import hashlib
import io
import json
import subprocess
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUTPUT = ROOT / "static" / "basemap"

SOURCE_REPOSITORY = "https://github.com/martynafford/natural-earth-geojson"
SOURCE_COMMIT = "0b9a6ceb0a7032713abd9460ac1e995a9c60cd1e"
NATURAL_EARTH_VERSION = "4.0.0"
# Path in the source repository, SHA-256 of that archive, the GeoJSON file inside it.
SOURCES = {
    "places": (
        "10m/cultural/ne_10m_populated_places.7z",
        "acc60c9a83f6fd9ac26af34983c3fdd590722f29bde576fb348a7e652f04aa8b",
        "ne_10m_populated_places.json",
    ),
    "rivers": (
        "10m/physical/ne_10m_rivers_lake_centerlines.7z",
        "57bdf8d7aff155670520298e026ed9be10cb5c8b23a32edefc82e6eb055426c2",
        "ne_10m_rivers_lake_centerlines.json",
    ),
    "lakes": (
        "10m/physical/ne_10m_lakes.7z",
        "215fd5fdcf0aa043c50c6d262ca9d2ac4abf16c9281653341ecbd6bb1f1f91b4",
        "ne_10m_lakes.json",
    ),
}

ARABIC_SOURCE_REPOSITORY = "https://github.com/Raysphere24/NaturalEarthCsvTsv"
ARABIC_SOURCE_COMMIT = "7cc9ef2bd1e761f382238908066713be36dc30f0"
# Layer: path in that repository, SHA-256 of the file, the column the features are matched on (the feature's
# property of that name: its Natural Earth name or Wikidata id), the column of the Arabic name. The 1:10m populated
# places are missing from that repository (only the "simple" table, without names in other languages, is there),
# so towns take the names of Natural Earth's 1:50m populated places, which hold the larger towns.
ARABIC_SOURCES = {
    "places": (
        "csv_with_names/50m_cultural/ne_50m_populated_places.csv",
        "d6c69ab57b0bacdd68d0e80b6efe6163dea3beff7c287cd7c4d550be9a786e4c",
        ("WIKIDATAID", "wikidata"), "NAME_AR",
    ),
    "rivers": (
        "csv_with_names/10m_physical/ne_10m_rivers_lake_centerlines.csv",
        "de2c7e50f823f94b1fc4ec7c8ea57a20274411812aadf02c8cf2393d5e727ab5",
        ("name", "name"), "name_ar",
    ),
    "lakes": (
        "csv_with_names/10m_physical/ne_10m_lakes.csv",
        "e418be0745631b69e7f0c57a5f4f7ca24f2e8400ab0973a05655093bad031418",
        ("name", "name"), "name_ar",
    ),
}

# West, south, east, north: Syria (35.7–42.4°E, 32.3–37.3°N) with Lebanon, Jordan, Iraq, Cyprus, Israel and
# Palestine, and Turkey south of 38.6°N. Beyond it the map still has the country outlines, without context.
REGION = (32.0, 29.0, 48.8, 38.6)
DECIMALS = 4


def _round(point):
    return [round(point[0], DECIMALS), round(point[1], DECIMALS)]


def _inside(point, box):
    west, south, east, north = box
    return west <= point[0] <= east and south <= point[1] <= north


def clip_segment(a, b, box):
    """The part of segment a–b inside the box (Liang–Barsky), or None."""
    west, south, east, north = box
    dx, dy = b[0] - a[0], b[1] - a[1]
    t0, t1 = 0.0, 1.0
    for p, q in ((-dx, a[0] - west), (dx, east - a[0]), (-dy, a[1] - south), (dy, north - a[1])):
        if p == 0:
            if q < 0:
                return None
            continue
        t = q / p
        if p < 0:
            t0 = max(t0, t)
        else:
            t1 = min(t1, t)
        if t0 > t1:
            return None
    return [a[0] + t0 * dx, a[1] + t0 * dy], [a[0] + t1 * dx, a[1] + t1 * dy]


def clip_line(line, box):
    """The pieces of a polyline inside the box: a line that leaves and comes back becomes two."""
    pieces, current = [], []
    for a, b in zip(line, line[1:], strict=False):
        clipped = clip_segment(a, b, box)
        if clipped is None:
            if len(current) > 1:
                pieces.append(current)
            current = []
            continue
        start, end = clipped
        if not current or current[-1] != start:
            if len(current) > 1:
                pieces.append(current)
            current = [start]
        current.append(end)
        if end != b:  # left the box
            pieces.append(current)
            current = []
    if len(current) > 1:
        pieces.append(current)
    return pieces


def clip_ring(ring, box):
    """A polygon ring cut to the box (Sutherland–Hodgman: exact for a rectangle), closed, or None if empty."""
    west, south, east, north = box
    edges = (
        (lambda p: p[0] >= west, lambda a, b: _at_x(a, b, west)),
        (lambda p: p[0] <= east, lambda a, b: _at_x(a, b, east)),
        (lambda p: p[1] >= south, lambda a, b: _at_y(a, b, south)),
        (lambda p: p[1] <= north, lambda a, b: _at_y(a, b, north)),
    )
    points = ring[:-1] if ring and ring[0] == ring[-1] else list(ring)
    for keeps, crossing in edges:
        if not points:
            return None
        result = []
        for i, current in enumerate(points):
            previous = points[i - 1]
            if keeps(current):
                if not keeps(previous):
                    result.append(crossing(previous, current))
                result.append(current)
            elif keeps(previous):
                result.append(crossing(previous, current))
        points = result
    if len(points) < 3:
        return None
    return points + [points[0]]


def _at_x(a, b, x):
    return [x, a[1] + (b[1] - a[1]) * (x - a[0]) / (b[0] - a[0])]


def _at_y(a, b, y):
    return [a[0] + (b[0] - a[0]) * (y - a[1]) / (b[1] - a[1]), y]


def _lines(geometry):
    if geometry is None:
        return []
    if geometry["type"] == "LineString":
        return [geometry["coordinates"]]
    return geometry["coordinates"]


def _polygons(geometry):
    if geometry is None:
        return []
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"]]
    return geometry["coordinates"]


def _collection(features):
    return {"type": "FeatureCollection", "features": features}


def places(features, box=REGION):
    """Towns and cities in the box: the name Natural Earth gives in English (else its local romanised name), and
    the zoom from which Natural Earth means it to show. Largest first, so a crowded view keeps the big ones."""
    kept = []
    for feature in features:
        point = feature["geometry"]["coordinates"]
        if not _inside(point, box):
            continue
        props = feature["properties"]
        kept.append({
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": _round(point)},
            "properties": {
                "name": props.get("NAME_EN") or props["NAME"],
                "local_name": props["NAME"],
                "min_zoom": props["min_zoom"],
                "capital": props["FEATURECLA"] == "Admin-0 capital",
                "population": props["POP_MAX"],
                "wikidata": props.get("wikidataid"),
            },
        })
    kept.sort(key=lambda feature: (-feature["properties"]["population"], feature["properties"]["name"]))
    return _collection(kept)


def rivers(features, box=REGION):
    """Rivers and the centre lines of the lakes they cross, cut to the box, as MultiLineStrings."""
    kept = []
    for feature in features:
        pieces = [
            [_round(point) for point in piece]
            for line in _lines(feature["geometry"])
            for piece in clip_line(line, box)
        ]
        if not pieces:
            continue
        props = feature["properties"]
        kept.append({
            "type": "Feature",
            "geometry": {"type": "MultiLineString", "coordinates": pieces},
            "properties": {"name": props.get("name") or "", "min_zoom": props["min_zoom"], "kind": props["featurecla"]},
        })
    return _collection(kept)


def lakes(features, box=REGION):
    """Lakes and reservoirs cut to the box, as MultiPolygons."""
    kept = []
    for feature in features:
        polygons = []
        for polygon in _polygons(feature["geometry"]):
            rings = [clip_ring(ring, box) for ring in polygon]
            if rings[0] is None:
                continue
            polygons.append([[_round(point) for point in ring] for ring in rings if ring is not None])
        if not polygons:
            continue
        props = feature["properties"]
        kept.append({
            "type": "Feature",
            "geometry": {"type": "MultiPolygon", "coordinates": polygons},
            "properties": {"name": props.get("name") or "", "min_zoom": props["min_zoom"], "kind": props["featurecla"]},
        })
    return _collection(kept)


BUILDERS = {"places": places, "rivers": rivers, "lakes": lakes}


def _sha256(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def read_source(source, name, workdir):
    """The features of one Natural Earth layer, from the pinned commit of a clone of the source repository."""
    path, expected, member = SOURCES[name]
    archive = workdir / Path(path).name
    # git and Debian's 7zz from PATH, on fixed arguments and a checked archive: the script runs by hand.
    archive.write_bytes(subprocess.run(  # noqa: S603
        ["git", "-C", str(source), "show", f"{SOURCE_COMMIT}:{path}"],  # noqa: S607
        check=True, capture_output=True,
    ).stdout)
    found = _sha256(archive)
    if found != expected:
        raise SystemExit(f"{path}: SHA-256 {found}, expected {expected}")
    subprocess.run(["7zz", "x", "-y", f"-o{workdir}", str(archive)], check=True, capture_output=True)  # noqa: S603, S607
    return json.loads((workdir / member).read_text(encoding="utf-8"))["features"]


def arabic_names(rows, key_column, arabic_column):
    """Each key (a Natural Earth name or Wikidata id) whose rows all give the same Arabic name, with that name; a
    key with none or with different ones is left out, so its features keep the English name only."""
    found = {}
    for row in rows:
        key = row[key_column].strip()
        if key:
            found.setdefault(key, set()).add(row[arabic_column].strip())
    return {key: names.pop() for key, names in found.items() if len(names) == 1 and "" not in names}


def add_arabic_names(collection, names, feature_key):
    """Sets name_ar on the features the table names (in place); returns how many have one."""
    count = 0
    for feature in collection["features"]:
        props = feature["properties"]
        props.pop("name_ar", None)
        arabic = names.get(props.get(feature_key) or "")
        if arabic:
            props["name_ar"] = arabic
            count += 1
    return count


def read_arabic_source(clone, name):
    path, expected, (key_column, feature_key), arabic_column = ARABIC_SOURCES[name]
    data = subprocess.run(  # noqa: S603
        ["git", "-C", str(clone), "show", f"{ARABIC_SOURCE_COMMIT}:{path}"],  # noqa: S607
        check=True, capture_output=True,
    ).stdout
    found = hashlib.sha256(data).hexdigest()
    if found != expected:
        raise SystemExit(f"{path}: SHA-256 {found}, expected {expected}")
    rows = csv.DictReader(io.StringIO(data.decode("utf-8")))
    return arabic_names(rows, key_column, arabic_column), feature_key


def read_output(output=OUTPUT):
    return {name: json.loads((output / f"{name}-10m.geojson").read_text(encoding="utf-8")) for name in BUILDERS}


def write(collections, output=OUTPUT):
    output.mkdir(parents=True, exist_ok=True)
    for name, collection in collections.items():
        text = json.dumps(collection, ensure_ascii=False, separators=(",", ":"))
        (output / f"{name}-10m.geojson").write_text(text + "\n", encoding="utf-8")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--source", type=Path, help="a git clone of " + SOURCE_REPOSITORY
                        + " (without it, the files in --output are read and only their Arabic names set)")
    parser.add_argument("--arabic-names", type=Path, help="a git clone of " + ARABIC_SOURCE_REPOSITORY)
    parser.add_argument("--output", type=Path, default=OUTPUT)
    arguments = parser.parse_args()
    if arguments.source is None and arguments.arabic_names is None:
        parser.error("give --source, --arabic-names or both")
    if arguments.source is None:
        collections = read_output(arguments.output)
    else:
        with tempfile.TemporaryDirectory() as workdir:
            collections = {
                name: build(read_source(arguments.source, name, Path(workdir)))
                for name, build in BUILDERS.items()
            }
    arabic = {}
    if arguments.arabic_names is not None:
        for name, collection in collections.items():
            names, feature_key = read_arabic_source(arguments.arabic_names, name)
            arabic[name] = add_arabic_names(collection, names, feature_key)
    write(collections, arguments.output)
    for name, collection in collections.items():
        print(f"{name}: {len(collection['features'])} features, {arabic.get(name, 0)} with an Arabic name")


if __name__ == "__main__":
    main()
