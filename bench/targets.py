"""What `make bench` measures: one plain list, in one place.

Each entry: a name, the path ({slug} is filled with demo sites in turn), the
target from issue 6, and whether the 60-second load test mixes it in.
Targets: p50 in milliseconds, or "flat" memory for whole-table exports
(streamed: the peak traced while serving stays under half the response size).
"""

URLS = [
    {"name": "Site list, filtered", "path": "/sites/?country=SY&risk=high", "p50_ms": 25, "load": True},
    {"name": "Site page", "path": "/sites/{slug}/", "p50_ms": None, "load": True},
    {"name": "API site detail", "path": "/api/v1/sites/{slug}/", "p50_ms": 15, "load": True},
    {"name": "API incidents, filtered", "path": "/api/v1/incidents/?category=war&date_from=2015-01-01",
     "p50_ms": 25, "load": True},
    {"name": "Ranked search", "path": "/search/?q=temple", "p50_ms": 60, "load": True},
    {"name": "API nearby", "path": "/api/v1/sites/?near=34.55,38.27&radius_km=50", "p50_ms": 30, "load": True},
    {"name": "API GeoJSON, all sites", "path": "/api/v1/sites/geojson/", "memory": "flat", "load": False},
    {"name": "API CSV, all sites", "path": "/api/v1/sites/csv/", "memory": "flat", "load": False},
    {"name": "Admin login page", "path": "/admin/login/", "p50_ms": None, "load": True},
]

# Peer comparison on the UNESCO World Heritage List: the same question to our API and to Datasette.
# {slug} is our site imported from UNESCO id_no 23 (Palmyra).
PEER_URLS = [
    {"name": "Single record", "ours": "/api/v1/sites/{whc_slug}/", "datasette": "/whc/whc/23.json"},
    {"name": "Filtered list of 50", "ours": "/api/v1/sites/?country=IT&page_size=50",
     "datasette": "/whc/whc.json?iso_code=it&_size=50"},
]
