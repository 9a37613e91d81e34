"""Editors' admin for the record: sources, history events, incidents, assessments and their citations."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import router, transaction
from django.db.models import Count, F, Q
from django.db.models.functions import Coalesce
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy
from import_export.admin import ImportExportMixin
from simple_history.admin import SimpleHistoryAdmin

import sites.admin
from heritage.intake.admin import ReportIntakeMixin
from heritage.models import (
    Actor,
    CategoryKeywordRule,
    Citation,
    ConditionAssessment,
    ConditionState,
    DamageExtent,
    DamageTrend,
    Effect,
    HistoryEvent,
    Incident,
    Organisation,
    OrganisationName,
    Quotation,
    RiskProfile,
    Source,
    Story,
    ThreatCategory,
    profiled_site_pks,
)
from heritage.resources import IncidentResource, SourceResource
from sites.admin import (
    PreloadedAutocompleteMixin,
    PreloadedInlineFormSet,
    TermAdmin,
    VocabularyLabelsMixin,
    changelist_link,
    country_filter,
)
from sites.dates import date_from_day_number
from sites.models import Certainty, Designation, Identifier, NameKind, Site, SiteKind, SiteName

# The write path --------------------------------------------------------------------


class RecordWriteAdminMixin:
    """Every write an admin page makes ends, inside its transaction, in RiskProfile.objects.record_changed().

    Saves (inlines included), deletions of one record or many, list edits and
    reverts note the sites their records feed as stored before the write; when
    the page's work is done, still in its transaction, those sites and the ones
    the saved records feed now have their summaries refreshed, and cached
    responses are retired. Actions that call a model method which writes
    (publish(), confirm()) end in that method's own call.
    """

    def _in_write_path(self, view, request, *args, **kwargs):
        if request.method != "POST":
            return view(request, *args, **kwargs)
        with transaction.atomic(using=router.db_for_write(self.model)):
            request.sites_touched, request.records_saved = set(), []
            response = view(request, *args, **kwargs)
            if request.records_saved or request.sites_touched:
                for record in request.records_saved:
                    request.sites_touched |= profiled_site_pks(record)
                RiskProfile.objects.record_changed(request.sites_touched)
        return response

    def changeform_view(self, request, *args, **kwargs):
        return self._in_write_path(super().changeform_view, request, *args, **kwargs)

    def delete_view(self, request, *args, **kwargs):
        return self._in_write_path(super().delete_view, request, *args, **kwargs)

    def changelist_view(self, request, *args, **kwargs):
        return self._in_write_path(super().changelist_view, request, *args, **kwargs)

    def history_form_view(self, request, *args, **kwargs):
        return self._in_write_path(super().history_form_view, request, *args, **kwargs)

    def save_model(self, request, obj, form, change):
        request.sites_touched |= profiled_site_pks(obj)  # as stored: the form's changes are not saved yet
        super().save_model(request, obj, form, change)
        request.records_saved.append(obj)

    def delete_model(self, request, obj):
        request.sites_touched |= profiled_site_pks(obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        request.sites_touched |= profiled_site_pks(queryset)
        super().delete_queryset(request, queryset)


class RecordTermAdmin(RecordWriteAdminMixin, TermAdmin):
    """A vocabulary: its labels show on pages, so its writes retire cached responses."""


admin.site.register([ConditionState, DamageExtent, DamageTrend, Effect, Actor], RecordTermAdmin)


# Threat categories: UNESCO's two levels ---------------------------------------------


def primary_factor_filter(path):
    """Filter by a primary factor, taking in its secondary factors; ``path`` leads to a ThreatCategory."""
    prefix = f"{path}__" if path else ""

    class PrimaryFactorFilter(admin.SimpleListFilter):
        title = _("primary factor")
        parameter_name = "primary"

        def lookups(self, request, model_admin):
            return [
                (str(pk), f"{code}. {label}" if code else label)
                for pk, code, label in ThreatCategory.objects.primary().values_list("pk", "code", "label")
            ]

        def queryset(self, request, queryset):
            if not self.value():
                return queryset
            return queryset.filter(Q(**{f"{prefix}pk": self.value()}) | Q(**{f"{prefix}parent": self.value()}))

    return PrimaryFactorFilter


class SecondaryFactorFilter(admin.SimpleListFilter):
    """The secondary factor of an incident; narrowed to one primary factor when that filter is on."""

    title = _("secondary factor")
    parameter_name = "secondary"

    def lookups(self, request, model_admin):
        factors = ThreatCategory.objects.secondary().select_related("parent")
        primary = request.GET.get("primary", "")
        if primary.isdigit():
            return [(str(factor.pk), factor.label) for factor in factors.filter(parent=primary)]
        return [(str(factor.pk), str(factor)) for factor in factors.order_by("parent__position", "position")]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(category=self.value())
        return queryset


class LevelFilter(admin.SimpleListFilter):
    title = _("level")
    parameter_name = "level"

    def lookups(self, request, model_admin):
        return [("primary", _("Primary factors")), ("secondary", _("Secondary factors"))]

    def queryset(self, request, queryset):
        if self.value() == "primary":
            return queryset.primary()
        if self.value() == "secondary":
            return queryset.secondary()
        return queryset


@admin.register(ThreatCategory)
class ThreatCategoryAdmin(RecordTermAdmin):
    list_display = ["indented_label", "code", "parent", "position", "slug"]
    list_filter = [LevelFilter, primary_factor_filter("")]
    list_select_related = ["parent"]
    search_fields = ["label", "label_ar", "code", "slug"]

    def get_queryset(self, request):
        categories = ThreatCategory.objects.annotate(
            factor_position=Coalesce("parent__position", "position"), factor=Coalesce("parent_id", "id")
        )
        return categories.order_by(*self.get_ordering(request))

    def get_ordering(self, request):
        # Each primary factor followed by its secondary factors (annotations, so not in ``ordering``).
        return ["factor_position", "factor", F("parent").asc(nulls_first=True), "position", "label"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "parent":
            kwargs["queryset"] = ThreatCategory.objects.primary()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description=_("label"), ordering="label")
    def indented_label(self, category):
        if category.parent_id:
            return format_html('<span class="secondary-factor">↳ {}</span>', category.label)
        return category.label


# Publishing ------------------------------------------------------------------------


# "1 incident", "3 incidents" in the active language (Arabic has six plural forms), by a model's name
# (``opts.model_name``) or another noun the admin counts; "count" names the number that picks the plural form.
COUNTED = {
    "historyevent": ngettext_lazy("%(count)s history event", "%(count)s history events", "count"),
    "incident": ngettext_lazy("%(count)s incident", "%(count)s incidents", "count"),
    "conditionassessment": ngettext_lazy("%(count)s condition assessment", "%(count)s condition assessments", "count"),
    "source": ngettext_lazy("%(count)s source", "%(count)s sources", "count"),
    "citation": ngettext_lazy("%(count)s citation", "%(count)s citations", "count"),
    "site": ngettext_lazy("%(count)s site", "%(count)s sites", "count"),
    "part": ngettext_lazy("%(count)s part", "%(count)s parts", "count"),
    "incident claim": ngettext_lazy("%(count)s incident claim", "%(count)s incident claims", "count"),
}


def counted(number, noun):
    """ "1 incident", "3 incidents": ``number`` of ``noun`` (a key of COUNTED), in the active language."""
    if noun not in COUNTED:
        raise ValueError(f"No counted wording for {noun!r}")
    return COUNTED[noun] % {"count": number}



class PublishActionMixin:
    actions = ["publish_selected"]

    @admin.action(description=_("Publish selected %(verbose_name_plural)s"), permissions=["change"])
    def publish_selected(self, request, queryset):
        already = queryset.published().count()
        published, refused = queryset.publish()
        for record, error in refused:
            self.message_user(
                request, _("“%(record)s” was not published: %(reasons)s") % {
                    "record": record, "reasons": " ".join(error.messages),
                }, messages.ERROR,
            )
        noun = self.model._meta.model_name
        if published:
            self.message_user(
                request, _("Published %(records)s.") % {"records": counted(len(published), noun)}, messages.SUCCESS
            )
        if already:
            self.message_user(
                request, _("%(records)s already published.") % {"records": counted(already, noun)}, messages.INFO
            )


def withdrawal_message(facts):
    """What an editor is told when taking sources back to draft took facts with them."""
    groups = {}
    for fact in facts:
        groups.setdefault(fact._meta, []).append(fact)
    nouns = [counted(len(group), opts.model_name) for opts, group in groups.items()]
    kinds = nouns[0] if len(nouns) == 1 else _("%(list)s and %(last)s") % {
        "list": _(", ").join(nouns[:-1]), "last": nouns[-1],
    }
    names = _(", ").join(_("“%(fact)s”") % {"fact": fact} for fact in facts)
    return _("Withdrew %(kinds)s that cited no other published source: %(names)s.") % {"kinds": kinds, "names": names}


# Sources ---------------------------------------------------------------------------


class QuotationInline(admin.StackedInline):
    model = Quotation
    fields = ["text", "supports", "locator"]
    extra = 0

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "text":
            kwargs["widget"] = forms.Textarea(attrs={"rows": 3, "cols": 80, "dir": "auto"})
        return super().formfield_for_dbfield(db_field, request, **kwargs)


@admin.register(Source)
class SourceAdmin(ReportIntakeMixin, ImportExportMixin, PublishActionMixin, RecordWriteAdminMixin, SimpleHistoryAdmin):
    resource_classes = [SourceResource]
    # Status beside the title: in view at any width, and the first thing an editor looks for.
    list_display = ["title", "status", "publisher", "kind", "published_date", "grading_code", "graphic"]
    list_filter = ["status", "kind", "reliability", "credibility", "graphic", "publisher"]
    search_fields = ["title", "publisher", "url", "slug"]
    autocomplete_fields = ["relies_on"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [QuotationInline]
    readonly_fields = ["grading", "cited_by", "published_at", "created", "updated"]
    actions = ["publish_selected", "withdraw_selected"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "kind", "publisher", "authors", "published", "language", "summary", "summary_ar"]}),
        (_("Where to read it"), {"fields": ["url", ("archived_url", "archived_on")]}),
        (_("Grading"), {"fields": [("reliability", "credibility"), "grading", "graphic", "relies_on"]}),
        (_("Editorial"), {"fields": ["status", "published_at", "cited_by", ("created", "updated")]}),
    ]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if obj.withdrawn_facts:
            self.message_user(request, withdrawal_message(obj.withdrawn_facts), messages.WARNING)

    @admin.action(description=_("Withdraw selected sources (back to draft)"), permissions=["change"])
    def withdraw_selected(self, request, queryset):
        count = queryset.published().count()
        withdrawn = queryset.withdraw()
        self.message_user(request, _("Withdrew %(sources)s.") % {"sources": counted(count, "source")}, messages.SUCCESS)
        if withdrawn:
            self.message_user(request, withdrawal_message(withdrawn), messages.WARNING)

    @admin.display(description=_("date"), ordering="published_earliest")
    def published_date(self, source):
        return source.published_display

    @admin.display(description=_("grading"), ordering="reliability")
    def grading_code(self, source):
        return format_html(
            '<abbr title="{}; {}">{}</abbr>',
            source.get_reliability_display(),
            source.get_credibility_display(),
            source.grading,
        )

    @admin.display(description=_("Admiralty grading"))
    def grading(self, source):
        return f"{source.grading}: {source.get_reliability_display()}; {source.get_credibility_display()}"

    @admin.display(description=_("cited by"))
    def cited_by(self, source):
        if not source.pk:
            return "—"
        count = source.citations.count()
        return changelist_link("heritage_citation", f"source__id__exact={source.pk}", counted(count, "citation"))


@admin.register(Quotation)
class QuotationAdmin(RecordWriteAdminMixin, SimpleHistoryAdmin):
    list_display = ["__str__", "source", "supports", "locator"]
    list_select_related = ["source"]
    search_fields = ["text", "supports", "source__title"]
    autocomplete_fields = ["source"]


# Citations -------------------------------------------------------------------------


class CitationFormSet(PreloadedInlineFormSet):
    preloaded_autocomplete = ("source",)

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        # The fact's status comes from the form above, its sources from this inline: both as posted.
        sources = [
            form.cleaned_data["source"]
            for form in self.forms
            if form.cleaned_data.get("source") and not form.cleaned_data.get("DELETE")
        ]
        try:
            self.instance.check_publishable(sources=sources)
        except ValidationError as error:
            raise ValidationError(error.messages) from error


class CitationInline(PreloadedAutocompleteMixin, admin.TabularInline):
    model = Citation
    formset = CitationFormSet
    fields = ["source", "locator", "quote"]
    autocomplete_fields = ["source"]
    extra = 1

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("source")

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "quote":
            kwargs["widget"] = forms.Textarea(attrs={"rows": 2, "cols": 50, "dir": "auto"})
        return super().formfield_for_dbfield(db_field, request, **kwargs)


class StoredCitationsForm(forms.ModelForm):
    """Checks the citations a record already has: used where the citation inline is not on the page."""

    def _post_clean(self):
        super()._post_clean()
        try:
            self.instance.check_publishable()
        except ValidationError as error:
            self.add_error("status", error)


# Dated facts -----------------------------------------------------------------------


class FactAdmin(VocabularyLabelsMixin, PublishActionMixin, RecordWriteAdminMixin, SimpleHistoryAdmin):
    """Shared by history events, incidents and condition assessments: dated, cited, publishable."""

    inlines = [CitationInline]
    readonly_fields = ["published_at", "created", "updated"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(citation_count=Count("citations"))

    def get_form(self, request, obj=None, **kwargs):
        if getattr(request, "citations_not_on_page", False):
            kwargs["form"] = type("StoredCitations" + self.form.__name__, (StoredCitationsForm, self.form), {})
        return super().get_form(request, obj, **kwargs)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # Reverting saves the record alone, without the citation inline.
        request.citations_not_on_page = True
        return super().history_form_view(request, object_id, version_id, extra_context)

    @admin.display(description=_("date"), ordering="date_earliest")
    def when(self, fact):
        return fact.date_display

    @admin.display(description=_("sources"), ordering="citation_count")
    def cited(self, fact):
        return fact.citation_count

    @admin.display(description=_("sites"))
    def site_list(self, fact):
        return ", ".join(site.name for site in fact.sites.all())


@admin.register(HistoryEvent)
class HistoryEventAdmin(FactAdmin):
    list_display = ["when", "title", "kind", "site_list", "confidence", "cited", "status"]
    list_filter = ["status", "kind", "confidence", country_filter("sites")]
    search_fields = ["title", "slug", "description"]
    autocomplete_fields = ["sites"]
    prepopulated_fields = {"slug": ["title"]}
    # Julian day bounds give one true chronological order across BCE and AD.
    ordering = ["date_earliest", "date_latest", "title"]
    fieldsets = [
        (None, {"fields": ["title", "title_ar", "slug", "kind", "date", "sites", "description", "confidence"]}),
        (_("Editorial"), {"fields": ["status", "published_at", ("created", "updated")]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("sites")


@admin.register(Incident)
class IncidentAdmin(ImportExportMixin, FactAdmin):
    resource_classes = [IncidentResource]
    list_display = ["title", "status", "when", "site_list", "threat", "claim", "certainty", "actor", "cited"]
    list_filter = [
        "status",
        "claim",
        primary_factor_filter("category"),
        SecondaryFactorFilter,
        "actor",
        "certainty",
        "effect",
        country_filter("sites"),
    ]
    list_select_related = ["category__parent", "certainty", "actor"]
    search_fields = ["title", "slug", "description"]
    autocomplete_fields = ["sites"]
    prepopulated_fields = {"slug": ["title"]}
    ordering = ["-date_earliest", "title"]
    actions = ["publish_selected", "confirm_claims", "accept_suggested_claims"]
    change_form_template = "admin/heritage/incident/change_form.html"
    fieldsets = [
        (None, {"fields": ["title", "title_ar", "slug", "date", "sites", "category", "description"]}),
        (
            _("What is claimed, and how sure"),
            {"fields": ["claim", "certainty", "effect", "damage_extent", "actor"]},
        ),
        (_("Editorial"), {"fields": ["status", "published_at", ("created", "updated")]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("sites")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "category":
            # Secondary factors are labelled "primary › secondary".
            kwargs["queryset"] = ThreatCategory.objects.select_related("parent").in_tree_order()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description=_("threat"), ordering="category")
    def threat(self, incident):
        """The secondary factor alone ("War"), its primary factor in the tooltip: the full path took a third
        of a laptop-width list."""
        return format_html('<span title="{}">{}</span>', incident.category, incident.category.label)

    @admin.action(description=_("Mark claim confirmed by direct evidence"), permissions=["change"])
    def confirm_claims(self, request, queryset):
        confirmed = len(queryset.confirm())
        self.message_user(
            request,
            _("Marked %(claims)s confirmed by direct evidence.") % {"claims": counted(confirmed, "incident claim")},
            messages.SUCCESS,
        )

    @admin.action(description=_("Accept the claim standing their independent sources suggest"), permissions=["change"])
    def accept_suggested_claims(self, request, queryset):
        changed = queryset.accept_suggested_claims()
        self.message_user(
            request,
            _("Changed the claim of %(incidents)s as their sources suggest.") % {
                "incidents": counted(len(changed), "incident"),
            },
            messages.SUCCESS,
        )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        incident = self.get_object(request, object_id)
        if incident is not None:
            extra_context = {
                **(extra_context or {}),
                "independent_sources": list(incident.independent_primary_sources(request.user)),
                "suggested_claim": incident.suggested_claim(),
            }
        return super().change_view(request, object_id, form_url, extra_context)


@admin.register(ConditionAssessment)
class ConditionAssessmentAdmin(FactAdmin):
    list_display = ["site", "when", "state", "damage_extent", "trend", "assessor", "cited", "status"]
    list_filter = ["status", "state", "trend", "damage_extent", country_filter("site")]
    list_select_related = ["site", "state", "damage_extent", "trend"]
    search_fields = ["site__name", "assessor", "notes"]
    autocomplete_fields = ["site"]
    ordering = ["-date_latest", "site__name"]
    fieldsets = [
        (None, {"fields": ["site", "date", "state", "damage_extent", "trend", "assessor", "notes"]}),
        (_("Editorial"), {"fields": ["status", "published_at", ("created", "updated")]}),
    ]


class CitationForm(forms.ModelForm):
    FACTS = ("event", "incident", "assessment")

    def clean(self):
        cleaned = super().clean()
        chosen = [name for name in self.FACTS if cleaned.get(name)]
        if len(chosen) != 1:
            # On a fact field, so that the database constraint with its terse message is not checked too.
            self.add_error(
                chosen[1] if chosen else "event",
                _("A citation supports exactly one fact: choose a history event, an incident or a condition assessment."),
            )
        elif self.instance.pk:
            self._check_facts_keep_a_published_source(chosen[0], cleaned[chosen[0]], cleaned.get("source"))
        return cleaned

    def _check_facts_keep_a_published_source(self, name, fact, source):
        """Moving a citation to another fact, or pointing it at a draft source, must not leave a published fact
        without a published source."""
        stored = Citation.objects.select_related(*self.FACTS).get(pk=self.instance.pk)
        previous = stored.fact
        try:
            if previous != fact:
                previous.check_publishable_without(stored)
            elif source is not None:
                fact.check_publishable_without(stored, instead=source)
        except ValidationError as error:
            field = name if previous != fact else "source"
            self.add_error(field, _("“%(fact)s” would lose its only published source. %(reasons)s") % {
                "fact": previous, "reasons": " ".join(error.messages),
            })


@admin.register(Citation)
class CitationAdmin(RecordWriteAdminMixin, SimpleHistoryAdmin):
    form = CitationForm
    list_display = ["source", "fact", "locator"]
    list_select_related = ["source", "event", "incident", "assessment__site", "assessment__state"]
    search_fields = ["source__title", "source__publisher", "locator", "quote"]
    autocomplete_fields = ["source", "event", "incident", "assessment"]

    @admin.display(description=_("fact"))
    def fact(self, citation):
        return citation.fact

    def get_actions(self, request):
        # Deleting in bulk could leave a published fact without its only source.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def has_delete_permission(self, request, obj=None):
        if obj is not None:
            try:
                obj.fact.check_publishable_without(obj)
            except ValidationError:
                return False
        return super().has_delete_permission(request, obj)


# Risk profiles (derived condition and risk) -----------------------------------


@admin.register(RiskProfile)
class RiskProfileAdmin(admin.ModelAdmin):
    """Derived data: read only; recomputed from the record, on demand with the action."""

    list_display = [
        "site", "condition", "risk_level", "in_danger", "standing_incidents", "latest_incident_date", "refreshed",
    ]
    list_filter = ["risk_level", "in_danger", "condition"]
    list_select_related = ["site", "condition"]
    search_fields = ["site__name"]
    ordering = ["-risk_rank", "site__name"]
    actions = ["refresh"]
    fields = [
        "site", "condition", "condition_assessment", "in_danger", "standing_incidents", "latest_incident_date",
        "risk_level", "reasons", "refreshed",
    ]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_refresh_permission(self, request):
        return request.user.has_perm("heritage.change_riskprofile")

    @admin.action(description=_("Recompute condition and risk of selected sites"), permissions=["refresh"])
    def refresh(self, request, queryset):
        with transaction.atomic():
            RiskProfile.objects.refresh(queryset.values_list("site_id", flat=True))
        self.message_user(
            request,
            _("Recomputed the condition and risk of %(sites)s.") % {"sites": counted(queryset.count(), "site")},
            messages.SUCCESS,
        )

    @admin.display(description=_("latest incident"), ordering="latest_incident")
    def latest_incident_date(self, profile):
        if profile.latest_incident is None:
            return "—"
        return date_from_day_number(profile.latest_incident) or _("before AD 1")

    @admin.display(description=_("reasons"))
    def reasons(self, profile):
        return format_html("<ul>{}</ul>", format_html_join("", "<li>{}</li>", ((r,) for r in profile.reasons_in_words())))


# Sites with their record -----------------------------------------------------------



@admin.register(Site)
class SiteAdmin(RecordWriteAdminMixin, sites.admin.SiteAdmin):
    """A gazetteer entry together with what the record says of it: condition, risk, links to its facts."""

    list_display = [*sites.admin.SiteAdmin.list_display, "condition", "risk"]
    list_filter = [
        *sites.admin.SiteAdmin.list_filter[:2],
        "risk_profile__condition",
        "risk_profile__risk_level",
        "risk_profile__in_danger",
        *sites.admin.SiteAdmin.list_filter[2:],
    ]
    list_select_related = [*sites.admin.SiteAdmin.list_select_related, "risk_profile__condition"]
    readonly_fields = ["record", "condition_and_risk", "created", "updated"]
    fieldsets = [
        *sites.admin.SiteAdmin.fieldsets,
        (_("Record"), {"fields": ["record", "condition_and_risk", ("created", "updated")]}),
    ]

    @admin.display(description=_("condition"), ordering="risk_profile__condition__position")
    def condition(self, site):
        profile = RiskProfile.of(site)
        return profile.condition if profile and profile.condition else "—"

    @admin.display(description=_("risk"), ordering=F("risk_profile__risk_rank").desc(nulls_last=True))
    def risk(self, site):
        profile = RiskProfile.of(site)
        return profile.get_risk_level_display() if profile else _("Not computed yet")

    @admin.display(description=_("in the record"))
    def record(self, site):
        if not site.pk:
            return _("Links to the site's events, incidents and assessments appear once it is saved.")
        links = [
            changelist_link(
                "heritage_historyevent", f"sites__id__exact={site.pk}", counted(site.events.count(), "historyevent")
            ),
            changelist_link(
                "heritage_incident", f"sites__id__exact={site.pk}", counted(site.incidents.count(), "incident")
            ),
            changelist_link(
                "heritage_conditionassessment",
                f"site__id__exact={site.pk}",
                counted(site.condition_assessments.count(), "conditionassessment"),
            ),
            changelist_link("sites_site", f"part_of={site.pk}", counted(site.parts.count(), "part")),
        ]
        return format_html_join(" · ", "{}", ((link,) for link in links))

    @admin.display(description=_("condition and risk"))
    def condition_and_risk(self, site):
        profile = RiskProfile.of(site) if site.pk else None
        if profile is None:
            return _("Not computed yet: it is derived from the site's assessments, incidents and designations on save.")
        reasons = format_html_join("", "<li>{}</li>", ((reason,) for reason in profile.reasons_in_words()))
        return format_html(
            "{}{}<ul>{}</ul>",
            _("Condition: %(condition)s · risk: %(risk)s") % {
                "condition": profile.condition or _("not assessed"), "risk": profile.get_risk_level_display(),
            },
            _(" · on the List of World Heritage in Danger") if profile.in_danger else "",
            reasons,
        )


@admin.register(SiteName)
class SiteNameAdmin(RecordWriteAdminMixin, sites.admin.SiteNameAdmin):
    pass


@admin.register(Identifier)
class IdentifierAdmin(RecordWriteAdminMixin, sites.admin.IdentifierAdmin):
    pass


@admin.register(Designation)
class DesignationAdmin(RecordWriteAdminMixin, sites.admin.DesignationAdmin):
    """An In Danger listing changes the risk of its site and of the site's parts."""


admin.site.register([SiteKind, NameKind, Certainty], RecordTermAdmin)


# Intake vocabularies and stories ------------------------------------------------


class OrganisationNameInline(admin.TabularInline):
    model = OrganisationName
    fields = ["name", "language", "script", "source_url", "note"]
    extra = 1


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "source_kind", "reliability", "domains"]
    list_filter = ["reliability", "source_kind"]
    search_fields = ["name", "slug", "names__name", "domains"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [OrganisationNameInline]
    fieldsets = [
        (None, {"fields": ["name", "slug", "source_kind", "url", "domains"]}),
        (_("Default grading of its reports"), {"fields": ["reliability", "reliability_reason"]}),
        (_("Where this comes from"), {"fields": ["source_url", "source_note"]}),
    ]


@admin.register(OrganisationName)
class OrganisationNameAdmin(SimpleHistoryAdmin):
    list_display = ["name", "organisation", "language", "script"]
    list_filter = ["script", "language"]
    list_select_related = ["organisation"]
    search_fields = ["name", "organisation__name"]
    autocomplete_fields = ["organisation"]


@admin.register(CategoryKeywordRule)
class CategoryKeywordRuleAdmin(RecordWriteAdminMixin, admin.ModelAdmin):
    list_display = ["category", "language", "active", "keyword_count"]
    list_filter = ["active", "language", primary_factor_filter("category")]
    list_select_related = ["category__parent"]
    search_fields = ["keywords", "category__label"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "category":
            kwargs["queryset"] = ThreatCategory.objects.select_related("parent").in_tree_order()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description=_("keywords"))
    def keyword_count(self, rule):
        return len(rule.phrases)


class ReportInline(admin.TabularInline):
    model = Source
    fields = ["title", "publisher", "published", "status"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Story)
class StoryAdmin(RecordWriteAdminMixin, admin.ModelAdmin):
    list_display = ["title", "created"]
    search_fields = ["title", "reports__title"]
    inlines = [ReportInline]

