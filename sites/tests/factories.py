"""Small helpers that build gazetteer rows for tests: make_site(), make_name()…"""

import itertools

from sites.models import Certainty, Designation, Identifier, NameKind, Site, SiteKind, SiteName

_counter = itertools.count(1)


def make_kind(slug="archaeological-site", label=None):
    kind, _ = SiteKind.objects.get_or_create(slug=slug, defaults={"label": label or slug.replace("-", " ").capitalize()})
    return kind


def make_name_kind(slug="variant", position=1):
    kind, _ = NameKind.objects.get_or_create(slug=slug, defaults={"label": slug.capitalize(), "position": position})
    return kind


def make_certainty(slug="high", position=1):
    certainty, _ = Certainty.objects.get_or_create(slug=slug, defaults={"label": slug.capitalize(), "position": position})
    return certainty


def make_site(name=None, *, slug=None, kind="archaeological-site", countries=("SY",), latitude=None, longitude=None,
              parent=None, **fields):
    number = next(_counter)
    name = name or f"Site {number}"
    return Site.objects.create(
        slug=slug or f"{name.lower().replace(' ', '-')}-{number}",
        name=name,
        kind=make_kind(kind),
        countries=list(countries),
        latitude=latitude,
        longitude=longitude,
        parent=parent,
        **fields,
    )


def make_name(site, name, language="en", kind="variant"):
    return SiteName.objects.create(site=site, name=name, language=language, kind=make_name_kind(kind))


def make_identifier(site, authority, value):
    return Identifier.objects.create(site=site, authority=authority, value=value)


def make_designation(site, kind=Designation.Kind.WORLD_HERITAGE, start="1980", end="", **fields):
    return Designation.objects.create(site=site, kind=kind, start=start, end=end, **fields)


# Places with coordinates from UNESCO's World Heritage List export (id_no 23 and 20).
PALMYRA = {"latitude": 34.5541666667, "longitude": 38.2666666667}
DAMASCUS = {"latitude": 33.5108333333, "longitude": 36.3097222222}


def make_palmyra():
    """The Site of Palmyra as the gazetteer knows it: its names in three scripts, Wikidata id and World Heritage listing."""
    site = make_site("Site of Palmyra", slug="palmyra", kind="city", **PALMYRA)
    make_name(site, "Site of Palmyra", kind="preferred")
    make_name(site, "Tadmor")
    make_name(site, "Tadmur", language="ar-Latn")
    make_name(site, "تدمر", language="ar")
    make_identifier(site, "wikidata", "Q5747")
    make_designation(site, start="1980", reference="23", criteria="(i)(ii)(iv)")
    return site


def grow_sites(count):
    """Add ``count`` parts of the first site, each with a name, an identifier and a designation.

    Lists built twice, before and after, show whether their queries grow with the rows.
    """
    sites = []
    for number in range(count):
        site = make_site(f"Site {number}", countries=("SY", "IQ"), parent=Site.objects.first())
        make_name(site, f"موقع {number}", language="ar")
        make_identifier(site, "pleiades", str(900000 + number + Site.objects.count() * 10))
        make_designation(site, kind=Designation.Kind.NATIONAL, start="1999")
        sites.append(site)
    return sites
