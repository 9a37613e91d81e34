"""Sites within a radius of a point, nearest first, built only for the page that is read."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property

from sites import geography


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
        # The points as the queryset's user may see them (SiteQuerySet.with_points_for()), never the recorded ones.
        rows = self.queryset.order_by().values_list(
            "pk", "name", "point_latitude", "point_longitude", "point_generalised"
        )
        limit = self.radius_km * (1 + geography.SPHERE_ERROR)
        ranked = []
        for pk, name, latitude, longitude, generalised in rows:
            rough = geography.spherical_distance_km(self.origin, (latitude, longitude))
            if rough <= limit:
                ranked.append((rough, _Candidate(pk, name, (latitude, longitude), generalised)))
        ranked.sort(key=lambda pair: pair[0])
        return ranked

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
        ranked = geography.nearest_ranked(self.origin, self._candidates, self.radius_km, limit=stop)[start:stop:step]
        sites = self.queryset.in_bulk([candidate.pk for candidate in ranked])
        page = []
        for candidate in ranked:
            site = sites[candidate.pk]
            coarse = self.coarse or candidate.generalised
            site.distance_km = float(round(candidate.distance_km)) if coarse else candidate.distance_km
            page.append(site)
        return page

    def __iter__(self):
        return iter(self[:])
