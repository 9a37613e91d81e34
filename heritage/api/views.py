from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework.decorators import action

from heritage.api.filters import (
    ConditionAssessmentFilter,
    HistoryEventFilter,
    IncidentFilter,
    SourceFilter,
    ThreatCategoryFilter,
)
from heritage.api.serializers import (
    ConditionAssessmentSerializer,
    HistoryEventSerializer,
    IncidentSerializer,
    SourceSerializer,
    ThreatCategorySerializer,
)
from heritage.models import Citation, ConditionAssessment, HistoryEvent, Incident, Source, ThreatCategory
from sites.api.base import CSVRenderer, FirstRendererNegotiation, ReadOnlyRecordViewSet, RecordViewSet
from sites.api.views import CSV_RESPONSE

WRITE_NOTE = (
    "Needs the Django model permission to {verb} {noun}s (token or session). A published record must cite at "
    "least one source. Updates need If-Match with the ETag of the version read."
)


def documented(noun, plural, read_more=""):
    """The summaries and descriptions of a record endpoint's standard operations."""
    return extend_schema_view(
        list=extend_schema(
            summary=f"List {plural}",
            description=f"Published {plural} (editors also see drafts), filtered and sorted. {read_more}".strip(),
        ),
        retrieve=extend_schema(
            summary=f"One {noun}",
            description=f"One {noun} with its links. Send If-None-Match with the ETag to get 304 when unchanged.",
        ),
        create=extend_schema(summary=f"Add a {noun}", description=WRITE_NOTE.format(verb="add", noun=noun)),
        update=extend_schema(summary=f"Replace a {noun}", description=WRITE_NOTE.format(verb="change", noun=noun)),
        partial_update=extend_schema(
            summary=f"Change some fields of a {noun}", description=WRITE_NOTE.format(verb="change", noun=noun)
        ),
        destroy=extend_schema(
            summary=f"Delete a {noun}",
            description=f"Needs the permission to delete {noun}s and If-Match with the current ETag.",
        ),
    )


def visible_citations(user):
    """Citations of a fact, leaving out sources this user may not see."""
    return Prefetch(
        "citations",
        queryset=Citation.objects.filter(source__in=Source.objects.visible_to(user)).select_related("source"),
        to_attr="visible_citations",
    )


def csv_action(summary):
    """An export of the list as streamed CSV, with the list's filters."""
    return lambda method: extend_schema(
        summary=summary,
        description="Every record matching the same filters as the list, one row each, streamed: memory stays flat "
        "however many rows. Several values in one cell are separated by “|”.",
        filters=True,
        responses={(200, "text/csv"): CSV_RESPONSE},
    )(action(detail=False, renderer_classes=[CSVRenderer], content_negotiation_class=FirstRendererNegotiation,
             pagination_class=None)(method))


@documented("source", "sources", "Sources are graded with the Admiralty system (reliability A–F, credibility 1–6).")
class SourceViewSet(RecordViewSet):
    """Documents that report something: news articles, monitoring reports, imagery analyses…"""

    queryset = Source.objects.all()
    serializer_class = SourceSerializer
    lookup_example = "unosat-2015-temple-of-bel"
    filterset_class = SourceFilter

    def get_queryset(self):
        queryset = Source.objects.visible_to(self.request.user)
        if self.action == "csv":
            return queryset.prefetch_related("relies_on")
        return queryset.prefetch_related("relies_on", "quotations")

    @csv_action("Sources as CSV")
    def csv(self, request):
        header = [
            "slug", "kind", "title", "publisher", "authors", "published", "language", "reliability", "credibility",
            "graphic", "document_url", "archived_url", "archived_on", "relies_on", "status", "updated",
        ]
        return self.export_csv("sources.csv", header, lambda source: [
            source.slug, source.kind, source.title, source.publisher, source.authors, source.published,
            source.language, source.reliability, source.credibility, source.graphic, source.url,
            source.archived_url, source.archived_on or "", "|".join(other.slug for other in source.relies_on.all()),
            source.status, source.updated.isoformat(),
        ])


@documented("history event", "history events", "In chronological order by default, BCE first.")
class HistoryEventViewSet(RecordViewSet):
    """Dated events in the history of sites: founding, dedication, conquest, excavation, destruction…"""

    queryset = HistoryEvent.objects.all()
    serializer_class = HistoryEventSerializer
    lookup_example = "temple-of-bel-consecrated"
    filterset_class = HistoryEventFilter

    def get_queryset(self):
        user = self.request.user
        return HistoryEvent.objects.visible_to(user).prefetch_related("sites", visible_citations(user))


@documented("incident", "incidents", "Latest first by default.")
class IncidentViewSet(RecordViewSet):
    """Things that happened to, or threaten, sites, as reported, with the status of each claim."""

    queryset = Incident.objects.all()
    serializer_class = IncidentSerializer
    lookup_example = "temple-of-bel-destroyed-2015"
    filterset_class = IncidentFilter

    def get_queryset(self):
        user = self.request.user
        queryset = Incident.objects.visible_to(user).select_related(
            "category", "certainty", "effect", "damage_extent", "actor"
        )
        if self.action == "csv":
            return queryset.prefetch_related("sites")
        return queryset.prefetch_related("sites", visible_citations(user))

    @csv_action("Incidents as CSV")
    def csv(self, request):
        header = [
            "slug", "title", "date", "date_display", "sites", "category", "claim_status", "certainty", "effect",
            "damage_extent", "actor", "status", "updated",
        ]

        def slug(term):
            return term.slug if term else ""

        return self.export_csv("incidents.csv", header, lambda incident: [
            incident.slug, incident.title, incident.date, incident.date_display,
            "|".join(site.slug for site in incident.sites.all()), incident.category.slug, incident.claim_status,
            slug(incident.certainty), slug(incident.effect), slug(incident.damage_extent), slug(incident.actor),
            incident.status, incident.updated.isoformat(),
        ])


@documented("condition assessment", "condition assessments", "Looked up by id.")
class ConditionAssessmentViewSet(RecordViewSet):
    """Judgements of a site's condition on a date (EAMENA scale), with who made them."""

    queryset = ConditionAssessment.objects.all()
    serializer_class = ConditionAssessmentSerializer
    filterset_class = ConditionAssessmentFilter
    lookup_field = "pk"
    lookup_value_regex = "[0-9]+"

    def get_queryset(self):
        user = self.request.user
        return ConditionAssessment.objects.visible_to(user).select_related(
            "site", "state", "damage_extent", "trend"
        ).prefetch_related(visible_citations(user))


@extend_schema_view(
    list=extend_schema(summary="List threat categories", description="UNESCO's factors affecting properties."),
    retrieve=extend_schema(summary="One threat category", description="A factor with its parent and children."),
)
class ThreatCategoryViewSet(ReadOnlyRecordViewSet):
    """UNESCO's factors affecting World Heritage properties: a vocabulary, edited in the admin only."""

    queryset = ThreatCategory.objects.all()
    serializer_class = ThreatCategorySerializer
    lookup_example = "deliberate-destruction-of-heritage"
    filterset_class = ThreatCategoryFilter

    def get_queryset(self):
        return ThreatCategory.objects.select_related("parent").prefetch_related("children")
