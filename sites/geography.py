"""Distances and directions between places on the WGS 84 ellipsoid (geopy / GeographicLib), and whether a point
lies in its countries (Natural Earth outlines)."""

import functools
import itertools
import math
from dataclasses import dataclass
from pathlib import Path

import orjson
from django.conf import settings
from django.utils.translation import gettext, pgettext, pgettext_lazy
from django_countries import countries
from geographiclib.geodesic import Geodesic
from geopy.distance import geodesic

COMPASS_POINTS = [
    "north", "north-east", "east", "south-east",
    "south", "south-west", "west", "north-west",
]
# Where a place lies from another, in words, by compass point: a whole phrase each, as languages order them apart.
LIES_FROM = {
    "north": pgettext_lazy("where a site lies", "%(distance)s north of %(place)s"),
    "north-east": pgettext_lazy("where a site lies", "%(distance)s north-east of %(place)s"),
    "east": pgettext_lazy("where a site lies", "%(distance)s east of %(place)s"),
    "south-east": pgettext_lazy("where a site lies", "%(distance)s south-east of %(place)s"),
    "south": pgettext_lazy("where a site lies", "%(distance)s south of %(place)s"),
    "south-west": pgettext_lazy("where a site lies", "%(distance)s south-west of %(place)s"),
    "west": pgettext_lazy("where a site lies", "%(distance)s west of %(place)s"),
    "north-west": pgettext_lazy("where a site lies", "%(distance)s north-west of %(place)s"),
}

# Mean length of one degree of latitude; longitude degrees shrink with cos(latitude).
KM_PER_DEGREE_LATITUDE = 111.32


def distance_km(a, b):
    """Geodesic distance in kilometres between two (latitude, longitude) pairs."""
    return geodesic(a, b).kilometers


# Mean Earth radius (IUGG); the sphere is within about 0.5 % of the ellipsoid's distances.
EARTH_RADIUS_KM = 6371.0088
SPHERE_ERROR = 0.006
# Farther than any two points on Earth are apart (half the longest great circle, with the sphere's error).
ANYWHERE_KM = 20_200


def spherical_distance_km(a, b):
    """Great-circle (haversine) distance: about a hundred times cheaper than geodesic, and within 0.5 % of it.

    Used to rank many candidates before the exact geodesic distance is computed for the few that matter.
    """
    lat1, lon1, lat2, lon2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def nearest(origin, places, radius_km=None, limit=None):
    """Places (objects with a ``point``) nearest to origin, each given an exact geodesic ``distance_km``.

    Ranks every place on the sphere first, then computes geodesic distances only
    for those that can still be within the radius and among the first ``limit``
    once the sphere's error is allowed for.
    """
    ranked = sorted(((spherical_distance_km(origin, place.point), place) for place in places), key=lambda pair: pair[0])
    return nearest_ranked(origin, ranked, radius_km, limit)


def nearest_ranked(origin, ranked, radius_km=None, limit=None):
    """nearest() for (spherical distance, place) pairs already sorted by that distance."""
    if radius_km is not None:
        ranked = [(rough, place) for rough, place in ranked if rough <= radius_km * (1 + SPHERE_ERROR)]
    if limit is not None and len(ranked) > limit:
        cutoff = ranked[limit - 1][0] * (1 + 2 * SPHERE_ERROR)
        ranked = [(rough, place) for rough, place in ranked if rough <= cutoff]
    results = []
    for _, place in ranked:
        place.distance_km = distance_km(origin, place.point)
        if radius_km is None or place.distance_km <= radius_km:
            results.append(place)
    results.sort(key=lambda place: (place.distance_km, str(place)))
    return results if limit is None else results[:limit]


def initial_bearing(a, b):
    """Initial bearing in degrees clockwise from true north, travelling from a to b."""
    result = Geodesic.WGS84.Inverse(a[0], a[1], b[0], b[1])
    return result["azi1"] % 360


def compass_point(bearing):
    """One of eight compass points for a bearing in degrees."""
    return COMPASS_POINTS[round(bearing / 45) % 8]


def bounding_box(latitude, longitude, radius_km):
    """A latitude/longitude box that contains every point within radius_km.

    Generous on purpose (a prefilter for SQL); exact distances are checked after.
    """
    delta_lat = radius_km / KM_PER_DEGREE_LATITUDE * 1.01
    cos_lat = math.cos(math.radians(min(abs(latitude) + delta_lat, 89.9)))
    delta_lon = 180.0 if cos_lat < 1e-6 else min(radius_km / (KM_PER_DEGREE_LATITUDE * cos_lat) * 1.01, 180.0)
    return (
        max(latitude - delta_lat, -90.0),
        min(latitude + delta_lat, 90.0),
        longitude - delta_lon,
        longitude + delta_lon,
    )


def approximate_distance(km):
    """A rounded distance for prose: 214.6 → "about 215 km", 0.62 → "about 620 m"."""
    if km < 1:
        return pgettext("distance", "about %(metres)s m") % {"metres": max(int(round(km * 1000, -1)), 10)}
    if km < 10:
        return pgettext("distance", "about %(km)s km") % {"km": f"{km:.1f}"}
    return pgettext("distance", "about %(km)s km") % {"km": f"{round(km):,}"}


def describe_relative(origin, reference, reference_name, coarse=False):
    """ "about 215 km north-east of Damascus": where origin lies seen from reference.

    Coarse, for a generalised origin (a grid-cell centre up to 8 km from the site):
    "about 210 km north-east of Damascus", to the nearest 10 km, or "near Damascus" within 20 km.
    """
    km = distance_km(reference, origin)
    direction = compass_point(initial_bearing(reference, origin))
    if coarse:
        if km < 20:
            return pgettext("where a site lies", "near %(place)s") % {"place": reference_name}
        distance = pgettext("distance", "about %(km)s km") % {"km": f"{round(km, -1):,.0f}"}
    else:
        distance = approximate_distance(km)
    return LIES_FROM[direction] % {"distance": distance, "place": reference_name}


# Countries ------------------------------------------------------------------------

COUNTRY_OUTLINES = Path(settings.BASE_DIR) / "static" / "vendor" / "natural-earth" / "countries-50m.geojson"
# Natural Earth's 1:50m outlines are generalised (a coastline may move a few kilometres), and a site may
# lie on a border, on the shore or in the territorial sea (12 nautical miles, 22 km): only farther than
# this is "outside". Reefs and islands farther out get the warning, and an editor confirms them.
OUTLINE_TOLERANCE_KM = 25
# Territories Natural Earth outlines apart from the state that UNESCO and editors list them under (Greenland's
# properties are Denmark's): their ISO 3166-1 codes, by the state's (ISO 3166-1 "sovereignty").
DEPENDENCIES = {
    "AU": ["CC", "CX", "HM", "NF"],
    "CN": ["HK", "MO"],
    "DK": ["FO", "GL"],
    "FI": ["AX"],
    "FR": ["BL", "GF", "GP", "MF", "MQ", "NC", "PF", "PM", "RE", "TF", "WF", "YT"],
    "GB": ["AI", "BM", "FK", "GG", "GI", "GS", "IM", "IO", "JE", "KY", "MS", "PN", "SH", "TC", "VG"],
    "NL": ["AW", "BQ", "CW", "SX"],
    "NO": ["BV", "SJ"],
    "NZ": ["CK", "NU", "TK"],
    "US": ["AS", "GU", "MP", "PR", "UM", "VI"],
}


@functools.cache
def country_outlines():
    """ISO 3166-1 alpha-2 code → the country's polygons, each a list of rings of (longitude, latitude),
    from the vendored Natural Earth admin-0 outlines (keyed there by ISO numeric code)."""
    by_numeric = {}
    for feature in orjson.loads(COUNTRY_OUTLINES.read_bytes())["features"]:
        geometry = feature["geometry"]
        if feature.get("id"):  # Australia's id is also Ashmore and Cartier Islands': both are Australia's
            by_numeric.setdefault(int(feature["id"]), []).extend(
                [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
            )
    return {code: by_numeric[countries.numeric(code)] for code in countries.countries if countries.numeric(code) in by_numeric}


def _in_rings(x, y, rings):
    """Even-odd rule over a polygon's rings, so holes (Lesotho in South Africa) count as outside."""
    inside = False
    for ring in rings:
        for (x1, y1), (x2, y2) in itertools.pairwise(ring):
            if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
                inside = not inside
    return inside


def _km_to_rings(latitude, longitude, rings):
    """Distance from a point to a polygon's outline, on a plane fitted at the point (good to a few % within
    hundreds of km, which is all a tolerance of OUTLINE_TOLERANCE_KM needs)."""
    scale_x = KM_PER_DEGREE_LATITUDE * math.cos(math.radians(latitude))
    best = math.inf
    for ring in rings:
        for (x1, y1), (x2, y2) in itertools.pairwise(ring):
            ax, ay = (x1 - longitude) * scale_x, (y1 - latitude) * KM_PER_DEGREE_LATITUDE
            bx, by = (x2 - longitude) * scale_x, (y2 - latitude) * KM_PER_DEGREE_LATITUDE
            dx, dy = bx - ax, by - ay
            length = dx * dx + dy * dy
            t = 0.0 if length == 0 else max(0.0, min(1.0, -(ax * dx + ay * dy) / length))
            best = min(best, math.hypot(ax + t * dx, ay + t * dy))
    return best


def km_outside_country(code, latitude, longitude):
    """0 when the point lies in the country, else its distance to the country's outline in km (a lower bound
    beyond a few hundred km); None when Natural Earth has no outline for the code."""
    polygons = country_outlines().get(str(code))
    if polygons is None:
        return None
    if any(_in_rings(longitude, latitude, rings) for rings in polygons):
        return 0.0
    return min(_km_to_rings(latitude, longitude, rings) for rings in polygons)


@dataclass(frozen=True)
class MisplacedPoint:
    """A point that lies outside every country of its site, and what swapping its latitude and longitude does."""

    latitude: float
    longitude: float
    country_names: str
    swap_fits: bool

    @property
    def message(self):
        where = {"latitude": self.latitude, "longitude": self.longitude, "countries": self.country_names}
        if self.swap_fits:
            return gettext(
                "%(latitude)s, %(longitude)s (latitude, longitude) is not in %(countries)s, but %(longitude)s, "
                "%(latitude)s is: the latitude and longitude look swapped."
            ) % where
        return gettext(
            "%(latitude)s, %(longitude)s (latitude, longitude) is not in %(countries)s: check the coordinates and "
            "the countries."
        ) % where


def misplaced_point(latitude, longitude, codes):
    """A MisplacedPoint when (latitude, longitude) lies farther than OUTLINE_TOLERANCE_KM outside every one of
    the countries (ISO alpha-2 codes); None when it lies in one, or there is no point (or none on Earth), no
    country, or no outline to judge by. The one rule behind every write of a site's location (admin form, API)."""
    codes = [str(code) for code in codes or ()]
    if latitude is None or longitude is None or not codes:
        return None
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        return None  # out of range: the range check says so, and no country could hold it
    territories = [*codes, *(dependency for code in codes for dependency in DEPENDENCIES.get(code, ()))]

    def fits(lat, lon):
        distances = [km_outside_country(code, lat, lon) for code in territories]
        if all(distance is None for distance in distances):
            return None
        return any(distance is not None and distance <= OUTLINE_TOLERANCE_KM for distance in distances)

    if fits(latitude, longitude) in (True, None):
        return None
    swap_fits = abs(longitude) <= 90 and bool(fits(longitude, latitude))
    names = gettext(" or ").join(str(countries.name(code) or code) for code in codes)
    return MisplacedPoint(latitude, longitude, names, swap_fits)
