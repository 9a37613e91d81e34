import math

from django.db.models import Case, Func, Prefetch, Q, QuerySet, TextField, Value, When
from django.db.models.functions import Cast, Concat, Floor, NullIf, Replace
from django.http import StreamingHttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.reverse import reverse

from apikit.base import (
    EXPORT_CHUNK,
    CSVRenderer,
    FirstRendererNegotiation,
    GeoJSONRenderer,
    JSONLDRenderer,
    ReadOnlyRecordViewSet,
    RecordViewSet,
    batches,
    copies_csv,
    json_items,
    stream_csv,
    stream_csv_copy,
)
from config.response_cache import tag_response
from heritage.api.filters import (
    ConditionAssessmentFilter,
    HistoryEventFilter,
    IncidentFilter,
    SiteFilter,
    SourceFilter,
    ThreatCategoryFilter,
)
from heritage.api.serializers import (
    ConditionAssessmentSerializer,
    HistoryEventSerializer,
    IncidentDetailSerializer,
    IncidentSerializer,
    SiteDetailSerializer,
    SiteSerializer,
    SourceSerializer,
    ThreatCategorySerializer,
)
from heritage.api.stored import serves_stored, stored_page, stored_response
from heritage.models import (
    Citation,
    ConditionAssessment,
    HistoryEvent,
    Incident,
    RiskProfile,
    Source,
    StoredSiteDetail,
    ThreatCategory,
    profiled_site_pks,
)
from sites.linked_data import site_json_ld
from sites.models import Site, SiteName


class HeritageRecordViewSet(RecordViewSet):
    """The record's writable endpoints: every write ends in the record's one write path."""

    def record_before_write(self, instance):
        return profiled_site_pks(instance)

    def record_written(self, instance, before):
        RiskProfile.objects.record_changed((before or set()) | profiled_site_pks(instance))


# Sites ----------------------------------------------------------------------


EARTH_HALF_CIRCUMFERENCE_KM = 20038

NEAR_PARAMETERS = [
    OpenApiParameter(
        "near", str, description="Only sites within `radius_km` of this point, as latitude,longitude in WGS 84 "
        "decimal degrees; results are sorted nearest first and carry `distance_km`.",
        examples=[OpenApiExample("Palmyra", value="34.5542,38.2667")],
    ),
    OpenApiParameter(
        "radius_km", float, description=f"Radius of the `near` search in km (default 50, at most "
        f"{EARTH_HALF_CIRCUMFERENCE_KM}).", examples=[OpenApiExample("Around the oasis", value=25)],
    ),
]

FEATURE_COLLECTION = {
    "type": "object",
    "required": ["type", "features"],
    "properties": {
        "type": {"type": "string", "enum": ["FeatureCollection"]},
        "features": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["type", "id", "geometry", "properties"],
                "properties": {
                    "type": {"type": "string", "enum": ["Feature"]},
                    "id": {"type": "string", "description": "The site's slug."},
                    "geometry": {
                        "type": "object", "nullable": True,
                        "description": "A Point, [longitude, latitude] (RFC 7946); null when the location is unknown.",
                        "properties": {
                            "type": {"type": "string", "enum": ["Point"]},
                            "coordinates": {"type": "array", "items": {"type": "number"}, "minItems": 2, "maxItems": 2},
                        },
                    },
                    "properties": {"type": "object", "additionalProperties": True},
                },
            },
        },
    },
    "example": {
        "type": "FeatureCollection",
        "features": [{
            "type": "Feature", "id": "palmyra",
            "geometry": {"type": "Point", "coordinates": [38.26667, 34.55417]},
            "properties": {"slug": "palmyra", "name": "Site of Palmyra", "kind": "archaeological-site",
                           "parent": None, "countries": ["SY"], "condition": None, "risk_level": "high",
                           "in_danger": True, "distance_km": None, "coordinate_uncertainty_m": None,
                           "location_generalised": False,
                           "url": "http://127.0.0.1:8000/api/v1/sites/palmyra/"},
        }],
    },
}

# What the whole-table exports read of each site, in one query (a chunk of rows at a time), points included
# as Site.objects.with_points_for() gives them: never the recorded latitude and longitude.
SITE_GEOJSON_FIELDS = (
    "slug", "name", "kind__slug", "parent__slug", "countries",
    "point_latitude", "point_longitude", "point_uncertainty_m", "point_generalised",
    "risk_profile__condition__slug", "risk_profile__risk_level", "risk_profile__in_danger",
)
SITE_CSV_FIELDS = (*SITE_GEOJSON_FIELDS, "location_certainty__slug", "built", "summary", "updated")


# The site CSV, defined once: per column, its header, the value of SITE_CSV_FIELDS it shows and how it is
# written. Two writers read it and give the same bytes (heritage/tests/test_site_exports.py): PostgreSQL's COPY,
# the cells as SQL (site_csv_cells()), and csv.writer elsewhere and near a point (site_csv_row()); lines end in
# LF in both, as COPY ends them.
SITE_CSV_COLUMNS = [
    ("slug", "slug", "text"), ("name", "name", "text"), ("kind", "kind__slug", "text"),
    ("parent", "parent__slug", "text"), ("countries", "countries", "countries"),
    ("latitude", "point_latitude", "float"), ("longitude", "point_longitude", "float"),
    ("coordinate_uncertainty_m", "point_uncertainty_m", "text"),
    ("location_generalised", "point_generalised", "bool if located"),
    ("location_certainty", "location_certainty__slug", "text"), ("condition", "risk_profile__condition__slug", "text"),
    ("risk_level", "risk_profile__risk_level", "text"), ("in_danger", "risk_profile__in_danger", "bool"),
    ("built", "built", "text"), ("summary", "summary", "text"), ("updated", "updated", "timestamp"),
    ("url", "slug", "url"),
]
SITE_CSV_HEADER = [header for header, _, _ in SITE_CSV_COLUMNS]
SITE_CSV_LINE_END = "\n"

# How each kind of column is written, as SQL over with_points_for() sites (COPY) and as the value csv.writer is
# given (which writes None as an empty cell, False and 0 as such, floats as repr() does).


def _text_cell(expression):
    # csv.writer writes None and "" alike, as nothing; COPY writes "" as a quoted "".
    return NullIf(Cast(expression, TextField()), Value(""), output_field=TextField())


def _float_cell(name):
    # PostgreSQL writes floats as Python's repr() does (the shortest digits that read back the same, with
    # extra_float_digits at its default), but integral ones without the ".0".
    text = Cast(name, TextField())
    return Case(When(Q(**{name: Floor(name)}), then=Concat(text, Value(".0"))), default=text, output_field=TextField())


def _bool_cell(name, when=None):
    when = when or Q()
    return Case(When(when & Q(**{name: True}), then=Value("True")), When(when & Q(**{name: False}), then=Value("False")),
                output_field=TextField())


class _UTCIsoFormat(Func):
    """datetime.isoformat() of a timestamp with time zone, as Django reads it (in UTC): microseconds only
    when there are some."""

    output_field = TextField()
    template = (
        "regexp_replace(to_char(%(expressions)s AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US'), '\\.000000$', '')"
        " || '+00:00'"
    )


_SQL_CELLS = {
    "text": lambda field, list_url: _text_cell(field),
    "countries": lambda field, list_url: _text_cell(Replace(field, Value(","), Value("|"))),
    "float": lambda field, list_url: _float_cell(field),
    "bool": lambda field, list_url: _bool_cell(field),
    "bool if located": lambda field, list_url: _bool_cell(field, when=Q(point_latitude__isnull=False)),
    "timestamp": lambda field, list_url: _UTCIsoFormat(field),
    "url": lambda field, list_url: Concat(Value(list_url), field, Value("/"), output_field=TextField()),
}
_PYTHON_CELLS = {
    "text": lambda value, site, list_url: value,
    "countries": lambda value, site, list_url: value.replace(",", "|"),
    "float": lambda value, site, list_url: value,
    "bool": lambda value, site, list_url: value,
    "bool if located": lambda value, site, list_url: value if site["point_latitude"] is not None else None,
    "timestamp": lambda value, site, list_url: value.isoformat(),
    "url": lambda value, site, list_url: f"{list_url}{value}/",
}


def site_csv_cells(list_url):
    """The cells of a site's CSV row (SITE_CSV_COLUMNS), as expressions over with_points_for() sites."""
    return [_SQL_CELLS[kind](field, list_url) for _, field, kind in SITE_CSV_COLUMNS]


def site_csv_row(site, list_url):
    """The cells of a site's CSV row (SITE_CSV_COLUMNS), as csv.writer is given them, from its SITE_CSV_FIELDS."""
    return [_PYTHON_CELLS[kind](site[field], site, list_url) for _, field, kind in SITE_CSV_COLUMNS]


CSV_RESPONSE = OpenApiResponse(
    OpenApiTypes.STR,
    description="Comma-separated values with a header row, streamed (UTF-8).",
    examples=[OpenApiExample("Two rows", value=",".join(SITE_CSV_HEADER) + "\npalmyra,Site of Palmyra,…\n")],
)


def _near_point(params):
    """(latitude, longitude, radius_km) from ?near=&radius_km=, or None; 400 with messages when invalid."""
    near, radius = params.get("near"), params.get("radius_km")
    if near is None:
        if radius is not None:
            raise exceptions.ValidationError({"radius_km": ["radius_km needs near=latitude,longitude."]})
        return None
    errors = {}
    try:
        latitude, longitude = (float(part) for part in near.split(","))
    except ValueError:
        errors["near"] = ["Give near as latitude,longitude in decimal degrees, e.g. near=34.5542,38.2667."]
    else:
        if not (math.isfinite(latitude) and -90 <= latitude <= 90):
            errors["near"] = ["The latitude must be between -90 and 90."]
        elif not (math.isfinite(longitude) and -180 <= longitude <= 180):
            errors["near"] = ["The longitude must be between -180 and 180."]
    try:
        radius_km = float(radius) if radius is not None else 50.0
    except ValueError:
        radius_km = math.nan
    if not (math.isfinite(radius_km) and 0 < radius_km <= EARTH_HALF_CIRCUMFERENCE_KM):
        errors["radius_km"] = [f"Give a radius in km greater than 0 and at most {EARTH_HALF_CIRCUMFERENCE_KM}."]
    if "ordering" in params:
        errors["ordering"] = ["Results near a point are sorted by distance; leave out ordering."]
    if errors:
        raise exceptions.ValidationError(errors)
    return latitude, longitude, radius_km


@extend_schema_view(
    list=extend_schema(
        summary="List sites",
        description="Sites of the gazetteer with their current condition and risk, filtered and sorted. "
        "With `near`, only sites within `radius_km` of a point, nearest first, each with `distance_km`.",
        parameters=NEAR_PARAMETERS,
    ),
    retrieve=extend_schema(
        summary="A site",
        description="A site with its names (language and writing direction), identifiers with links to the "
        "authorities, designations, current condition, risk level with reasons, parts, and links to its history "
        "events and incidents. Send `If-None-Match` with the ETag to get 304 when nothing changed.",
    ),
    create=extend_schema(summary="Add a site", description="Needs the add-site permission."),
    update=extend_schema(
        summary="Replace a site", description="Needs the change-site permission and If-Match with the current ETag."
    ),
    partial_update=extend_schema(
        summary="Change some fields of a site",
        description="Needs the change-site permission and If-Match with the current ETag.",
    ),
    destroy=extend_schema(
        summary="Delete a site",
        description="Needs the delete-site permission and If-Match. A site that has parts, or that records refer "
        "to, cannot be deleted (409).",
    ),
)
class SiteViewSet(HeritageRecordViewSet):
    """Heritage places: whole sites such as Palmyra and their parts such as the Temple of Bel."""

    queryset = Site.objects.all()
    serializer_class = SiteSerializer
    detail_serializer_class = SiteDetailSerializer
    lookup_example = "palmyra"
    filterset_class = SiteFilter

    def get_queryset(self):
        queryset = Site.objects.select_related("kind", "parent", "risk_profile__condition")
        if self.action in ("list", "geojson", "csv"):
            return queryset.select_related("location_certainty") if self.action == "csv" else queryset
        if self.action == "jsonld":
            return queryset.prefetch_related("names", "identifiers")
        return queryset.select_related("location_certainty").prefetch_related(
            Prefetch("names", queryset=SiteName.objects.select_related("kind")),
            "identifiers",
            "designations",
            "parts",
        )

    def with_record(self, instance):
        """Gives the site its events and incidents as this view's user may see them; returns the pks of the
        sites its detail names."""
        # A site's events and incidents are its record, its parts' included at any depth, as its page
        # shows them: of_site() cannot be a prefetch of the site's own links, so they are read here,
        # where every detail response and its ETag are made (read, create, update, If-Match checks, and
        # the details the write path stores: heritage/api/stored.py).
        user = self.request.user
        events = HistoryEvent.objects.visible_to(user).chronological()
        instance.visible_events = list(events.of_site(instance).with_ties_by_pk())
        instance.visible_incidents = list(Incident.objects.visible_to(user).of_site(instance).with_ties_by_pk())
        return self.sites_named(instance)

    def with_records(self, sites):
        """with_record() for many sites, in the same queries however many (of_sites())."""
        user = self.request.user
        pks = [site.pk for site in sites]
        events = HistoryEvent.objects.visible_to(user).chronological().of_sites(pks)
        incidents = Incident.objects.visible_to(user).of_sites(pks)
        for site in sites:
            site.visible_events, site.visible_incidents = events[site.pk], incidents[site.pk]
        return [self.sites_named(site) for site in sites]

    @staticmethod
    def sites_named(site):
        # The sites the detail names: a write to its events or incidents touches its tree, and so one of them.
        return [site.pk, *([site.parent_id] if site.parent_id else []), *(part.pk for part in site.parts.all())]

    def representation(self, instance):
        self.sites_shown = self.with_record(instance)
        return super().representation(instance)

    def list(self, request, *args, **kwargs):
        # An anonymous reader's page is made of the list items the write path stored (heritage/api/stored.py),
        # found by the same filters, order and pages; near= pages carry distances and are built.
        sites = self.filter_queryset(self.get_queryset())
        if serves_stored(request) and isinstance(sites, QuerySet):
            page = self.paginate_queryset(StoredSiteDetail.objects.list_items_of(sites))
            if page is not None:
                # Sites no write has stored yet (written around the write path) are built, in one more query.
                unstored = [row["pk"] for row in page if row["list_item"] is None]
                missing = list(sites.filter(pk__in=unstored)) if unstored else []
                items = self.get_serializer(missing, many=True).data
                built = {site.pk: item for site, item in zip(missing, items, strict=True)}
                return stored_page(request, self.get_paginated_response([]), page, built)
        # As DRF's ListModelMixin.list(), with the sites already filtered.
        page = self.paginate_queryset(sites)
        if page is None:
            return Response(self.get_serializer(sites, many=True).data)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        # An anonymous reader gets the detail the write path stored (heritage/api/stored.py), when there is one.
        stored = StoredSiteDetail.objects.for_reader(kwargs[self.lookup_field]) if serves_stored(request) else None
        if stored is not None:
            return stored_response(request, stored)
        response = super().retrieve(request, *args, **kwargs)
        # Untagged (retired by every write) if the detail was made without representation().
        return tag_response(response, self.sites_shown) if hasattr(self, "sites_shown") else response

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        near = None if self.detail else _near_point(self.request.query_params)
        return queryset if near is None else queryset.within(*near, user=self.request.user)

    @extend_schema(
        summary="Sites as GeoJSON",
        description="All sites matching the same filters as the list, as an RFC 7946 FeatureCollection "
        "(coordinates are [longitude, latitude]), streamed; opens as-is in QGIS and Leaflet. Sites whose "
        "location is unknown have a null geometry.",
        filters=True,
        parameters=NEAR_PARAMETERS,
        responses={(200, "application/geo+json"): FEATURE_COLLECTION},
    )
    @action(detail=False, renderer_classes=[GeoJSONRenderer], content_negotiation_class=FirstRendererNegotiation,
            pagination_class=None)
    def geojson(self, request):
        sites = self.site_rows_to_export(SITE_GEOJSON_FIELDS)  # now, so that bad filters are a 400 before streaming starts
        list_url = reverse("api:site-list", request=request)

        def feature(site):
            located = site["point_latitude"] is not None
            distance = site.get("distance_km")
            return {
                "type": "Feature",
                "id": site["slug"],
                "geometry": {"type": "Point", "coordinates": [site["point_longitude"], site["point_latitude"]]}
                if located else None,
                "properties": {
                    "slug": site["slug"],
                    "name": site["name"],
                    "kind": site["kind__slug"],
                    "parent": site["parent__slug"],
                    "countries": site["countries"].split(",") if site["countries"] else [],
                    "condition": site["risk_profile__condition__slug"],
                    "risk_level": site["risk_profile__risk_level"],
                    "in_danger": site["risk_profile__in_danger"],
                    "distance_km": None if distance is None else round(distance, 3),
                    "coordinate_uncertainty_m": site["point_uncertainty_m"],
                    "location_generalised": site["point_generalised"] and located,
                    "url": f"{list_url}{site['slug']}/",
                },
            }

        def chunks():
            yield b'{"type":"FeatureCollection","features":['
            separator = b""
            for batch in batches(sites):
                yield separator + json_items(feature(site) for site in batch)
                separator = b","
            yield b"]}"

        response = StreamingHttpResponse(chunks(), content_type="application/geo+json")
        response["Content-Disposition"] = 'inline; filename="sites.geojson"'
        return response

    @extend_schema(
        summary="Sites as CSV",
        description="All sites matching the same filters as the list, one row each, streamed: memory stays flat "
        "however many rows. Countries are separated by “|”.",
        filters=True,
        parameters=NEAR_PARAMETERS,
        responses={(200, "text/csv"): CSV_RESPONSE},
    )
    @action(detail=False, renderer_classes=[CSVRenderer], content_negotiation_class=FirstRendererNegotiation,
            pagination_class=None)
    def csv(self, request):
        list_url = reverse("api:site-list", request=request)
        sites = self.filter_queryset(self.get_queryset())  # now, so that bad filters are a 400 before streaming starts
        if isinstance(sites, QuerySet) and copies_csv(sites):
            # PostgreSQL writes the rows itself, from the same sites and points as site_csv_row() below.
            cells = sites.with_points_for(request.user).values_list(*site_csv_cells(list_url))
            return stream_csv_copy("sites.csv", SITE_CSV_HEADER, cells)
        sites = self.site_rows_to_export(SITE_CSV_FIELDS, sites)
        rows = (site_csv_row(site, list_url) for site in sites)
        return stream_csv("sites.csv", SITE_CSV_HEADER, rows, line_end=SITE_CSV_LINE_END)

    def site_rows_to_export(self, fields, sites=None):
        """The sites the list's filters select (or ``sites``, so selected), as dicts of these fields (and
        ``distance_km`` near a point), read a chunk of rows per query without building sites: points as the
        user may see them (with_points_for())."""
        sites = self.filter_queryset(self.get_queryset()) if sites is None else sites
        if isinstance(sites, QuerySet):
            return sites.with_points_for(self.request.user).values(*fields).iterator(chunk_size=EXPORT_CHUNK)
        # A near= search is a NearbySites sequence bounded by its radius, nearest first; its queryset
        # already carries the points as the user may see them.
        distances = {site.pk: site.distance_km for site in sites}
        rows = {row["pk"]: row for row in sites.queryset.filter(pk__in=distances).values("pk", *fields)}
        return ({**rows[pk], "distance_km": distance} for pk, distance in distances.items())

    @extend_schema(
        summary="A site as JSON-LD",
        description="The site as schema.org JSON-LD: a Place (or LandmarksOrHistoricalBuildings) with its "
        "coordinates, alternate names and `sameAs` links to Wikidata, Pleiades, UNESCO and other authorities.",
        responses={(200, "application/ld+json"): OpenApiResponse(
            OpenApiTypes.OBJECT,
            examples=[OpenApiExample("Palmyra", value={
                "@context": "https://schema.org", "@type": "Place",
                "@id": "http://127.0.0.1:8000/api/v1/sites/palmyra/",
                "url": "http://127.0.0.1:8000/api/v1/sites/palmyra/", "name": "Site of Palmyra",
                "geo": {"@type": "GeoCoordinates", "latitude": 34.55417, "longitude": 38.26667},
                "sameAs": ["https://whc.unesco.org/en/list/23/", "https://www.wikidata.org/wiki/Q5747"],
            })],
        )},
    )
    @action(detail=True, renderer_classes=[JSONLDRenderer], content_negotiation_class=FirstRendererNegotiation)
    def jsonld(self, request, slug=None):
        site = self.get_object()
        return Response(site_json_ld(site, request.user, request))


# Records --------------------------------------------------------------------


WRITE_NOTE = (
    "Needs the Django model permission to {verb} {noun}s (token or session). A published record must cite at "
    "least one published source. Updates need If-Match with the ETag of the version read."
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
        queryset=Citation.objects.visible_to(user).select_related("source"),
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
class SourceViewSet(HeritageRecordViewSet):
    """Documents that report something: news articles, monitoring reports, imagery analyses…"""

    queryset = Source.objects.all()
    serializer_class = SourceSerializer
    lookup_example = "unosat-2015-temple-of-bel"
    filterset_class = SourceFilter

    def get_queryset(self):
        user = self.request.user
        queryset = Source.objects.visible_to(user).with_links_visible_to(user, "relies_on")
        if self.action == "csv":
            return queryset
        return queryset.prefetch_related("quotations")

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
class HistoryEventViewSet(HeritageRecordViewSet):
    """Dated events in the history of sites: founding, dedication, conquest, excavation, destruction…"""

    queryset = HistoryEvent.objects.all()
    serializer_class = HistoryEventSerializer
    lookup_example = "temple-of-bel-consecrated"
    filterset_class = HistoryEventFilter

    def get_queryset(self):
        user = self.request.user
        return HistoryEvent.objects.visible_to(user).prefetch_related("sites", visible_citations(user))


@documented("incident", "incidents", "Latest first by default.")
class IncidentViewSet(HeritageRecordViewSet):
    """Things that happened to, or threaten, sites, as reported, with the status of each claim."""

    queryset = Incident.objects.all()
    serializer_class = IncidentSerializer
    detail_serializer_class = IncidentDetailSerializer
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
            "slug", "title", "date", "date_display", "sites", "category", "claim", "certainty", "effect",
            "damage_extent", "actor", "status", "updated",
        ]

        def slug(term):
            return term.slug if term else ""

        return self.export_csv("incidents.csv", header, lambda incident: [
            incident.slug, incident.title, incident.date, incident.date_display,
            "|".join(site.slug for site in incident.sites.all()), incident.category.slug, incident.claim,
            slug(incident.certainty), slug(incident.effect), slug(incident.damage_extent), slug(incident.actor),
            incident.status, incident.updated.isoformat(),
        ])


@documented("condition assessment", "condition assessments", "Looked up by id.")
class ConditionAssessmentViewSet(HeritageRecordViewSet):
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
