"""The filters of the site list, the map and the incident list, read from the URL so views can be shared.

Reusable outside the pages (the JSON API can build on the same FilterSets).
Invalid values never fail a page: the form's errors are shown and that
filter is left out.
"""

import django_filters
from django import forms
from django.db.models import F, Q
from django_countries import countries

from heritage.models import (
    Actor,
    ClaimStatus,
    ConditionState,
    Incident,
    ThreatCategory,
)
from heritage.risk import RiskLevel
from sites.dates import day_number
from sites.models import Designation, Site, SiteKind

DATE_WIDGET = forms.DateInput(attrs={"type": "date"})


class CountryFilter(django_filters.ChoiceFilter):
    """An ISO 3166-1 alpha-2 code; sites spanning several countries match each of them."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("choices", lambda: list(countries))
        kwargs.setdefault("empty_label", "Any country")
        super().__init__(*args, **kwargs)

    def filter(self, queryset, value):
        if not value:
            return queryset
        return queryset.in_country(value)


class CategoryChoiceFilter(django_filters.ModelChoiceFilter):
    """A threat category by slug; a primary category includes its secondary ones."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("queryset", ThreatCategory.objects.select_related("parent").in_tree_order())
        kwargs.setdefault("to_field_name", "slug")
        kwargs.setdefault("empty_label", "Any threat")
        super().__init__(*args, **kwargs)


class SiteFilterSet(django_filters.FilterSet):
    WORLD_HERITAGE = "world-heritage"
    IN_DANGER = "in-danger"
    SORTS = {
        "name": ("name",),
        "risk": (F("status__risk_rank").desc(nulls_last=True), "name"),
        "latest": (F("status__latest_incident").desc(nulls_last=True), "name"),
    }

    country = CountryFilter(label="Country")
    kind = django_filters.ModelChoiceFilter(
        queryset=SiteKind.objects.all(), to_field_name="slug", empty_label="Any kind", label="Kind"
    )
    condition = django_filters.ModelChoiceFilter(
        field_name="status__condition", queryset=ConditionState.objects.all(), to_field_name="slug",
        empty_label="Any condition", label="Current condition",
    )
    risk = django_filters.ChoiceFilter(
        field_name="status__risk_level", choices=RiskLevel.choices, empty_label="Any risk", label="Risk level"
    )
    category = CategoryChoiceFilter(method="filter_category", label="Threat")
    designation = django_filters.ChoiceFilter(
        method="filter_designation",
        choices=[(WORLD_HERITAGE, "World Heritage"), (IN_DANGER, "World Heritage in Danger")],
        empty_label="Any status", label="Designation",
    )
    since = django_filters.DateFilter(
        method="filter_since", label="Incidents since", widget=DATE_WIDGET,
        help_text="Sites with a published incident on or after this day.",
    )
    sort = django_filters.ChoiceFilter(
        method="sort_by", empty_label=None, label="Sort by",
        choices=[("name", "Name"), ("risk", "Highest risk first"), ("latest", "Latest incident first")],
    )

    class Meta:
        model = Site
        fields = []

    def filter_category(self, queryset, name, category):
        incidents = Incident.objects.published().in_category(category)
        return queryset.filter(pk__in=incidents.values("sites"))

    def filter_designation(self, queryset, name, value):
        if value == self.IN_DANGER:
            return queryset.filter(status__in_danger=True)
        # A part of a World Heritage property shares its designation (the Temple of Bel in Palmyra).
        listed = Designation.objects.current().filter(kind=Designation.Kind.WORLD_HERITAGE).values("site")
        return queryset.filter(Q(pk__in=listed) | Q(parent__in=listed) | Q(parent__parent__in=listed))

    def filter_since(self, queryset, name, value):
        incidents = Incident.objects.published().filter(date_latest__gte=day_number(value))
        return queryset.filter(pk__in=incidents.values("sites"))

    def sort_by(self, queryset, name, value):
        return queryset.order_by(*self.SORTS[value])


class DateRangeForm(forms.Form):
    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", "The end date is before the start date.")
        return data


class IncidentFilterSet(django_filters.FilterSet):
    category = CategoryChoiceFilter(method="filter_category", label="Threat")
    claim = django_filters.ChoiceFilter(
        field_name="claim_status", choices=ClaimStatus.choices, empty_label="Any claim status", label="Claim status"
    )
    actor = django_filters.ModelChoiceFilter(
        queryset=Actor.objects.all(), to_field_name="slug", empty_label="Any actor", label="Actor"
    )
    country = CountryFilter(label="Country")
    start = django_filters.DateFilter(method="filter_start", label="From", widget=DATE_WIDGET)
    end = django_filters.DateFilter(method="filter_end", label="To", widget=DATE_WIDGET)

    class Meta:
        model = Incident
        fields = []
        form = DateRangeForm

    def filter_category(self, queryset, name, category):
        return queryset.in_category(category)

    def filter_start(self, queryset, name, value):
        return queryset.between(start=day_number(value))

    def filter_end(self, queryset, name, value):
        return queryset.between(end=day_number(value))
