"""Editors' admin for the gazetteer: sites with their names, identifiers and designations."""

from django import forms
from django.contrib import admin
from django.contrib.admin.utils import flatten_fieldsets
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.db.models import Q
from django.forms.models import BaseInlineFormSet
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django_countries import countries as country_names
from simple_history.admin import SimpleHistoryAdmin

from sites import geography
from sites.models import Designation, Identifier, Site, SiteName
from sites.text import is_rtl
from sites.vocabulary import Term

ADMIN_CSS = {"all": ["css/admin.css"]}


# Display helpers -------------------------------------------------------------


def display_name(text, language=""):
    """A name marked up so that right-to-left scripts read right to left."""
    if is_rtl(text):
        return format_html('<span dir="rtl" lang="{}">{}</span>', language or "ar", text)
    if language:
        return format_html('<span lang="{}">{}</span>', language, text)
    return text


def changelist_link(app_model, query, label):
    """A link to an admin changelist filtered by the query string."""
    url = reverse(f"admin:{app_model}_changelist")
    return format_html('<a href="{}?{}">{}</a>', url, query, label)


def outbound_link(url):
    return format_html('<a href="{}" rel="noopener noreferrer" target="_blank">{}</a>', url, url)


# Forms and formsets that keep queries constant --------------------------------


class PreloadedAutocompleteSelect(AutocompleteSelect):
    """An autocomplete box that labels its selected value from a preloaded map when it can.

    Django's widget runs one query per rendered form to label the selection;
    inline formsets preload the labels for all their rows at once.
    """

    preloaded = None

    def optgroups(self, name, value, attr=None):
        selected = [str(item) for item in value if item not in (None, "")]
        if self.preloaded is None or any(item not in self.preloaded for item in selected):
            return super().optgroups(name, value, attr)
        options = [] if self.is_required else [self.create_option(name, "", "", False, 0)]
        for item in selected:
            options.append(self.create_option(name, item, self.preloaded[item], True, len(options)))
        return [(None, options, 0)]


class PreloadedInlineFormSet(BaseInlineFormSet):
    """Fills the select boxes of every row from one query rather than one per row.

    ``preloaded_choices`` names foreign keys rendered as select boxes;
    ``preloaded_autocomplete`` names foreign keys rendered with
    PreloadedAutocompleteSelect, labelled from the rows' own related objects
    (select_related them in the inline's get_queryset()).
    """

    preloaded_choices = ()
    preloaded_autocomplete = ()

    def __init__(self, *args, **kwargs):
        self._choices = {}
        self._labels = None
        super().__init__(*args, **kwargs)

    def autocomplete_labels(self):
        if self._labels is None:
            self._labels = {name: {} for name in self.preloaded_autocomplete}
            for row in self.get_queryset():
                for name in self.preloaded_autocomplete:
                    related = getattr(row, name)
                    if related is not None:
                        self._labels[name][str(related.pk)] = str(related)
        return self._labels

    def add_fields(self, form, index):
        super().add_fields(form, index)
        for name in self.preloaded_choices:
            field = form.fields[name]
            if name not in self._choices:
                self._choices[name] = list(field.choices)
            field.choices = self._choices[name]
            getattr(field.widget, "widget", field.widget).choices = self._choices[name]
        for name in self.preloaded_autocomplete:
            widget = getattr(form.fields[name].widget, "widget", None)
            if isinstance(widget, PreloadedAutocompleteSelect):
                widget.preloaded = self.autocomplete_labels()[name]


class TermListFilter(admin.RelatedFieldListFilter):
    """A list filter on a controlled vocabulary, each term named by term_label()."""

    def field_choices(self, field, request, model_admin):
        terms = field.related_model._default_manager.complex_filter(field.get_limit_choices_to())
        ordering = self.field_admin_ordering(field, request, model_admin)
        return [(term.pk, term_label(term)) for term in (terms.order_by(*ordering) if ordering else terms)]


class VocabularyLabelsMixin:
    """Select boxes, list filters and list columns of a controlled vocabulary name each term in the editor's
    language: the Arabic label its owner gives (EAMENA's) where there is one, else the English label, as the
    researcher pages do."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if field is not None and issubclass(db_field.related_model, Term):
            field.label_from_instance = term_label
        return field

    def get_list_filter(self, request):
        return [
            (entry, TermListFilter) if self._term_field(entry) else entry for entry in super().get_list_filter(request)
        ]

    def get_list_display(self, request):
        return [
            self._term_column(field) if (field := self._term_field(entry)) else entry
            for entry in super().get_list_display(request)
        ]

    def _term_field(self, entry):
        """The model's field that ``entry`` (a list_filter or list_display item) names, if it is a vocabulary's."""
        if not isinstance(entry, str):
            return None
        try:
            field = self.model._meta.get_field(entry)
        except FieldDoesNotExist:
            return None
        return field if field.many_to_one and issubclass(field.related_model, Term) else None

    def _term_column(self, field):
        @admin.display(description=field.verbose_name, ordering=field.name)
        def column(obj):
            term = getattr(obj, field.name)
            return term_label(term) if term is not None else self.get_empty_value_display()

        column.__name__ = field.name
        return column


def term_label(term):
    # A vocabulary that names its terms its own way (threat categories: "primary › secondary") keeps it.
    return term.text_in("label")[0] if type(term).__str__ is Term.__str__ else str(term)


class PreloadedAutocompleteMixin:
    """Use PreloadedAutocompleteSelect for the foreign keys in autocomplete_fields."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = PreloadedAutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class SiteNameForm(forms.ModelForm):
    class Meta:
        model = SiteName
        fields = ["name", "language", "kind", "note"]
        # dir="auto": the browser sets the direction from the first strong letter,
        # so Arabic names are typed and shown right to left.
        widgets = {"name": forms.TextInput(attrs={"dir": "auto", "size": 40})}


class TermForm(forms.ModelForm):
    class Meta:
        widgets = {"label_ar": forms.TextInput(attrs={"dir": "rtl", "lang": "ar", "class": "vTextField"})}


class ShownOnDemandCheckbox(forms.CheckboxInput):
    """A checkbox hidden (its admin row too) until the form shows it for a question that has arisen."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.shown = False

    @property
    def is_hidden(self):
        return not self.shown


class SiteForm(forms.ModelForm):
    """The site form. A point outside every one of the site's countries (Site.misplaced_point()) is refused
    with the reason until the editor swaps latitude and longitude (offered when that puts it inside) or
    confirms the point; the API refuses it the same way unless the client confirms (heritage.api)."""

    swap_coordinates = forms.BooleanField(
        label=_("Swap latitude and longitude"), required=False, widget=ShownOnDemandCheckbox,
    )
    keep_location = forms.BooleanField(
        label=_("Keep this point"), required=False, widget=ShownOnDemandCheckbox,
        help_text=_("Saves the point as given although it lies outside the site's countries (a reef, a remote island)."),
    )

    class Meta:
        widgets = {"name": forms.TextInput(attrs={"dir": "auto", "class": "vTextField"})}

    def clean(self):
        cleaned = super().clean()
        located = {"latitude", "longitude", "countries"}
        if not located <= set(self.fields) or not located & set(self.changed_data):
            return cleaned
        latitude, longitude, countries = (cleaned.get(name) for name in ("latitude", "longitude", "countries"))
        misplaced = geography.misplaced_point(latitude, longitude, countries)
        if misplaced is None or cleaned.get("keep_location"):
            return cleaned
        if misplaced.swap_fits and cleaned.get("swap_coordinates"):
            cleaned["latitude"], cleaned["longitude"] = longitude, latitude
            return cleaned
        if misplaced.swap_fits:
            advice = _("Tick “Swap latitude and longitude” to correct it or “Keep this point” to save it as it is.")
        else:
            advice = _("Tick “Keep this point” to save it as it is.")
        self.fields["swap_coordinates"].widget.shown = misplaced.swap_fits
        self.fields["keep_location"].widget.shown = True
        self.add_error("latitude", f"{misplaced.message} {advice}")
        return cleaned


# List filters -------------------------------------------------------------------


def country_filter(path="pk"):
    """A list filter on the countries of the sites reached by ``path`` (a Site lookup path)."""

    class CountryFilter(admin.SimpleListFilter):
        title = _("country")
        parameter_name = "country"

        def lookups(self, request, model_admin):
            codes = set()
            for stored in Site.objects.exclude(countries="").order_by().values_list("countries", flat=True).distinct():
                codes.update(code for code in stored.split(",") if code)
            return sorted(((code, country_names.name(code) or code) for code in codes), key=lambda item: item[1])

        def queryset(self, request, queryset):
            if not self.value():
                return queryset
            sites = Site.objects.in_country(self.value())
            if path == "pk":
                return queryset.filter(pk__in=sites)
            # A subquery, so that a row linked to several sites in the country is listed once.
            matching = queryset.model.objects.filter(**{f"{path}__in": sites}).values("pk")
            return queryset.filter(pk__in=matching)

    return CountryFilter


class PartOfFilter(admin.SimpleListFilter):
    title = _("part of")
    parameter_name = "part_of"

    def lookups(self, request, model_admin):
        wholes = Site.objects.filter(parts__isnull=False).distinct().order_by("name", "pk").values_list("pk", "name")
        return [("top", _("Top-level sites")), ("parts", _("Parts of a site"))] + [
            (str(pk), _("Part of %(name)s") % {"name": name}) for pk, name in wholes
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "top":
            return queryset.filter(parent__isnull=True)
        if value == "parts":
            return queryset.filter(parent__isnull=False)
        if value and value.isdigit():
            return queryset.filter(parent_id=value)
        return queryset


class HasCoordinatesFilter(admin.SimpleListFilter):
    title = _("has coordinates")
    parameter_name = "located"

    def lookups(self, request, model_admin):
        return [("yes", _("Yes")), ("no", _("No, location unknown"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.with_coordinates()
        if self.value() == "no":
            return queryset.filter(Q(latitude__isnull=True) | Q(longitude__isnull=True))
        return queryset


# Vocabularies -------------------------------------------------------------------


class TermAdmin(admin.ModelAdmin):
    """Admin for a controlled vocabulary (sites.vocabulary.Term)."""

    list_display = ["label", "arabic_label", "slug", "position", "source"]
    list_editable = ["position"]
    search_fields = ["label", "label_ar", "slug"]
    prepopulated_fields = {"slug": ["label"]}
    form = TermForm

    class Media:
        css = ADMIN_CSS

    @admin.display(description=_("Arabic label"), ordering="label_ar")
    def arabic_label(self, term):
        return display_name(term.label_ar, "ar") if term.label_ar else ""


# The gazetteer ------------------------------------------------------------------


class SiteNameInline(admin.TabularInline):
    model = SiteName
    form = SiteNameForm
    formset = type("SiteNameFormSet", (PreloadedInlineFormSet,), {"preloaded_choices": ("kind",)})
    extra = 1


class IdentifierInline(admin.TabularInline):
    model = Identifier
    fields = ["authority", "value", "link"]
    readonly_fields = ["link"]
    extra = 1

    @admin.display(description=_("link"))
    def link(self, identifier):
        return outbound_link(identifier.url) if identifier.pk else _("Derived from the authority and value once saved.")


class DesignationInline(admin.StackedInline):
    model = Designation
    fields = [("kind", "reference", "criteria"), ("start", "end"), "note"]
    extra = 0


class SiteAdmin(VocabularyLabelsMixin, SimpleHistoryAdmin):
    """The gazetteer's side of a site: names, identifiers, designations, location.

    Not registered here: an app that shows a site together with more than the gazetteer
    knows registers a subclass, so the gazetteer never has to know what that is.
    """

    form = SiteForm
    list_display = ["preferred_name", "kind", "parent", "country_list", "other_names"]
    list_filter = [country_filter(), "kind", HasCoordinatesFilter, PartOfFilter]
    list_select_related = ["kind", "parent"]
    search_fields = ["name", "slug"]
    autocomplete_fields = ["parent"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [SiteNameInline, IdentifierInline, DesignationInline]
    readonly_fields = ["created", "updated"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "kind", "parent", "countries", "summary", "summary_ar", "description", "built"]}),
        (_("Location"), {"fields": [
            ("latitude", "longitude"), "swap_coordinates", "keep_location", "coordinate_uncertainty_m",
            "coordinate_method", "location_certainty",
            "location_source", "location_sensitivity",
        ]}),
    ]
    # What an editor without the sites.view_exact_location permission sees of a generalised or hidden
    # site's location (Site.shows_exact_location_to()): the point as the public sees it, nothing to change.
    protected_location_fields = [
        "location_as_shown", "coordinate_uncertainty_m", "coordinate_method", "location_certainty",
        "location_sensitivity",
    ]

    class Media:
        css = ADMIN_CSS

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("names")

    def _location_protected(self, request, site):
        return site is not None and not site.shows_exact_location_to(request.user)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if not self._location_protected(request, obj):
            return fieldsets
        # The fieldset that holds the exact point (found by its fields: its title is translated).
        return [
            (name, {**options, "fields": self.protected_location_fields})
            if "latitude" in flatten_fieldsets([(name, options)]) else (name, options)
            for name, options in fieldsets
        ]

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if self._location_protected(request, obj):
            readonly += [name for name in self.protected_location_fields if name not in readonly]
        return readonly

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # An old version holds the exact point as it was: as protected as the site is now.
        if self._location_protected(request, self.get_object(request, object_id)):
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        super().set_history_delta_changes(request, historical_records, foreign_keys_are_objs)
        records = list(historical_records)
        if not records or not self._location_protected(request, Site.objects.filter(pk=records[0].id).first()):
            return
        # The history list shows each change's old and new values: not those that say where the site is.
        exact = {str(capfirst(Site._meta.get_field(name).verbose_name)) for name in ("latitude", "longitude", "location_source")}
        for record in records:
            changes = getattr(record, "history_delta_changes", None)
            if changes:
                record.history_delta_changes = [change for change in changes if str(change["field"]) not in exact]

    @admin.display(description=_("location"))
    def location_as_shown(self, site):
        point = site.point_for(None)
        if point is None:
            return _("Hidden: only editors who may see exact locations see it.")
        return _("%(latitude)s, %(longitude)s (generalised to a 0.1° grid cell, ± %(metres)s m)") % {
            "latitude": point.latitude, "longitude": point.longitude, "metres": point.uncertainty_m,
        }

    def get_search_results(self, request, queryset, search_term):
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if not search_term.strip():
            return results, may_have_duplicates
        return results | queryset.named(search_term), may_have_duplicates

    @admin.display(description=_("preferred name"), ordering="name")
    def preferred_name(self, site):
        return display_name(site.name)

    @admin.display(description=_("countries"), ordering="countries")
    def country_list(self, site):
        return ", ".join(country.name for country in site.countries)

    @admin.display(description=_("also known as"))
    def other_names(self, site):
        names = [name for name in site.names.all() if name.name != site.name]
        return format_html_join(", ", "{}", ((display_name(name.name, name.language),) for name in names))


class SiteNameAdmin(SimpleHistoryAdmin):
    form = SiteNameForm
    list_display = ["display", "language", "kind", "site"]
    list_filter = ["language", "kind"]
    list_select_related = ["kind", "site"]
    search_fields = ["name", "folded", "site__name"]
    autocomplete_fields = ["site"]
    fields = ["site", "name", "language", "kind", "note"]

    class Media:
        css = ADMIN_CSS

    @admin.display(description=_("name"), ordering="name")
    def display(self, name):
        return display_name(name.name, name.language)


class IdentifierAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "site", "authority", "link"]
    list_filter = ["authority"]
    list_select_related = ["site"]
    search_fields = ["value", "site__name"]
    autocomplete_fields = ["site"]
    readonly_fields = ["link"]

    @admin.display(description=_("link"))
    def link(self, identifier):
        return outbound_link(identifier.url) if identifier.pk else _("Derived from the authority and value once saved.")


class DesignationAdmin(SimpleHistoryAdmin):
    list_display = ["site", "kind", "period", "reference", "criteria"]
    list_filter = ["kind", country_filter("site")]
    list_select_related = ["site"]
    search_fields = ["site__name", "reference"]
    autocomplete_fields = ["site"]
    ordering = ["site__name", "start_earliest"]

    @admin.display(description=_("period"), ordering="start_earliest")
    def period(self, designation):
        return designation.period
