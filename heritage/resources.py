"""Spreadsheet (CSV/XLSX) export and import of sources and incidents, with django-import-export.

Rows are keyed by slug, and relations are written as slugs (the natural keys
fixtures use), so a sheet exported here imports into another database. Every
row is validated like an admin form (full_clean), and a published incident
must cite at least one published source: errors are shown per row before anything is
saved (the admin's import is a dry run first, then a confirmation).
"""

from django.core.exceptions import ValidationError
from import_export import fields, resources, widgets

from heritage.models import (
    Actor,
    Citation,
    DamageExtent,
    Effect,
    Incident,
    RiskProfile,
    Source,
    ThreatCategory,
    profiled_site_pks,
)
from sites.models import Certainty, Site


def slug_widget(model):
    return widgets.ForeignKeyWidget(model, field="slug")


class BlankCellsMixin:
    """Spreadsheets give None for empty cells; text fields hold "" for "none"."""

    def before_import_row(self, row, **kwargs):
        for key, value in list(row.items()):
            if value is None:
                row[key] = ""
        super().before_import_row(row, **kwargs)


class RecordWriteMixin:
    """An import ends, inside its transaction, in RiskProfile.objects.record_changed() for the sites it touched.

    The sites are read before each row is saved (an incident moved away from a
    site changes that site's summary too) and, for the rows' records, after
    the whole sheet is in. A dry run (the admin's preview) changes nothing.
    """

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        self.touched_sites, self.saved_pks = set(), []

    def before_save_instance(self, instance, row, **kwargs):
        super().before_save_instance(instance, row, **kwargs)
        self.touched_sites |= profiled_site_pks(instance)

    def after_save_instance(self, instance, row, **kwargs):
        super().after_save_instance(instance, row, **kwargs)
        self.saved_pks.append(instance.pk)

    def after_import(self, dataset, result, **kwargs):
        super().after_import(dataset, result, **kwargs)
        if kwargs.get("dry_run") or result.has_errors() or result.has_validation_errors():
            return
        # Read once the whole sheet is in: a row's many-to-many links are saved after the row itself.
        saved = self._meta.model.objects.filter(pk__in=self.saved_pks)
        RiskProfile.objects.record_changed(self.touched_sites | profiled_site_pks(saved))


class SourceResource(BlankCellsMixin, RecordWriteMixin, resources.ModelResource):
    relies_on = fields.Field(
        attribute="relies_on", column_name="relies_on",
        widget=widgets.ManyToManyWidget(Source, field="slug", separator=","),
    )

    class Meta:
        model = Source
        import_id_fields = ["slug"]
        fields = [
            "slug", "kind", "title", "publisher", "authors", "url", "archived_url", "archived_on", "published",
            "language", "summary", "reliability", "credibility", "graphic", "status", "relies_on",
        ]
        export_order = fields
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True

    def after_import(self, dataset, result, **kwargs):
        # A row may rely on a source further down the sheet: link those once every row is in.
        if not kwargs.get("dry_run") and not result.has_errors() and not result.has_validation_errors():
            for row in dataset.dict:
                slugs = [slug.strip() for slug in (row.get("relies_on") or "").split(",") if slug.strip()]
                if slugs:
                    Source.objects.get(slug=row["slug"]).relies_on.set(Source.objects.filter(slug__in=slugs))
        super().after_import(dataset, result, **kwargs)


class IncidentResource(BlankCellsMixin, RecordWriteMixin, resources.ModelResource):
    sites = fields.Field(
        attribute="sites", column_name="sites", widget=widgets.ManyToManyWidget(Site, field="slug", separator=",")
    )
    category = fields.Field(attribute="category", column_name="category", widget=slug_widget(ThreatCategory))
    certainty = fields.Field(attribute="certainty", column_name="certainty", widget=slug_widget(Certainty))
    effect = fields.Field(attribute="effect", column_name="effect", widget=slug_widget(Effect))
    damage_extent = fields.Field(
        attribute="damage_extent", column_name="damage_extent", widget=slug_widget(DamageExtent)
    )
    actor = fields.Field(attribute="actor", column_name="actor", widget=slug_widget(Actor))
    sources = fields.Field(column_name="sources", readonly=False)

    class Meta:
        model = Incident
        import_id_fields = ["slug"]
        fields = [
            "slug", "title", "date", "sites", "category", "claim", "certainty", "effect", "damage_extent",
            "actor", "description", "status", "sources",
        ]
        export_order = fields
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True

    def dehydrate_sources(self, incident):
        return ",".join(sorted({citation.source.slug for citation in incident.citations.all()}))

    def get_queryset(self):
        return super().get_queryset().select_related(
            "category", "certainty", "effect", "damage_extent", "actor"
        ).prefetch_related("sites", "citations__source")

    def import_field(self, field, instance, row, is_m2m=False, **kwargs):
        if field.column_name == "sources":
            return  # not an attribute: citations are written after the incident is saved
        super().import_field(field, instance, row, is_m2m=is_m2m, **kwargs)

    def before_import_row(self, row, **kwargs):
        super().before_import_row(row, **kwargs)
        slugs = [slug.strip() for slug in (row.get("sources") or "").split(",") if slug.strip()]
        sources = list(Source.objects.filter(slug__in=slugs))
        missing = [slug for slug in slugs if slug not in {source.slug for source in sources}]
        if missing:
            raise ValidationError({"sources": f"No source with the slug {', '.join(missing)}."})
        # Raised here, before the row is saved: its citations can only be written after the incident.
        # It will cite the row's sources and those it cites already (an import adds citations, never removes).
        stored = Incident.objects.filter(slug=row.get("slug")).first()
        try:
            Incident(status=row.get("status")).check_publishable(
                sources={*sources, *(stored.cited_sources() if stored else [])}
            )
        except ValidationError as error:
            raise ValidationError({"sources": error.messages}) from error
        row["_source_slugs"] = slugs

    def after_save_instance(self, instance, row, **kwargs):
        super().after_save_instance(instance, row, **kwargs)
        cited = set(instance.citations.values_list("source__slug", flat=True))
        for source in Source.objects.filter(slug__in=row.get("_source_slugs", [])):
            if source.slug not in cited:
                Citation.objects.create(source=source, incident=instance)
