"""Distances and directions between places on the WGS 84 ellipsoid (geopy / GeographicLib)."""

import math

from geographiclib.geodesic import Geodesic
from geopy.distance import geodesic

COMPASS_POINTS = [
    "north", "north-east", "east", "south-east",
    "south", "south-west", "west", "north-west",
]

# Mean length of one degree of latitude; longitude degrees shrink with cos(latitude).
KM_PER_DEGREE_LATITUDE = 111.32


def distance_km(a, b):
    """Geodesic distance in kilometres between two (latitude, longitude) pairs."""
    return geodesic(a, b).kilometers


# Mean Earth radius (IUGG); the sphere is within about 0.5 % of the ellipsoid's distances.
EARTH_RADIUS_KM = 6371.0088
SPHERE_ERROR = 0.006


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
        return f"about {max(int(round(km * 1000, -1)), 10)} m"
    if km < 10:
        return f"about {km:.1f} km"
    return f"about {round(km):,} km"


def describe_relative(origin, reference, reference_name):
    """ "about 215 km north-east of Damascus": where origin lies seen from reference."""
    km = distance_km(reference, origin)
    direction = compass_point(initial_bearing(reference, origin))
    return f"{approximate_distance(km)} {direction} of {reference_name}"
