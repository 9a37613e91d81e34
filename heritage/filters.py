"""The filters of the site list, the map and the incident list, read from the URL so views can be shared.

Reusable outside the pages (the JSON API can build on the same FilterSets).
Invalid values never fail a page: the form's errors are shown and that
filter is left out.
"""

from html import escape

import django_filters
from django import forms
from django.db.models import F
from django.http import QueryDict
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
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
from sites.vocabulary import Term

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
        for group_name, options, _index in widget["optgroups"]:
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


def _term_choice_label(term):
    """A vocabulary term as an option, in the reader's language (a secondary threat after its primary)."""
    parent = getattr(term, "parent", None)
    return f"{parent.localized_label} › {term.localized_label}" if parent else term.localized_label


class FilterForm(forms.Form):
    """The form of a page's filters: plain selects become QuickSelects; terms read in the reader's language."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.ModelChoiceField) and issubclass(field.queryset.model, Term):
                field.label_from_instance = _term_choice_label
            if type(field.widget) is forms.Select:
                field.widget = QuickSelect(attrs=field.widget.attrs, choices=field.widget.choices)


class CountryFilter(django_filters.ChoiceFilter):
    """An ISO 3166-1 alpha-2 code; sites spanning several countries match each of them."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("choices", lambda: list(countries))
        kwargs.setdefault("empty_label", _("Any country"))
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
        kwargs.setdefault("empty_label", _("Any threat"))
        super().__init__(*args, **kwargs)


class ExportQuery:
    """The API query that exports what a filtered page lists (CSV, GeoJSON, JSON).

    EXPORTED maps each page filter to its API parameter, from the filter's cleaned value: a
    (name, value) pair, or None when the API cannot apply that value. Filters left out of the map
    change only the order. Filters the page rejected are left out, as the page leaves them out.
    """

    EXPORTED = {}

    def export_query(self):
        """The API querystring, and the labels of the page's filters it cannot carry (in form order)."""
        self.form.is_valid()
        query, missing = QueryDict(mutable=True), []
        for name, value in self.form.cleaned_data.items():
            if value in (None, "") or name not in self.EXPORTED or name in self.form.errors:
                continue
            parameter = self.EXPORTED[name](value)
            if parameter is None:
                missing.append(self.form.fields[name].label)
            else:
                query[parameter[0]] = parameter[1]
        return query.urlencode(), missing


class SiteFilterSet(ExportQuery, django_filters.FilterSet):
    WORLD_HERITAGE = "world-heritage"
    IN_DANGER = "in-danger"
    # What each sort orders by first; ties go by the name the reader sees (SiteQuerySet.alphabetical()).
    SORTS = {
        "name": (),
        "risk": (F("risk_profile__risk_rank").desc(nulls_last=True),),
        "latest": (F("risk_profile__latest_incident").desc(nulls_last=True),),
    }

    country = CountryFilter(label=_("Country"))
    kind = django_filters.ModelChoiceFilter(
        queryset=SiteKind.objects.all(), to_field_name="slug", empty_label=_("Any kind"), label=_("Kind")
    )
    condition = django_filters.ModelChoiceFilter(
        field_name="risk_profile__condition", queryset=ConditionState.objects.all(), to_field_name="slug",
        empty_label=_("Any condition"), label=_("Current condition"),
    )
    risk = django_filters.ChoiceFilter(
        field_name="risk_profile__risk_level", choices=RiskLevel.choices, empty_label=_("Any risk"), label=_("Risk level")
    )
    category = CategoryChoiceFilter(method="filter_category", label=_("Threat"))
    designation = django_filters.ChoiceFilter(
        method="filter_designation",
        choices=[(WORLD_HERITAGE, _("World Heritage")), (IN_DANGER, _("World Heritage in Danger"))],
        empty_label=_("Any status"), label=_("Designation"),
    )
    since = django_filters.DateFilter(
        method="filter_since", label=_("Incidents since"), widget=DATE_WIDGET,
        help_text=_("Sites with a published incident on or after this day."),
    )
    sort = django_filters.ChoiceFilter(
        method="sort_by", empty_label=None, label=_("Sort by"),
        choices=[("name", _("Name")), ("risk", _("Highest risk first")), ("latest", _("Latest incident first"))],
    )

    EXPORTED = {
        "country": lambda code: ("country", code),
        "kind": lambda kind: ("kind", kind.slug),
        "condition": lambda condition: ("condition", condition.slug),
        "risk": lambda level: ("risk", level),
        "category": lambda category: ("category", category.slug),
        "designation": lambda value: ("in_danger", "true") if value == SiteFilterSet.IN_DANGER else None,
        "since": lambda day: None,
    }

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
        return queryset.alphabetical(*self.SORTS[value])


class DateRangeForm(FilterForm):
    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("The end date is before the start date."))
        return data


class IncidentFilterSet(ExportQuery, django_filters.FilterSet):
    category = CategoryChoiceFilter(method="filter_category", label=_("Threat"))
    claim = django_filters.ChoiceFilter(
        field_name="claim", choices=ClaimStanding.choices, empty_label=_("Any claim"), label=_("Claim")
    )
    actor = django_filters.ModelChoiceFilter(
        queryset=Actor.objects.all(), to_field_name="slug", empty_label=_("Any actor"), label=_("Actor")
    )
    country = CountryFilter(label=_("Country"))
    start = django_filters.DateFilter(method="filter_start", label=_("From"), widget=DATE_WIDGET)
    end = django_filters.DateFilter(method="filter_end", label=_("To"), widget=DATE_WIDGET)

    EXPORTED = {
        "category": lambda category: ("category", category.slug),
        "claim": lambda claim: ("claim", claim),
        "actor": lambda actor: ("actor", actor.slug),
        "country": lambda code: ("country", code),
        "start": lambda day: ("date_from", day.isoformat()),
        "end": lambda day: ("date_to", day.isoformat()),
    }

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
