"""schema.org JSON-LD for a site, shared by its web page, its URL asked for as application/ld+json, and the API.

A site is a schema:Place; a single monument (temple, arch, tomb…) is more
precisely a schema:LandmarksOrHistoricalBuildings. Its ``@id`` is its
permanent URI, the address of its page (site_uri()); ``containedInPlace``
names its whole by that whole's URI, so the documents link into one graph.
``sameAs`` links the authorities that describe the same place (Wikidata,
Pleiades, UNESCO…). Coordinates are those the reader may see (Site.point_for()).
"""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import translation

from sites.models import Site

# Kinds of site that are whole places rather than one monument.
AREA_KINDS = {"archaeological-site", "city", "sanctuary", "cultural-landscape", "agora"}


def site_uri(site, request=None):
    """The site's permanent URI: its page's address in the default language, on the canonical host.

    The host is settings.CANONICAL_URL when set, else the request's; the path is the
    unprefixed one whatever language the request was made in (/sites/palmyra/, never /ar/sites/palmyra/).
    """
    return site_uris(request)(site.slug)


def site_uris(request=None, host=None):
    """site_uri() for many sites, as a function of their slugs: the URL is reversed once, not once a site.
    ``host`` stands for uri_host(request) (a marker replaced later, as the stored features have)."""
    with translation.override(settings.LANGUAGE_CODE):
        page_url = Site.page_urls()
    host = uri_host(request) if host is None else host
    return lambda slug: f"{host}{page_url(slug)}"


def uri_host(request=None):
    """The scheme and host of site URIs: settings.CANONICAL_URL when set, else the request's."""
    if settings.CANONICAL_URL:
        return settings.CANONICAL_URL
    if request is None:
        raise ImproperlyConfigured("Set CANONICAL_URL (e.g. https://heritage.example.org) to make URIs without a request.")
    return request.build_absolute_uri("/").removesuffix("/")


def geo(point):
    """schema.org for a SitePoint: GeoCoordinates, or a GeoCircle of its uncertainty when generalised."""
    coordinates = {"@type": "GeoCoordinates", "latitude": point.latitude, "longitude": point.longitude}
    if not point.generalised:
        return coordinates
    return {
        "@type": "GeoCircle",
        "geoMidpoint": coordinates,
        "geoRadius": point.uncertainty_m,
        "description": "Generalised location: the centre of the 0.1° grid cell the site lies in.",
    }


def site_json_ld(site, user=None, request=None):
    """The JSON-LD document (a dict) for a site, as this user may see it (None: an anonymous reader).

    Uses site.kind, site.parent, site.names and site.identifiers: prefetch
    them when describing many sites.
    """
    uri = site_uri(site, request)
    document = {
        "@context": "https://schema.org",
        "@type": "Place" if site.kind.slug in AREA_KINDS else "LandmarksOrHistoricalBuildings",
        "@id": uri,
        "url": uri,
        "name": site.name,
    }
    alternate = [
        {"@value": name.name, "@language": name.language}
        for name in site.names.all()
        if name.name != site.name
    ]
    if alternate:
        document["alternateName"] = alternate
    if site.summary:
        document["description"] = site.summary
    point = site.point_for(user)
    if point is not None:
        document["geo"] = geo(point)
    if site.countries:
        document["address"] = {
            "@type": "PostalAddress",
            "addressCountry": [country.code for country in site.countries],
        }
    if site.parent_id:
        document["containedInPlace"] = {"@id": site_uri(site.parent, request), "@type": "Place", "name": site.parent.name}
    same_as = [identifier.url for identifier in site.identifiers.all()]
    if same_as:
        document["sameAs"] = same_as
    return document


def point_geometry(point):
    """The RFC 7946 geometry of a SitePoint ([longitude, latitude]), or None for no point."""
    if point is None:
        return None
    return {"type": "Point", "coordinates": [point.longitude, point.latitude]}


def site_feature(site, user=None, request=None):
    """The site as a GeoJSON Feature (RFC 7946), as this user may see it: what its URL gives for application/geo+json.

    Uses site.kind and site.parent.
    """
    point = site.point_for(user)
    return {
        "type": "Feature",
        "id": site_uri(site, request),
        "geometry": point_geometry(point),
        "properties": {
            "slug": site.slug,
            "name": site.name,
            "kind": site.kind.slug,
            "part_of": site_uri(site.parent, request) if site.parent_id else None,
            "countries": [country.code for country in site.countries],
            "coordinate_uncertainty_m": point.uncertainty_m if point else None,
            "location_generalised": point is not None and point.generalised,
        },
    }
