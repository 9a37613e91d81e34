#!/usr/bin/env bash
# Copies the front-end libraries pinned in package-lock.json into static/vendor/,
# where they are committed: a machine running `make run` needs only Python.
# Country outlines: Natural Earth (public domain) 1:50m, from world-atlas's
# TopoJSON, converted to GeoJSON with topojson-client's topo2geo.
set -euo pipefail
cd "$(dirname "$0")/.."
npm ci --no-audit --no-fund
vendor=static/vendor
rm -rf "$vendor"
mkdir -p "$vendor/leaflet" "$vendor/leaflet.markercluster" "$vendor/natural-earth"
# The .js.map files too: the scripts name them, and collectstatic (manifest storage, DEBUG off) refuses
# to process a script whose source map is missing.
cp -r node_modules/leaflet/dist/leaflet.js node_modules/leaflet/dist/leaflet.js.map node_modules/leaflet/dist/leaflet.css \
  node_modules/leaflet/dist/images node_modules/leaflet/LICENSE "$vendor/leaflet/"
cp node_modules/leaflet.markercluster/dist/leaflet.markercluster.js \
  node_modules/leaflet.markercluster/dist/leaflet.markercluster.js.map node_modules/leaflet.markercluster/dist/MarkerCluster.css \
  node_modules/leaflet.markercluster/dist/MarkerCluster.Default.css node_modules/leaflet.markercluster/MIT-LICENCE.txt \
  "$vendor/leaflet.markercluster/"
# axe-core checks pages for accessibility in the browser tests (heritage/tests/test_intake_browser.py); no
# page loads it.
mkdir -p "$vendor/axe-core"
cp node_modules/axe-core/axe.min.js node_modules/axe-core/LICENSE "$vendor/axe-core/"
node_modules/.bin/topo2geo countries="$vendor/natural-earth/countries-50m.geojson" \
  < node_modules/world-atlas/countries-50m.json
cp node_modules/world-atlas/LICENSE "$vendor/natural-earth/LICENSE-world-atlas"
cat > "$vendor/natural-earth/README.txt" <<'TEXT'
Admin 0 country boundaries, 1:50m, Natural Earth 4.1.0 (public domain, naturalearthdata.com),
from the npm package world-atlas (ISC licence, see LICENSE-world-atlas), converted to GeoJSON.
TEXT
for package in axe-core leaflet leaflet.markercluster topojson-client world-atlas; do
  node -e "console.log('$package', require('./node_modules/$package/package.json').version)"
done > "$vendor/VERSIONS.txt"
