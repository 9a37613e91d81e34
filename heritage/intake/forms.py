from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple

from heritage.intake.extract import ExtractionError, report_from_html
from heritage.intake.proposals import ConfirmedSite, Report
from heritage.models import Incident, Source, ThreatCategory
from sites.dates import EDTF_HELP_TEXT, validate_edtf
from sites.models import Site

MAX_HTML_BYTES = 5 * 1024 * 1024


class ReportForm(forms.Form):
    """Step 1: the report, pasted as text or uploaded as a saved web page."""

    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 14, "cols": 100}), required=False,
                           help_text="Paste the article's text.")
    html_file = forms.FileField(required=False, label="or a saved web page (.html)",
                                help_text="Title, author, publisher, date and text are read from the page.")
    url = forms.URLField(label="URL", max_length=1000, required=False, assume_scheme="https")
    title = forms.CharField(max_length=500, required=False)
    publisher = forms.CharField(max_length=255, required=False)
    authors = forms.CharField(max_length=500, required=False, help_text="As credited, separated by semicolons.")
    published = forms.CharField(label="publication date", max_length=64, required=False, validators=[validate_edtf],
                                help_text=EDTF_HELP_TEXT)
    language = forms.CharField(max_length=35, initial="en")
    kind = forms.ChoiceField(choices=Source.Kind.choices, initial=Source.Kind.NEWS)

    def clean_html_file(self):
        upload = self.cleaned_data.get("html_file")
        if upload and upload.size > MAX_HTML_BYTES:
            raise forms.ValidationError("The page is larger than 5 MB; save it as “Web page, HTML only”.")
        return upload

    def clean(self):
        data = super().clean()
        if not data.get("text", "").strip() and not data.get("html_file"):
            raise forms.ValidationError("Paste the report's text or upload the saved page.")
        return data

    def report(self):
        """The Report: what the page says, overridden by whatever the editor typed."""
        data = self.cleaned_data
        if data.get("html_file"):
            try:
                report = report_from_html(data["html_file"].read(), url=data.get("url", ""))
            except ExtractionError as error:
                self.add_error("html_file", str(error))
                return None
        else:
            report = Report(text=data["text"])
        for name in ("url", "title", "publisher", "authors", "published", "language", "kind"):
            if data.get(name):
                setattr(report, name, data[name])
        if report.published:
            try:
                validate_edtf(report.published)
            except forms.ValidationError:
                report.published = ""
        return report


class ConfirmReportForm(forms.Form):
    """Step 2: the source as it will be saved (a draft), with the text carried along."""

    text = forms.CharField(
        label="report text", widget=forms.Textarea(attrs={"rows": 8, "cols": 100, "readonly": True}),
        help_text="As pasted or extracted; it is not stored, only the quoted sentences are.",
    )
    title = forms.CharField(max_length=500)
    publisher = forms.CharField(max_length=255, required=False)
    authors = forms.CharField(max_length=500, required=False)
    url = forms.URLField(label="URL", max_length=1000, required=False, assume_scheme="https")
    published = forms.CharField(label="publication date", max_length=64, required=False, validators=[validate_edtf],
                                help_text=EDTF_HELP_TEXT)
    language = forms.CharField(max_length=35)
    kind = forms.ChoiceField(choices=Source.Kind.choices)
    graphic = forms.BooleanField(required=False, label="graphic content",
                                 help_text="Describes or shows violence; pages hide it behind a warning.")
    relies_on = forms.ModelMultipleChoiceField(
        queryset=Source.objects.all(), required=False,
        widget=AutocompleteSelectMultiple(Source._meta.get_field("relies_on"), admin.site),
        help_text="The sources this report repeats (e.g. the monitoring group it quotes).",
    )

    def clean_url(self):
        url = self.cleaned_data["url"]
        if url and Source.objects.filter(url=url).exists():
            raise forms.ValidationError("A source with this URL is already recorded.")
        return url

    def report(self):
        data = self.cleaned_data
        return Report(**{name: data[name] for name in (
            "text", "title", "publisher", "authors", "url", "published", "language", "kind"
        )})


class SiteChoiceForm(forms.Form):
    """One proposed (or added) site: keep it or not, and what happened to it."""

    keep = forms.BooleanField(required=False, initial=True, label="record an incident")
    site = forms.ModelChoiceField(
        queryset=Site.objects.all(), required=False,
        widget=AutocompleteSelect(Incident._meta.get_field("sites"), admin.site),
    )
    category = forms.ModelChoiceField(queryset=ThreatCategory.objects.select_related("parent").in_tree_order(), required=False)
    date = forms.CharField(max_length=64, required=False, validators=[validate_edtf], help_text="EDTF")
    quote = forms.CharField(widget=forms.Textarea(attrs={"rows": 3, "cols": 60}), required=False)

    def clean(self):
        data = super().clean()
        if not data.get("keep") or not data.get("site"):
            return data
        for name, message in (("category", "Choose what happened."), ("date", "Give the date (EDTF), e.g. 2015-08.")):
            if not data.get(name):
                self.add_error(name, message)
        return data

    def confirmed(self):
        data = self.cleaned_data
        if not data.get("keep") or not data.get("site"):
            return None
        return ConfirmedSite(site=data["site"], category=data["category"], date=data["date"], quote=data["quote"])


SiteChoiceFormSet = forms.formset_factory(SiteChoiceForm, extra=2)
