"""The Source admin's "Add report from text/HTML" page: paste or upload → proposals → confirm → drafts.

heritage/admin.py lists ReportIntakeMixin among SourceAdmin's bases.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from heritage.intake.forms import ConfirmReportForm, ReportForm, SiteChoiceFormSet
from heritage.intake.proposals import propose, save_drafts
from heritage.models import Source


class ReportIntakeMixin:
    """The intake page, linked from the Source list."""

    change_list_template = "admin/heritage/source/change_list_intake.html"

    def get_urls(self):
        intake = path("intake/", self.admin_site.admin_view(self.intake_view), name="heritage_source_intake")
        return [intake, *super().get_urls()]

    def intake_view(self, request):
        if not (request.user.has_perm("heritage.add_source") and request.user.has_perm("heritage.add_incident")):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request), "opts": Source._meta, "title": _("Add report from text/HTML"),
        }
        if request.method == "POST" and "save" in request.POST:
            confirm = ConfirmReportForm(request.POST)
            sites = SiteChoiceFormSet(request.POST, prefix="sites")
            if confirm.is_valid() and sites.is_valid():
                chosen = [item for item in (form.confirmed() for form in sites) if item]
                recorded = confirm.report().same_documents().first()
                if recorded is not None:
                    confirm.add_error(None, already_recorded_error(recorded))
                    return self._confirm_page(request, context, confirm, sites, proposal=None)
                try:
                    source = save_drafts(
                        confirm.report(), chosen, graphic=confirm.cleaned_data["graphic"],
                        relies_on=confirm.cleaned_data["relies_on"], claims_of=confirm.cleaned_data["claims_of"],
                    )
                except ValidationError as error:
                    confirm.add_error(None, error)
                else:
                    cited = sum(1 for item in chosen if item.incident is not None)
                    new = len(chosen) - cited
                    incidents = ngettext("%(count)s draft incident", "%(count)s draft incidents", new) % {"count": new}
                    citations = ngettext(
                        "%(count)s citation of an incident already recorded",
                        "%(count)s citations of incidents already recorded", cited,
                    ) % {"count": cited}
                    self.message_user(
                        request,
                        _("Saved the draft source “%(title)s” with %(incidents)s and %(citations)s, for review.") % {
                            "title": source.title, "incidents": incidents, "citations": citations,
                        },
                        messages.SUCCESS,
                    )
                    return redirect(reverse("admin:heritage_source_change", args=[source.pk]))
            return self._confirm_page(request, context, confirm, sites, proposal=None)
        form = ReportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            report = form.report()
            if report is not None:
                proposal = propose(report)
                confirm = ConfirmReportForm.for_proposal(proposal)
                sites = SiteChoiceFormSet.for_proposal(proposal)
                recorded = report.same_documents().first()
                return self._confirm_page(request, context, confirm, sites, proposal, recorded)
        return TemplateResponse(request, "admin/heritage/source/intake.html", {**context, "form": form})

    def _confirm_page(self, request, context, confirm, sites, proposal, recorded=None):
        proposed = list(proposal.sites) if proposal else []
        rows = [(form, proposed[index] if index < len(proposed) else None) for index, form in enumerate(sites)]
        # One Media for both forms: each listing admin's autocomplete.js again drew every site widget twice.
        return TemplateResponse(request, "admin/heritage/source/intake_confirm.html", {
            **context, "confirm": confirm, "sites": sites, "rows": rows, "proposal": proposal,
            "media": confirm.media + sites.media,
            "already_recorded": already_recorded_error(recorded) if recorded is not None else "",
        })


def already_recorded_error(source):
    """The form's error for a report already recorded: it names the source and links to it."""
    return format_html(
        _("This report is already recorded as the source <a href=\"{}\">{}</a>: add what it says there instead."),
        reverse("admin:heritage_source_change", args=[source.pk]), str(source),
    )
