"""Sites in the Linked Places Format (LPF v1.2.2), the JSON-LD GeoJSON that the World Historical
Gazetteer, Pelagios and Recogito take: https://github.com/LinkedPasts/linked-places-format

Each site is a Feature with its names in every language and script, its kind, when it was built
(from the EDTF date, with its certainty), the site it is part of (gvp:broaderPartitive) and links to
the same place in Pleiades, Wikidata and GeoNames. Points are those the reader may see
(Site.objects.with_points_for()): a hidden site has no geometry, a generalised one its grid cell.
"""

from django.db.models import Prefetch

from sites.dates import humanize, iso_date
from sites.linked_data import site_uri
from sites.models import Identifier, Site, SiteName

LPF_CONTEXT = "https://raw.githubusercontent.com/LinkedPasts/linked-places/master/linkedplaces-context-v1.1.jsonld"

# The URI of the place itself (not the page about it) in each gazetteer LPF links to, and how.
PLACE_URIS = {
    Identifier.Authority.PLEIADES: "https://pleiades.stoa.org/places/{value}",
    Identifier.Authority.WIKIDATA: "http://www.wikidata.org/entity/{value}",
    Identifier.Authority.GEONAMES: "https://sws.geonames.org/{value}/",
}

# EAMENA's certainty of a location, on LPF's three-step scale.
LOCATION_CERTAINTY = {
    "definite": "certain", "high": "certain", "medium": "less-certain", "low": "uncertain", "negligible": "uncertain",
}


def sites_for_lpf(user=None):
    """Sites with what their LPF features show, points as ``user`` may see them (None: anonymous), by slug."""
    return (
        Site.objects.with_points_for(user)
        .select_related("kind", "parent", "location_certainty")
        .prefetch_related(Prefetch("names", queryset=SiteName.objects.select_related("kind")), "identifiers")
        .order_by("slug")
    )


def date_certainty(edtf):
    """LPF's certainty of an EDTF date: "uncertain" (?, %), "less-certain" (approximate, a span or a
    choice, unspecified digits) or "certain"."""
    if any(mark in edtf for mark in "?%"):
        return "uncertain"
    if any(mark in edtf for mark in "~/[{X"):
        return "less-certain"
    return "certain"


def when_of(edtf, earliest, latest):
    """An LPF ``when`` for an EDTF date with its stored bounds (Julian Day Numbers), or None."""
    if not edtf or earliest is None:
        return None
    start = {"earliest": iso_date(earliest)}
    if latest is not None:
        start["latest"] = iso_date(latest)
    # In English whatever language is active: the same record gives the same dump and release files.
    label = humanize(edtf, language="en")
    return {"timespans": [{"start": start}], "label": label, "certainty": date_certainty(edtf)}


def site_feature(site, request=None):
    """The LPF Feature (a dict) of a site from sites_for_lpf(); URIs on the canonical host (site_uri())."""
    names = [
        {"toponym": name.name, "lang": name.language, "name_kind": name.kind.slug} for name in site.names.all()
    ] or [{"toponym": site.name}]
    feature = {
        "@id": site_uri(site, request),
        "type": "Feature",
        "properties": {
            "title": site.name,
            "ccodes": [country.code for country in site.countries],
        },
        "names": names,
        "types": [{"label": site.kind.label, "sourceLabel": site.kind.slug}],
    }
    if site.point_latitude is not None:
        point = {"type": "Point", "coordinates": [site.point_longitude, site.point_latitude]}
        if site.location_certainty_id:
            point["certainty"] = LOCATION_CERTAINTY.get(site.location_certainty.slug, "less-certain")
        if site.point_uncertainty_m is not None:
            point["uncertainty_m"] = site.point_uncertainty_m
        if site.point_generalised:
            point["generalised"] = True
        feature["geometry"] = {"type": "GeometryCollection", "geometries": [point]}
    when = when_of(site.built, site.built_earliest, site.built_latest)
    if when:
        feature["when"] = when
    if site.parent_id:
        feature["relations"] = [{
            "relationType": "gvp:broaderPartitive",
            "relationTo": site_uri(site.parent, request),
            "label": f"part of {site.parent.name}",
        }]
    links = [
        {"type": "closeMatch", "identifier": PLACE_URIS[identifier.authority].format(value=identifier.value)}
        for identifier in site.identifiers.all()
        if identifier.authority in PLACE_URIS
    ]
    links += [
        {"type": "seeAlso", "identifier": identifier.url}
        for identifier in site.identifiers.all()
        if identifier.authority not in PLACE_URIS
    ]
    if links:
        feature["links"] = links
    if site.summary:
        feature["descriptions"] = [{"value": site.summary, "lang": "en"}]
    return feature


def feature_collection(features):
    """An LPF FeatureCollection of features (dicts or an iterable of them)."""
    return {"@context": LPF_CONTEXT, "type": "FeatureCollection", "features": list(features)}
