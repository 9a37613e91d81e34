"""schema.org JSON-LD for a site, shared by its web page and the API.

A site is a schema:Place; a single monument (temple, arch, tomb…) is more
precisely a schema:LandmarksOrHistoricalBuildings. ``sameAs`` links the
authorities that describe the same place (Wikidata, Pleiades, UNESCO…).
"""

# Kinds of site that are whole places rather than one monument.
AREA_KINDS = {"archaeological-site", "city", "sanctuary", "cultural-landscape", "agora"}


def site_json_ld(site, absolute_url):
    """The JSON-LD document (a dict) for a site whose page is at absolute_url.

    Uses site.kind, site.parent, site.names and site.identifiers: prefetch
    them when describing many sites.
    """
    document = {
        "@context": "https://schema.org",
        "@type": "Place" if site.kind.slug in AREA_KINDS else "LandmarksOrHistoricalBuildings",
        "@id": absolute_url,
        "url": absolute_url,
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
    if site.point:
        document["geo"] = {
            "@type": "GeoCoordinates",
            "latitude": site.latitude,
            "longitude": site.longitude,
        }
    if site.countries:
        document["address"] = {
            "@type": "PostalAddress",
            "addressCountry": [country.code for country in site.countries],
        }
    if site.parent_id:
        document["containedInPlace"] = {"@type": "Place", "name": site.parent.name}
    same_as = [identifier.url for identifier in site.identifiers.all()]
    if same_as:
        document["sameAs"] = same_as
    return document
