"""Sites within a radius of a point, nearest first, built only for the page that is read."""

import math
import operator
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property

from django.db.models.functions import Cos, Power, Radians, Sin

from sites import geography

# NearbySites.first(count) reads the 2 × count + this many nearest candidates, which is enough
# unless many of them lie about as far away as the count-th.
READ_BEYOND = 10
# What is read of each candidate: its point as the queryset's user may see it (SiteQuerySet.with_points_for()),
# never the recorded one. Equally distant sites come in the order of "name" (geography.nearest_ranked()); of
# "display_name" where the queryset has it (SiteQuerySet.with_display_name()), the name its reader sees.
CANDIDATE_FIELDS = ("pk", "name", "point_latitude", "point_longitude", "point_generalised")


def _closeness(latitude, longitude):
    """The haversine of the angle between each site's point (as its user may see it) and the origin, in SQL.

    It grows with geography.spherical_distance_km(), so ordering by it is ordering by that distance.
    """
    latitude_radians = math.radians(latitude)
    return (
        Power(Sin((Radians("point_latitude") - latitude_radians) / 2), 2)
        + math.cos(latitude_radians) * Cos(Radians("point_latitude"))
        * Power(Sin((Radians("point_longitude") - math.radians(longitude)) / 2), 2)
    )


@dataclass(eq=False)
class _Candidate:
    pk: int
    name: str
    point: tuple
    generalised: bool
    distance_km: float = field(default=None)

    def __str__(self):
        return self.name


class NearbySites(Sequence):
    """The sites of a queryset within radius_km of origin, by exact geodesic distance, each with ``distance_km``.

    In a dense region thousands of sites fall in the bounding box. Their ids and
    coordinates are read in one query and ranked on the sphere; the exact
    geodesic distance is computed only where it decides something (near the
    radius, or for the slice asked for), and whole Site objects are built only
    for that slice, in one more query. Paginators use ``len()`` and slices.
    """

    def __init__(self, queryset, origin, radius_km, coarse=False):
        self.queryset = queryset
        self.origin = origin
        self.radius_km = radius_km
        # Distances to or from a generalised point (a grid-cell centre) are given in whole km.
        self.coarse = coarse

    @cached_property
    def _candidates(self):
        """Candidates that may be within the radius, nearest on the sphere first, with their spherical distance."""
        return self._rank(self.queryset.order_by().values_list(*self._fields))

    @cached_property
    def _fields(self):
        """CANDIDATE_FIELDS, naming each site by its display_name where the queryset has one."""
        if "display_name" not in self.queryset.query.annotations:
            return CANDIDATE_FIELDS
        return tuple("display_name" if field == "name" else field for field in CANDIDATE_FIELDS)

    def _rank(self, rows):
        """(spherical distance, candidate) for the rows (CANDIDATE_FIELDS) that may be within the radius, nearest first."""
        limit = self.radius_km * (1 + geography.SPHERE_ERROR)
        ranked = []
        for pk, name, latitude, longitude, generalised in rows:
            rough = geography.spherical_distance_km(self.origin, (latitude, longitude))
            if rough <= limit:
                ranked.append((rough, _Candidate(pk, name, (latitude, longitude), generalised)))
        ranked.sort(key=lambda pair: pair[0])
        return ranked

    def first(self, count):
        """The nearest ``count`` sites, as ``self[:count]``, without reading every candidate.

        A site page wants ten neighbours; in a dense region the radius's bounding box holds thousands
        of sites (4,800 around one demo site at 100,000 sites, ten times as many as at 10,000). The database
        orders the candidates on the sphere and the first few are read, whole: enough when the
        last one read is farther than any that can still make the cut (geography.nearest_ranked()),
        otherwise every candidate is, as ``self[:count]`` does.
        """
        read = 2 * count + READ_BEYOND
        nearest_first = self.queryset.annotate(closeness=_closeness(*self.origin)).order_by("closeness", "pk")
        sites = list(nearest_first[:read])
        ranked = self._rank([operator.attrgetter(*self._fields)(site) for site in sites])
        if len(sites) == read:  # some were not read: are they all beyond the cut?
            last = geography.spherical_distance_km(self.origin, (sites[-1].point_latitude, sites[-1].point_longitude))
            cut = self.radius_km * (1 + geography.SPHERE_ERROR)
            if len(ranked) >= count:
                cut = min(cut, ranked[count - 1][0] * (1 + 2 * geography.SPHERE_ERROR))
            if last <= cut * (1 + 1e-9):  # the database's arithmetic may differ from ours in the last bits
                return self[:count]
        ranked = geography.nearest_ranked(self.origin, ranked, self.radius_km, limit=count)
        return self._page(ranked, {site.pk: site for site in sites})

    @cached_property
    def _length(self):
        surely_inside = self.radius_km * (1 - geography.SPHERE_ERROR)
        return sum(
            1 for rough, candidate in self._candidates
            if rough <= surely_inside or geography.distance_km(self.origin, candidate.point) <= self.radius_km
        )

    def __len__(self):
        return self._length

    def __getitem__(self, index):
        if isinstance(index, int):
            position = index + len(self) if index < 0 else index
            found = self[position:position + 1] if position >= 0 else []
            if not found:
                raise IndexError("NearbySites index out of range")
            return found[0]
        start, stop, step = index.indices(len(self))
        if start >= stop:
            return []
        return self._page(
            geography.nearest_ranked(self.origin, self._candidates, self.radius_km, limit=stop)[start:stop:step]
        )

    def _page(self, ranked, sites=None):
        """The sites of these ranked candidates, in their order, each with its ``distance_km``.

        ``sites`` by pk when they have been read already; otherwise they are, in one query.
        """
        sites = sites if sites is not None else self.queryset.in_bulk([candidate.pk for candidate in ranked])
        page = []
        for candidate in ranked:
            site = sites[candidate.pk]
            coarse = self.coarse or candidate.generalised
            site.distance_km = float(round(candidate.distance_km)) if coarse else candidate.distance_km
            page.append(site)
        return page

    def __iter__(self):
        return iter(self[:])
