"""Where a site is, as a given reader may be told: exact, generalised to a grid cell, or not at all.

The field's first rule for vulnerable places (unexcavated tombs, looted areas,
hoards) is that their exact coordinates are not published. A site's
``location_sensitivity`` says how much of its point anonymous readers and
editors without the ``sites.view_exact_location`` permission may see:

- public: the exact point;
- generalised: the centre of the 0.1° × 0.1° grid cell the point lies in
  (about 11 km × 11 km at the equator, narrower east–west towards the poles).
  Every request gets the same cell centre, so averaging many answers recovers
  nothing more; the uncertainty grows by the cell's half-diagonal (7,900 m);
- hidden: no point at all.

Site.point_for(user) and SiteQuerySet.with_points_for(user) apply the rule; every
surface that shows a point calls one of them.
"""

import math
from dataclasses import dataclass

CELLS_PER_DEGREE = 10  # a 0.1° grid
# Half the diagonal of a 0.1° cell at the equator, where cells are largest
# (0.05° is 5,566 m both ways; √2 × 5,566 m = 7,871 m), rounded up.
GENERALISED_UNCERTAINTY_M = 7_900
EXACT_LOCATION_PERMISSION = "sites.view_exact_location"


@dataclass(frozen=True)
class SitePoint:
    """A point as shown to one reader: WGS 84 degrees, its uncertainty in metres (None when unknown),
    and whether it is a generalised cell centre rather than the recorded point."""

    latitude: float
    longitude: float
    uncertainty_m: int | None = None
    generalised: bool = False

    @property
    def coordinates(self):
        """(latitude, longitude), the pair geography's functions take."""
        return (self.latitude, self.longitude)


def snap(degrees, lowest, highest):
    """The centre of the grid cell a coordinate lies in: 34.5521 → 34.55, 38.2657 → 38.25, -0.01 → -0.05.

    The cell is found with floor(), so the same input always gives the same centre;
    a coordinate on the upper edge (90°, 180°) belongs to the cell below it.
    SiteQuerySet.with_points_for() computes the same in SQL: floor(degrees × 10),
    clamped, plus one half, divided by 10 (exact in floating point as in Python).
    """
    cell = math.floor(degrees * CELLS_PER_DEGREE)
    cell = max(min(cell, highest * CELLS_PER_DEGREE - 1), lowest * CELLS_PER_DEGREE)
    return (cell + 0.5) / CELLS_PER_DEGREE


def generalise(latitude, longitude, uncertainty_m=None):
    """The generalised SitePoint of an exact point: its grid cell's centre, with the uncertainty widened."""
    return SitePoint(
        latitude=snap(latitude, -90, 90),
        longitude=snap(longitude, -180, 180),
        uncertainty_m=(uncertainty_m or 0) + GENERALISED_UNCERTAINTY_M,
        generalised=True,
    )


def sees_exact_locations(user):
    """Whether this user may see every site's recorded point (None stands for an anonymous reader)."""
    return user is not None and user.has_perm(EXACT_LOCATION_PERMISSION)
