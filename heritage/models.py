from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from heritage.risk import RISK_RANK, RiskInputs, RiskLevel, assess
from sites.dates import EDTF_HELP_TEXT, EDTFBoundsMixin, day_number, humanize, is_uncertain, validate_edtf
from sites.models import Certainty, Designation, Site
from sites.vocabulary import Term, TermManager

# Vocabularies ---------------------------------------------------------------


class ThreatCategoryQuerySet(models.QuerySet):
    def primary(self):
        return self.filter(parent__isnull=True)

    def secondary(self):
        return self.filter(parent__isnull=False)


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
        self.status = Status.PUBLISHED
        self.check_publishable()
        self.save()


class Cited(Publishable):
    """A published fact must cite at least one source."""

    class Meta:
        abstract = True

    def check_citable(self, citation_count=None):
        """Raise ValidationError if this would be published without a source."""
        if self.status != Status.PUBLISHED:
            return
        if citation_count is None:
            citation_count = self.citations.count() if self.pk else 0
        if citation_count < 1:
            raise ValidationError(
                f"A published {self._meta.verbose_name} must cite at least one source. "
                "Add a citation, or keep it as a draft."
            )

    def check_publishable(self):
        self.check_citable()


# Sources ------------------------------------------------------------------


class SourceQuerySet(PublishableQuerySet):
    pass


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

    history = HistoricalRecords(m2m_fields=[relies_on])
    objects = SourceManager()

    edtf_fields = ("published",)

    class Meta:
        ordering = ["-published_earliest", "title"]
        constraints = [
            models.UniqueConstraint(fields=["url"], condition=~Q(url=""), name="source_url_unique_when_set"),
        ]

    def __str__(self):
        return f"{self.publisher}: {self.title}" if self.publisher else self.title

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


class DatedQuerySet(PublishableQuerySet):
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


class ClaimStatus(models.TextChoices):
    """How far a reported incident is established."""

    ALLEGED = "alleged", "Alleged"
    CORROBORATED = "corroborated", "Corroborated by independent sources"
    CONFIRMED = "confirmed", "Confirmed by direct evidence"
    DISPUTED = "disputed", "Disputed"
    RETRACTED = "retracted", "Retracted"


UNRESOLVED_CLAIMS = [ClaimStatus.ALLEGED, ClaimStatus.CORROBORATED, ClaimStatus.CONFIRMED]


class IncidentQuerySet(DatedQuerySet):
    def standing(self):
        """Incidents whose claim still stands: not disputed or retracted."""
        return self.filter(claim_status__in=UNRESOLVED_CLAIMS)


class IncidentManager(SluggedManager.from_queryset(IncidentQuerySet)):
    pass


class Incident(Dated):
    """Something that happened to, or threatens, one or more sites, as reported."""

    slug = models.SlugField(max_length=160, unique=True)
    sites = models.ManyToManyField(Site, related_name="incidents")
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    category = models.ForeignKey(ThreatCategory, on_delete=models.PROTECT, related_name="incidents")
    claim_status = models.CharField(max_length=15, choices=ClaimStatus.choices, default=ClaimStatus.ALLEGED, db_index=True)
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
        ]

    def __str__(self):
        return f"{self.date_display}: {self.title}"

    def get_absolute_url(self):
        return reverse("heritage:incident", args=[self.slug])

    def natural_key(self):
        return (self.slug,)

    @transaction.atomic
    def confirm(self):
        """Mark the claim confirmed by direct evidence."""
        self.claim_status = ClaimStatus.CONFIRMED
        self.save()


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
            models.UniqueConstraint(fields=["site", "date", "assessor"], name="assessment_unique_per_site_date_assessor"),
        ]
        indexes = [
            # SiteStatus.refresh(): the latest published assessment of a site.
            models.Index(fields=["site", "status", "date_latest"], name="assessment_site_latest_idx"),
        ]

    def __str__(self):
        return f"{self.site}: {self.state} ({self.date_display})"

    def natural_key(self):
        return (self.site.slug, self.date, self.assessor)

    natural_key.dependencies = ["sites.site"]


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
            ),
        ]

    def __str__(self):
        return f"{self.source} {self.locator}".strip()

    @property
    def fact(self):
        return self.event or self.incident or self.assessment


# Site status ---------------------------------------------------------------


class SiteStatusQuerySet(models.QuerySet):
    def refresh(self, sites=None, at=None):
        """Recompute the status of the given sites (all sites when None)."""
        queryset = Site.objects.all() if sites is None else sites
        for site in queryset:
            SiteStatus.refresh_for(site, at=at)


class SiteStatus(models.Model):
    """A site's current condition and risk, derived from the record and kept in step with it.

    Stored so that lists can filter and sort by condition and risk in SQL;
    recomputed by refresh_for() whenever an assessment, incident or designation
    of the site changes, and daily by ``manage.py refresh_site_status`` because
    "recent" moves with the calendar.
    """

    site = models.OneToOneField(Site, on_delete=models.CASCADE, primary_key=True, related_name="status")
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

    objects = SiteStatusQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "site statuses"

    def __str__(self):
        return f"{self.site}: {self.risk_level}"

    @classmethod
    def refresh_for(cls, site, at=None):
        at = at or timezone.now()
        recent_years = settings.RISK_RECENT_YEARS
        recent_start = day_number(at.date()) - round(365.25 * recent_years)
        assessment = (
            ConditionAssessment.objects.published()
            .filter(site=site)
            .select_related("state")
            .latest_first()
            .first()
        )
        lineage = [site.pk] + [ancestor.pk for ancestor in site.ancestors()]
        in_danger = Designation.objects.filter(site__in=lineage).in_danger().current().exists()
        incidents = Incident.objects.published().standing().filter(sites=site)
        recent = incidents.filter(date_latest__gte=recent_start).count()
        total = incidents.count()
        latest = incidents.aggregate(latest=models.Max("date_latest"))["latest"]
        level, reasons = assess(
            RiskInputs(
                condition=assessment.state.slug if assessment else None,
                condition_label=assessment.state.label if assessment else "",
                in_danger=in_danger,
                recent_incidents=recent,
                older_incidents=total - recent,
                recent_years=recent_years,
            )
        )
        status, _ = cls.objects.update_or_create(
            site=site,
            defaults={
                "condition": assessment.state if assessment else None,
                "condition_assessment": assessment,
                "in_danger": in_danger,
                "standing_incidents": total,
                "latest_incident": latest,
                "risk_level": level,
                "risk_rank": RISK_RANK[level],
                "risk_reasons": reasons,
            },
        )
        return status
