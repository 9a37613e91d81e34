"""Sites in the Linked Places Format (LPF v1.2.2), the JSON-LD GeoJSON that the World Historical
Gazetteer, Pelagios and Recogito take: https://github.com/LinkedPasts/linked-places-format

Each site is a Feature with its names in every language and script, its kind, when it was built
(from the EDTF date, with its certainty), the site it is part of (gvp:broaderPartitive) and links to
the same place in Pleiades, Wikidata and GeoNames. Points are those the reader may see
(Site.objects.with_points_for()): a hidden site has no geometry, a generalised one its grid cell.
"""

import contextlib
import functools
import gc
import itertools
import operator
from urllib.parse import quote

import orjson
from django.db import connections, transaction
from django.db.models import Prefetch
from django.urls import get_script_prefix
from django.utils.http import RFC3986_SUBDELIMS

from apikit.base import EXPORT_CHUNK, batches, json_items
from sites.dates import humanize, iso_date
from sites.linked_data import site_uris, uri_host
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


# Many sites share the bounds of their dates (a century, a year): each day is worked out once per process.
_iso_date = functools.lru_cache(maxsize=4096)(iso_date)


def when_of(edtf, earliest, latest, label=""):
    """An LPF ``when`` for an EDTF date with its stored bounds (Julian Day Numbers) and words, or None."""
    if not edtf or earliest is None:
        return None
    start = {"earliest": _iso_date(earliest)}
    if latest is not None:
        start["latest"] = _iso_date(latest)
    # In English whatever language is active: the same record gives the same dump and release files.
    label = label or humanize(edtf, language="en")
    return {"timespans": [{"start": start}], "label": label, "certainty": date_certainty(edtf)}


# What a site's LPF feature shows of the site itself, read with .values() from sites_for_lpf().
LPF_FIELDS = (
    "pk", "slug", "name", "countries", "kind__slug", "kind__label", "parent__slug", "parent__name",
    "location_certainty__slug", "point_latitude", "point_longitude", "point_uncertainty_m", "point_generalised",
    "built", "built_earliest", "built_latest", "built_words", "summary",
)


def site_feature(site, request=None, uri=None):
    """The LPF Feature (a dict) of a site from sites_for_lpf(); URIs on the canonical host (site_uri()), or as
    ``uri`` (a site_uris() function) makes them."""
    row = {
        "slug": site.slug, "name": site.name, "countries": ",".join(country.code for country in site.countries),
        "kind__slug": site.kind.slug, "kind__label": site.kind.label,
        "parent__slug": site.parent.slug if site.parent_id else None,
        "parent__name": site.parent.name if site.parent_id else None,
        "location_certainty__slug": site.location_certainty.slug if site.location_certainty_id else None,
        "point_latitude": site.point_latitude, "point_longitude": site.point_longitude,
        "point_uncertainty_m": site.point_uncertainty_m, "point_generalised": site.point_generalised,
        "built": site.built, "built_earliest": site.built_earliest, "built_latest": site.built_latest,
        "built_words": site.built_words, "summary": site.summary,
    }
    names = [(name.name, name.language, name.kind.slug) for name in site.names.all()]
    identifiers = [(identifier.authority, identifier.value) for identifier in site.identifiers.all()]
    return _feature(row, names, identifiers, uri or site_uris(request))


def features_in_chunks(sites, request=None):
    """The LPF Features of sites_for_lpf() sites in slug order, as JSON: bytes per chunk of EXPORT_CHUNK sites,
    the features separated by commas. Read without building sites, in three queries however many (the sites,
    their names, their identifiers, each in the sites' slug order, read a chunk at a time side by side in one
    snapshot of the database), memory flat.

    Rows are read as the database cursor gives them (_rows()) and each chunk's features are built and encoded
    with the cyclic garbage collector paused (_unpaused_between()): the ORM's per-row work (its dicts and
    converters) and the collector's passes over the young features were large parts of the dump's profile (at
    10,000 demo sites, the dump took half the time with the collector off). Anonymous readers' dumps read the
    features the write path stored instead (anonymous_dump_in_chunks()).
    """
    uri = site_uris(request)
    with _one_snapshot(sites.db):
        encoded = (
            json_items(feature for _pk, feature in batch) for batch in batches(_features(sites, uri), EXPORT_CHUNK)
        )
        yield from _unpaused_between(encoded)


def anonymous_features(site_pks, host):
    """{site pk: its LPF Feature as JSON text, as an anonymous reader gets it} for these sites, the scheme and host
    of its URIs written as ``host``: what the write path stores (heritage/api/stored.py)."""
    # Prefetched, so that names and identifiers are matched to their sites by pk: a write path reads in READ
    # COMMITTED, where _features(), which matches rows by their order, could see a slug renamed between queries.
    uri = site_uris(host=host)
    return {site.pk: orjson.dumps(site_feature(site, uri=uri)).decode() for site in sites_for_lpf(None).filter(pk__in=site_pks)}


def anonymous_dump_in_chunks(request=None):
    """features_in_chunks(sites_for_lpf(None), request), byte for byte, from the features the write path stored
    (StoredSiteDetail.lpf_feature): one query reads them as text in slug order, their URIs' marker replaced by
    this request's host; the sites with none stored by this version of the code (code_version()) are built as
    features_in_chunks() builds them, a chunk at a time, or all at once when more than a chunk's worth are."""
    from heritage.api.stored import code_version  # it imports the API's views, which import this module

    version, uri = code_version(), site_uris(request)
    # The stored URIs were reversed under the prefix "/": the host, then the script prefix quoted as reverse() quotes it.
    host = uri_host(request) + quote(get_script_prefix(), safe=RFC3986_SUBDELIMS + "/~:@").removesuffix("/")
    stored = Site.objects.order_by("slug").values_list(
        "pk", "stored_detail__lpf_feature", "stored_detail__origin", "stored_detail__built_by",
    )
    with _one_snapshot(stored.db):
        if Site.objects.exclude(stored_detail__built_by=version)[:EXPORT_CHUNK + 1].count() > EXPORT_CHUNK:
            # Most are not stored (a deploy changed the code; refresh_risk_profiles stores them again): building
            # them all in three queries beats building them a chunk at a time.
            yield from features_in_chunks(sites_for_lpf(None), request)
            return
        for batch in batches(_rows(stored), EXPORT_CHUNK):
            missing = [pk for pk, _feature, _origin, built_by in batch if built_by != version]
            built = dict(_features(sites_for_lpf(None).filter(pk__in=missing), uri)) if missing else {}
            yield ",".join(
                feature.replace(origin, host) if built_by == version else orjson.dumps(built[pk]).decode()
                for pk, feature, origin, built_by in batch
            ).encode()


def _features(sites, uri):
    """(pk, LPF Feature) of each of these sites in slug order, from three queries read side by side a chunk at a
    time (run it in _one_snapshot())."""
    sites = sites.prefetch_related(None).order_by("slug")
    chosen = sites.values("pk")
    # In the sites' order, then the models' own (SiteName and Identifier Meta.ordering), as the prefetches give them.
    names = SiteName.objects.filter(site__in=chosen).order_by("site__slug", *SiteName._meta.ordering)
    identifiers = Identifier.objects.filter(site__in=chosen).order_by("site__slug", *Identifier._meta.ordering)
    names_of = _by_site(_rows(names.values_list("site", "name", "language", "kind__slug")))
    identifiers_of = _by_site(_rows(identifiers.values_list("site", "authority", "value")))
    for row in _rows(sites.values_list(*LPF_FIELDS)):
        yield row[0], _feature(dict(zip(LPF_FIELDS, row, strict=True)), names_of(row[0]), identifiers_of(row[0]), uri)


def _rows(queryset):
    """The rows of a values_list() queryset as tuples, straight from the database cursor (server-side on
    PostgreSQL), EXPORT_CHUNK at a time, without the ORM's work per row. Only for columns the ORM gives as the
    driver reads them (text, numbers, booleans, as LPF_FIELDS are; test_site_exports.py holds the dump to each
    site's own feature)."""
    connection = connections[queryset.db]
    sql, params = queryset.query.get_compiler(connection=connection).as_sql()
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(EXPORT_CHUNK):
            yield from rows


def _unpaused_between(chunks):
    """The chunks, with Python's cyclic garbage collector paused while each is being made and running between
    them. A feature is a tree of dicts and lists freed by reference counting as soon as it is encoded; the
    collector would only walk them (and the whole process's objects, in its older generations) for nothing."""
    chunks = iter(chunks)
    while True:
        was_enabled = gc.isenabled()
        gc.disable()
        try:
            chunk = next(chunks, None)
        finally:
            if was_enabled:
                gc.enable()
        if chunk is None:
            return
        yield chunk


@contextlib.contextmanager
def _one_snapshot(using):
    """A transaction whose queries all see the database as at its first (PostgreSQL's REPEATABLE READ; SQLite
    reads in one transaction so already): queries read side by side agree on which sites there are."""
    connection = connections[using]
    if connection.in_atomic_block:  # already in a transaction, whose isolation is its own
        yield
        return
    with transaction.atomic(using=using):
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        yield


def _by_site(rows):
    """For rows (site pk, *values) in the sites' order (an iterator, read as far as needed): of(pk), asked of every
    site in turn in that order, gives that site's values ([] for a site that has none)."""
    groups = itertools.groupby(rows, key=operator.itemgetter(0))
    pending = next(groups, None)

    def of(pk):
        nonlocal pending
        if pending is None or pending[0] != pk:
            return []
        values = [row[1:] for row in pending[1]]
        pending = next(groups, None)
        return values

    return of


def _feature(site, names, identifiers, uri):
    """The LPF Feature of a site's LPF_FIELDS and its (name, language, kind) and (authority, value) pairs."""
    feature = {
        "@id": uri(site["slug"]),
        "type": "Feature",
        "properties": {
            "title": site["name"],
            "ccodes": site["countries"].split(",") if site["countries"] else [],
        },
        "names": [{"toponym": name, "lang": language, "name_kind": kind} for name, language, kind in names]
        or [{"toponym": site["name"]}],
        "types": [{"label": site["kind__label"], "sourceLabel": site["kind__slug"]}],
    }
    if site["point_latitude"] is not None:
        point = {"type": "Point", "coordinates": [site["point_longitude"], site["point_latitude"]]}
        if site["location_certainty__slug"] is not None:
            point["certainty"] = LOCATION_CERTAINTY.get(site["location_certainty__slug"], "less-certain")
        if site["point_uncertainty_m"] is not None:
            point["uncertainty_m"] = site["point_uncertainty_m"]
        if site["point_generalised"]:
            point["generalised"] = True
        feature["geometry"] = {"type": "GeometryCollection", "geometries": [point]}
    when = when_of(site["built"], site["built_earliest"], site["built_latest"], site["built_words"])
    if when:
        feature["when"] = when
    if site["parent__slug"] is not None:
        feature["relations"] = [{
            "relationType": "gvp:broaderPartitive",
            "relationTo": uri(site["parent__slug"]),
            "label": f"part of {site['parent__name']}",
        }]
    links = [
        {"type": "closeMatch", "identifier": PLACE_URIS[authority].format(value=value)}
        for authority, value in identifiers
        if authority in PLACE_URIS
    ]
    links += [
        {"type": "seeAlso", "identifier": Identifier.URL_TEMPLATES[authority].format(value=value)}
        for authority, value in identifiers
        if authority not in PLACE_URIS
    ]
    if links:
        feature["links"] = links
    if site["summary"]:
        feature["descriptions"] = [{"value": site["summary"], "lang": "en"}]
    return feature


def feature_collection(features):
    """An LPF FeatureCollection of features (dicts or an iterable of them)."""
    return {"@context": LPF_CONTEXT, "type": "FeatureCollection", "features": list(features)}
