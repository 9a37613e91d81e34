"""What `make bench` measures and the targets it judges by: one plain list, in one place.

Each URL: a name, the path ({slug} is filled with demo sites in turn), whether it is a
whole-table export (timed beside PostgreSQL's COPY of the same columns, its memory traced),
and whether the 60-second load test mixes it in.
"""

URLS = [
    {"name": "Home page", "path": "/", "load": True},
    {"name": "Map page", "path": "/map/", "load": False},
    {"name": "Site list, filtered", "path": "/sites/?country=SY&risk=high", "load": True},
    {"name": "Site page", "path": "/sites/{slug}/", "load": True},
    {"name": "API site detail", "path": "/api/v1/sites/{slug}/", "load": True},
    {"name": "API incidents, filtered", "path": "/api/v1/incidents/?category=war&date_from=2015-01-01", "load": True},
    {"name": "Ranked search", "path": "/search/?q=temple", "load": True},
    {"name": "API nearby", "path": "/api/v1/sites/?near=34.55,38.27&radius_km=50", "load": True},
    {"name": "API GeoJSON, all sites", "path": "/api/v1/sites/geojson/", "export": True, "load": False},
    {"name": "API CSV, all sites", "path": "/api/v1/sites/csv/", "export": True, "load": False},
    {"name": "Linked Places, all sites", "path": "/api/v1/sites/lpf/", "export": True, "load": False},
    {"name": "Admin login page", "path": "/admin/login/", "load": True},
]

# The columns the whole-table exports write (heritage/api/views.py, SITE_CSV_COLUMNS), as the ORM names
# them: PostgreSQL's COPY of these, for every site in the same order, is what the exports are timed beside
# (the Linked Places dump too, which also writes each site's names and identifiers).
EXPORT_COLUMNS = [
    "slug", "name", "kind__slug", "parent__slug", "countries", "latitude", "longitude", "location_certainty__slug",
    "risk_profile__condition__slug", "risk_profile__risk_level", "risk_profile__in_danger", "built", "summary",
    "updated",
]

# Peer comparison on the UNESCO World Heritage List: the same question to our API and to Datasette.
# {whc_slug} is our site imported from UNESCO id_no 23 (Palmyra).
PEER_URLS = [
    {"name": "Single record", "ours": "/api/v1/sites/{whc_slug}/", "datasette": "/whc/whc/23.json", "at_least": 1.0},
    {"name": "Filtered list of 50", "ours": "/api/v1/sites/?country=IT&page_size=50",
     "datasette": "/whc/whc.json?iso_code=it&_size=50", "at_least": 3.0},
]

# Issue 14's targets, as ratios in one run on one machine (absolute times vary between machines).
GROWTH_AT_MOST = 1.5  # any page's or endpoint's uncached p50, larger scale ÷ smallest
SEARCH_VS_DETAIL_AT_MOST = 3.0  # ranked search's uncached p50 ÷ the API site detail's, at the largest scale
EXPORT_VS_COPY_AT_MOST = 5.0  # a whole-table export's time ÷ PostgreSQL's COPY of the same columns and rows
MEMORY_GROWTH_AT_MOST = 1.5  # an export's peak traced memory, larger scale ÷ smallest ("flat")
