"""The filters of the site list, the map and the incident list, read from the URL so views can be shared.

Reusable outside the pages (the JSON API can build on the same FilterSets).
Invalid values never fail a page: the form's errors are shown and that
filter is left out.
"""

from html import escape

import django_filters
from django import forms
from django.db.models import F
from django.utils.safestring import mark_safe
from django_countries import countries

from heritage.models import (
    Actor,
    ClaimStanding,
    ConditionState,
    Incident,
    ThreatCategory,
)
from heritage.risk import RiskLevel
from sites.dates import day_number
from sites.models import Designation, Site, SiteKind

DATE_WIDGET = forms.DateInput(attrs={"type": "date"})


class QuickSelect(forms.Select):
    """A <select> with the HTML of Django's templates, written in Python.

    The templates include two more templates for every option, and Django's
    lazy-aware escaping costs as much again: the country filter's 250 options
    and the threat categories cost a filter form 15 ms. Every value written
    here goes through html.escape.
    """

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [f'<select name="{escape(str(widget["name"]))}"{_attributes(widget["attrs"])}>']
        for group_name, options, _ in widget["optgroups"]:
            if group_name:
                parts.append(f'<optgroup label="{escape(str(group_name))}">')
            parts.extend(
                f'<option value="{escape(str(option["value"]))}"{_attributes(option["attrs"])}>'
                f'{escape(str(option["label"]))}</option>'
                for option in options
            )
            if group_name:
                parts.append("</optgroup>")
        parts.append("</select>")
        # Safe: every value above went through html.escape.
        return mark_safe("".join(parts))  # noqa: S308  # nosec B308 B703


def _attributes(attrs):
    """flatatt() without its per-value lazy escaping: ' name="value"', a bare name for True, nothing for False."""
    return "".join(
        f" {escape(name)}" if value is True else f' {escape(name)}="{escape(str(value))}"'
        for name, value in attrs.items()
        if value is not False and value is not None
    )


class FilterForm(forms.Form):
    """The form of a page's filters: plain selects become QuickSelects."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if type(field.widget) is forms.Select:
                field.widget = QuickSelect(attrs=field.widget.attrs, choices=field.widget.choices)


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
        "risk": (F("risk_profile__risk_rank").desc(nulls_last=True), "name"),
        "latest": (F("risk_profile__latest_incident").desc(nulls_last=True), "name"),
    }

    country = CountryFilter(label="Country")
    kind = django_filters.ModelChoiceFilter(
        queryset=SiteKind.objects.all(), to_field_name="slug", empty_label="Any kind", label="Kind"
    )
    condition = django_filters.ModelChoiceFilter(
        field_name="risk_profile__condition", queryset=ConditionState.objects.all(), to_field_name="slug",
        empty_label="Any condition", label="Current condition",
    )
    risk = django_filters.ChoiceFilter(
        field_name="risk_profile__risk_level", choices=RiskLevel.choices, empty_label="Any risk", label="Risk level"
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
        form = FilterForm

    def filter_category(self, queryset, name, category):
        return queryset.filter(pk__in=category.site_pks())

    def filter_designation(self, queryset, name, value):
        if value == self.IN_DANGER:
            return queryset.filter(risk_profile__in_danger=True)
        # A part of a World Heritage property, at any depth, shares its designation (the Temple of Bel in Palmyra).
        listed = Designation.objects.current().filter(kind=Designation.Kind.WORLD_HERITAGE).values("site")
        return queryset.filter(pk__in=Site.objects.filter(pk__in=listed).with_parts().values("pk"))

    def filter_since(self, queryset, name, value):
        incidents = Incident.objects.published().between(start=day_number(value))
        return queryset.filter(pk__in=incidents.site_pks())

    def sort_by(self, queryset, name, value):
        return queryset.order_by(*self.SORTS[value])


class DateRangeForm(FilterForm):
    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", "The end date is before the start date.")
        return data


class IncidentFilterSet(django_filters.FilterSet):
    category = CategoryChoiceFilter(method="filter_category", label="Threat")
    claim = django_filters.ChoiceFilter(
        field_name="claim", choices=ClaimStanding.choices, empty_label="Any claim", label="Claim"
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
