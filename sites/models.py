import re

import langcodes
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import connections, models
from django.db.models import Case, OuterRef, Q, Subquery, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce, Replace
from django.urls import reverse
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from sites import geography
from sites.dates import EDTF_HELP_TEXT, EDTFBoundsMixin, bounds, humanize, validate_edtf
from sites.nearby import NearbySites
from sites.text import compact, fold, is_rtl
from sites.vocabulary import Term


class SiteKind(Term):
    """What sort of place a site is: archaeological site, temple, theatre, tomb, museum…"""

    class Meta(Term.Meta):
        verbose_name = "site kind"


class NameKind(Term):
    """Preferred, variant, historical, transliteration."""

    class Meta(Term.Meta):
        verbose_name = "name kind"


class Certainty(Term):
    """EAMENA's certainty scale (Definite, High, Medium, Low, Negligible), for locations and causes."""

    class Meta(Term.Meta):
        verbose_name_plural = "certainties"


class SiteQuerySet(models.QuerySet):
    def with_coordinates(self):
        return self.filter(latitude__isnull=False, longitude__isnull=False)

    def in_country(self, code):
        """Sites in a country (ISO 3166-1 alpha-2), transboundary sites included."""
        # Countries are stored as "SY" or "IQ,SY,TR". Spelling out the four places a
        # code can stand gives patterns of three characters or more, which the
        # trigram index of sites/migrations/0003 serves on PostgreSQL ('%SY%' is too short).
        code = code.upper()
        return self.filter(
            Q(countries=code)
            | Q(countries__startswith=f"{code},")
            | Q(countries__endswith=f",{code}")
            | Q(countries__contains=f",{code},")
        )

    def with_parts(self):
        """These sites and their parts, and the parts of those, at any depth: everything within them.

        Palmyra's parts have parts (the Temple of al-Lat → the Lion of al-Lat), so one level
        of ``parent`` is not enough. A recursive CTE walks down the parent links in the
        database: one subquery whatever the depth, never a query per level. UNION (not
        UNION ALL) stops the walk even if a cycle ever slipped past Site.clean().
        """
        return self._walk("part.{parent} = family.site_id")

    def with_wholes(self):
        """These sites and every site they are part of, up to the whole sites: the Lion of al-Lat,
        the Temple of al-Lat and Palmyra. One recursive subquery, as with_parts()."""
        return self._walk("part.{pk} = family.parent_id")

    def _walk(self, join):
        connection = connections[self.db]
        quote = connection.ops.quote_name
        table, pk = quote(self.model._meta.db_table), quote(self.model._meta.pk.column)
        parent = quote(self.model._meta.get_field("parent").column)
        roots, params = self.order_by().values("pk", "parent").query.get_compiler(connection=connection).as_sql()
        # Built from the model's own metadata and the roots' compiled SQL; values stay parameters.
        # Bandit needs each nosec below (without them it reports B608 twice and B611); its "nosec
        # encountered, but no failed test" warning on the f-strings is its own bug (PyCQA/bandit#1204).
        step = (f"SELECT part.{pk}, part.{parent} FROM {table} part "  # noqa: S608  # nosec B608
                f"JOIN family ON {join.format(pk=pk, parent=parent)}")
        family = f"WITH RECURSIVE family (site_id, parent_id) AS ({roots} UNION {step}) SELECT site_id FROM family"  # noqa: S608  # nosec B608
        walked = RawSQL(family, params)  # noqa: S611  # nosec B611
        return self.model.objects.filter(pk__in=walked)

    def named(self, text):
        """Sites with any recorded name containing the text, in any script.

        Case, accents and spacing are ignored: "Tadmur", "تدمر" and "baal shamin"
        find Palmyra and the Temple of Baalshamin. One row per site.
        """
        names = (
            SiteName.objects.annotate(compacted=Replace("folded", Value(" "), Value("")))
            .filter(Q(folded__contains=fold(text)) | Q(compacted__contains=compact(text)))
            .order_by()
            .values("site_id")
        )
        slugs = Site.objects.filter(slug__icontains=text.strip()).order_by().values("pk")
        # One IN over a UNION lets PostgreSQL use the trigram index of each side (sites/migrations/0002).
        return self.filter(pk__in=names.union(slugs))

    def country_codes(self):
        """The set of ISO codes of every country these sites lie in."""
        # Stored as "SY" or "IQ,SY": split here rather than load every site.
        return {code for codes in self.values_list("countries", flat=True).distinct() for code in codes.split(",") if code}

    def search(self, text):
        """Sites matching the text as named() does, best match first, each with a ``rank``.

        Rank 3: one of its names is the text (folded, or compacted for spacing
        variants); 2: a name starts with it; 1: it appears within a name (or only
        in the slug). Alphabetical within a rank.
        """
        folded, squeezed = fold(text), compact(text)
        if not squeezed:
            return self.none()
        whole = Q(folded=folded) | Q(compacted=squeezed)
        start = Q(folded__startswith=folded) | Q(compacted__startswith=squeezed)
        # Each matching site's best name, looked up for the matching sites only: joining every
        # name of every site and grouping took 150 ms when a common word matched 10,000 sites.
        best_name = (
            SiteName.objects.filter(site=OuterRef("pk"))
            .annotate(compacted=Replace("folded", Value(" "), Value("")))
            .annotate(rank=Case(When(whole, then=Value(3)), When(start, then=Value(2)), default=Value(1)))
            .order_by("-rank")
            .values("rank")[:1]
        )
        return (
            self.named(text)
            .annotate(rank=Coalesce(Subquery(best_name), Value(1)))
            .order_by("-rank", "name")
        )

    def within(self, latitude, longitude, radius_km):
        """Sites within radius_km of a point, nearest first, each with a ``distance_km``.

        A bounding box narrows the candidates in SQL; the exact geodesic distance
        is computed only for those that can make the cut (geography.nearest), and
        sites are built only for the slice that is read. Returns a NearbySites
        sequence, not a QuerySet.
        """
        south, north, west, east = geography.bounding_box(latitude, longitude, radius_km)
        candidates = self.with_coordinates().filter(latitude__gte=south, latitude__lte=north)
        if west < -180 or east > 180:
            # The box crosses the antimeridian: take both sides of it.
            candidates = candidates.filter(
                Q(longitude__gte=(west + 540) % 360 - 180) | Q(longitude__lte=(east + 540) % 360 - 180)
            )
        else:
            candidates = candidates.filter(longitude__gte=west, longitude__lte=east)
        return NearbySites(candidates, (latitude, longitude), radius_km)


class SiteManager(models.Manager.from_queryset(SiteQuerySet)):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class Site(EDTFBoundsMixin, models.Model):
    """A heritage place: a whole site such as Palmyra, or a part of one such as its Temple of Bel."""

    slug = models.SlugField(max_length=120, unique=True, help_text="Permanent identifier used in URLs.")
    name = models.CharField("preferred name", max_length=255)
    kind = models.ForeignKey(SiteKind, on_delete=models.PROTECT, related_name="sites")
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="parts",
        help_text="The site this one is part of (the Temple of Bel is part of Palmyra).",
    )
    countries = CountryField(multiple=True, blank=True, help_text="Every country the site lies in.")
    latitude = models.FloatField(
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
        help_text="WGS 84 decimal degrees, north positive. Leave blank when unknown.",
    )
    longitude = models.FloatField(
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
        help_text="WGS 84 decimal degrees, east positive. Leave blank when unknown.",
    )
    location_certainty = models.ForeignKey(
        Certainty, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    location_source = models.CharField(max_length=255, blank=True, help_text="Where the coordinates come from.")
    summary = models.CharField(max_length=500, blank=True, help_text="One or two sentences, in our own words.")
    description = models.TextField(blank=True)
    built = models.CharField(max_length=64, blank=True, validators=[validate_edtf], help_text=EDTF_HELP_TEXT)
    built_earliest = models.IntegerField(null=True, blank=True, editable=False)
    built_latest = models.IntegerField(null=True, blank=True, editable=False)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True, db_index=True)

    history = HistoricalRecords()
    objects = SiteManager()

    edtf_fields = ("built",)

    class Meta:
        ordering = ["name"]
        indexes = [
            # within(): the bounding-box prefilter of nearby searches.
            models.Index(fields=["latitude", "longitude"], name="site_lat_lon_idx"),
            # Site lists in name order, the default (/sites/?country=SY): PostgreSQL walks this
            # index and stops after one page instead of sorting every match (40 → 1 ms at 100,000 sites).
            models.Index(fields=["name"], name="site_name_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
                name="site_latitude_in_range",
                violation_error_message="The latitude must be between -90 and 90 degrees.",
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
                name="site_longitude_in_range",
                violation_error_message="The longitude must be between -180 and 180 degrees.",
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__isnull=False, longitude__isnull=False),
                name="site_coordinates_both_or_neither",
                violation_error_message="Give both the latitude and the longitude, or neither.",
            ),
            models.CheckConstraint(
                condition=~Q(parent=models.F("pk")), name="site_not_own_parent",
                violation_error_message="A site cannot be part of itself: choose another parent site.",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("sites:detail", args=[self.slug])

    def natural_key(self):
        return (self.slug,)

    def clean(self):
        if (self.latitude is None) != (self.longitude is None):
            raise ValidationError("Give both latitude and longitude, or neither.")
        if self.parent_id and self.pk:
            if self.parent_id == self.pk:
                raise ValidationError({"parent": "A site cannot be part of itself."})
            if any(ancestor.pk == self.pk for ancestor in self.parent.ancestors()):
                raise ValidationError(
                    {"parent": f"“{self.parent}” is part of “{self}”, so it cannot also contain it."}
                )

    @property
    def point(self):
        """(latitude, longitude), or None when the location is unknown."""
        if self.latitude is None or self.longitude is None:
            return None
        return (self.latitude, self.longitude)

    @property
    def built_display(self):
        return humanize(self.built)

    def ancestors(self):
        """Parents from the nearest up to the whole site (one query per level)."""
        chain, node, seen = [], self.parent, {self.pk}
        while node is not None and node.pk not in seen:
            chain.append(node)
            seen.add(node.pk)
            node = node.parent
        return chain

    def distance_to(self, other):
        """Geodesic distance in km to another site, or None if either location is unknown."""
        if self.point is None or other.point is None:
            return None
        return geography.distance_km(self.point, other.point)

    def bearing_to(self, other):
        """Initial bearing in degrees from this site to another."""
        if self.point is None or other.point is None:
            return None
        return geography.initial_bearing(self.point, other.point)

    def nearby(self, radius_km=100, limit=10):
        """Other sites within radius_km, nearest first, with ``distance_km``."""
        if self.point is None:
            return []
        others = Site.objects.select_related("kind").exclude(pk=self.pk)
        return others.within(self.latitude, self.longitude, radius_km)[:limit]

    def landmark(self):
        """The place a relative description is measured from.

        A part is placed within its parent; a whole site from the nearest city
        in the gazetteer ("about 215 km north-east of Damascus").
        """
        if self.point is None:
            return None
        if self.parent and self.parent.point:
            return self.parent
        cities = (
            Site.objects.with_coordinates()
            .filter(kind__slug="city", parent__isnull=True)
            .exclude(pk=self.pk)
            .only("pk", "name", "slug", "latitude", "longitude")
        )
        found = geography.nearest(self.point, cities, limit=1)
        return found[0] if found else None

    def relative_description(self, landmark=None):
        landmark = landmark or self.landmark()
        if landmark is None:
            return ""
        return geography.describe_relative(self.point, landmark.point, landmark.short_name)

    @property
    def short_name(self):
        """The name without the "Site of" / "Ancient City of" that UNESCO puts first."""
        return re.sub(r"^(Site of|Ancient City of|Old City of)\s+", "", self.name)


class SiteName(models.Model):
    """One of the names a site is known by, in one language and script."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="names")
    name = models.CharField(max_length=255)
    language = models.CharField(
        max_length=35,
        help_text="BCP 47 language tag: en, ar, fr, la, arc (Aramaic), ar-Latn (Arabic in Latin letters)…",
    )
    kind = models.ForeignKey(NameKind, on_delete=models.PROTECT, related_name="names")
    note = models.CharField(max_length=255, blank=True)
    folded = models.CharField(max_length=255, editable=False, db_index=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["kind__position", "language", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["site", "name", "language"], name="site_name_unique_per_language",
                violation_error_message="This site already has this name in this language.",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.language})"

    def save(self, *args, **kwargs):
        self.folded = fold(self.name)
        super().save(*args, **kwargs)

    def clean(self):
        if self.language and not langcodes.tag_is_valid(self.language):
            raise ValidationError({"language": f"“{self.language}” is not a valid BCP 47 language tag (e.g. en, ar, la)."})

    def natural_key(self):
        return (self.site.slug, self.name, self.language)

    @property
    def is_rtl(self):
        return is_rtl(self.name)


class Identifier(models.Model):
    """The site's record in another authority (UNESCO, Wikidata, Pleiades…); links are derived."""

    class Authority(models.TextChoices):
        UNESCO = "unesco", "UNESCO World Heritage List"
        WIKIDATA = "wikidata", "Wikidata"
        PLEIADES = "pleiades", "Pleiades"
        GEONAMES = "geonames", "GeoNames"
        EAMENA = "eamena", "EAMENA"

    URL_TEMPLATES = {
        Authority.UNESCO: "https://whc.unesco.org/en/list/{value}/",
        Authority.WIKIDATA: "https://www.wikidata.org/wiki/{value}",
        Authority.PLEIADES: "https://pleiades.stoa.org/places/{value}",
        Authority.GEONAMES: "https://www.geonames.org/{value}/",
        Authority.EAMENA: "https://database.eamena.org/search?paging-filter=1&term-filter=%5B%7B%22type%22%3A%22string%22%2C%22value%22%3A%22{value}%22%7D%5D",
    }
    PATTERNS = {
        Authority.UNESCO: (r"[1-9]\d*(bis|ter)?", "a UNESCO property number such as 23"),
        Authority.WIKIDATA: (r"Q[1-9]\d*", "a Wikidata item id such as Q5747"),
        Authority.PLEIADES: (r"[1-9]\d*", "a Pleiades place number such as 668331"),
        Authority.GEONAMES: (r"[1-9]\d*", "a GeoNames id such as 163809"),
        Authority.EAMENA: (r"EAMENA-\d{7}", "an EAMENA id such as EAMENA-0123456"),
    }

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="identifiers")
    authority = models.CharField(max_length=20, choices=Authority.choices)
    value = models.CharField(max_length=64)

    history = HistoricalRecords()

    class Meta:
        ordering = ["authority"]
        constraints = [
            models.UniqueConstraint(
                fields=["authority", "value"], name="identifier_unique_per_authority",
                violation_error_message="Another site already has this identifier from this authority.",
            ),
            models.UniqueConstraint(
                fields=["site", "authority"], name="identifier_one_per_site_and_authority",
                violation_error_message="This site already has an identifier from this authority; change that one.",
            ),
        ]

    def __str__(self):
        return f"{self.get_authority_display()} {self.value}"

    def clean(self):
        pattern, example = self.PATTERNS[self.authority]
        if not re.fullmatch(pattern, self.value or ""):
            raise ValidationError({"value": f"“{self.value}” is not {example}."})

    @property
    def url(self):
        return self.URL_TEMPLATES[self.authority].format(value=self.value)

    def natural_key(self):
        return (self.authority, self.value)


class DesignationQuerySet(models.QuerySet):
    def current(self):
        """Designations in force: no end date."""
        return self.filter(end="")

    def in_danger(self):
        return self.filter(kind=Designation.Kind.IN_DANGER)


class Designation(EDTFBoundsMixin, models.Model):
    """A legal or international status: World Heritage, the In Danger list, national protection."""

    class Kind(models.TextChoices):
        WORLD_HERITAGE = "world-heritage", "World Heritage property"
        IN_DANGER = "in-danger", "List of World Heritage in Danger"
        TENTATIVE = "tentative", "World Heritage Tentative List"
        NATIONAL = "national", "National protection"

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="designations")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    reference = models.CharField(max_length=120, blank=True, help_text="Decision or list number, e.g. 23 or 37 COM 7B.57.")
    criteria = models.CharField(max_length=60, blank=True, help_text="UNESCO criteria, e.g. (i)(ii)(iv).")
    start = models.CharField("from", max_length=64, blank=True, validators=[validate_edtf], help_text=EDTF_HELP_TEXT)
    start_earliest = models.IntegerField(null=True, blank=True, editable=False)
    start_latest = models.IntegerField(null=True, blank=True, editable=False)
    end = models.CharField("to", max_length=64, blank=True, validators=[validate_edtf], help_text="Blank while in force.")
    end_earliest = models.IntegerField(null=True, blank=True, editable=False)
    end_latest = models.IntegerField(null=True, blank=True, editable=False)
    note = models.CharField(max_length=255, blank=True)

    history = HistoricalRecords()
    objects = DesignationQuerySet.as_manager()

    edtf_fields = ("start", "end")

    class Meta:
        ordering = ["start_earliest", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["site", "kind", "start"], name="designation_unique_per_start",
                violation_error_message="This site already has this designation from this date.",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.period})"

    def clean(self):
        if self.start and self.end and bounds(self.end)[1] < bounds(self.start)[0]:
            raise ValidationError({"end": "A designation cannot end before it starts."})

    @property
    def is_current(self):
        return not self.end

    @property
    def period(self):
        if self.start and self.end:
            return f"{humanize(self.start)} – {humanize(self.end)}"
        if self.start:
            return f"since {humanize(self.start)}"
        return "dates unknown"
