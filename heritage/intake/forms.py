from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.utils.translation import gettext_lazy as _

from heritage.intake.extract import ExtractionError, read_report
from heritage.intake.proposals import ConfirmedSite, Report
from heritage.intake.roles import AFFECTED, MENTIONED
from heritage.models import Incident, Organisation, OrganisationName, Source, ThreatCategory
from sites.dates import EDTF_HELP_TEXT, validate_edtf
from sites.models import Site

MAX_HTML_BYTES = 5 * 1024 * 1024


class ReportForm(forms.Form):
    """Step 1: the report, pasted as text or uploaded as a saved web page."""

    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 14, "cols": 100}), required=False,
                           help_text=_("Paste the article's text."))
    html_file = forms.FileField(required=False, label=_("or a saved web page (.html)"),
                                help_text=_("Title, author, publisher, date and text are read from the page."))
    url = forms.URLField(label=_("URL"), max_length=1000, required=False, assume_scheme="https")
    title = forms.CharField(label=_("Title"), max_length=500, required=False)
    publisher = forms.CharField(label=_("Publisher"), max_length=255, required=False)
    authors = forms.CharField(label=_("Authors"), max_length=500, required=False,
                              help_text=_("As credited, separated by semicolons."))
    published = forms.CharField(label=_("publication date"), max_length=64, required=False, validators=[validate_edtf],
                                help_text=_(EDTF_HELP_TEXT))
    language = forms.CharField(label=_("Language"), max_length=35, required=False,
                               help_text=_("BCP 47 tag (en, ar…); read from the page or the text when left blank."))
    kind = forms.ChoiceField(label=_("Kind"), choices=Source.Kind.choices, initial=Source.Kind.NEWS)

    def clean_html_file(self):
        upload = self.cleaned_data.get("html_file")
        if upload and upload.size > MAX_HTML_BYTES:
            raise forms.ValidationError(_("The page is larger than 5 MB; save it as “Web page, HTML only”."))
        return upload

    def clean(self):
        data = super().clean()
        if not data.get("text", "").strip() and not data.get("html_file"):
            raise forms.ValidationError(_("Paste the report's text or upload the saved page."))
        return data

    def report(self):
        """The Report: what the page or text says, overridden by whatever the editor typed (read_report())."""
        data = self.cleaned_data
        upload = data.get("html_file")
        given = {name: data.get(name) for name in ("url", "title", "publisher", "authors", "published", "language",
                                                   "kind")}
        try:
            return read_report(html=upload.read() if upload else None, text=data.get("text", ""),
                               url=data.get("url", ""), given=given)
        except ExtractionError as error:
            self.add_error("html_file", str(error))
            return None


class ConfirmReportForm(forms.Form):
    """Step 2: the source as it will be saved (a draft), with the text carried along."""

    text = forms.CharField(
        label=_("report text"), widget=forms.Textarea(attrs={"rows": 8, "cols": 100, "readonly": True}),
        help_text=_("As pasted or extracted; it is not stored, only the quoted sentences are."),
    )
    title = forms.CharField(label=_("Title"), max_length=500)
    publisher = forms.CharField(label=_("Publisher"), max_length=255, required=False)
    authors = forms.CharField(label=_("Authors"), max_length=500, required=False)
    url = forms.URLField(label=_("URL"), max_length=1000, required=False, assume_scheme="https")
    published = forms.CharField(label=_("publication date"), max_length=64, required=False, validators=[validate_edtf],
                                help_text=_(EDTF_HELP_TEXT))
    language = forms.CharField(label=_("Language"), max_length=35)
    kind = forms.ChoiceField(label=_("Kind"), choices=Source.Kind.choices)
    graphic = forms.BooleanField(required=False, label=_("graphic content"),
                                 help_text=_("Describes or shows violence; pages hide it behind a warning."))
    # The addresses the saved page gives itself (canonical link, og:url), carried to the save that checks them.
    page_urls = forms.CharField(required=False, widget=forms.HiddenInput)
    relies_on = forms.ModelMultipleChoiceField(
        queryset=Source.objects.all(), required=False,
        widget=AutocompleteSelectMultiple(Source._meta.get_field("relies_on"), admin.site),
        label=_("Relies on"), help_text=_("The sources this report repeats (e.g. the monitoring group it quotes)."),
    )
    claims_of = forms.ModelMultipleChoiceField(
        queryset=Organisation.objects.all(), required=False, label=_("new draft sources for the claims of"),
        widget=AutocompleteSelectMultiple(OrganisationName._meta.get_field("organisation"), admin.site),
        help_text=_("Organisations the report credits whose claim is not recorded yet: each gets a draft source "
                    "this report relies on."),
    )
    reliability = forms.ChoiceField(
        label=_("Reliability"), choices=Source.Reliability.choices, initial=Source.Reliability.F, required=False,
        help_text=_("Admiralty reliability of the publisher; proposed from its record when it has one."),
    )

    @classmethod
    def for_proposal(cls, proposal):
        """The form prefilled from a proposal: the report's fields, and whom it relies on: the recorded
        source of each claim it credits, else a new draft source for the organisation's claim."""
        return cls(initial={
            **proposal.report.__dict__,
            "graphic": proposal.graphic,
            "page_urls": " ".join(proposal.report.page_urls),
            "relies_on": [item.source for item in proposal.attributions if item.source is not None],
            "claims_of": [item.organisation for item in proposal.attributions if item.source is None],
        })

    def clean_page_urls(self):
        return self.cleaned_data["page_urls"].split()

    def report(self):
        data = self.cleaned_data
        return Report(**{name: data[name] for name in (
            "text", "title", "publisher", "authors", "url", "published", "language", "kind", "page_urls"
        )}, reliability=data["reliability"] or Source.Reliability.F)


class IncidentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, incident):
        return _("%(date)s: %(title)s (%(status)s)") % {
            "date": incident.date_display, "title": incident.title, "status": incident.get_status_display().lower(),
        }


class SiteChoiceForm(forms.Form):
    """One proposed (or added) site: keep it or not, what happened to it, and whether an incident already
    recorded tells it (the report is then cited for that incident instead of making a new one)."""

    keep = forms.BooleanField(required=False, initial=True, label=_("record"))
    site = forms.ModelChoiceField(
        label=_("Site"), queryset=Site.objects.all(), required=False,
        widget=AutocompleteSelect(Incident._meta.get_field("sites"), admin.site),
    )
    role = forms.ChoiceField(choices=[(AFFECTED, _("affected")), (MENTIONED, _("mentioned"))], required=False,
                             widget=forms.HiddenInput)
    reason = forms.CharField(required=False, widget=forms.HiddenInput)
    incident = IncidentChoiceField(
        queryset=Incident.objects.none(), required=False, label=_("cite for"), empty_label=_("a new incident"),
        help_text=_("An incident already recorded that this report tells again."),
    )
    category = forms.ModelChoiceField(
        queryset=ThreatCategory.objects.select_related("parent").in_tree_order(), required=False,
        label=_("what happened"),
    )
    date = forms.CharField(label=_("Date"), max_length=64, required=False, validators=[validate_edtf], help_text="EDTF")
    quote = forms.CharField(label=_("Quote"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, matches=None, **kwargs):
        """``matches``: the incidents to offer; when None (a submitted form), the one it names, if any."""
        super().__init__(*args, **kwargs)
        if matches is not None:
            self.fields["incident"].queryset = Incident.objects.filter(pk__in=[incident.pk for incident in matches])
        elif self.is_bound:
            chosen = self.data.get(self.add_prefix("incident"), "")
            if chosen.isdigit():
                self.fields["incident"].queryset = Incident.objects.filter(pk=chosen)
        self.fields["incident"].queryset = self.fields["incident"].queryset.order_by("-date_earliest", "pk")

    @property
    def offers_incidents(self):
        return self.fields["incident"].queryset.exists()

    def clean(self):
        data = super().clean()
        if not data.get("keep") or not data.get("site") or data.get("incident"):
            return data
        for name, message in (("category", _("Choose what happened.")), ("date", _("Give the date (EDTF), e.g. 2015-08."))):
            if not data.get(name):
                self.add_error(name, message)
        return data

    def confirmed(self):
        data = self.cleaned_data
        if not data.get("keep") or not data.get("site"):
            return None
        return ConfirmedSite(site=data["site"], category=data["category"], date=data["date"], quote=data["quote"],
                             incident=data.get("incident"))


class BaseSiteChoiceFormSet(forms.BaseFormSet):
    def __init__(self, *args, proposals=(), **kwargs):
        """``proposals``: the SiteProposals of the rows, whose matching incidents the rows offer."""
        self.proposals = list(proposals)
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        kwargs = super().get_form_kwargs(index)
        if index is not None and index < len(self.proposals):
            kwargs["matches"] = self.proposals[index].matches
        elif not self.is_bound:
            kwargs["matches"] = []
        return kwargs

    @classmethod
    def for_proposal(cls, proposal):
        """One row per proposed site: affected ones ticked, mentioned ones not; the closest incident
        already recorded chosen, so that the report is cited for it rather than told again."""
        return cls(prefix="sites", proposals=proposal.sites, initial=[
            {"keep": item.is_affected, "site": item.site, "role": item.role, "reason": item.reason,
             "incident": item.match, "category": item.category, "date": item.date, "quote": item.sentence}
            for item in proposal.sites
        ])


SiteChoiceFormSet = forms.formset_factory(SiteChoiceForm, formset=BaseSiteChoiceFormSet, extra=2)
