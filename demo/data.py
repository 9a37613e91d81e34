"""Synthetic demo data for benchmarks and load tests: realistic in shape, never real.

Everything made here is marked: slugs start with ``demo-``, every source's
publisher is "SYNTHETIC DEMO DATA", every summary says the record is synthetic,
and EAMENA identifiers use the 9000000+ range that the real database has not
reached. ``purge()`` deletes exactly those rows. Demo data never goes into
fixtures/.

Rows are written in batches without save(), signals or an audit trail: on
PostgreSQL with ``COPY`` (RowWriter; ids drawn from each table's sequence
first), elsewhere with bulk_create. The same seed writes the same rows on
either path. Whatever save() would have derived is computed here: EDTF bounds
and words (through sites.dates.bounds and in_words, cached per distinct date
string because parsing is slow), folded names, published_at. The risk profiles are then computed by
the write path's own RiskProfile.objects.refresh(), and record_changed() ends
the load as it ends every write.
"""

import enum
import functools
import operator
import random
import time
from dataclasses import dataclass, field

from django.db import connection, connections, models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify

from heritage.models import (
    Actor,
    Citation,
    ClaimStanding,
    ConditionAssessment,
    ConditionState,
    DamageExtent,
    DamageTrend,
    Effect,
    HistoryEvent,
    Incident,
    Quotation,
    RiskProfile,
    Source,
    Status,
    StoredSiteDetail,
    ThreatCategory,
)
from sites.dates import bounds, in_words, words_field
from sites.models import Certainty, Designation, Identifier, NameKind, Site, SiteKind, SiteName
from sites.text import fold

PREFIX = "demo-"
PUBLISHER = "SYNTHETIC DEMO DATA"
SUMMARY = "Synthetic demo record generated for benchmarks; not a real place or report."
# Real EAMENA ids are EAMENA-0000001 upwards and far below this.
EAMENA_DEMO_BASE = 9_000_000

# Benchmark scale: a region's worth of heritage (EAMENA holds about 381,000 records).
DEFAULT_COUNTS = {
    "sites": 100_000,
    "sources": 300_000,
    "events": 500_000,
    "incidents": 200_000,
    "assessments": 150_000,
}

# Country, weight, rough bounding box (south, north, west, east). Sites fall inside the
# box, which for irregular countries can be just across a border: good enough for load.
COUNTRIES = [
    ("SY", 24, (32.4, 37.2, 35.8, 42.2)),
    ("IQ", 18, (29.2, 37.3, 39.0, 48.5)),
    ("JO", 7, (29.3, 33.3, 35.0, 39.2)),
    ("LB", 4, (33.1, 34.6, 35.2, 36.5)),
    ("PS", 2, (31.3, 32.5, 34.3, 35.5)),
    ("EG", 9, (22.1, 31.5, 25.1, 34.8)),
    ("LY", 6, (20.0, 32.9, 9.5, 25.0)),
    ("TN", 4, (30.3, 37.3, 7.6, 11.5)),
    ("DZ", 4, (19.1, 36.9, -8.6, 11.9)),
    ("MA", 4, (27.8, 35.8, -13.1, -1.1)),
    ("YE", 6, (12.2, 18.9, 42.6, 53.0)),
    ("SA", 5, (16.4, 32.1, 34.6, 55.6)),
    ("IR", 5, (25.1, 39.7, 44.1, 63.2)),
    ("OM", 2, (16.7, 26.3, 52.0, 59.8)),
]

# Toponym elements: (Latin forms, one per transliteration habit, Arabic).
GENERIC = [
    (("Tell", "Tall", "Tel"), "تل"),
    (("Khirbet", "Khirbat", "Kherbet"), "خربة"),
    (("Qasr", "Kasr", "Qsar"), "قصر"),
    (("Qal'at", "Qalaat", "Kalaat"), "قلعة"),
    (("Deir", "Dayr", "Dair"), "دير"),
    (("Ain", "'Ayn", "Ein"), "عين"),
    (("Jebel", "Jabal", "Djebel"), "جبل"),
    (("Wadi", "Wady", "Oued"), "وادي"),
    (("Bir", "Bi'r", "Beer"), "بئر"),
    (("Hammam", "Hamam", "Hammame"), "حمام"),
    (("Kafr", "Kfar", "Kefr"), "كفر"),
    (("Umm", "Um", "Oum"), "أم"),
]
SPECIFIC = [
    (("al-Ahmar", "el-Ahmar"), "الأحمر"),
    (("al-Abyad", "el-Abiad"), "الأبيض"),
    (("al-Aswad", "el-Aswad"), "الأسود"),
    (("al-Kabir", "el-Kebir"), "الكبير"),
    (("al-Saghir", "es-Saghir"), "الصغير"),
    (("al-Sharqi", "esh-Sharqi"), "الشرقي"),
    (("al-Gharbi", "el-Gharbi"), "الغربي"),
    (("al-Shamali", "esh-Shamali"), "الشمالي"),
    (("al-Janubi", "el-Janubi"), "الجنوبي"),
    (("al-Hamra", "el-Hamra"), "الحمراء"),
    (("al-Qadim", "el-Qadim"), "القديم"),
    (("al-Jadid", "el-Jedid"), "الجديد"),
    (("al-Zaytun", "ez-Zeitun"), "الزيتون"),
    (("al-Rumman", "er-Rumman"), "الرمان"),
    (("al-Hajar", "el-Hajar"), "الحجر"),
    (("al-Ruhban", "er-Ruhban"), "الرهبان"),
    (("al-Nahr", "en-Nahr"), "النهر"),
    (("al-Sultan", "es-Sultan"), "السلطان"),
    (("al-Tin", "et-Tin"), "التين"),
    (("al-Rih", "er-Rih"), "الريح"),
]
# Site kinds of the curated vocabulary (slug, label), how a site of that kind is named, and a weight.
KINDS = [
    ("archaeological-site", "Archaeological site", "{toponym}", 52),
    ("tomb", "Tomb", "Tomb at {toponym}", 10),
    ("temple", "Temple", "Temple at {toponym}", 10),
    ("sanctuary", "Sanctuary", "Sanctuary of {toponym}", 6),
    ("military-camp", "Military camp", "Camp at {toponym}", 6),
    ("palace", "Palace", "Palace at {toponym}", 4),
    ("city", "City", "{toponym}", 4),
    ("theatre", "Theatre", "Theatre of {toponym}", 3),
    ("agora", "Agora", "Agora of {toponym}", 2),
    ("museum", "Museum", "Museum of {toponym}", 1),
]
# Secondary threat factors as UNESCO labels them, under their primary factor, with weights.
CATEGORIES = [
    ("9", "Other human activities", "War", 30),
    ("9", "Other human activities", "Deliberate destruction of heritage", 10),
    ("9", "Other human activities", "Illegal activities", 25),
    ("9", "Other human activities", "Civil unrest", 3),
    ("1", "Buildings and development", "Housing", 12),
    ("5", "Biological resource use/modification", "Crop production", 10),
    ("6", "Physical resource extraction", "Quarrying", 4),
    ("11", "Sudden ecological or geological events", "Earthquake", 3),
    ("11", "Sudden ecological or geological events", "Erosion and siltation/deposition", 3),
]
INCIDENT_TITLES = {
    "War": ["Shelling damage reported at {site}", "Airstrike damage at {site}", "Military positions dug into {site}"],
    "Deliberate destruction of heritage": ["Deliberate demolition at {site}", "Explosives used at {site}"],
    "Illegal activities": ["Looting pits recorded at {site}", "Illegal excavation at {site}"],
    "Civil unrest": ["Fire set during unrest at {site}"],
    "Housing": ["New housing encroaching on {site}", "Illegal construction at {site}"],
    "Crop production": ["Ploughing across {site}", "Agricultural clearance at {site}"],
    "Quarrying": ["Quarrying cuts into {site}"],
    "Earthquake": ["Earthquake damage at {site}"],
    "Erosion and siltation/deposition": ["Erosion exposing walls at {site}"],
}
EVENT_KINDS = [
    (HistoryEvent.Kind.FOUNDING, "Settlement founded at {site}", "ancient"),
    (HistoryEvent.Kind.CONSTRUCTION, "Main building phase at {site}", "ancient"),
    (HistoryEvent.Kind.INSCRIPTION, "Inscription set up at {site}", "ancient"),
    (HistoryEvent.Kind.CONQUEST, "{site} taken in a regional war", "ancient"),
    (HistoryEvent.Kind.MENTION, "{site} named in a travel account", "early-modern"),
    (HistoryEvent.Kind.EXCAVATION, "Excavation season at {site}", "modern"),
    (HistoryEvent.Kind.PUBLICATION, "Survey of {site} published", "modern"),
    (HistoryEvent.Kind.RESTORATION, "Restoration works at {site}", "modern"),
    (HistoryEvent.Kind.DAMAGE, "Damage recorded at {site}", "recent"),
    (HistoryEvent.Kind.MISSION, "Assessment mission to {site}", "recent"),
]
NAME_KINDS = [("preferred", "Preferred"), ("variant", "Variant"), ("historical", "Historical"),
              ("transliteration", "Transliteration")]
CERTAINTIES = ["Definite", "High", "Medium", "Low", "Negligible"]
# EAMENA overall condition, ordered; with the weights demo assessments draw from.
CONDITIONS = [("good", "Good", 15), ("fair", "Fair", 30), ("poor", "Poor", 25), ("very-bad", "Very bad", 12),
              ("destroyed", "Destroyed", 5), ("unknown", "Unknown", 13)]
EXTENTS = ["1-10%", "11-30%", "31-60%", "61-90%", "91-100%", "No Visible/Known", "Unknown"]
TRENDS = ["New", "Increasing (Disturbance)", "Stable", "Decreasing (Dist or Damage Check)", "Not Known"]
EFFECTS = ["Collapse/Structural Damage", "Cracked/Broken/Missing Parts", "Burning", "Erosion/Deterioration",
           "Loss/Removal of Archaeological Material", "Earth Displacement", "Covered"]
# Demo actors are not a standard vocabulary, so they are demo rows too.
ACTORS = [("armed-group", "Armed group (synthetic)"), ("looters", "Looters (synthetic)"),
          ("developers", "Developers (synthetic)"), ("farmers", "Farmers (synthetic)")]
ASSESSORS = ["Demo field team", "Demo imagery analysts", "Demo monitoring group"]
SHARES_PUBLISHED = {"sources": 0.85, "events": 0.8, "incidents": 0.75, "assessments": 0.8}


def scaled_counts(scale=1.0, **explicit):
    """The default counts times ``scale``, overridden by any count given explicitly."""
    counts = {name: max(0, round(number * scale)) for name, number in DEFAULT_COUNTS.items()}
    counts.update({name: number for name, number in explicit.items() if number is not None})
    return counts


# Vocabularies -----------------------------------------------------------------


def term(model, label, slug=None, **defaults):
    """The vocabulary entry with this label (any case) or slug, created if absent.

    Curated fixtures come first; only a missing entry is created, with the
    label the standard prints.
    """
    slug = slug or slugify(label.replace("%", ""))
    found = model.objects.filter(Q(label__iexact=label) | Q(slug=slug)).order_by("pk").first()
    return found or model.objects.create(slug=slug, label=label, **defaults)


def category(code, primary_label, label):
    primary = ThreatCategory.objects.filter(parent__isnull=True, label__iexact=primary_label).first()
    primary = primary or term(ThreatCategory, primary_label, code=code)
    found = ThreatCategory.objects.filter(parent=primary, label__iexact=label).first()
    return found or term(ThreatCategory, label, parent=primary)


@dataclass
class Vocabulary:
    kinds: list = field(default_factory=list)
    name_kinds: dict = field(default_factory=dict)
    certainties: list = field(default_factory=list)
    conditions: list = field(default_factory=list)
    extents: list = field(default_factory=list)
    trends: list = field(default_factory=list)
    effects: list = field(default_factory=list)
    categories: list = field(default_factory=list)
    actors: list = field(default_factory=list)

    @classmethod
    def ensure(cls):
        vocabulary = cls()
        vocabulary.kinds = [(term(SiteKind, label, slug), pattern, weight) for slug, label, pattern, weight in KINDS]
        vocabulary.name_kinds = {
            slug: term(NameKind, label, slug, position=position) for position, (slug, label) in enumerate(NAME_KINDS)
        }
        vocabulary.certainties = [
            term(Certainty, label, position=position, source="EAMENA") for position, label in enumerate(CERTAINTIES)
        ]
        vocabulary.conditions = [
            (term(ConditionState, label, slug, position=position, source="EAMENA"), weight)
            for position, (slug, label, weight) in enumerate(CONDITIONS)
        ]
        vocabulary.extents = [
            term(DamageExtent, label, position=position, source="EAMENA") for position, label in enumerate(EXTENTS)
        ]
        vocabulary.trends = [
            term(DamageTrend, label, position=position, source="EAMENA") for position, label in enumerate(TRENDS)
        ]
        vocabulary.effects = [term(Effect, label, source="EAMENA") for label in EFFECTS]
        vocabulary.categories = [
            (category(code, primary, label), label, weight) for code, primary, label, weight in CATEGORIES
        ]
        vocabulary.actors = [term(Actor, label, f"{PREFIX}{slug}") for slug, label in ACTORS]
        return vocabulary


# Dates --------------------------------------------------------------------------

cached_bounds = functools.lru_cache(maxsize=None)(bounds)
cached_words = functools.lru_cache(maxsize=None)(in_words)


class DatePool:
    """EDTF strings of one era, drawn from a fixed pool so each is parsed once."""

    def __init__(self, rng, make, size=300):
        self.rng = rng
        self.choices = sorted({make(rng) for _ in range(size)})

    def draw(self):
        text = self.rng.choice(self.choices)
        earliest, latest = cached_bounds(text)
        return text, earliest, latest


def _day(rng, first_year, last_year):
    return f"{rng.randint(first_year, last_year):04d}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


def recent_date(rng, first_year=2011, last_year=2024):
    """Reported dates: mostly exact days, some months, approximate days and spans."""
    roll = rng.random()
    if roll < 0.65:
        return _day(rng, first_year, last_year)
    if roll < 0.8:
        return f"{rng.randint(first_year, last_year):04d}-{rng.randint(1, 12):02d}"
    if roll < 0.9:
        return _day(rng, first_year, last_year) + "~"
    year, month = rng.randint(first_year, last_year - 1), rng.randint(1, 11)
    return f"{year:04d}-{month:02d}-{rng.randint(1, 28):02d}/{year:04d}-{month + 1:02d}-{rng.randint(1, 28):02d}"


def ancient_date(rng):
    """Dates of antiquity: BCE years, approximate spans, centuries."""
    roll = rng.random()
    if roll < 0.35:
        return f"-{rng.randint(1, 2500):04d}"
    if roll < 0.65:
        start = rng.randint(1, 1400)
        return f"{start:04d}~/{start + rng.randint(5, 60):04d}~"
    if roll < 0.8:
        return f"{rng.randint(0, 14):02d}XX"
    return f"{rng.randint(1, 1500):04d}"


def era_date(rng, era):
    if era == "ancient":
        return ancient_date(rng)
    if era == "early-modern":
        return f"{rng.randint(1500, 1899):04d}"
    if era == "modern":
        return rng.choice([f"{rng.randint(1900, 2010):04d}", _day(rng, 1920, 2010)])
    return recent_date(rng)


# Writing ----------------------------------------------------------------------


class RowWriter:
    """Writes unsaved model instances as rows: ``COPY … FROM STDIN`` on PostgreSQL, bulk_create elsewhere.

    COPY skips what bulk_create spends its time on (an INSERT statement per batch, with a parameter
    per value, returning every id): the instances' ids are drawn from their table's sequence first, so
    that rows made later (names, links, citations) can point at them. What save() would derive must
    be set on the instances already, as for bulk_create; auto_now fields get the run's one timestamp.
    """

    def __init__(self, batch_size, now, copy=None):
        self.batch_size = batch_size
        self.now = now
        self.copy = connection.vendor == "postgresql" if copy is None else copy
        if self.copy and connection.vendor != "postgresql":
            raise ValueError("COPY needs PostgreSQL.")
        self.columns = {}

    def write(self, model, instances):
        if not instances:
            return
        for name in getattr(model, "edtf_fields", ()):  # the dates in words, as save() stores them
            for instance in instances:
                for language, words in cached_words(getattr(instance, name)).items():
                    setattr(instance, words_field(name, language), words)
        if not self.copy:
            model.objects.bulk_create(instances, batch_size=self.batch_size)
            return
        self._assign_ids(model, [instance for instance in instances if instance.pk is None])
        fields = self._fields(model)
        table = connection.ops.quote_name(model._meta.db_table)
        columns = ", ".join(connection.ops.quote_name(field.column) for field, _ in fields)
        with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for instance in instances:
                copy.write_row([value(instance) for _, value in fields])
        for instance in instances:
            instance._state.adding, instance._state.db = False, connection.alias

    def set_parents(self, sites):
        """Store the parent of each of these sites (pk and parent_id set), in one statement per batch."""
        if not self.copy:
            Site.objects.bulk_update(sites, ["parent"], batch_size=self.batch_size)
            return
        table = connection.ops.quote_name(Site._meta.db_table)
        for start in range(0, len(sites), self.batch_size):
            batch = sites[start:start + self.batch_size]
            # The table's name comes from the model; the values stay parameters.
            update = (f"UPDATE {table} SET parent_id = rows.parent FROM unnest(%s::bigint[], %s::bigint[]) "  # noqa: S608  # nosec B608
                      f"AS rows(id, parent) WHERE {table}.id = rows.id")
            with connection.cursor() as cursor:
                cursor.execute(update, [[site.pk for site in batch], [site.parent_id for site in batch]])

    def _assign_ids(self, model, instances):
        if not instances:
            return
        pk = model._meta.pk
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [model._meta.db_table, pk.column, len(instances)],
            )
            ids = sorted(row[0] for row in cursor.fetchall())
        for instance, value in zip(instances, ids, strict=True):
            setattr(instance, pk.attname, value)

    def _fields(self, model):
        """[(field, instance → the value COPY stores)] for the model's stored columns."""
        if model not in self.columns:
            self.columns[model] = [
                (field, self._value_of(field)) for field in model._meta.concrete_fields
                if not getattr(field, "generated", False)
            ]
        return self.columns[model]

    def _value_of(self, field):
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            return lambda instance: self.now
        attribute = operator.attrgetter(field.attname)
        if type(field) in PLAIN_FIELDS:
            if not field.choices:
                return attribute
            # Choices are enums; psycopg would store an enum's name, Django stores its value.
            return lambda instance: plain(attribute(instance))
        real_connection = connections[connection.alias]  # not the proxy: this runs for every value
        return lambda instance: plain(field.get_db_prep_save(attribute(instance), real_connection))


# Fields whose Python values are stored as they are (with an enum's value for its member).
PLAIN_FIELDS = {
    models.AutoField, models.BigAutoField, models.CharField, models.SlugField, models.TextField, models.URLField,
    models.IntegerField, models.BigIntegerField, models.SmallIntegerField, models.PositiveIntegerField,
    models.PositiveSmallIntegerField, models.PositiveBigIntegerField, models.FloatField, models.BooleanField,
    models.ForeignKey, models.OneToOneField,
}


def plain(value):
    return value.value if isinstance(value, enum.Enum) else value


# Generation -------------------------------------------------------------------


def weighted(rng, items, weights):
    return rng.choices(items, weights=weights, k=1)[0]


class DemoGenerator:
    """Writes one batch of demo rows after another; see generate()."""

    def __init__(self, counts, *, seed=0, batch_size=5000, log=None, copy=None):
        self.counts = counts
        # Repeatable pseudo-random data; nothing secret depends on it.
        self.rng = random.Random(seed)  # nosec B311
        self.batch_size = batch_size
        self.log = log or (lambda message: None)
        self.now = timezone.now()
        self.writer = RowWriter(batch_size, self.now, copy=copy)
        self.rows = {}
        self.run = f"{seed}"

    def tally(self, name, number):
        self.rows[name] = self.rows.get(name, 0) + number

    def batches(self, total):
        for start in range(0, total, self.batch_size):
            yield start, min(self.batch_size, total - start)

    def status(self, share):
        return Status.PUBLISHED if self.rng.random() < share else Status.DRAFT

    def published_at(self, status):
        return self.now if status == Status.PUBLISHED else None

    def generate(self):
        vocabulary = Vocabulary.ensure()
        self.vocabulary = vocabulary
        start = time.monotonic()
        offset = Site.objects.filter(slug__startswith=PREFIX).count()
        self.site_rows = self.make_sites(offset)
        self.log(f"sites: {time.monotonic() - start:.1f}s")
        self.source_ids, self.published_source_ids = self.make_sources()
        self.log(f"sources: {time.monotonic() - start:.1f}s")
        self.make_events()
        self.log(f"events: {time.monotonic() - start:.1f}s")
        self.make_incidents()
        self.log(f"incidents: {time.monotonic() - start:.1f}s")
        self.make_assessments()
        self.log(f"assessments: {time.monotonic() - start:.1f}s")
        analyze()  # the status queries below need statistics that describe the new rows
        # Every site's profile, as manage.py refresh_risk_profiles does: naming 100,000 new sites would lock
        # and walk their trees 500 at a time, which takes minutes where reading every tree once takes seconds.
        self.tally("risk profiles", RiskProfile.objects.refresh(at=self.now))
        self.log(f"risk profiles: {time.monotonic() - start:.1f}s")
        return self.rows

    # Sites, names, identifiers, designations.

    def toponym(self):
        generic = self.rng.choice(GENERIC)
        specific = self.rng.choice(SPECIFIC)
        return generic, specific

    def make_sites(self, offset):
        """Returns [(pk, name, country)] of the new sites; whole sites first, parts after."""
        rng, vocabulary = self.rng, self.vocabulary
        kinds, kind_weights = [k[:2] for k in vocabulary.kinds], [k[2] for k in vocabulary.kinds]
        countries, country_weights = COUNTRIES, [c[1] for c in COUNTRIES]
        made = []
        total = self.counts["sites"]
        for start, size in self.batches(total):
            sites, names, identifiers, designations = [], [], [], []
            for number in range(offset + start, offset + start + size):
                (generic_forms, generic_ar), (specific_forms, specific_ar) = self.toponym()
                toponym = f"{generic_forms[0]} {specific_forms[0]}"
                kind, pattern = weighted(rng, kinds, kind_weights)
                code, _, (south, north, west, east) = weighted(rng, countries, country_weights)
                located = rng.random() < 0.97
                built, built_earliest, built_latest = ("", None, None)
                if rng.random() < 0.4:
                    built, built_earliest, built_latest = self.pool("ancient").draw()
                site = Site(
                    slug=f"{PREFIX}site-{number + 1}",
                    name=pattern.format(toponym=toponym),
                    kind=kind,
                    countries=[code],
                    latitude=round(rng.uniform(south, north), 5) if located else None,
                    longitude=round(rng.uniform(west, east), 5) if located else None,
                    location_certainty=rng.choice(vocabulary.certainties) if located else None,
                    location_source="Synthetic demo coordinates" if located else "",
                    summary=SUMMARY,
                    built=built,
                    built_earliest=built_earliest,
                    built_latest=built_latest,
                    # Its one Arabic name, below: stored as SiteName.save() would (refresh_arabic_names()).
                    first_arabic_name=f"{generic_ar} {specific_ar}",
                )
                sites.append(site)
                arabic = site.first_arabic_name
                variant = f"{rng.choice(generic_forms[1:])} {specific_forms[1]}"
                site_names = [(site.name, "en", "preferred"), (arabic, "ar", "preferred"),
                              (variant, "ar-Latn", "transliteration")]
                if site.name != toponym:
                    site_names.append((toponym, "ar-Latn", "variant"))
                names.append(site_names)
                identifiers.append(f"EAMENA-{EAMENA_DEMO_BASE + number:07d}")
                roll = rng.random()
                designations.append(
                    Designation.Kind.IN_DANGER if roll < 0.003 else Designation.Kind.NATIONAL if roll < 0.05 else None
                )
            self.writer.write(Site, sites)
            self.tally("sites", len(sites))
            name_rows = [
                SiteName(site=site, name=name, language=language, kind=vocabulary.name_kinds[kind], folded=fold(name))
                for site, site_names in zip(sites, names, strict=True)
                for name, language, kind in site_names
            ]
            self.writer.write(SiteName, name_rows)
            self.tally("site names", len(name_rows))
            identifier_rows = [
                Identifier(site=site, authority=Identifier.Authority.EAMENA, value=value)
                for site, value in zip(sites, identifiers, strict=True)
            ]
            self.writer.write(Identifier, identifier_rows)
            self.tally("identifiers", len(identifier_rows))
            designation_rows = [
                self.designation(site, kind) for site, kind in zip(sites, designations, strict=True) if kind
            ]
            self.writer.write(Designation, designation_rows)
            self.tally("designations", len(designation_rows))
            made.extend((site.pk, site.name, site.countries[0].code) for site in sites)
        self.attach_parts(made)
        return made

    def designation(self, site, kind):
        start, earliest, latest = self.pool("modern").draw() if kind == Designation.Kind.NATIONAL else (
            self.pool("recent").draw()
        )
        return Designation(site=site, kind=kind, start=start, start_earliest=earliest, start_latest=latest,
                           note="Synthetic demo designation.")

    def attach_parts(self, made):
        """Make about one site in twenty a part of a nearby earlier site (one level deep)."""
        wholes = [pk for pk, *_ in made[: len(made) // 2]]
        if not wholes:
            return
        parts = []
        for pk, *_ in made[len(made) // 2:]:
            if self.rng.random() < 0.1:
                parts.append(Site(pk=pk, parent_id=self.rng.choice(wholes)))
        self.writer.set_parents(parts)
        self.log(f"{len(parts)} sites made parts of others")

    # Sources.

    def make_sources(self):
        rng = self.rng
        kinds = [Source.Kind.NEWS, Source.Kind.MONITORING, Source.Kind.IMAGERY, Source.Kind.ACADEMIC,
                 Source.Kind.SOCIAL, Source.Kind.PRESS_RELEASE]
        kind_weights = [35, 25, 12, 15, 8, 5]
        offset = Source.objects.filter(slug__startswith=PREFIX).count()
        ids, published = [], []
        for start, size in self.batches(self.counts["sources"]):
            sources = []
            for number in range(offset + start, offset + start + size):
                kind = weighted(rng, kinds, kind_weights)
                status = self.status(SHARES_PUBLISHED["sources"])
                date, earliest, latest = self.pool("recent").draw()
                region = rng.choice(COUNTRIES)[0]
                sources.append(Source(
                    slug=f"{PREFIX}source-{number + 1}",
                    kind=kind,
                    title=f"{Source.Kind(kind).label} on heritage damage in {region}, no. {number + 1}",
                    publisher=PUBLISHER,
                    authors="Demo Author",
                    published=date,
                    published_earliest=earliest,
                    published_latest=latest,
                    language=rng.choice(["en", "en", "en", "ar", "fr"]),
                    summary=SUMMARY,
                    reliability=rng.choice("ABCDEF"),
                    credibility=rng.choice("123456"),
                    graphic=rng.random() < 0.02,
                    status=status,
                    published_at=self.published_at(status),
                ))
            self.writer.write(Source, sources)
            self.tally("sources", len(sources))
            ids.extend(source.pk for source in sources)
            published.extend(source.pk for source in sources if source.status == Status.PUBLISHED)
        relies = Source.relies_on.through
        links = {
            (rng.choice(ids), rng.choice(ids)) for _ in range(len(ids) // 10)
        } if len(ids) > 1 else set()
        rows = [relies(from_source_id=a, to_source_id=b) for a, b in links if a != b]
        self.writer.write(relies, rows)
        self.tally("source links", len(rows))
        return ids, published

    # Facts and their citations.

    def pool(self, era):
        pools = self.__dict__.setdefault("pools", {})
        if era not in pools:
            pools[era] = DatePool(self.rng, lambda rng: era_date(rng, era))
        return pools[era]

    def cite(self, fact_field, facts):
        citations = []
        if not self.published_source_ids:
            return citations
        for fact in facts:
            if fact.status != Status.PUBLISHED:
                continue
            # In id order: a set of ints iterates in an order that depends on the ids, which differ between runs.
            chosen = {self.rng.choice(self.published_source_ids) for _ in range(self.rng.choice((1, 1, 2)))}
            for source_id in sorted(chosen):
                citations.append(Citation(source_id=source_id, locator=f"p. {self.rng.randint(1, 40)}",
                                          **{fact_field: fact}))
        return citations

    def publish_status(self, share):
        # A published fact needs a published source to cite.
        return self.status(share) if self.published_source_ids else Status.DRAFT

    def sites_for(self, count):
        return [self.rng.choice(self.site_rows) for _ in range(count)]

    def write_facts(self, model, facts, site_links, citations_field):
        self.writer.write(model, facts)
        through = model.sites.through
        fk = f"{model._meta.model_name}_id"
        rows = [through(**{fk: fact.pk, "site_id": site_id}) for fact, site_ids in zip(facts, site_links, strict=True)
                for site_id in site_ids]
        self.writer.write(through, rows)
        citations = self.cite(citations_field, facts)
        self.writer.write(Citation, citations)
        self.tally(f"{model._meta.verbose_name_plural}", len(facts))
        self.tally(f"{model._meta.verbose_name} site links", len(rows))
        self.tally("citations", len(citations))

    def make_events(self):
        rng = self.rng
        if not self.site_rows:
            return
        offset = HistoryEvent.objects.filter(slug__startswith=PREFIX).count()
        for start, size in self.batches(self.counts["events"]):
            events, links = [], []
            for number in range(offset + start, offset + start + size):
                kind, title, era = rng.choice(EVENT_KINDS)
                sites = self.sites_for(rng.choice((1, 1, 1, 1, 2)))
                date, earliest, latest = self.pool(era).draw()
                status = self.publish_status(SHARES_PUBLISHED["events"])
                events.append(HistoryEvent(
                    slug=f"{PREFIX}event-{number + 1}",
                    kind=kind,
                    title=title.format(site=sites[0][1]),
                    description=SUMMARY,
                    date=date,
                    date_earliest=earliest,
                    date_latest=latest,
                    confidence=rng.choice(["high", "medium", "low", "unknown"]),
                    status=status,
                    published_at=self.published_at(status),
                ))
                links.append({site[0] for site in sites})
            self.write_facts(HistoryEvent, events, links, "event")

    def make_incidents(self):
        rng, vocabulary = self.rng, self.vocabulary
        if not self.site_rows:
            return
        categories = [c[:2] for c in vocabulary.categories]
        category_weights = [c[2] for c in vocabulary.categories]
        claims = [ClaimStanding.ALLEGED, ClaimStanding.CORROBORATED, ClaimStanding.CONFIRMED, ClaimStanding.DISPUTED,
                  ClaimStanding.RETRACTED]
        claim_weights = [45, 25, 20, 7, 3]
        offset = Incident.objects.filter(slug__startswith=PREFIX).count()
        for start, size in self.batches(self.counts["incidents"]):
            incidents, links = [], []
            for number in range(offset + start, offset + start + size):
                threat, label = weighted(rng, categories, category_weights)
                sites = self.sites_for(rng.choice((1, 1, 1, 1, 1, 1, 2, 3)))
                date, earliest, latest = self.pool("recent").draw()
                status = self.publish_status(SHARES_PUBLISHED["incidents"])
                incidents.append(Incident(
                    slug=f"{PREFIX}incident-{number + 1}",
                    title=rng.choice(INCIDENT_TITLES[label]).format(site=sites[0][1]),
                    description=SUMMARY,
                    category=threat,
                    claim=weighted(rng, claims, claim_weights),
                    certainty=rng.choice(vocabulary.certainties),
                    effect=rng.choice(vocabulary.effects),
                    damage_extent=rng.choice(vocabulary.extents),
                    actor=rng.choice(vocabulary.actors) if rng.random() < 0.6 else None,
                    date=date,
                    date_earliest=earliest,
                    date_latest=latest,
                    status=status,
                    published_at=self.published_at(status),
                ))
                links.append({site[0] for site in sites})
            self.write_facts(Incident, incidents, links, "incident")

    def make_assessments(self):
        rng, vocabulary = self.rng, self.vocabulary
        if not self.site_rows:
            return
        states, state_weights = [c[0] for c in vocabulary.conditions], [c[1] for c in vocabulary.conditions]
        seen = set()
        for _, size in self.batches(self.counts["assessments"]):
            assessments = []
            for _ in range(size):
                site_id = rng.choice(self.site_rows)[0]
                date, earliest, latest = self.pool("recent").draw()
                assessor = rng.choice(ASSESSORS)
                key = (site_id, date, assessor)
                if key in seen:  # one assessment per site, date and assessor
                    continue
                seen.add(key)
                status = self.publish_status(SHARES_PUBLISHED["assessments"])
                assessments.append(ConditionAssessment(
                    site_id=site_id,
                    state=weighted(rng, states, state_weights),
                    damage_extent=rng.choice(vocabulary.extents),
                    trend=rng.choice(vocabulary.trends),
                    assessor=assessor,
                    notes=SUMMARY,
                    date=date,
                    date_earliest=earliest,
                    date_latest=latest,
                    status=status,
                    published_at=self.published_at(status),
                ))
            self.writer.write(ConditionAssessment, assessments)
            citations = self.cite("assessment", assessments)
            self.writer.write(Citation, citations)
            self.tally("condition assessments", len(assessments))
            self.tally("citations", len(citations))


# The tables the demo writes.
DEMO_MODELS = [
    Site, SiteName, Identifier, Designation, Source, Source.relies_on.through, HistoryEvent, HistoryEvent.sites.through,
    Incident, Incident.sites.through, Citation, ConditionAssessment, RiskProfile, StoredSiteDetail,
]


def analyze():
    """Refresh the planner's statistics: after a bulk load they describe empty tables until autovacuum
    gets round to them, and PostgreSQL then picks plans that take seconds instead of milliseconds.

    On PostgreSQL, outside a transaction, VACUUM too: until the visibility map is set, counts that an
    index could answer alone (incident_category_status_idx) still visit every row.
    """
    if connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        return
    # The demo's own tables, not the whole database: that would analyse the catalogs every database
    # shares too, and inside a transaction hold their locks until it ends, stalling ANALYZE in every
    # other database on the server.
    tables = ", ".join(connection.ops.quote_name(model._meta.db_table) for model in DEMO_MODELS)
    vacuum = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
    with connection.cursor() as cursor:
        cursor.execute(f"{vacuum} {tables}")


def generate(counts, *, seed=0, batch_size=5000, log=None, copy=None):
    """Create demo data in one transaction; returns {table: rows written}.

    ``copy``: write with PostgreSQL's COPY (the default there) or with bulk_create (False).
    """
    with transaction.atomic():
        rows = DemoGenerator(counts, seed=seed, batch_size=batch_size, log=log, copy=copy).generate()
        RiskProfile.objects.record_changed()
    analyze()
    return rows


# Purge ------------------------------------------------------------------------


def _delete(queryset):
    # _raw_delete: one DELETE statement, without loading rows, firing signals or
    # writing an audit-trail entry for each of hundreds of thousands of synthetic rows.
    return queryset._raw_delete(queryset.db)


def _delete_history(model, ids):
    history = model.history.model.objects.filter(id__in=ids)
    return history.delete()[0]


def purge():
    """Delete every demo row, and nothing else; returns {table: rows deleted}."""
    sites = Site.objects.filter(slug__startswith=PREFIX)
    sources = Source.objects.filter(slug__startswith=PREFIX)
    events = HistoryEvent.objects.filter(slug__startswith=PREFIX)
    incidents = Incident.objects.filter(slug__startswith=PREFIX)
    assessments = ConditionAssessment.objects.filter(site__in=sites)
    actors = Actor.objects.filter(slug__startswith=PREFIX)
    site_children = [(SiteName, SiteName.objects.filter(site__in=sites)),
                     (Identifier, Identifier.objects.filter(site__in=sites)),
                     (Designation, Designation.objects.filter(site__in=sites))]
    citations = Citation.objects.filter(
        Q(source__in=sources) | Q(event__in=events) | Q(incident__in=incidents) | Q(assessment__in=assessments)
    )
    kept_parts = Site.objects.filter(parent__in=sites).exclude(slug__startswith=PREFIX)
    if kept_parts.exists():
        names = ", ".join(kept_parts.values_list("slug", flat=True)[:5])
        raise ValueError(f"Real sites are recorded as parts of demo sites ({names}); move them first.")
    deleted = {}
    with transaction.atomic():
        # Audit-trail rows of demo records (only those someone edited after generation).
        deleted["history"] = sum(
            _delete_history(model, queryset.values("pk"))
            for model, queryset in [(Citation, citations), (ConditionAssessment, assessments), (Incident, incidents),
                                    (HistoryEvent, events), (Quotation, Quotation.objects.filter(source__in=sources)),
                                    (Source, sources), *site_children, (Site, sites)]
        )
        deleted["citations"] = _delete(citations)
        deleted["risk profiles"] = _delete(RiskProfile.objects.filter(site__in=sites))
        deleted["stored site details"] = _delete(StoredSiteDetail.objects.filter(site__in=sites))
        deleted["condition assessments"] = _delete(assessments)
        deleted["incident site links"] = _delete(Incident.sites.through.objects.filter(incident__in=incidents))
        deleted["incidents"] = _delete(incidents)
        deleted["actors"] = _delete(actors)
        event_links = HistoryEvent.sites.through.objects.filter(historyevent__in=events)
        deleted["history event site links"] = _delete(event_links)
        deleted["history events"] = _delete(events)
        deleted["quotations"] = _delete(Quotation.objects.filter(source__in=sources))
        relies = Source.relies_on.through.objects
        deleted["source links"] = _delete(relies.filter(Q(from_source__in=sources) | Q(to_source__in=sources)))
        deleted["sources"] = _delete(sources)
        for model, queryset in site_children:
            deleted[str(model._meta.verbose_name_plural)] = _delete(queryset)
        deleted["sites"] = _delete(sites)
        RiskProfile.objects.record_changed()
    return deleted
