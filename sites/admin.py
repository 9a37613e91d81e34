"""Editors' admin for the gazetteer: sites with their names, identifiers and designations."""

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect
from django.db.models import Q
from django.forms.models import BaseInlineFormSet
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django_countries import countries as country_names
from simple_history.admin import SimpleHistoryAdmin

from sites.models import Designation, Identifier, Site, SiteName
from sites.text import is_rtl

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


def counted(number, noun, plural=None):
    """ "1 part", "3 parts"."""
    return f"{number} {noun if number == 1 else plural or noun + 's'}"


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


class SiteForm(forms.ModelForm):
    class Meta:
        widgets = {"name": forms.TextInput(attrs={"dir": "auto", "class": "vTextField"})}


# List filters -------------------------------------------------------------------


def country_filter(path="pk"):
    """A list filter on the countries of the sites reached by ``path`` (a Site lookup path)."""

    class CountryFilter(admin.SimpleListFilter):
        title = "country"
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
    title = "part of"
    parameter_name = "part_of"

    def lookups(self, request, model_admin):
        wholes = Site.objects.filter(parts__isnull=False).distinct().order_by("name").values_list("pk", "name")
        return [("top", "Top-level sites"), ("parts", "Parts of a site")] + [
            (str(pk), f"Part of {name}") for pk, name in wholes
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
    title = "has coordinates"
    parameter_name = "located"

    def lookups(self, request, model_admin):
        return [("yes", "Yes"), ("no", "No, location unknown")]

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

    @admin.display(description="Arabic label", ordering="label_ar")
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

    @admin.display(description="link")
    def link(self, identifier):
        return outbound_link(identifier.url) if identifier.pk else "Derived from the authority and value once saved."


class DesignationInline(admin.StackedInline):
    model = Designation
    fields = [("kind", "reference", "criteria"), ("start", "end"), "note"]
    extra = 0


class SiteAdmin(SimpleHistoryAdmin):
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
        (None, {"fields": ["name", "slug", "kind", "parent", "countries", "summary", "description", "built"]}),
        ("Location", {"fields": [("latitude", "longitude"), "location_certainty", "location_source"]}),
    ]

    class Media:
        css = ADMIN_CSS

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("names")

    def get_search_results(self, request, queryset, search_term):
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if not search_term.strip():
            return results, may_have_duplicates
        return results | queryset.named(search_term), may_have_duplicates

    @admin.display(description="preferred name", ordering="name")
    def preferred_name(self, site):
        return display_name(site.name)

    @admin.display(description="countries", ordering="countries")
    def country_list(self, site):
        return ", ".join(country.name for country in site.countries)

    @admin.display(description="also known as")
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

    @admin.display(description="name", ordering="name")
    def display(self, name):
        return display_name(name.name, name.language)


class IdentifierAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "site", "authority", "link"]
    list_filter = ["authority"]
    list_select_related = ["site"]
    search_fields = ["value", "site__name"]
    autocomplete_fields = ["site"]
    readonly_fields = ["link"]

    @admin.display(description="link")
    def link(self, identifier):
        return outbound_link(identifier.url) if identifier.pk else "Derived from the authority and value once saved."


class DesignationAdmin(SimpleHistoryAdmin):
    list_display = ["site", "kind", "period", "reference", "criteria"]
    list_filter = ["kind", country_filter("site")]
    list_select_related = ["site"]
    search_fields = ["site__name", "reference"]
    autocomplete_fields = ["site"]
    ordering = ["site__name", "start_earliest"]
