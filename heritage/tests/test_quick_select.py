"""The filter forms' selects: Django's HTML, written without templates."""

import re

from django import forms
from django_countries import countries

from heritage.filters import QuickSelect, SiteFilterSet


def without_whitespace(html):
    return re.sub(r"\s+", "", html)


CHOICES = [("", "Any"), ("Group <1>", [("a", "A <b>"), ("b", 'B "quoted" & more')]), *countries]


def test_a_quick_select_writes_what_djangos_select_template_writes():
    for value in ("SY", "a", "", None):
        expected = forms.Select(choices=CHOICES, attrs={"id": "id_x", "required": True}).render("country", value)
        written = QuickSelect(choices=CHOICES, attrs={"id": "id_x", "required": True}).render("country", value)
        assert without_whitespace(written) == without_whitespace(expected)


def test_hostile_labels_and_values_are_escaped():
    html = QuickSelect(choices=[('"><script>alert(1)</script>', "<img src=x onerror=alert(1)>")]).render("q", "")
    assert "<script>" not in html and "<img" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


def test_page_filter_forms_use_quick_selects(db):
    form = SiteFilterSet({}).form
    assert isinstance(form.fields["country"].widget, QuickSelect)
    assert isinstance(form.fields["risk"].widget, QuickSelect)
