"""Query-string filters of the API, mirroring the researcher pages.

Shared filter types (EDTF date bounds, strict booleans, updated_since) live
here too; heritage/api/filters.py builds on them. Each FilterSet carries
``examples`` for the OpenAPI schema (see sites/api/schema.py).
"""

import re

from django import forms
from django.core.exceptions import ValidationError
from django_filters import rest_framework as filters
from django_filters.fields import IsoDateTimeField
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from sites.api.base import COUNTRY_CHOICES
from sites.dates import bounds
from sites.models import Site, SiteKind

BOOLEAN_CHOICES = [("true", "true"), ("false", "false")]
SHORT_YEAR = re.compile(r"^(-?)(\d{1,3})$")


class EDTFDateField(forms.CharField):
    """A date for range filters; cleans to its (earliest, latest) Julian Day Numbers."""

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        text = value.strip()
        short = SHORT_YEAR.match(text)
        if short:  # "-40" and "32" are years too: EDTF wants four digits
            text = f"{short[1]}{int(short[2]):04d}"
        try:
            earliest, latest = bounds(text)
        except ValidationError:
            raise ValidationError(
                "“%(value)s” is not a date. Give an EDTF or ISO date or a year: "
                "2015-08-30, 2015-08, 2015, -0040 (41 BC) or 0140~/0160~.",
                code="invalid_date", params={"value": value},
            ) from None
        return earliest, latest


@extend_schema_field(OpenApiTypes.STR)
class DateFromFilter(filters.Filter):
    """Records whose date may fall on or after the given date (BCE included)."""

    field_class = EDTFDateField

    def __init__(self, prefix, **kwargs):
        self.prefix = prefix
        super().__init__(**kwargs)

    def filter(self, queryset, value):
        if not value or value[0] is None:
            return queryset
        return queryset.filter(**{f"{self.prefix}_latest__gte": value[0]})


class DateToFilter(DateFromFilter):
    """Records whose date may fall on or before the given date (BCE included)."""

    def filter(self, queryset, value):
        if not value or value[1] is None:
            return queryset
        return queryset.filter(**{f"{self.prefix}_earliest__lte": value[1]})


@extend_schema_field(OpenApiTypes.BOOL)
class TrueFalseFilter(filters.ChoiceFilter):
    """true or false, and nothing else (django-filter's BooleanFilter ignores typos)."""

    def __init__(self, **kwargs):
        super().__init__(choices=BOOLEAN_CHOICES, **kwargs)

    def filter(self, queryset, value):
        if value in ("", None):
            return queryset
        return super().filter(queryset, value == "true")


@extend_schema_field(OpenApiTypes.STR)
class SlugFilter(filters.ModelChoiceFilter):
    """A related record named by its slug; an unknown slug is a 400 that says so."""

    def __init__(self, **kwargs):
        kwargs.setdefault("to_field_name", "slug")
        kwargs.setdefault("error_messages", {"invalid_choice": "There is no %(value)s here: use a known slug."})
        super().__init__(**kwargs)


def date_range_filters(prefix, noun):
    """The pair of filters over the EDTF bounds <prefix>_earliest/<prefix>_latest."""
    return (
        DateFromFilter(prefix, help_text=f"Only records whose {noun} may fall on or after this date: "
                       "EDTF, an ISO date or a year (-0040 is 41 BC)."),
        DateToFilter(prefix, help_text=f"Only records whose {noun} may fall on or before this date: "
                     "EDTF, an ISO date or a year (-0040 is 41 BC)."),
    )


class PresentDateTimeField(IsoDateTimeField):
    """An ISO 8601 date-time; given but empty is an error, not "no filter"."""

    def to_python(self, value):
        if value == "":
            raise ValidationError("Give an ISO 8601 date-time such as 2026-01-01T00:00:00Z.", code="required")
        return super().to_python(value)


class UpdatedSinceFilter(filters.IsoDateTimeFilter):
    field_class = PresentDateTimeField


def updated_since_filter():
    return UpdatedSinceFilter(
        field_name="updated", lookup_expr="gte",
        help_text="Only records changed at or after this ISO 8601 date-time, for incremental harvesting "
                  "(send the time of your previous harvest).",
    )


class ApiFilterSet(filters.FilterSet):
    """Filters of an endpoint, with an example of each for the schema; a parameter given empty is a 400."""

    examples = {}

    updated_since = updated_since_filter()

    class Meta:
        fields = []

    def is_valid(self):
        valid = super().is_valid()
        empty = [name for name in self.filters if "" in self.data.getlist(name, [])]
        for name in empty:
            self.form.add_error(name, "Give a value, or leave the parameter out.")
        return valid and not empty


def _status_model():
    # sites never imports heritage; the record's SiteStatus is reached through Site.status.
    return Site._meta.get_field("status").related_model


def _category_model():
    return Site._meta.get_field("incidents").related_model._meta.get_field("category").related_model


class SiteFilter(ApiFilterSet):
    q = filters.CharFilter(
        method="filter_q", help_text="Any name of the site, in any language or script; case and accents are ignored."
    )
    country = filters.ChoiceFilter(
        choices=COUNTRY_CHOICES, method="filter_country",
        help_text="ISO 3166-1 alpha-2 code; sites across borders are found in each of their countries.",
    )
    kind = SlugFilter(queryset=SiteKind.objects.all(), help_text="Kind of site, by slug (temple, theatre, city…).")
    parent = SlugFilter(queryset=Site.objects.all(), help_text="Only the parts of this site, by slug.")
    condition = SlugFilter(
        field_name="status__condition", queryset=_status_model()._meta.get_field("condition").related_model.objects.all(),
        help_text="Current condition (EAMENA, from the latest published assessment), by slug: good, fair, poor, "
                  "very-bad, destroyed, unknown.",
    )
    risk = filters.ChoiceFilter(
        field_name="status__risk_level", choices=_status_model()._meta.get_field("risk_level").choices,
        help_text="Risk level from the documented risk rule.",
    )
    in_danger = TrueFalseFilter(
        field_name="status__in_danger",
        help_text="On the List of World Heritage in Danger now (its own listing or its parent's).",
    )
    category = SlugFilter(
        queryset=_category_model().objects.all(), method="filter_category",
        help_text="Sites with a published incident in this threat category (a primary category includes its "
                  "secondary ones), by slug.",
    )
    built_from, built_to = date_range_filters("built", "construction")
    ordering = filters.OrderingFilter(
        fields=(("name", "name"), ("updated", "updated"), ("status__risk_rank", "risk"), ("built_earliest", "built")),
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
        return queryset.named(value) if value.strip() else queryset

    def filter_country(self, queryset, name, value):
        return queryset.in_country(value)

    def filter_category(self, queryset, name, category):
        return queryset.filter(
            incidents__status="published", incidents__category__in=[category, *category.children.all()]
        ).distinct()
