from django_filters import rest_framework as filters

from apikit.base import COUNTRY_CHOICES
from apikit.filters import ApiFilterSet, SlugFilter, TrueFalseFilter, date_range_filters
from heritage.models import (
    Actor,
    ClaimStanding,
    ConditionAssessment,
    ConditionState,
    Confidence,
    Effect,
    HistoryEvent,
    Incident,
    Source,
    Status,
    ThreatCategory,
)
from heritage.risk import RiskLevel
from sites.models import Certainty, Site, SiteKind

SITE_HELP = "Only the record of this site: records of the site or of its parts (at any depth), by slug."
SEARCH_HELP = (
    "Words in the {fields}, searched as the search page does (every word must match, case ignored; "
    "full-text on PostgreSQL); best matches first unless ordering is given."
)


def status_filter():
    return filters.ChoiceFilter(
        choices=Status.choices,
        help_text="Editorial state. Anonymous readers only ever see published records; editors see drafts too.",
    )


def ordering_filter(fields, example):
    names = ", ".join(name for _, name in fields)
    return filters.OrderingFilter(
        fields=fields, help_text=f"Sort by {names}; prefix with - for descending (e.g. {example})."
    )


class RecordFilter(ApiFilterSet):
    """Filters every dated record has: its sites, dates, editorial state, text."""

    site = SlugFilter(queryset=Site.objects.all(), method="filter_site", help_text=SITE_HELP)
    date_from, date_to = date_range_filters("date", "date")
    status = status_filter()
    q = filters.CharFilter(method="filter_q", help_text=SEARCH_HELP.format(fields="title or description"))

    def filter_site(self, queryset, name, site):
        return queryset.of_site(site)

    def filter_q(self, queryset, name, value):
        return queryset.search(value)


class IncidentFilter(RecordFilter):
    country = filters.ChoiceFilter(
        choices=COUNTRY_CHOICES, method="filter_country", help_text="Incidents at sites in this country (ISO code)."
    )
    category = SlugFilter(
        queryset=ThreatCategory.objects.all(), method="filter_category",
        help_text="UNESCO threat category by slug; a primary category includes its secondary ones.",
    )
    claim = filters.MultipleChoiceFilter(
        choices=ClaimStanding.choices, help_text="How far the claim is established; repeat for several."
    )
    actor = SlugFilter(queryset=Actor.objects.all(), help_text="Who did it, by slug (islamic-state…).")
    certainty = SlugFilter(queryset=Certainty.objects.all(), help_text="EAMENA certainty of the cause, by slug.")
    effect = SlugFilter(queryset=Effect.objects.all(), help_text="EAMENA effect, by slug.")
    ordering = ordering_filter((("date_earliest", "date"), ("updated", "updated"), ("title", "title")), "-date")

    examples = {
        "site": "palmyra", "country": "SY", "category": "deliberate-destruction-of-heritage",
        "claim": "confirmed", "actor": "islamic-state", "certainty": "high",
        "effect": "collapse-structural-damage", "date_from": "2015-05", "date_to": "2017", "status": "published",
        "q": "temple", "updated_since": "2026-01-01T00:00:00Z", "ordering": "-date",
    }

    class Meta:
        model = Incident
        fields = []

    def filter_country(self, queryset, name, code):
        return queryset.in_country(code)

    def filter_category(self, queryset, name, category):
        return queryset.in_category(category)


class HistoryEventFilter(RecordFilter):
    kind = filters.MultipleChoiceFilter(choices=HistoryEvent.Kind.choices, help_text="Kind of event; repeat for several.")
    confidence = filters.ChoiceFilter(choices=Confidence.choices, help_text="How sure the research is.")
    ordering = ordering_filter((("date_earliest", "date"), ("updated", "updated"), ("title", "title")), "date")

    examples = {
        "site": "palmyra", "kind": "dedication", "confidence": "high", "date_from": "-0100", "date_to": "0300",
        "status": "published", "q": "Bel", "updated_since": "2026-01-01T00:00:00Z", "ordering": "date",
    }

    class Meta:
        model = HistoryEvent
        fields = []


class ConditionAssessmentFilter(RecordFilter):
    q = None
    condition = SlugFilter(
        field_name="state", queryset=ConditionState.objects.all(),
        help_text="EAMENA overall condition by slug: good, fair, poor, very-bad, destroyed, unknown.",
    )
    assessor = filters.CharFilter(lookup_expr="icontains", help_text="Who assessed (part of the name).")
    ordering = ordering_filter((("date_earliest", "date"), ("updated", "updated")), "-date")

    examples = {
        "site": "palmyra", "condition": "destroyed", "assessor": "UNOSAT", "date_from": "2015", "date_to": "2016",
        "status": "published", "updated_since": "2026-01-01T00:00:00Z", "ordering": "-date",
    }

    class Meta:
        model = ConditionAssessment
        fields = []



class SourceFilter(ApiFilterSet):
    kind = filters.MultipleChoiceFilter(choices=Source.Kind.choices, help_text="Kind of document; repeat for several.")
    reliability = filters.MultipleChoiceFilter(
        choices=Source.Reliability.choices, help_text="Admiralty reliability of the publisher (A–F)."
    )
    credibility = filters.MultipleChoiceFilter(
        choices=Source.Credibility.choices, help_text="Admiralty credibility of the information (1–6)."
    )
    graphic = TrueFalseFilter(help_text="Whether the document describes or shows violence.")
    language = filters.CharFilter(help_text="BCP 47 tag of the document's language, exactly (en, ar, fr…).")
    publisher = filters.CharFilter(lookup_expr="icontains", help_text="Part of the publisher's name.")
    published_from, published_to = date_range_filters("published", "publication date")
    status = status_filter()
    q = filters.CharFilter(
        method="filter_q", help_text=SEARCH_HELP.format(fields="title, publisher, authors or summary")
    )
    ordering = ordering_filter(
        (("published_earliest", "published"), ("updated", "updated"), ("title", "title")), "-published"
    )

    examples = {
        "kind": "imagery", "reliability": "A", "credibility": "1", "graphic": False, "language": "en",
        "publisher": "UNOSAT", "published_from": "2015-08", "published_to": "2015-12", "status": "published",
        "q": "Temple of Bel", "updated_since": "2026-01-01T00:00:00Z", "ordering": "-published",
    }

    class Meta:
        model = Source
        fields = []

    def filter_q(self, queryset, name, value):
        return queryset.search(value)


class ThreatCategoryFilter(ApiFilterSet):
    updated_since = None
    level = filters.ChoiceFilter(
        choices=[("primary", "primary"), ("secondary", "secondary")], method="filter_level",
        help_text="primary: UNESCO's 14 factors; secondary: the factors within them.",
    )
    parent = SlugFilter(queryset=ThreatCategory.objects.primary(), help_text="Secondary factors of this primary one.")
    q = filters.CharFilter(field_name="label", lookup_expr="icontains", help_text="Part of the English label.")

    examples = {"level": "primary", "parent": "other-human-activities", "q": "destruction"}

    class Meta:
        model = ThreatCategory
        fields = []

    def filter_level(self, queryset, name, value):
        return queryset.primary() if value == "primary" else queryset.secondary()


class SiteFilter(ApiFilterSet):
    q = filters.CharFilter(
        method="filter_q",
        help_text="Any name of the site, in any language or script; case and accents are ignored. When no name "
                  "contains it, names like it (a typo, another transliteration: Palmira finds Palmyra).",
    )
    country = filters.ChoiceFilter(
        choices=COUNTRY_CHOICES, method="filter_country",
        help_text="ISO 3166-1 alpha-2 code; sites across borders are found in each of their countries.",
    )
    kind = SlugFilter(queryset=SiteKind.objects.all(), help_text="Kind of site, by slug (temple, theatre, city…).")
    parent = SlugFilter(queryset=Site.objects.all(), help_text="Only the parts of this site, by slug.")
    condition = SlugFilter(
        field_name="risk_profile__condition", queryset=ConditionState.objects.all(),
        help_text="Current condition (EAMENA, from the latest published assessment), by slug: good, fair, poor, "
                  "very-bad, destroyed, unknown.",
    )
    risk = filters.ChoiceFilter(
        field_name="risk_profile__risk_level", choices=RiskLevel.choices,
        help_text="Risk level from the documented risk rule.",
    )
    in_danger = TrueFalseFilter(
        field_name="risk_profile__in_danger",
        help_text="On the List of World Heritage in Danger now (its own listing or its parent's).",
    )
    category = SlugFilter(
        queryset=ThreatCategory.objects.all(), method="filter_category",
        help_text="Sites with a published incident in this threat category (a primary category includes its "
                  "secondary ones), by slug.",
    )
    built_from, built_to = date_range_filters("built", "construction")
    ordering = filters.OrderingFilter(
        fields=(("name", "name"), ("updated", "updated"), ("risk_profile__risk_rank", "risk"), ("built_earliest", "built")),
        help_text="Sort by name, updated, risk or built; prefix with - for descending (-risk: highest risk first).",
    )

    examples = {
        "q": "Tadmur", "country": "SY", "kind": "temple", "parent": "palmyra", "condition": "destroyed",
        "risk": "critical", "in_danger": True, "category": "deliberate-destruction-of-heritage", "built_from": "0001",
        "built_to": "0200", "updated_since": "2026-01-01T00:00:00Z", "ordering": "-risk",
    }

    class Meta:
        model = Site
        fields = []

    def filter_q(self, queryset, name, value):
        return queryset.matching(value) if value.strip() else queryset

    def filter_country(self, queryset, name, value):
        return queryset.in_country(value)

    def filter_category(self, queryset, name, category):
        return queryset.filter(pk__in=category.site_pks())
