import json
import math

from django.db.models import Prefetch
from django.http import StreamingHttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.reverse import reverse

from sites.api.base import (
    CSVRenderer,
    FirstRendererNegotiation,
    GeoJSONRenderer,
    JSONLDRenderer,
    RecordViewSet,
)
from sites.api.filters import SiteFilter
from sites.api.serializers import SiteDetailSerializer, SiteSerializer
from sites.linked_data import site_json_ld
from sites.models import Site, SiteName

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
                           "in_danger": True, "distance_km": None,
                           "url": "http://127.0.0.1:8000/api/v1/sites/palmyra/"},
        }],
    },
}

SITE_CSV_HEADER = [
    "slug", "name", "kind", "parent", "countries", "latitude", "longitude", "location_certainty", "condition",
    "risk_level", "in_danger", "built", "summary", "updated",
]

CSV_RESPONSE = OpenApiResponse(
    OpenApiTypes.STR,
    description="Comma-separated values with a header row, streamed (UTF-8).",
    examples=[OpenApiExample("Two rows", value=",".join(SITE_CSV_HEADER) + "\r\npalmyra,Site of Palmyra,…\r\n")],
)


def _status(site):
    return getattr(site, "status", None)  # absent until the record first computes it


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
class SiteViewSet(RecordViewSet):
    """Heritage places: whole sites such as Palmyra and their parts such as the Temple of Bel."""

    queryset = Site.objects.all()
    serializer_class = SiteSerializer
    detail_serializer_class = SiteDetailSerializer
    lookup_example = "palmyra"
    filterset_class = SiteFilter

    def get_queryset(self):
        queryset = Site.objects.select_related("kind", "parent", "status__condition")
        if self.action in ("list", "geojson", "csv"):
            return queryset.select_related("location_certainty") if self.action == "csv" else queryset
        if self.action == "jsonld":
            return queryset.prefetch_related("names", "identifiers")
        user = self.request.user
        events = Site._meta.get_field("events").related_model.objects.visible_to(user).chronological()
        incidents = Site._meta.get_field("incidents").related_model.objects.visible_to(user)
        return queryset.select_related("location_certainty").prefetch_related(
            Prefetch("names", queryset=SiteName.objects.select_related("kind")),
            "identifiers",
            "designations",
            "parts",
            Prefetch("events", queryset=events, to_attr="visible_events"),
            Prefetch("incidents", queryset=incidents, to_attr="visible_incidents"),
        )

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        near = None if self.detail else _near_point(self.request.query_params)
        return queryset if near is None else queryset.within(*near)

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
        sites = self.records_to_export()  # now, so that bad filters are a 400 before streaming starts
        list_url = reverse("api:site-list", request=request)

        def feature(site):
            status = _status(site)
            geometry = None if site.point is None else {"type": "Point", "coordinates": [site.longitude, site.latitude]}
            distance = getattr(site, "distance_km", None)
            return {
                "type": "Feature",
                "id": site.slug,
                "geometry": geometry,
                "properties": {
                    "slug": site.slug,
                    "name": site.name,
                    "kind": site.kind.slug,
                    "parent": site.parent.slug if site.parent_id else None,
                    "countries": [country.code for country in site.countries],
                    "condition": status.condition.slug if status and status.condition_id else None,
                    "risk_level": status.risk_level if status else None,
                    "in_danger": status.in_danger if status else None,
                    "distance_km": None if distance is None else round(distance, 3),
                    "url": f"{list_url}{site.slug}/",
                },
            }

        def chunks():
            yield '{"type": "FeatureCollection", "features": ['
            for number, site in enumerate(sites):
                yield ("," if number else "") + json.dumps(feature(site), ensure_ascii=False)
            yield "]}"

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
        def row(site):
            status = _status(site)
            return [
                site.slug, site.name, site.kind.slug, site.parent.slug if site.parent_id else "",
                "|".join(country.code for country in site.countries), site.latitude, site.longitude,
                site.location_certainty.slug if site.location_certainty_id else "",
                status.condition.slug if status and status.condition_id else "",
                status.risk_level if status else "", status.in_danger if status else "",
                site.built, site.summary, site.updated.isoformat(),
            ]

        return self.export_csv("sites.csv", SITE_CSV_HEADER, row)

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
        return Response(site_json_ld(site, reverse("api:site-detail", kwargs={"slug": site.slug}, request=request)))
