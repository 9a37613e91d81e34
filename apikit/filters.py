"""Filter types every endpoint shares: EDTF date bounds, strict booleans, slugs, updated_since.

Each FilterSet carries ``examples`` for the OpenAPI schema (see apikit/schema.py).
"""

import re

from django import forms
from django.core.exceptions import ValidationError
from django_filters import rest_framework as filters
from django_filters.fields import IsoDateTimeField
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from sites.dates import bounds

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
        unordered = {
            name: message for name, message in
            ((name, self.ordering_problem(name, orderings)) for name, orderings in self.filters.items()
             if isinstance(orderings, filters.OrderingFilter) and name not in empty and name in self.data)
            if message
        }
        for name, message in unordered.items():
            self.form.errors.pop(name, None)
            self.form.add_error(name, message)
        return valid and not empty and not unordered

    def ordering_problem(self, name, orderings):
        """Why the ordering parameter cannot be used, or None: django-filter skips empty items ("title,")."""
        allowed = list(orderings.param_map)
        values = [value for text in self.data.getlist(name) for value in text.split(",")]
        unknown = [value for value in values if value.removeprefix("-") not in allowed]
        if not unknown:
            return None
        shown = ", ".join(f"“{value}”" if value else "an empty item" for value in unknown)
        # The client's text goes in as a parameter: django-filter %-formats every message it reports.
        return ValidationError(
            "Cannot sort by %(shown)s. Sort by %(allowed)s, prefixed with - for descending and separated by commas.",
            code="invalid_ordering", params={"shown": shown, "allowed": ", ".join(allowed)},
        )
