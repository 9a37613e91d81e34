import re

import langcodes
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import connections, models, transaction
from django.db.models import BooleanField, Case, Count, F, FloatField, IntegerField, OuterRef, Q, Subquery, Value, When, Window
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce, Floor, Greatest, Least, NullIf, Replace
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from sites import geography, locations
from sites.dates import EDTF_HELP_TEXT, EDTFBoundsMixin, bounds, validate_edtf
from sites.languages import ARABIC_VERSION_HELP, ArabicTextMixin, reader_language
from sites.nearby import NearbySites
from sites.text import compact, fold, is_rtl
from sites.vocabulary import Term


class SiteKind(Term):
    """What sort of place a site is: archaeological site, temple, theatre, tomb, museum…"""

    class Meta(Term.Meta):
        verbose_name = _("site kind")
        verbose_name_plural = _("site kinds")


class NameKind(Term):
    """Preferred, variant, historical, transliteration."""

    class Meta(Term.Meta):
        verbose_name = _("name kind")
        verbose_name_plural = _("name kinds")


class Certainty(Term):
    """EAMENA's certainty scale (Definite, High, Medium, Low, Negligible), for locations and causes."""

    class Meta(Term.Meta):
        verbose_name_plural = _("certainties")
        verbose_name = _("certainty")


def _snapped(field, lowest, highest):
    """locations.snap() in SQL, for the rows of a queryset."""
    cells = locations.CELLS_PER_DEGREE
    cell = Least(Greatest(Floor(F(field) * cells), Value(float(lowest * cells))), Value(float(highest * cells - 1)))
    return (cell + Value(0.5)) / Value(float(cells))


def _display_name_in_arabic():
    """The name an Arabic reader sees, from a site's own columns: its stored first Arabic name, else its English
    name. Site.Meta.indexes holds exactly this expression (site_arabic_display_name_idx), so that Arabic lists
    ordered by it walk the index as English lists walk site_name_idx."""
    return Coalesce(NullIf("first_arabic_name", Value("")), "name")


def _every_distinct_value(model, field_name):
    """The distinct values of an indexed column over the whole table, reading one index entry per value: a
    "loose index scan", which neither PostgreSQL nor SQLite makes of SELECT DISTINCT (that reads every row: 33 ms
    for the countries of 100,000 demo sites, against about 1 ms for the 150 probes of this)."""
    table = connections[model.objects.db].ops.quote_name(model._meta.db_table)
    column = connections[model.objects.db].ops.quote_name(model._meta.get_field(field_name).column)
    # Table and column names come from the model, quoted; nothing from a request.
    first = f"SELECT MIN({column}) FROM {table}"  # noqa: S608  # nosec B608
    following = f"SELECT (SELECT MIN({column}) FROM {table} WHERE {column} > seen.value) FROM seen"  # noqa: S608  # nosec B608
    recursion = f"WITH RECURSIVE seen(value) AS ({first} UNION ALL {following} WHERE seen.value IS NOT NULL)"
    sql = f"{recursion} SELECT value FROM seen WHERE value IS NOT NULL"  # noqa: S608  # nosec B608
    with connections[model.objects.db].cursor() as cursor:
        cursor.execute(sql)
        return [value for (value,) in cursor.fetchall()]


class SiteQuerySet(models.QuerySet):
    def with_display_name(self, language=None, parent=False):
        """These sites, each annotated with the name a reader of this language sees (Site.text_in("name")), in SQL.

        ``display_name`` is the site's Arabic name (Site.name_ar: its first Arabic SiteName, most preferred kind
        first, as stored in ``first_arabic_name``) for Arabic readers where the gazetteer has one, else the English
        ``name``; ``display_name_language`` says which ("ar" or "en"). On Arabic pages ``arabic_name`` is annotated
        too (null where there is none), which Site.name_ar reads, so text_in("name") and the ``translated`` tag need
        no query per row. Works with ``.values()`` and ``.only()``. Reads the sites' own columns: no subquery.
        ``parent``: also ``parent_name`` and (Arabic) ``parent_name_ar``, for ``translated site "parent_name"``.
        """
        arabic = reader_language(language) == "ar"
        sites = self
        if parent:
            # For "part of …": text_in("parent_name") reads parent_name_ar as text_in("name") reads name_ar.
            names = {"parent_name": F("parent__name")}
            if arabic:
                names["parent_name_ar"] = Coalesce(F("parent__first_arabic_name"), Value(""))
            sites = sites.annotate(**names)
        if not arabic:
            return sites.annotate(display_name=F("name"), display_name_language=Value("en"))
        return sites.annotate(
            arabic_name=NullIf("first_arabic_name", Value("")),
            display_name=_display_name_in_arabic(),
            display_name_language=Case(When(first_arabic_name="", then=Value("en")), default=Value("ar")),
        )

    def alphabetical(self, *first, language=None):
        """These sites ordered by ``first`` (order_by() terms, if any), then by the name their reader sees, then pk.

        On Arabic pages by ``display_name`` (annotated here unless with_display_name() was called), so that the
        list reads in Arabic alphabetical order where the gazetteer has Arabic names, which
        site_arabic_display_name_idx serves; elsewhere by ``name``, as Meta.ordering, which site_name_idx serves.
        """
        if reader_language(language) != "ar":
            return self.order_by(*first, "name", "pk")
        sites = self if "display_name" in self.query.annotations else self.with_display_name(language)
        return sites.order_by(*first, "display_name", "pk")

    def refresh_arabic_names(self):
        """Stores in ``first_arabic_name`` each of these sites' first Arabic name as SiteName.objects.first_in("ar")
        gives it ("" where there is none), in one UPDATE; returns how many sites. Every path that writes SiteName
        rows calls it: SiteName.save() and delete(), SiteName's bulk QuerySet methods, the loaders after a raw
        loaddata, and the migration that added the column."""
        first = SiteName.objects.first_in("ar").filter(site=OuterRef("pk")).values("name")[:1]
        return self.order_by().update(first_arabic_name=Coalesce(Subquery(first), Value("")))

    def with_coordinates(self):
        return self.filter(latitude__isnull=False, longitude__isnull=False)

    def with_points_for(self, user):
        """These sites, each annotated with its point as this user may see it (Site.point_for() for many rows).

        ``point_latitude``, ``point_longitude`` and ``point_uncertainty_m`` are null when the
        user may not see a point (hidden sites, for readers without the permission) or none
        is recorded; ``point_generalised`` is true for grid-cell centres. Works with
        ``.values()``: exports read these four and never ``latitude``/``longitude``.
        None stands for an anonymous reader.
        """
        if locations.sees_exact_locations(user):
            return self.annotate(
                point_latitude=F("latitude"), point_longitude=F("longitude"),
                point_uncertainty_m=F("coordinate_uncertainty_m"),
                point_generalised=Value(False, output_field=BooleanField()),
            )
        sensitivity = Site.LocationSensitivity
        hidden = Q(location_sensitivity=sensitivity.HIDDEN) | Q(latitude__isnull=True) | Q(longitude__isnull=True)
        generalised = Q(location_sensitivity=sensitivity.GENERALISED)
        return self.annotate(
            point_latitude=Case(
                When(hidden, then=None), When(generalised, then=_snapped("latitude", -90, 90)),
                default=F("latitude"), output_field=FloatField(),
            ),
            point_longitude=Case(
                When(hidden, then=None), When(generalised, then=_snapped("longitude", -180, 180)),
                default=F("longitude"), output_field=FloatField(),
            ),
            point_uncertainty_m=Case(
                When(hidden, then=None),
                When(generalised, then=Coalesce("coordinate_uncertainty_m", 0) + locations.GENERALISED_UNCERTAINTY_M),
                default=F("coordinate_uncertainty_m"), output_field=IntegerField(),
            ),
            point_generalised=Case(
                When(hidden, then=Value(False)), When(generalised, then=Value(True)),
                default=Value(False), output_field=BooleanField(),
            ),
        )

    def located_for(self, user):
        """These sites that have a point this user may see, annotated as with_points_for()."""
        return self.with_points_for(user).filter(point_latitude__isnull=False)

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

    def wholes_of(self, site_pks):
        """{site pk: [itself, its whole, that whole's whole…]} for these sites, as Site.ancestors() walks one: one
        query however many and however deep (with_wholes())."""
        if not site_pks:
            return {}
        parents = dict(self.filter(pk__in=site_pks).with_wholes().values_list("pk", "parent_id"))
        chains = {}
        for pk in site_pks:
            chain, current = [], pk
            while current is not None and current not in chain:
                chain.append(current)
                current = parents.get(current)
            chains[pk] = chain
        return chains

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
        names, slugs = _named_ids(text)
        # One IN over a UNION lets PostgreSQL use the trigram index of each side (sites/migrations/0002).
        return self.filter(pk__in=names.union(slugs))

    def matching(self, text):
        """The sites a search for the text finds: those named() so, or, when none is, those with a name
        resembling it (a typo, another transliteration: "Palmira", "palmyre" find Palmyra). The search page
        and the API's ``q`` both ask this."""
        named = self.named(text)
        if named.exists():
            return named
        return self.resembling(text)

    def resembling(self, text):
        """Sites with a name like the text, though perhaps not containing it, most alike first, each with a
        ``rank`` of 0 (below every site named() so, in search())."""
        site_pks = list(dict.fromkeys(site_id for site_id, _ in _resembling_names(self.db, text)))
        in_order = Case(*[When(pk=pk, then=Value(position)) for position, pk in enumerate(site_pks)], default=Value(0))
        return self.filter(pk__in=site_pks).annotate(rank=Value(0)).order_by(in_order, "name")

    def suggestion(self, text):
        """The name to offer as "did you mean": the name most like the text, when no name contains it."""
        if self.named(text).exists():
            return None
        names = _resembling_names(self.db, text)
        return names[0][1] if names else None

    def country_codes(self):
        """The set of ISO codes of every country these sites lie in."""
        # Stored as "SY" or "IQ,SY": split here rather than load every site.
        if not self.query.where:
            distinct = _every_distinct_value(self.model, "countries")
        else:
            # order_by(): the default ordering by name would make DISTINCT read every (countries, name) pair.
            distinct = self.order_by().values_list("countries", flat=True).distinct()
        return {code for codes in distinct for code in codes.split(",") if code}

    def search(self, text, candidates=None):
        """Sites matching() the text, best match first, each with a ``rank``.

        Rank 3: one of its names is the text (folded, or compacted for spacing
        variants); 2: a name starts with it; 1: it appears within a name (or only
        in the slug). Alphabetical within a rank, by the name the reader sees (alphabetical()). When no name
        contains the text, the sites
        resembling() it, most alike first.

        With ``candidates`` (a page that shows only the best few), only the sites with a name that is the
        text and the first that many others found are ranked, each then also with ``matches``, the number
        ranked: a common word ("temple" names 10,000 demo sites) costs no more than a rare one.
        """
        folded, squeezed = fold(text), compact(text)
        if not squeezed:
            return self.none()
        whole = Q(folded=folded) | Q(compacted=squeezed)
        if candidates is None:
            named = self.named(text)
            if not named.exists():
                return self.resembling(text)
        else:
            # The candidates' ids, read once: asking whether there are any and then ranking them found them twice,
            # and finding them costs more as the table grows (a trigram bitmap of every name containing the text).
            found_ids = list(self._first_named(text, whole, candidates).values_list("pk", flat=True))
            if not found_ids:
                return self.resembling(text)
            named = self.filter(pk__in=found_ids)
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
        found = named.annotate(rank=Coalesce(Subquery(best_name), Value(1))).alphabetical("-rank")
        return found if candidates is None else found.annotate(matches=Window(Count("pk")))

    def _first_named(self, text, whole, candidates):
        """Of the sites named() the text, those with a name that is it and the first ``candidates`` others found."""
        names, slugs = _named_ids(text)
        whole_names = SiteName.objects.annotate(compacted=Replace("folded", Value(" "), Value(""))).filter(whole)
        compiled = [first_found(whole_names.order_by().values("site_id")), first_found(names, candidates),
                    first_found(slugs, candidates)]
        # Each part is a subquery of its own so that each may stop early: a UNION of the whole sets would first
        # collect and deduplicate every match.
        sql = " UNION ".join(f"SELECT * FROM ({part}) AS part{number}" for number, (part, _) in enumerate(compiled))  # noqa: S608  # nosec B608
        params = [param for _, part_params in compiled for param in part_params]
        return self.filter(pk__in=RawSQL(sql, params))  # noqa: S611  # nosec B611

    def within(self, latitude, longitude, radius_km, user=None, coarse=False):
        """Sites within radius_km of a point, nearest first, each with a ``distance_km``.

        Distances are measured to each site's point as this user may see it
        (with_points_for()): a hidden site is never found, a generalised one is
        found and ranked by its cell centre, so neither the set, the order nor
        the distances depend on a point the user may not see. None stands for an
        anonymous reader. A bounding box, widened by a grid cell so that it holds
        every generalised point, narrows the candidates in SQL; the exact geodesic
        distance is computed only for those that can make the cut (geography.nearest),
        and sites are built only for the slice that is read; ``coarse`` gives every
        distance in whole km (for an origin that is itself generalised). Returns a
        NearbySites sequence, not a QuerySet.
        """
        south, north, west, east = geography.bounding_box(latitude, longitude, radius_km)
        margin = 1 / locations.CELLS_PER_DEGREE
        south, north, west, east = south - margin, north + margin, west - margin, east + margin
        candidates = self.located_for(user).filter(latitude__gte=south, latitude__lte=north)
        if west < -180 or east > 180:
            # The box crosses the antimeridian: take both sides of it.
            candidates = candidates.filter(
                Q(longitude__gte=(west + 540) % 360 - 180) | Q(longitude__lte=(east + 540) % 360 - 180)
            )
        else:
            candidates = candidates.filter(longitude__gte=west, longitude__lte=east)
        return NearbySites(candidates, (latitude, longitude), radius_km, coarse=coarse)


# How alike a name and a search must be to count as a misspelling of each other: pg_trgm's word similarity
# of 0.5 on PostgreSQL ("Palmira" and "Palmyra" share half their trigrams; the GIN index of sites/migrations/0002
# serves the comparison); rapidfuzz's partial ratio of 80 out of 100 on SQLite, which finds the same names.
RESEMBLANCE_WORD_SIMILARITY = 0.5
RESEMBLANCE_PERCENT = 80
# Shorter texts resemble too many names to be worth suggesting.
RESEMBLANCE_MIN_LENGTH = 4
# The most alike names considered: a misspelling is of one name or a few, not of hundreds.
RESEMBLANCE_LIMIT = 100


def first_found(queryset, limit=None):
    """(sql, params) selecting the first ``limit`` rows of the queryset that the database finds (all, if None),
    in no order, but the same rows each time the data is the same: a subquery for IN or FROM.

    Compiled on its own, so columns named by their table (as the stored search documents are) keep pointing at
    it; nested as a queryset, Django would rename the table.
    """
    connection = connections[queryset.db]
    sql, params = queryset.query.get_compiler(connection=connection).as_sql()
    if limit is None:
        return sql, params
    if connection.vendor == "postgresql":
        # Planned for a few rows, PostgreSQL may scan the table hoping to meet them soon: seconds when its guess of
        # how many match is wrong, and other rows each time (scans start where the last one stopped). Planned
        # for every row, as a materialised CTE is, it reads them from the index, in table order, and stops at limit.
        return f"WITH found AS MATERIALIZED ({sql}) SELECT * FROM found LIMIT {int(limit)}", params  # noqa: S608  # nosec B608
    return f"SELECT * FROM ({sql}) AS found LIMIT {int(limit)}", params  # noqa: S608  # nosec B608


def _named_ids(text):
    """The ids of the sites with a name containing the text (as named() compares them), and of those with a slug
    containing it: two querysets of one column each."""
    names = (
        SiteName.objects.annotate(compacted=Replace("folded", Value(" "), Value("")))
        .filter(Q(folded__contains=fold(text)) | Q(compacted__contains=compact(text)))
        .order_by()
        .values("site_id")
    )
    slugs = Site.objects.filter(slug__icontains=text.strip()).order_by().values("pk")
    return names, slugs


def _resembling_names(database, text):
    """(site id, name) of the names resembling the text, most alike first, at most RESEMBLANCE_LIMIT.

    PostgreSQL orders by word similarity then whole similarity (so "Palmyra" comes before "Site of
    Palmyra"); SQLite scores every name with rapidfuzz in the same way: a scan, fine at its scale.
    """
    folded = fold(text)
    if len(folded.replace(" ", "")) < RESEMBLANCE_MIN_LENGTH:
        return []
    if connections[database].vendor == "postgresql":
        from django.contrib.postgres.lookups import TrigramWordSimilar
        from django.contrib.postgres.search import TrigramSimilarity, TrigramWordSimilarity

        with transaction.atomic(using=database), connections[database].cursor() as cursor:
            # %> compares with this setting (pg_trgm's default, 0.6, misses "Palmira"), for this transaction only.
            cursor.execute("SELECT set_config('pg_trgm.word_similarity_threshold', %s, true)",
                           [str(RESEMBLANCE_WORD_SIMILARITY)])
            # The lookup as an expression: django.contrib.postgres is not installed (SQLite is the default).
            return list(
                SiteName.objects.using(database).filter(TrigramWordSimilar(models.F("folded"), Value(folded)))
                .annotate(word_likeness=TrigramWordSimilarity(Value(folded), "folded"),
                          likeness=TrigramSimilarity("folded", Value(folded)))
                .order_by("-word_likeness", "-likeness", "name")
                .values_list("site_id", "name")[:RESEMBLANCE_LIMIT]
            )
    from rapidfuzz import fuzz

    scored = []
    for site_id, name, name_folded in SiteName.objects.using(database).values_list("site_id", "name", "folded"):
        word_likeness = fuzz.partial_ratio(folded, name_folded)
        if word_likeness >= RESEMBLANCE_PERCENT:
            scored.append((-word_likeness, -fuzz.ratio(folded, name_folded), name, site_id))
    return [(site_id, name) for _, _, name, site_id in sorted(scored)[:RESEMBLANCE_LIMIT]]


class SiteManager(models.Manager.from_queryset(SiteQuerySet)):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


# Site.landmark() looks for the nearest city within this radius first, and only then anywhere.
LANDMARK_SEARCH_KM = 250


class Site(ArabicTextMixin, EDTFBoundsMixin, models.Model):
    """A heritage place: a whole site such as Palmyra, or a part of one such as its Temple of Bel."""

    class LocationSensitivity(models.TextChoices):
        PUBLIC = "public", _("Public: everyone sees the exact point")
        GENERALISED = "generalised", _("Generalised: the public sees a 0.1° grid cell")
        HIDDEN = "hidden", _("Hidden: the public sees no point")

    # Each level in one word, for sentences about it ("“Palmyra” is generalised").
    SENSITIVITY_WORDS = {
        "public": pgettext_lazy("location sensitivity", "public"),
        "generalised": pgettext_lazy("location sensitivity", "generalised"),
        "hidden": pgettext_lazy("location sensitivity", "hidden"),
    }

    class CoordinateMethod(models.TextChoices):
        SURVEYED = "surveyed", _("Surveyed (total station, differential GNSS)")
        GPS = "gps", _("Handheld GPS")
        SATELLITE_IMAGERY = "satellite-imagery", _("Read from satellite or aerial imagery")
        DIGITISED_FROM_MAP = "digitised-map", _("Digitised from a map or plan")
        GEOCODED = "geocoded", _("Geocoded from a place name or address")
        ESTIMATED = "estimated", _("Estimated from a description")

    slug = models.SlugField(_("slug"), max_length=120, unique=True, help_text=_("Permanent identifier used in URLs."))
    name = models.CharField(_("preferred name"), max_length=255)
    kind = models.ForeignKey(SiteKind, verbose_name=_("kind"), on_delete=models.PROTECT, related_name="sites")
    parent = models.ForeignKey(
        "self", verbose_name=_("parent"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="parts",
        help_text=_("The site this one is part of (the Temple of Bel is part of Palmyra)."),
    )
    countries = CountryField(_("countries"), multiple=True, blank=True, help_text=_("Every country the site lies in."))
    latitude = models.FloatField(_("latitude"),
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
        help_text=_("WGS 84 decimal degrees, north positive. Leave blank when unknown."),
    )
    longitude = models.FloatField(_("longitude"),
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
        help_text=_("WGS 84 decimal degrees, east positive. Leave blank when unknown."),
    )
    location_certainty = models.ForeignKey(
        Certainty, verbose_name=_("location certainty"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    location_source = models.CharField(
        _("location source"), max_length=255, blank=True, help_text=_("Where the coordinates come from."),
    )
    coordinate_method = models.CharField(
        _("how the coordinates were obtained"), max_length=20, choices=CoordinateMethod.choices, blank=True,
    )
    coordinate_uncertainty_m = models.PositiveIntegerField(
        _("coordinate uncertainty (m)"), null=True, blank=True,
        help_text=_("How far, in metres, the true location may lie from the coordinates (the radius of a circle)."),
    )
    location_sensitivity = models.CharField(_("location sensitivity"),
        max_length=12, choices=LocationSensitivity.choices, default=LocationSensitivity.PUBLIC,
        help_text=_("Who may see the exact coordinates. Generalised: readers without the permission see the "
        "centre of the 0.1° grid cell (about 11 km) the site lies in; hidden: they see no point at all."),
    )
    summary = models.CharField(_("summary"), max_length=500, blank=True, help_text=_("One or two sentences, in our own words."))
    summary_ar = models.CharField(_("summary in Arabic"), max_length=500, blank=True, help_text=ARABIC_VERSION_HELP)
    description = models.TextField(_("description"), blank=True)
    built = models.CharField(_("built"), max_length=64, blank=True, validators=[validate_edtf], help_text=_(EDTF_HELP_TEXT))
    built_earliest = models.IntegerField(_("built earliest"), null=True, blank=True, editable=False)
    built_latest = models.IntegerField(_("built latest"), null=True, blank=True, editable=False)
    # The date in words, stored by save() so that pages do not parse it on every request.
    built_words = models.TextField(_("built in words"), blank=True, default="", db_default="", editable=False)
    built_words_ar = models.TextField(_("built in words (Arabic)"), blank=True, default="", db_default="", editable=False)
    # Site.name_ar, stored by SiteQuerySet.refresh_arabic_names() so that Arabic lists order by an indexed
    # expression (_display_name_in_arabic) instead of looking up every matching site's names. Derived: neither
    # in fixtures nor in releases (serialize=False), recomputed when they are loaded.
    first_arabic_name = models.CharField(
        _("first Arabic name"), max_length=255, blank=True, default="", db_default="", editable=False, serialize=False,
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("updated"), auto_now=True, db_index=True)

    history = HistoricalRecords(excluded_fields=["first_arabic_name"])
    objects = SiteManager()

    edtf_fields = ("built",)

    class Meta:
        verbose_name = _("site")
        verbose_name_plural = _("sites")
        # pk breaks ties between sites of one name, so pages of a list neither repeat nor skip a site.
        ordering = ["name", "pk"]
        permissions = [("view_exact_location", "Can see the exact location of generalised and hidden sites")]
        indexes = [
            # within(): the bounding-box prefilter of nearby searches.
            models.Index(fields=["latitude", "longitude"], name="site_lat_lon_idx"),
            # Site lists in name order, the default (/sites/?country=SY): PostgreSQL walks this
            # index and stops after one page instead of sorting every match (40 → 1 ms at 100,000 sites).
            # The id after the name (Meta.ordering) costs only an Incremental Sort of each run of one name:
            # 0.02 → 0.1 ms for a page of 25 from a synthetic 100,000-row table on PostgreSQL 15. A keyset
            # walk on (name, id) would want both in the index; the lists page by offset.
            models.Index(fields=["name"], name="site_name_idx"),
            # country_codes() of every site: one probe of this index per distinct value (_every_distinct_value()).
            models.Index(fields=["countries"], name="site_countries_idx"),
            # Site lists in the order Arabic readers read (alphabetical() on /ar/sites/), as site_name_idx
            # serves English ones: the expression must stay exactly the one alphabetical() orders by.
            models.Index(_display_name_in_arabic(), name="site_arabic_display_name_idx"),
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

    def save(self, *args, **kwargs):
        # first_arabic_name is written by refresh_arabic_names() alone: a site read before one of its names
        # changed must not put the old name back when saved.
        if not self._state.adding and kwargs.get("update_fields") is None and not kwargs.get("force_insert"):
            deferred = self.get_deferred_fields()
            kwargs["update_fields"] = [
                field.name for field in self._meta.concrete_fields
                if not field.primary_key and field.name != "first_arabic_name" and field.attname not in deferred
            ]
        # A new instance with an id may be an old row come back (a revert from history), its names still there.
        restored = self._state.adding and self.pk is not None
        super().save(*args, **kwargs)
        if restored:
            Site.objects.filter(pk=self.pk).refresh_arabic_names()

    def get_absolute_url(self):
        return Site.page_urls()(self.slug)

    @staticmethod
    def page_urls():
        """A function from a slug to the address of that site's page in the active language (/sites/palmyra/,
        /ar/sites/palmyra/): the one place a site's address is made. Lists of many sites (the map's points, the
        Linked Places export) call it once and the function for each slug, so a thousand addresses cost one
        reverse(), not a thousand."""
        placeholder = "SLUG"
        prefix, suffix = reverse("sites:detail", args=[placeholder]).split(placeholder)
        return lambda slug: f"{prefix}{slug}{suffix}"

    def natural_key(self):
        return (self.slug,)

    def clean(self):
        if (self.latitude is None) != (self.longitude is None):
            raise ValidationError(_("Give both latitude and longitude, or neither."))
        if self.parent_id and self.pk:
            if self.parent_id == self.pk:
                raise ValidationError({"parent": _("A site cannot be part of itself.")})
            if any(ancestor.pk == self.pk for ancestor in self.parent.ancestors()):
                raise ValidationError(
                    {"parent": _("“%(parent)s” is part of “%(site)s”, so it cannot also contain it.") % {
                        "parent": self.parent, "site": self,
                    }}
                )
        self._check_protected_like_its_whole()

    def _check_protected_like_its_whole(self):
        # A public part would give away where its protected whole lies: a part is at least as protected.
        # Checked one level each way; every level holding makes it hold at any depth.
        strictness = list(self.LocationSensitivity).index
        if self.parent_id and strictness(self.parent.location_sensitivity) > strictness(self.location_sensitivity):
            raise ValidationError({"location_sensitivity": _(
                "“%(whole)s” is %(sensitivity)s: its parts must be at least as protected."
            ) % {"whole": self.parent, "sensitivity": self.SENSITIVITY_WORDS[self.parent.location_sensitivity]}})
        if self.pk:
            looser = [
                value for value in self.LocationSensitivity if strictness(value) < strictness(self.location_sensitivity)
            ]
            exposed = list(self.parts.filter(location_sensitivity__in=looser).values_list("name", flat=True)[:5])
            if exposed:
                raise ValidationError({"location_sensitivity": _(
                    "Protect its parts at least as much first, or they would give its location away: %(parts)s."
                ) % {"parts": _(", ").join(_("“%(name)s”") % {"name": name} for name in exposed)}})

    @property
    def point(self):
        """The recorded (latitude, longitude), or None when unknown. Never show it as such: use point_for()."""
        if self.latitude is None or self.longitude is None:
            return None
        return (self.latitude, self.longitude)

    def misplaced_point(self):
        """A geography.MisplacedPoint when the point lies outside every one of the site's countries (saying
        whether swapping latitude and longitude fixes it), else None. Editors are warned, and may confirm."""
        return geography.misplaced_point(self.latitude, self.longitude, self.countries)

    def point_for(self, user):
        """The site's point as this user may see it (a locations.SitePoint), or None.

        Users with the ``sites.view_exact_location`` permission see the recorded point;
        everyone else sees it according to ``location_sensitivity`` (see sites/locations.py).
        None stands for an anonymous reader.
        """
        if self.point is None:
            return None
        if self.shows_exact_location_to(user):
            return locations.SitePoint(self.latitude, self.longitude, self.coordinate_uncertainty_m)
        if self.location_sensitivity == self.LocationSensitivity.GENERALISED:
            return locations.generalise(self.latitude, self.longitude, self.coordinate_uncertainty_m)
        return None

    def shows_exact_location_to(self, user):
        """Whether this user may see, and so change, the recorded point, its source and its sensitivity.

        Everyone for a public site; for a generalised or hidden one, only users with the
        ``sites.view_exact_location`` permission. Whoever may see a public point may also protect it.
        """
        return self.location_sensitivity == self.LocationSensitivity.PUBLIC or locations.sees_exact_locations(user)

    @property
    def built_display(self):
        return self.in_words_of("built")

    def ancestors(self):
        """The sites this one is part of, from its parent up to the whole site, each with its ``display_name``
        (SiteQuerySet.with_display_name()) so that a breadcrumb names them as their pages do. One query however
        deep (SiteQuerySet.with_wholes()); none for a whole site."""
        if self.parent_id is None:
            return []
        wholes = {whole.pk: whole for whole in Site.objects.filter(pk=self.parent_id).with_wholes().with_display_name()}
        chain, node, seen = [], wholes.get(self.parent_id), {self.pk}
        while node is not None and node.pk not in seen:
            chain.append(node)
            seen.add(node.pk)
            node = wholes.get(node.parent_id)
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

    def nearby(self, radius_km=100, limit=10, user=None):
        """Other sites within radius_km, nearest first, with ``distance_km``, as this user may see them.

        Measured from this site's point as the user sees it; none for a site whose point they may not see.
        """
        origin = self.point_for(user)
        if origin is None:
            return []
        others = Site.objects.select_related("kind").with_display_name().exclude(pk=self.pk)
        return others.within(origin.latitude, origin.longitude, radius_km, user=user, coarse=origin.generalised).first(limit)

    def landmark(self, user=None):
        """The place a relative description is measured from, or None.

        A part is placed within its parent; a whole site from the nearest city
        in the gazetteer ("about 215 km north-east of Damascus"). A generalised
        point is placed from the nearest city only: "620 m west of its whole"
        would be measured from a cell centre kilometres away.
        """
        point = self.point_for(user)
        if point is None:
            return None
        if self.parent and not point.generalised:
            parent_point = self.parent.point_for(user)
            if parent_point is not None and not parent_point.generalised:
                return self.parent
        cities = (
            Site.objects.located_for(user)
            .filter(kind__slug="city", parent__isnull=True, point_generalised=False)
            .exclude(pk=self.pk)
            .only("pk", "name", "slug", "latitude", "longitude")
            .with_display_name()
        )
        # The nearest city wherever it is, looked for near the site first: the database orders the cities
        # within a radius by distance and the nearest few are read, not every city in the gazetteer
        # (3,800 of the 100,000 demo sites). A city within the radius is nearer than any beyond it.
        for radius_km in (LANDMARK_SEARCH_KM, geography.ANYWHERE_KM):
            found = cities.within(*point.coordinates, radius_km, user=user).first(1)
            if found:
                return found[0]
        return None

    def relative_description(self, landmark=None, user=None):
        """ "about 215 km north-east of Damascus", measured from the point this user may see; "" without one."""
        point = self.point_for(user)
        landmark = landmark or self.landmark(user)
        if point is None or landmark is None:
            return ""
        # The landmark's Arabic name on Arabic pages where the gazetteer has one (text_in), else its short name.
        name, language = landmark.text_in("name")
        return geography.describe_relative(
            point.coordinates, landmark.point, landmark.short_name if language == "en" else name,
            coarse=point.generalised,
        )

    @property
    def short_name(self):
        """The name without the "Site of" / "Ancient City of" that UNESCO puts first."""
        return re.sub(r"^(Site of|Ancient City of|Old City of)\s+", "", self.name)

    @property
    def localized_name(self):
        """The name in the reader's language: the Arabic name on Arabic pages where there is one, else the English
        (``text_in("name")``), for sentences that name the site. Reads ``names``: prefetch them."""
        return self.text_in("name")[0]

    @property
    def name_ar(self):
        """The site's first Arabic name, its most preferred kind first (or ""): what Arabic pages call it
        (``text_in("name")``). The stored ``first_arabic_name`` (SiteQuerySet.refresh_arabic_names()), or the
        ``arabic_name`` that SiteQuerySet.with_display_name("ar") annotates from it for a site read with only()."""
        if "arabic_name" in self.__dict__:
            return self.arabic_name or ""
        return self.first_arabic_name


class SiteNameQuerySet(models.QuerySet):
    def first_in(self, language):
        """The names in this language (a BCP 47 tag, exactly: "ar" is not "ar-Latn"), the one a reader of it
        sees first: the most preferred kind first (SiteName's Meta.ordering, as Site.name_ar reads them)."""
        return self.filter(language=language).order_by(*SiteName._meta.ordering)

    # The bulk writes keep their sites' stored Arabic names (Site.first_arabic_name) current, as save() and
    # delete() do for one name: the admin's "delete selected", importers' bulk_create (sites/whc.py).

    def bulk_create(self, objs, *args, **kwargs):
        created = super().bulk_create(objs, *args, **kwargs)
        # Only a new Arabic name can change a site's first one (UNESCO's English and French names cannot).
        Site.objects.filter(pk__in={name.site_id for name in created if name.language == "ar"}).refresh_arabic_names()
        return created

    def update(self, **kwargs):
        with transaction.atomic(using=self.db):
            sites = set(self.values_list("site_id", flat=True))
            updated = super().update(**kwargs)
            moved_to = kwargs.get("site_id", kwargs.get("site"))
            sites.add(getattr(moved_to, "pk", moved_to))
            Site.objects.filter(pk__in=sites).refresh_arabic_names()
        return updated

    update.alters_data = True

    def delete(self):
        with transaction.atomic(using=self.db):
            sites = set(self.values_list("site_id", flat=True))
            deleted = super().delete()
            Site.objects.filter(pk__in=sites).refresh_arabic_names()
        return deleted

    delete.alters_data = True
    delete.queryset_only = True


class SiteName(models.Model):
    """One of the names a site is known by, in one language and script."""

    site = models.ForeignKey(Site, verbose_name=_("site"), on_delete=models.CASCADE, related_name="names")
    name = models.CharField(_("name"), max_length=255)
    language = models.CharField(_("language"),
        max_length=35,
        help_text=_("BCP 47 language tag: en, ar, fr, la, arc (Aramaic), ar-Latn (Arabic in Latin letters)…"),
    )
    kind = models.ForeignKey(NameKind, verbose_name=_("kind"), on_delete=models.PROTECT, related_name="names")
    note = models.CharField(_("note"), max_length=255, blank=True)
    folded = models.CharField(_("folded"), max_length=255, editable=False, db_index=True)

    _loaded_site_id = None

    objects = SiteNameQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("site name")
        verbose_name_plural = _("site names")
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
        with transaction.atomic(using=kwargs.get("using")):
            super().save(*args, **kwargs)
            # Every save, not only of Arabic names: a name may have just stopped being Arabic, or moved site.
            Site.objects.filter(pk__in={self.site_id, self._loaded_site_id}).refresh_arabic_names()
        self._loaded_site_id = self.site_id

    @classmethod
    def from_db(cls, db, field_names, values):
        name = super().from_db(db, field_names, values)
        name._loaded_site_id = name.__dict__.get("site_id")  # the site it leaves if save() moves it
        return name

    def delete(self, *args, **kwargs):
        with transaction.atomic(using=kwargs.get("using")):
            deleted = super().delete(*args, **kwargs)
            Site.objects.filter(pk=self.site_id).refresh_arabic_names()
        return deleted

    def clean(self):
        if self.language and not langcodes.tag_is_valid(self.language):
            raise ValidationError({"language": _("“%(tag)s” is not a valid BCP 47 language tag (e.g. en, ar, la).") % {
                "tag": self.language,
            }})

    def natural_key(self):
        return (self.site.slug, self.name, self.language)

    @property
    def is_rtl(self):
        return is_rtl(self.name)


class Identifier(models.Model):
    """The site's record in another authority (UNESCO, Wikidata, Pleiades…); links are derived."""

    class Authority(models.TextChoices):
        UNESCO = "unesco", _("UNESCO World Heritage List")
        WIKIDATA = "wikidata", _("Wikidata")
        PLEIADES = "pleiades", _("Pleiades")
        GEONAMES = "geonames", _("GeoNames")
        EAMENA = "eamena", _("EAMENA")

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

    site = models.ForeignKey(Site, verbose_name=_("site"), on_delete=models.CASCADE, related_name="identifiers")
    authority = models.CharField(_("authority"), max_length=20, choices=Authority.choices)
    value = models.CharField(_("value"), max_length=64)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("identifier")
        verbose_name_plural = _("identifiers")
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
        WORLD_HERITAGE = "world-heritage", _("World Heritage property")
        IN_DANGER = "in-danger", _("List of World Heritage in Danger")
        TENTATIVE = "tentative", _("World Heritage Tentative List")
        NATIONAL = "national", _("National protection")

    site = models.ForeignKey(Site, verbose_name=_("site"), on_delete=models.CASCADE, related_name="designations")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    reference = models.CharField(
        _("reference"), max_length=120, blank=True, help_text=_("Decision or list number, e.g. 23 or 37 COM 7B.57."),
    )
    criteria = models.CharField(_("criteria"), max_length=60, blank=True, help_text=_("UNESCO criteria, e.g. (i)(ii)(iv)."))
    start = models.CharField(_("from"), max_length=64, blank=True, validators=[validate_edtf], help_text=_(EDTF_HELP_TEXT))
    start_earliest = models.IntegerField(_("start earliest"), null=True, blank=True, editable=False)
    start_latest = models.IntegerField(_("start latest"), null=True, blank=True, editable=False)
    start_words = models.TextField(_("from, in words"), blank=True, default="", db_default="", editable=False)
    start_words_ar = models.TextField(_("from, in words (Arabic)"), blank=True, default="", db_default="", editable=False)
    end = models.CharField(_("to"), max_length=64, blank=True, validators=[validate_edtf], help_text=_("Blank while in force."))
    end_earliest = models.IntegerField(_("end earliest"), null=True, blank=True, editable=False)
    end_latest = models.IntegerField(_("end latest"), null=True, blank=True, editable=False)
    end_words = models.TextField(_("to, in words"), blank=True, default="", db_default="", editable=False)
    end_words_ar = models.TextField(_("to, in words (Arabic)"), blank=True, default="", db_default="", editable=False)
    note = models.CharField(_("note"), max_length=255, blank=True)

    history = HistoricalRecords()
    objects = DesignationQuerySet.as_manager()

    edtf_fields = ("start", "end")

    class Meta:
        verbose_name = _("designation")
        verbose_name_plural = _("designations")
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
            raise ValidationError({"end": _("A designation cannot end before it starts.")})

    @property
    def is_current(self):
        return not self.end

    @property
    def period(self):
        if self.start and self.end:
            return f"{self.in_words_of('start')} – {self.in_words_of('end')}"
        if self.start:
            return _("since %(date)s") % {"date": self.in_words_of("start")}
        return _("dates unknown")
