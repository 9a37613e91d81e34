from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F, OuterRef, Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from config import response_cache
from heritage.risk import RISK_RANK, RiskInputs, RiskLevel, assess
from heritage.search import full_text
from sites.dates import EDTF_HELP_TEXT, EDTFBoundsMixin, day_number, humanize, is_uncertain, validate_edtf
from sites.models import Certainty, Designation, Site
from sites.vocabulary import Term, TermManager

# Vocabularies ---------------------------------------------------------------


class ThreatCategoryQuerySet(models.QuerySet):
    def primary(self):
        return self.filter(parent__isnull=True)

    def secondary(self):
        return self.filter(parent__isnull=False)

    def in_tree_order(self):
        """Each primary factor followed by its secondary ones, as UNESCO lists them."""
        return self.order_by(
            Coalesce("parent__position", "position"), Coalesce("parent__label", "label"),
            F("parent").asc(nulls_first=True), "position", "label",
        )

    def within(self, category):
        """The category and the categories below it: a primary factor with its secondary ones."""
        return self.filter(Q(pk=category.pk) | Q(parent=category.pk))

    def with_incident_counts(self):
        """Each category with ``incident_count``: its own published incidents (not its children's)."""
        published = Q(incidents__status=Status.PUBLISHED)
        return self.annotate(incident_count=models.Count("incidents", filter=published, distinct=True))


class ThreatCategoryManager(TermManager.from_queryset(ThreatCategoryQuerySet)):
    pass


class ThreatCategory(Term):
    """UNESCO's "factors affecting the properties": 14 primary factors, each with secondary ones."""

    code = models.CharField(max_length=10, blank=True, help_text="UNESCO's number of a primary factor (1–14).")
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children",
        help_text="The primary factor a secondary factor belongs to.",
    )
    verified = models.CharField(max_length=200, blank=True, help_text="How the label was checked against UNESCO's list.")

    objects = ThreatCategoryManager()

    class Meta(Term.Meta):
        verbose_name = "threat category"
        verbose_name_plural = "threat categories"

    def __str__(self):
        return f"{self.parent.label} › {self.label}" if self.parent_id else self.label

    def get_absolute_url(self):
        return reverse("heritage:category", args=[self.slug])

    def site_pks(self):
        """Ids of the sites with a published incident in this category or below it (for ``pk__in``).

        The one answer to "sites threatened by X" for the site list's filter and the API's.
        """
        return Incident.objects.published().in_category(self).site_pks()

    def clean(self):
        if self.parent_id and self.parent.parent_id:
            raise ValidationError({"parent": "UNESCO's factors have two levels: a secondary factor's parent must be primary."})


class ConditionState(Term):
    """EAMENA overall condition, ordered from Good to Destroyed (Unknown last)."""

    class Meta(Term.Meta):
        verbose_name = "condition state"


class DamageExtent(Term):
    """EAMENA damage extent (1–10 % … 91–100 %)."""


class DamageTrend(Term):
    """EAMENA damage trend (New, Increasing, Stable…)."""


class Effect(Term):
    """EAMENA effect type: what the disturbance did to the fabric."""


class Actor(Term):
    """Who did it, as the sources name them: Islamic State, Syrian Arab Army…"""


# Editorial state and citations ---------------------------------------------


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"


class PublishableQuerySet(models.QuerySet):
    def published(self):
        """What anonymous readers may see."""
        return self.filter(status=Status.PUBLISHED)

    def visible_to(self, user):
        """Published records, plus drafts for editors who can change them."""
        if user.is_authenticated and user.has_perm(f"{self.model._meta.app_label}.change_{self.model._meta.model_name}"):
            return self
        return self.published()

    def search(self, text):
        """Rows matching the words of text, best first (full-text on PostgreSQL); see heritage/search.py."""
        return full_text(self, text)

    def publish(self):
        """Publish the drafts among these records that may be published, in one transaction.

        Returns (published, refused): the records published, and (record, ValidationError) for each one
        refused, with the reason an editor can read. Each goes through its own publish(), so a selection
        obeys the same rule and leaves the same audit trail as one record; the write path ends once, for all.
        """
        published, refused = [], []
        with transaction.atomic():
            for record in self.exclude(status=Status.PUBLISHED):
                try:
                    record.publish_without_refresh()
                except ValidationError as error:
                    refused.append((record, error))
                else:
                    published.append(record)
            RiskProfile.objects.record_changed({pk for record in published for pk in profiled_site_pks(record)})
        return published, refused


class Publishable(models.Model):
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True)
    published_at = models.DateTimeField(null=True, blank=True, editable=False, db_index=True)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.status == Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()
        super().save(*args, **kwargs)

    @property
    def is_published(self):
        return self.status == Status.PUBLISHED

    def check_publishable(self):
        """Raise ValidationError if this record may not be published as it stands."""

    @transaction.atomic
    def publish(self):
        """Publish this record if the rule allows (check_publishable()), then end the write path."""
        self.publish_without_refresh()
        RiskProfile.objects.record_changed(profiled_site_pks(self))

    def publish_without_refresh(self):
        """publish() without its write path's end, for a writer that publishes many and ends it once."""
        self.status = Status.PUBLISHED
        try:
            self.check_publishable()
        except ValidationError:
            self.status = Status.DRAFT
            raise
        self.save()


class CitedQuerySet(PublishableQuerySet):
    def citing(self, source):
        """Facts with a citation of the source."""
        return self.filter(models.Exists(Citation.objects.filter(source=source, **{self._citing_fact: OuterRef("pk")})))

    def publishable(self):
        """Facts citing at least one published source: those that may be published."""
        cites_published = Citation.objects.filter(source__status=Status.PUBLISHED, **{self._citing_fact: OuterRef("pk")})
        return self.filter(models.Exists(cites_published))

    def update(self, **kwargs):
        # A bulk UPDATE cannot check what each fact cites; publishing goes through publish(), which does.
        if "status" in kwargs and kwargs["status"] != Status.DRAFT:
            raise ValueError(
                f"{self.model._meta.verbose_name_plural.capitalize()} are published with .publish(), which checks "
                "that each cites a published source; .update(status=...) would skip that rule."
            )
        return super().update(**kwargs)

    @property
    def _citing_fact(self):
        """The name of Citation's foreign key to this kind of fact ("event", "incident", "assessment")."""
        return self.model._meta.get_field("citations").field.name


class Cited(Publishable):
    """A fact the record states on the authority of its sources: published only while it cites a published one.

    The rule is check_publishable(), which every path that publishes a fact or changes what it cites asks
    with the sources the write will leave it citing: the admin form with its citation inline, the API, the
    spreadsheet import, the publish actions. It is not part of clean(): a fact and its first citations
    arrive in one form or request, and the citations can only be saved after the fact.
    """

    class Meta:
        abstract = True

    def cited_sources(self):
        """The sources this fact cites as stored."""
        return list(Source.objects.filter(pk__in=self.citations.values("source"))) if self.pk else []

    def check_publishable(self, sources=None):
        """Raise ValidationError if this fact is to be published without citing a published source.

        ``sources``: what it will cite once the write in hand is saved (a form's citation inline, an API
        request's citations); by default what it cites now.
        """
        if self.status != Status.PUBLISHED:
            return
        sources = self.cited_sources() if sources is None else list(sources)
        if any(source.status == Status.PUBLISHED for source in sources):
            return
        noun = self._meta.verbose_name
        if not sources:
            raise ValidationError(
                f"A published {noun} must cite at least one source. Add a citation, or keep it as a draft."
            )
        drafts = list(dict.fromkeys(f"“{source}”" for source in sources))
        if len(drafts) == 1:
            still, advice = f"{drafts[0]} is still a draft", "Publish the source first"
        else:
            still, advice = f"{', '.join(drafts[:-1])} and {drafts[-1]} are still drafts", "Publish one of them first"
        raise ValidationError(
            f"A published {noun} must cite at least one published source; {still}. {advice}, or keep the {noun} "
            "as a draft."
        )

    def check_publishable_without(self, citation, instead=None):
        """Raise ValidationError if removing the citation, or citing the source ``instead`` in its place,
        would leave this fact published without a published source."""
        others = list(Source.objects.filter(pk__in=self.citations.exclude(pk=citation.pk).values("source")))
        self.check_publishable(sources=[*others, instead] if instead else others)

# Sources ------------------------------------------------------------------


class SourceQuerySet(PublishableQuerySet):
    def with_links_visible_to(self, user, *links):
        """Prefetch links to other sources ("relies_on", "relied_on_by") as far as the user may see them.

        A published source must not name a draft to readers: the page, the API and its CSV all read
        ``source.relies_on.all()`` through this.
        """
        visible = Source.objects.visible_to(user)
        return self.prefetch_related(*(models.Prefetch(link, queryset=visible) for link in links))

    def withdraw(self):
        """Take the published ones among these sources back to draft, in one transaction.

        Returns the facts withdrawn with them (see Source.withdraw()).
        """
        withdrawn = []
        with transaction.atomic():
            for source in self.published():
                withdrawn.extend(source.withdraw())
        return withdrawn

    def update(self, **kwargs):
        # A bulk UPDATE would leave the facts citing these sources published on drafts.
        if "status" in kwargs and kwargs["status"] != Status.PUBLISHED:
            raise ValueError(
                "Sources are taken back to draft with .withdraw(), which withdraws the facts left without a "
                "published source; .update(status=...) would skip that."
            )
        return super().update(**kwargs)


class SourceManager(models.Manager.from_queryset(SourceQuerySet)):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class Source(EDTFBoundsMixin, Publishable):
    """A document that reports something: a news article, a monitoring report, imagery analysis…"""

    class Kind(models.TextChoices):
        NEWS = "news", "News article"
        PRESS_RELEASE = "press-release", "Press release"
        MONITORING = "monitoring", "Monitoring-group report"
        UNESCO = "unesco", "UNESCO document"
        IMAGERY = "imagery", "Satellite imagery analysis"
        ACADEMIC = "academic", "Academic publication"
        SOCIAL = "social", "Social media or video"
        REFERENCE = "reference", "Reference work or database"

    class Reliability(models.TextChoices):
        """Admiralty (NATO) source reliability: how far the publisher has proved right before."""

        A = "A", "A – Completely reliable"
        B = "B", "B – Usually reliable"
        C = "C", "C – Fairly reliable"
        D = "D", "D – Not usually reliable"
        E = "E", "E – Unreliable"
        F = "F", "F – Reliability cannot be judged"

    class Credibility(models.TextChoices):
        """Admiralty (NATO) information credibility: how far this report is borne out."""

        CONFIRMED = "1", "1 – Confirmed by other sources"
        PROBABLY_TRUE = "2", "2 – Probably true"
        POSSIBLY_TRUE = "3", "3 – Possibly true"
        DOUBTFUL = "4", "4 – Doubtful"
        IMPROBABLE = "5", "5 – Improbable"
        UNKNOWN = "6", "6 – Truth cannot be judged"

    slug = models.SlugField(max_length=160, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    title = models.CharField(max_length=500)
    publisher = models.CharField(max_length=255, blank=True)
    authors = models.CharField(max_length=500, blank=True, help_text="As credited, separated by semicolons.")
    url = models.URLField("URL", max_length=1000, blank=True)
    archived_url = models.URLField(
        "archived copy", max_length=1000, blank=True, help_text="A Wayback Machine or other archive copy."
    )
    archived_on = models.DateField(null=True, blank=True)
    published = models.CharField(
        "publication date", max_length=64, blank=True, validators=[validate_edtf], help_text=EDTF_HELP_TEXT
    )
    published_earliest = models.IntegerField(null=True, blank=True, editable=False, db_index=True)
    published_latest = models.IntegerField(null=True, blank=True, editable=False)
    language = models.CharField(max_length=35, default="en", help_text="BCP 47 tag of the document's language.")
    summary = models.TextField(blank=True, help_text="What the document says, in our own words.")
    reliability = models.CharField(max_length=1, choices=Reliability.choices, default=Reliability.F)
    credibility = models.CharField(max_length=1, choices=Credibility.choices, default=Credibility.UNKNOWN)
    graphic = models.BooleanField(
        "graphic content", default=False, help_text="Describes or shows violence; pages hide it behind a warning."
    )
    relies_on = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="relied_on_by",
        help_text="Sources this one repeats (a news story relying on a monitoring group's report).",
    )
    story = models.ForeignKey(
        "Story", on_delete=models.SET_NULL, null=True, blank=True, related_name="reports",
        help_text="The story this report belongs to: reports of the same event grouped together.",
    )

    history = HistoricalRecords(m2m_fields=[relies_on])
    objects = SourceManager()

    edtf_fields = ("published",)
    # Set by save(): the facts that went back to draft because this save withdrew the source.
    withdrawn_facts = ()

    class Meta:
        ordering = ["-published_earliest", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["url"], condition=~Q(url=""), name="source_url_unique_when_set",
                violation_error_message="Another source already has this web address: cite that source instead.",
            ),
        ]

    def __str__(self):
        return f"{self.publisher}: {self.title}" if self.publisher else self.title

    def save(self, *args, **kwargs):
        # Read from the database, not remembered from load: every path that takes a source back to
        # draft (admin form, API, spreadsheet, shell) ends here, whatever instance it holds.
        update_fields = kwargs.get("update_fields")
        withdrawing = (
            self.pk is not None
            and self.status == Status.DRAFT
            and (update_fields is None or "status" in update_fields)
            and Source.objects.filter(pk=self.pk, status=Status.PUBLISHED).exists()
        )
        with transaction.atomic():
            super().save(*args, **kwargs)
            self.withdrawn_facts = self._withdraw_dependent_facts() if withdrawing else []

    def get_absolute_url(self):
        return reverse("heritage:source", args=[self.slug])

    def natural_key(self):
        return (self.slug,)

    @property
    def grading(self):
        """The Admiralty code analysts write, e.g. "B2"."""
        return f"{self.reliability}{self.credibility}"

    @property
    def published_display(self):
        return humanize(self.published)

    def withdraw(self):
        """Take the source back to draft; returns the facts withdrawn with it (see save())."""
        self.status = Status.DRAFT
        self.save()
        return self.withdrawn_facts

    def _withdraw_dependent_facts(self):
        """Facts that cited this source and no other published one go back to draft with it.

        Called by save() once the source is stored as a draft, inside its transaction.
        """
        withdrawn = []
        for model in (HistoryEvent, Incident, ConditionAssessment):
            orphaned = model.objects.published().citing(self).exclude(pk__in=model.objects.publishable())
            for fact in orphaned:
                fact.status = Status.DRAFT
                fact.save()
                withdrawn.append(fact)
        RiskProfile.objects.record_changed({pk for fact in withdrawn for pk in profiled_site_pks(fact)})
        return withdrawn


class Quotation(models.Model):
    """A short quotation from a source, tied to the claim it supports."""

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="quotations")
    text = models.TextField(help_text="Quoted word for word; keep it short.")
    supports = models.CharField(max_length=500, help_text="The claim this quotation supports, in our words.")
    locator = models.CharField(max_length=120, blank=True, help_text="Page, paragraph or timestamp.")

    history = HistoricalRecords()

    class Meta:
        ordering = ["source", "id"]

    def __str__(self):
        return f"“{self.text[:60]}…”" if len(self.text) > 60 else f"“{self.text}”"


# Dated facts ---------------------------------------------------------------


class DatedQuerySet(CitedQuerySet):
    def chronological(self):
        return self.order_by("date_earliest", "date_latest")

    def between(self, start=None, end=None):
        """Facts that may fall within [start, end], given as Julian Day Numbers."""
        queryset = self
        if start is not None:
            queryset = queryset.filter(date_latest__gte=start)
        if end is not None:
            queryset = queryset.filter(date_earliest__lte=end)
        return queryset

    def of_site(self, site):
        """The record of a site: facts about the site or any of its parts, at any depth, each once.

        Palmyra's record includes what happened to the Temple of Bel and to the Lion of al-Lat
        in the Temple of al-Lat. Every surface that shows a site's record (its page, chart and
        feed, the API's site detail and ``?site=`` filter) asks this, so they cannot disagree.
        """
        places = Site.objects.filter(pk=site.pk).with_parts()
        if not hasattr(self.model, "sites"):  # a condition assessment is about one site
            return self.filter(site__in=places)
        # Picked by id through the link table: no DISTINCT over wide rows, and its (site_id)
        # index serves it (a JOIN with DISTINCT took a second at 100,000 sites).
        links = self.model.sites.through.objects.filter(site__in=places)
        return self.filter(pk__in=links.values(self.model.sites.field.m2m_field_name()))


class Dated(EDTFBoundsMixin, Cited):
    date = models.CharField(max_length=64, validators=[validate_edtf], help_text=EDTF_HELP_TEXT)
    date_earliest = models.IntegerField(null=True, editable=False, db_index=True)
    date_latest = models.IntegerField(null=True, editable=False)

    edtf_fields = ("date",)

    class Meta:
        abstract = True

    @property
    def date_display(self):
        return humanize(self.date)

    @property
    def date_is_uncertain(self):
        return is_uncertain(self.date)


class SluggedManager(models.Manager):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class HistoryEventManager(SluggedManager.from_queryset(DatedQuerySet)):
    pass


class Confidence(models.TextChoices):
    """How sure the research behind a fact is, kept as the researcher gave it."""

    HIGH = "high", "High"
    MEDIUM_HIGH = "medium-high", "Medium to high"
    MEDIUM = "medium", "Medium"
    LOW = "low", "Low"
    UNKNOWN = "unknown", "Unknown"


class HistoryEvent(Dated):
    """A dated event in the history of one or more sites: founding, dedication, conquest, excavation…"""

    class Kind(models.TextChoices):
        FOUNDING = "founding", "Founding"
        CONSTRUCTION = "construction", "Construction"
        DEDICATION = "dedication", "Dedication"
        VISIT = "visit", "Visit"
        CONQUEST = "conquest", "Conquest"
        POLITICAL = "political", "Political change"
        MENTION = "mention", "Documentary mention"
        INSCRIPTION = "inscription", "Inscription"
        EXCAVATION = "excavation", "Excavation or survey"
        PUBLICATION = "publication", "Publication"
        DESIGNATION = "designation", "Designation"
        DAMAGE = "damage", "Damage"
        DESTRUCTION = "destruction", "Destruction"
        RESTORATION = "restoration", "Restoration"
        CAPTURE = "capture", "Capture"
        RECAPTURE = "recapture", "Recapture"
        CONFLICT = "conflict", "Conflict"
        MISSION = "mission", "Assessment mission"
        EVENT = "event", "Other event"

    slug = models.SlugField(max_length=160, unique=True)
    sites = models.ManyToManyField(Site, related_name="events")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    confidence = models.CharField(max_length=12, choices=Confidence.choices, default=Confidence.UNKNOWN)

    history = HistoricalRecords(m2m_fields=[sites])
    objects = HistoryEventManager()

    class Meta:
        verbose_name = "history event"
        ordering = ["date_earliest", "date_latest", "title"]

    def __str__(self):
        return f"{self.date_display}: {self.title}"

    def natural_key(self):
        return (self.slug,)


class ClaimStanding(models.TextChoices):
    """How far a reported incident is established."""

    ALLEGED = "alleged", "Alleged"
    CORROBORATED = "corroborated", "Corroborated by independent sources"
    CONFIRMED = "confirmed", "Confirmed by direct evidence"
    DISPUTED = "disputed", "Disputed"
    RETRACTED = "retracted", "Retracted"


UNRESOLVED_CLAIMS = [ClaimStanding.ALLEGED, ClaimStanding.CORROBORATED, ClaimStanding.CONFIRMED]


class IncidentQuerySet(DatedQuerySet):
    def confirm(self):
        """Mark these incidents' claims confirmed by direct evidence; returns those that were not yet.

        Each is saved on its own (its history records the change), and the write path ends once.
        """
        with transaction.atomic():
            changed = list(self.exclude(claim=ClaimStanding.CONFIRMED))
            for incident in changed:
                incident.claim = ClaimStanding.CONFIRMED
                incident.save()
            RiskProfile.objects.record_changed({pk for incident in changed for pk in profiled_site_pks(incident)})
        return changed

    def standing(self):
        """Incidents whose claim still stands: not disputed or retracted."""
        return self.filter(claim__in=UNRESOLVED_CLAIMS)

    def in_category(self, category):
        """Incidents of a threat category, or of any secondary category under a primary one."""
        # category_id IN (…) is what the (category, status, date_latest) index serves.
        return self.filter(category__in=ThreatCategory.objects.within(category).values("pk"))

    def in_country(self, code):
        """Incidents at a site in a country (ISO 3166-1 alpha-2), transboundary sites included."""
        links = Incident.sites.through.objects.filter(site__in=Site.objects.in_country(code))
        return self.filter(pk__in=links.values("incident_id"))

    def site_pks(self):
        """Ids of the sites these incidents are about, for ``Site.objects.filter(pk__in=…)``."""
        return Incident.sites.through.objects.filter(incident__in=self.order_by().values("pk")).values("site_id")

    def for_listing(self):
        """With what incident lists show: category, actor and the sites (prefetched)."""
        return self.select_related("category__parent", "actor").prefetch_related(
            models.Prefetch("sites", queryset=Site.objects.only("pk", "slug", "name"))
        )


class IncidentManager(SluggedManager.from_queryset(IncidentQuerySet)):
    pass


class Incident(Dated):
    """Something that happened to, or threatens, one or more sites, as reported."""

    slug = models.SlugField(max_length=160, unique=True)
    sites = models.ManyToManyField(Site, related_name="incidents")
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    category = models.ForeignKey(ThreatCategory, on_delete=models.PROTECT, related_name="incidents")
    claim = models.CharField(max_length=15, choices=ClaimStanding.choices, default=ClaimStanding.ALLEGED, db_index=True)
    certainty = models.ForeignKey(
        Certainty, on_delete=models.PROTECT, null=True, blank=True, related_name="incidents",
        help_text="EAMENA certainty that the cause is right.",
    )
    effect = models.ForeignKey(Effect, on_delete=models.PROTECT, null=True, blank=True, related_name="incidents")
    damage_extent = models.ForeignKey(DamageExtent, on_delete=models.PROTECT, null=True, blank=True, related_name="incidents")
    actor = models.ForeignKey(Actor, on_delete=models.PROTECT, null=True, blank=True, related_name="incidents")

    history = HistoricalRecords(m2m_fields=[sites])
    objects = IncidentManager()

    class Meta:
        ordering = ["-date_earliest", "title"]
        indexes = [
            # Incident lists filtered by category and ordered by date.
            models.Index(fields=["category", "date_earliest"], name="incident_category_date_idx"),
            # Their count (/api/v1/incidents/?category=war&date_from=2015-01-01: WHERE category_id IN (…) AND
            # status = 'published' AND date_latest >= …) from the index alone: 21 → 2.5 ms for 32,000 of 200,000.
            models.Index(fields=["category", "status", "date_latest"], name="incident_category_status_idx"),
        ]

    def __str__(self):
        return f"{self.date_display}: {self.title}"

    def get_absolute_url(self):
        return reverse("heritage:incident", args=[self.slug])

    def natural_key(self):
        return (self.slug,)

    def confirm(self):
        """Mark the claim confirmed by direct evidence (IncidentQuerySet.confirm())."""
        Incident.objects.filter(pk=self.pk).confirm()
        self.refresh_from_db(fields=["claim", "updated"])


class ConditionAssessmentQuerySet(DatedQuerySet):
    def latest_first(self):
        return self.order_by("-date_latest", "-date_earliest", "-pk")


class ConditionAssessmentManager(models.Manager.from_queryset(ConditionAssessmentQuerySet)):
    def get_by_natural_key(self, site_slug, date, assessor):
        return self.get(site__slug=site_slug, date=date, assessor=assessor)


class ConditionAssessment(Dated):
    """What state a site was in on a date, and who judged so."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="condition_assessments")
    state = models.ForeignKey(ConditionState, on_delete=models.PROTECT, related_name="assessments")
    damage_extent = models.ForeignKey(DamageExtent, on_delete=models.PROTECT, null=True, blank=True, related_name="assessments")
    trend = models.ForeignKey(DamageTrend, on_delete=models.PROTECT, null=True, blank=True, related_name="assessments")
    assessor = models.CharField(max_length=255, help_text="Who made the assessment (UNOSAT, ASOR CHI, DGAM…).")
    notes = models.TextField(blank=True)

    history = HistoricalRecords()
    objects = ConditionAssessmentManager()

    class Meta:
        verbose_name = "condition assessment"
        ordering = ["site", "-date_latest"]
        constraints = [
            models.UniqueConstraint(
                fields=["site", "date", "assessor"], name="assessment_unique_per_site_date_assessor",
                violation_error_message="This assessor already assessed this site on this date.",
            ),
        ]
        indexes = [
            # RiskProfile.refresh(): the latest published assessment of a site.
            models.Index(fields=["site", "status", "date_latest"], name="assessment_site_latest_idx"),
        ]

    def __str__(self):
        return f"{self.site}: {self.state} ({self.date_display})"

    def natural_key(self):
        return (self.site.slug, self.date, self.assessor)

    natural_key.dependencies = ["sites.site"]


class CitationQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Citations whose source the user may see: a published fact never names a draft source to readers."""
        return self.filter(source__in=Source.objects.visible_to(user))


class Citation(models.Model):
    """A source given for one history event, incident or condition assessment."""

    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="citations")
    event = models.ForeignKey(HistoryEvent, on_delete=models.CASCADE, null=True, blank=True, related_name="citations")
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, null=True, blank=True, related_name="citations")
    assessment = models.ForeignKey(
        ConditionAssessment, on_delete=models.CASCADE, null=True, blank=True, related_name="citations"
    )
    locator = models.CharField(max_length=120, blank=True, help_text="Page, paragraph, timestamp.")
    quote = models.TextField(blank=True, help_text="A short quotation that supports the fact.")

    history = HistoricalRecords()
    objects = CitationQuerySet.as_manager()

    class Meta:
        ordering = ["source__published_earliest", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(event__isnull=False, incident__isnull=True, assessment__isnull=True)
                    | Q(event__isnull=True, incident__isnull=False, assessment__isnull=True)
                    | Q(event__isnull=True, incident__isnull=True, assessment__isnull=False)
                ),
                name="citation_cites_exactly_one_fact",
                violation_error_message=(
                    "A citation supports exactly one fact: choose a history event, an incident or a condition assessment."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.source} {self.locator}".strip()

    @property
    def fact(self):
        return self.event or self.incident or self.assessment


# Risk profiles (derived condition and risk) and the write path ------------

# How much of a site the derived condition may hold lost when a confirmed incident reports a damage
# extent (EAMENA's extent mapped onto its overall condition scale); heritage/risk.py states the rule.
CONDITION_BY_DAMAGE_EXTENT = {"1-10": "fair", "11-30": "fair", "31-60": "poor", "61-90": "very-bad", "91-100": "destroyed"}
CONDITION_SEVERITY = ["good", "fair", "poor", "very-bad", "destroyed"]
# Above this many sites a refresh reads each input for every site rather than naming the sites in SQL
# (SQLite caps the parameters of one statement), and still stores only the profiles of the sites asked for.
NAMED_SITES_LIMIT = 500


def as_site_pks(sites):
    """The pks of sites given as a Site queryset, a site, a pk, or an iterable of sites or pks."""
    if isinstance(sites, models.QuerySet):
        return set(sites.values_list("pk", flat=True))
    if isinstance(sites, Site | int):
        sites = [sites]
    return {getattr(site, "pk", site) for site in sites}


def profiled_site_pks(records):
    """The sites whose risk profile these records feed, as they are stored now.

    ``records`` is one record or a queryset of one model. Writers ask before
    and after they write: an incident moved from one site to another, or an
    assessment given to another site, changes both profiles.
    """
    if isinstance(records, models.QuerySet):
        model, pks = records.model, records.values("pk")
    elif records is None or records.pk is None:
        return set()
    else:
        model, pks = type(records), [records.pk]
        if issubclass(model, Site):
            return {records.pk}
    if issubclass(model, Site):
        return set(Site.objects.filter(pk__in=pks).values_list("pk", flat=True))
    if issubclass(model, Incident):
        return set(Incident.sites.through.objects.filter(incident__in=pks).values_list("site_id", flat=True))
    if issubclass(model, ConditionAssessment | Designation):
        return set(model._default_manager.filter(pk__in=pks).values_list("site_id", flat=True))
    return set()


class RiskProfileQuerySet(models.QuerySet):
    def refresh(self, sites=None, at=None, batch_size=5000):
        """Recompute and store the risk profiles of sites and of the trees they belong to; returns how many were stored.

        ``sites`` is a Site queryset, sites or pks (every site when None). The
        rule's inputs are read with one query each whatever the number of sites
        (heritage.risk.assess() applies the rule), and the profiles are written
        with one upsert per ``batch_size``. Then cached responses are retired:
        this is the write path's end (record_changed() calls it).
        """
        at = at or timezone.now()
        count = 0
        chosen = None if sites is None else as_site_pks(sites)
        if chosen is None or chosen:
            count = self._store(chosen, at, batch_size)
        response_cache.invalidate()
        return count

    def record_changed(self, sites=()):
        """The end of every write to the record: call it inside the write's transaction, once the rows are saved.

        ``sites`` are those whose profile the write may have changed, read
        before and after it (profiled_site_pks()); their profiles and those of
        the sites they are part of and contain are recomputed, and cached pages
        and API responses are retired (now, and again on commit). A write that
        changes no profile (a source's title, a site's name) calls it without
        sites. The admin, the API, report intake, the spreadsheet and UNESCO
        imports, the curated and demo data and the model methods that write
        (publish(), confirm()) all end here; nothing listens to model signals.
        """
        return self.refresh(as_site_pks(sites))

    def _store(self, chosen, at, batch_size):
        recent_years = settings.RISK_RECENT_YEARS
        recent_start = day_number(at.date()) - round(365.25 * recent_years)
        # A site's profile counts its parts' incidents and its parts inherit its In Danger listing, so
        # the profiles of every site in the trees the chosen sites belong to are refreshed together.
        parents = (
            dict(Site.objects.values_list("pk", "parent_id")) if chosen is None else self._lock_trees(chosen)
        )
        targets = set(parents)
        named = len(targets) <= NAMED_SITES_LIMIT

        def of_targets(queryset):
            return queryset.filter(site__in=targets) if named else queryset

        states = {state.slug: state for state in ConditionState.objects.all()}
        states_by_pk = {state.pk: state for state in states.values()}
        assessments = {}
        rows = of_targets(ConditionAssessment.objects.published()).order_by(
            "site_id", "-date_latest", "-date_earliest", "-pk"
        ).values_list("site_id", "pk", "state_id", "date_latest")
        for site_id, pk, state_id, date_latest in rows.iterator(chunk_size=10_000):
            assessments.setdefault(site_id, (pk, states_by_pk.get(state_id), date_latest))
        in_danger_sites = set(
            Site.objects.filter(pk__in=Designation.objects.in_danger().current().values("site_id"))
            .with_parts()
            .values_list("pk", flat=True)
        )
        standing = of_targets(
            Incident.sites.through.objects.filter(incident__in=Incident.objects.published().standing())
        ).values_list("site_id", "incident_id", "incident__date_latest")
        # {site: {incident: its latest day}}: a site's record is the site and its parts (Incident.objects.of_site()).
        incidents_of = {}
        for site_id, incident_id, date_latest in standing.iterator(chunk_size=10_000):
            node, seen = site_id, set()
            while node in parents and node not in seen:
                incidents_of.setdefault(node, {})[incident_id] = date_latest
                seen.add(node)
                node = parents[node]
        damage = {}
        damaging = of_targets(Incident.sites.through.objects.filter(
            incident__in=Incident.objects.published().filter(
                claim=ClaimStanding.CONFIRMED, damage_extent__slug__in=list(CONDITION_BY_DAMAGE_EXTENT)
            )
        )).values_list("site_id", "incident__title", "incident__date", "incident__date_earliest",
                       "incident__damage_extent__slug")
        for row in damaging:
            damage.setdefault(row[0], []).append(row[1:])

        wholes = set(parents.values())
        profiles = []
        for site_id in targets:
            assessment_id, state, assessed_until = assessments.get(site_id, (None, None, None))
            state, from_incident = self._worst_confirmed(state, assessed_until, damage.get(site_id, ()), states)
            in_danger = site_id in in_danger_sites
            days = incidents_of.get(site_id, {}).values()
            row = {
                "total": len(days),
                "recent": sum(1 for day in days if day is not None and day >= recent_start),
                "latest": max((day for day in days if day is not None), default=None),
            }
            level, reasons = assess(RiskInputs(
                condition=state.slug if state else None,
                condition_label=state.label if state else "",
                condition_from_incident=from_incident,
                in_danger=in_danger,
                recent_incidents=row["recent"],
                older_incidents=row["total"] - row["recent"],
                recent_years=recent_years,
                has_parts=site_id in wholes,
            ))
            profiles.append(RiskProfile(
                site_id=site_id,
                condition=state,
                condition_assessment_id=None if from_incident else assessment_id,
                in_danger=in_danger,
                standing_incidents=row["total"],
                latest_incident=row["latest"],
                risk_level=level,
                risk_rank=RISK_RANK[level],
                risk_reasons=reasons,
                refreshed=timezone.now(),
            ))
        RiskProfile.objects.bulk_create(
            profiles, batch_size=batch_size, update_conflicts=True, unique_fields=["site"],
            update_fields=[
                "condition", "condition_assessment", "in_danger", "standing_incidents", "latest_incident",
                "risk_level", "risk_rank", "risk_reasons", "refreshed",
            ],
        )
        return len(profiles)

    @staticmethod
    def _lock_trees(chosen):
        """{site: its parent} for every site in the trees of the chosen sites (their wholes, and all
        that is within those), locked.

        The lock (PostgreSQL; SQLite's IMMEDIATE transactions already serialise writers) makes two
        writes to one site's record refresh its profile one after the other, the second reading
        what the first committed, so neither overwrites the other's profile with a stale one.
        Named in slices: SQLite caps the parameters of one statement.
        """
        chosen, found = sorted(chosen), {}
        for start in range(0, len(chosen), NAMED_SITES_LIMIT):
            wholes = Site.objects.filter(pk__in=chosen[start:start + NAMED_SITES_LIMIT]).with_wholes()
            trees = Site.objects.filter(pk__in=wholes.filter(parent__isnull=True).values("pk")).with_parts()
            trees = trees.order_by("pk")
            if transaction.get_connection().in_atomic_block:
                trees = trees.select_for_update()
            found.update(trees.values_list("pk", "parent_id"))
        return found

    @staticmethod
    def _worst_confirmed(state, assessed_until, damage, states):
        """(condition, the incident it comes from or "") given the latest assessment and confirmed damage.

        Damage confirmed after the latest assessment (or with none) may only
        make the condition worse: a later assessment supersedes it.
        """
        worst, source = state, ""
        for title, date, date_earliest, extent in damage:
            if assessed_until is not None and date_earliest <= assessed_until:
                continue
            supported = states.get(CONDITION_BY_DAMAGE_EXTENT[extent])
            if supported is None:
                continue
            if worst is None or worst.slug not in CONDITION_SEVERITY or (
                CONDITION_SEVERITY.index(supported.slug) > CONDITION_SEVERITY.index(worst.slug)
            ):
                worst, source = supported, f"“{title}” ({date})"
        return worst, source


class RiskProfile(models.Model):
    """A site's current condition and risk, derived from the record and kept in step with it.

    Stored so that lists can filter and sort by condition and risk in SQL.
    Every writer ends, inside its transaction, in
    ``RiskProfile.objects.record_changed(sites)``, which recomputes the
    summaries of the sites it touched (RiskProfileQuerySet.refresh(), the one
    implementation of the rule's inputs for one site or many) and retires
    cached responses; no signal receiver does it behind the writer's back. A
    bare ``save()`` in the shell or a raw ``loaddata`` goes around that path:
    ``manage.py refresh_risk_profiles`` repairs anything so written, and
    runs daily anyway because "recent" moves with the calendar.
    """

    site = models.OneToOneField(Site, on_delete=models.CASCADE, primary_key=True, related_name="risk_profile")
    condition = models.ForeignKey(ConditionState, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    condition_assessment = models.ForeignKey(
        ConditionAssessment, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    in_danger = models.BooleanField(default=False, db_index=True)
    standing_incidents = models.PositiveIntegerField(default=0)
    latest_incident = models.IntegerField(null=True, blank=True, help_text="Julian day of the latest incident.")
    risk_level = models.CharField(max_length=10, choices=RiskLevel.choices, default=RiskLevel.UNKNOWN, db_index=True)
    risk_rank = models.PositiveSmallIntegerField(default=0, db_index=True)
    risk_reasons = models.JSONField(default=list, blank=True)
    refreshed = models.DateTimeField(auto_now=True)

    objects = RiskProfileQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "risk profiles"

    def __str__(self):
        return f"{self.site}: {self.risk_level}"

    @staticmethod
    def of(site):
        """The site's risk profile, or None before it has first been computed."""
        return getattr(site, "risk_profile", None)  # the missing related row is an AttributeError too


# Report intake ---------------------------------------------------------------


class CategoryKeywordRuleManager(models.Manager):
    def get_by_natural_key(self, category_slug, language):
        return self.get(category__slug=category_slug, language=language)


class CategoryKeywordRule(models.Model):
    """Words in a report that suggest a threat category; editors keep the list in admin."""

    category = models.ForeignKey(ThreatCategory, on_delete=models.CASCADE, related_name="keyword_rules")
    language = models.CharField(max_length=35, default="en", help_text="BCP 47 tag of the keywords' language.")
    keywords = models.TextField(
        help_text="One word or phrase per line, matched whole and ignoring case and accents. "
        "End a word with * for any ending: destroy* finds destroyed and destroying."
    )
    active = models.BooleanField(default=True)
    note = models.CharField(max_length=255, blank=True)
    updated = models.DateTimeField(auto_now=True, null=True)  # null: fixtures load raw, without auto_now

    objects = CategoryKeywordRuleManager()

    class Meta:
        verbose_name = "category keyword rule"
        ordering = ["category__parent__position", "category__position", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["category", "language"], name="keyword_rule_one_per_category_language",
                violation_error_message="This threat category already has keyword rules in this language.",
            ),
        ]

    def __str__(self):
        return f"{self.category} ({self.language})"

    def clean(self):
        if not self.phrases:
            raise ValidationError({"keywords": "Give at least one word or phrase, one per line."})

    def natural_key(self):
        return (self.category.slug, self.language)

    natural_key.dependencies = ["heritage.threatcategory"]

    @property
    def phrases(self):
        return [line.strip() for line in self.keywords.splitlines() if line.strip() and not line.startswith("#")]


_STORY_STOPWORDS = (
    "that this with from have been were which their there they said says after into about over more than also "
    "will would could other some what when where while these those under near since report reports"
)
STORY_STOPWORDS = frozenset(_STORY_STOPWORDS.split())


class StoryQuerySet(models.QuerySet):
    def for_site(self, site, reports=None):
        """Stories with a report about the site or its parts, each with ``site_reports`` (the visible reports).

        ``reports`` is the Source QuerySet readers may see (published ones by
        default). Four queries whatever the number of stories: the stories,
        their reports, what those rely on, and what that relies on in turn
        (deeper chains of repetition cost a query per level).
        """
        reports = Source.objects.published() if reports is None else reports
        # What the reports rely on is narrowed to the same visible sources: a draft must neither be
        # named nor counted as a primary source to readers.
        upstream = models.Prefetch("relies_on", queryset=reports.prefetch_related(models.Prefetch("relies_on", reports)))
        # About the site's record: the site and its parts, as its timeline is.
        about_site = (
            Q(reports__citations__incident__in=Incident.objects.of_site(site))
            | Q(reports__citations__event__in=HistoryEvent.objects.of_site(site))
            | Q(reports__citations__assessment__in=ConditionAssessment.objects.of_site(site))
        )
        return (
            self.filter(about_site, reports__in=reports)
            .annotate(first_reported=models.Min("reports__published_earliest"))
            .order_by("-first_reported", "-pk")
            .distinct()
            .prefetch_related(
                models.Prefetch(
                    "reports",
                    queryset=reports.order_by("published_earliest", "pk").prefetch_related(upstream),
                    to_attr="site_reports",
                )
            )
        )


class Story(models.Model):
    """Reports of one event: the same news told by several publishers, often from one primary source."""

    # Reports of the same event are published within days of each other.
    WINDOW_DAYS = 4
    # Share of content words two reports must have in common (Jaccard) to be one story.
    MIN_SIMILARITY = 0.2

    title = models.CharField(max_length=300)
    created = models.DateTimeField(auto_now_add=True)

    objects = StoryQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "stories"
        ordering = ["-created"]

    def __str__(self):
        return self.title

    @property
    def reports_shown(self):
        """The reports a page shows: those prefetched by for_site(), else all of them."""
        if not hasattr(self, "site_reports"):
            self.site_reports = list(self.reports.prefetch_related("relies_on"))
        return self.site_reports

    @property
    def primary_sources(self):
        """The distinct sources at the root of the reports' "relies on" chains."""
        found = {}
        for report in self.reports_shown:
            for primary in self.primary_sources_of(report):
                found[primary.pk] = primary
        return list(found.values())

    @staticmethod
    def primary_sources_of(source):
        """Where a report's information comes from: the sources it relies on, followed to
        sources that rely on nothing; a report relying on nothing is its own primary source."""
        primaries, seen, queue = [], {source.pk}, list(source.relies_on.all())
        if not queue:
            return [source]
        while queue:
            upstream = queue.pop()
            if upstream.pk in seen:
                continue
            seen.add(upstream.pk)
            further = list(upstream.relies_on.all())
            if further:
                queue.extend(further)
            else:
                primaries.append(upstream)
        return primaries

    @staticmethod
    def site_pks_of(source):
        """The sites a report's citations are about."""
        return set(
            Site.objects.filter(
                Q(incidents__citations__source=source)
                | Q(events__citations__source=source)
                | Q(condition_assessments__citations__source=source)
            ).values_list("pk", flat=True)
        )

    @staticmethod
    def words_of(source):
        """Content words of what we keep of a report: its title, summary and quoted sentences."""
        from sites.text import fold

        quotes = " ".join(source.citations.values_list("quote", flat=True)) if source.pk else ""
        text = fold(f"{source.title} {source.summary} {quotes}")
        return {word for word in text.split() if len(word) > 3 and word not in STORY_STOPWORDS}

    @classmethod
    def same_event(cls, source, other):
        """The grouping rule: two reports tell the same story when they share a primary
        source, or when they are about a common site, were published within WINDOW_DAYS
        of each other and share at least MIN_SIMILARITY of their content words."""
        if {p.pk for p in cls.primary_sources_of(source)} & {p.pk for p in cls.primary_sources_of(other)}:
            return True
        if source.published_earliest is None or other.published_earliest is None:
            return False
        gap = max(source.published_earliest, other.published_earliest) - min(
            source.published_latest or source.published_earliest, other.published_latest or other.published_earliest
        )
        if gap > cls.WINDOW_DAYS or not cls.site_pks_of(source) & cls.site_pks_of(other):
            return False
        words, other_words = cls.words_of(source), cls.words_of(other)
        if not words or not other_words:
            return False
        return len(words & other_words) / len(words | other_words) >= cls.MIN_SIMILARITY

    @property
    def counts_display(self):
        reports, primaries = len(self.reports_shown), len(self.primary_sources)
        return (
            f"{reports} report{'s' if reports != 1 else ''}, "
            f"{primaries} primary source{'s' if primaries != 1 else ''}"
        )

    @classmethod
    def assign(cls, source):
        """Put a source in the story of the reports it matches (see same_event), or in a new story."""
        candidates = Source.objects.exclude(pk=source.pk).filter(story__isnull=False).prefetch_related("relies_on")
        if source.published_earliest is not None:
            window = cls.WINDOW_DAYS
            near = Q(published_earliest__gte=source.published_earliest - window) & Q(
                published_earliest__lte=(source.published_latest or source.published_earliest) + window
            )
            primaries = [primary.pk for primary in cls.primary_sources_of(source)]
            candidates = candidates.filter(near | Q(pk__in=primaries) | Q(relies_on__in=primaries)).distinct()
        for candidate in candidates.order_by("published_earliest", "pk"):
            if cls.same_event(source, candidate):
                story = candidate.story
                break
        else:
            story = cls.objects.create(title=source.title[:300])
        if source.story_id != story.pk:
            source.story = story
            source.save(update_fields=["story"])
        return story
