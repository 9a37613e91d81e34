"""The API's open-data endpoints: Linked Places (per site and the whole gazetteer), the W3C Reconciliation
API that OpenRefine speaks, and the changes since a moment or a release that mirrors follow. The rules
live in heritage/opendata/; these are thin views."""

import base64
import datetime
import json

import orjson
from csp.decorators import csp_replace
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.clickjacking import xframe_options_exempt
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

from apikit.base import FirstRendererNegotiation, JSONErrorsMixin, JSONLDRenderer
from apikit.pagination import _page_size_from
from apikit.schema import ERROR_DESCRIPTIONS, ErrorSerializer
from heritage.opendata import lpf, reconcile
from heritage.opendata.changes import KINDS, changes_since, moment_named
from sites.linked_data import site_uris
from sites.models import Site

INVALID = OpenApiResponse(ErrorSerializer, description=ERROR_DESCRIPTIONS["400"])
LPF_RESPONSE = OpenApiResponse(
    OpenApiTypes.OBJECT,
    description="A Linked Places Format (v1.2.2) FeatureCollection, JSON-LD with the LPF context.",
)


class OpenDataEndpoint(JSONErrorsMixin, APIView):
    """A plain API view; the schema (apikit.schema) asks every view the viewsets' questions."""

    detail = False
    action = None


class ReadOnlyView(OpenDataEndpoint):
    """Reads open to everyone; these views answer GET only, so no model permission applies."""

    permission_classes = [AllowAny]


class SiteLPFView(ReadOnlyView):
    """One site in the Linked Places Format."""

    renderer_classes = [JSONLDRenderer]
    content_negotiation_class = FirstRendererNegotiation

    @extend_schema(
        operation_id="sites_lpf_one",
        summary="A site in Linked Places Format",
        description="The site as an LPF FeatureCollection of one Feature: names in every language and script, "
        "kind, when it was built (EDTF, with certainty), the site it is part of, links to Pleiades, Wikidata and "
        "GeoNames. Its point is the one you may see: none for a hidden site, a 0.1° cell for a generalised one.",
        responses={(200, "application/ld+json"): LPF_RESPONSE},
    )
    def get(self, request, slug):
        site = get_object_or_404(lpf.sites_for_lpf(request.user), slug=slug)
        return Response(lpf.feature_collection([lpf.site_feature(site, request)]))


class LPFDumpView(ReadOnlyView):
    """Every site in the Linked Places Format, as anonymous readers see them."""

    renderer_classes = [JSONLDRenderer]
    content_negotiation_class = FirstRendererNegotiation

    @extend_schema(
        operation_id="sites_lpf_all",
        summary="The gazetteer in Linked Places Format",
        description="Every site as one LPF FeatureCollection, streamed, sorted by slug, ready for the World "
        "Historical Gazetteer or Pelagios. Points are those anonymous readers see, whoever asks.",
        responses={(200, "application/ld+json"): LPF_RESPONSE},
    )
    def get(self, request):
        features = lpf.anonymous_dump_in_chunks(request)

        def chunks():
            yield b'{"@context":' + orjson.dumps(lpf.LPF_CONTEXT) + b',"type":"FeatureCollection","features":['
            separator = b""
            for chunk in features:
                yield separator + chunk
                separator = b","
            yield b"]}"

        response = StreamingHttpResponse(chunks(), content_type="application/ld+json")
        response["Content-Disposition"] = 'inline; filename="sites.lpf.jsonld"'
        return response


# W3C Reconciliation API -------------------------------------------------------


class ReconcileEndpoint(OpenDataEndpoint):
    """Open to everyone without a session: OpenRefine posts forms without a CSRF token, and nothing is written."""

    authentication_classes = []
    permission_classes = [AllowAny]

    def finalize_response(self, request, response, *args, **kwargs):
        # Protocol 0.2 asks services for CORS: OpenRefine's suggest boxes call them from the browser, on another
        # origin. Safe for any origin: no credentials are read and nothing is written.
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Access-Control-Allow-Origin"] = "*"
        return response


QUERIES_PARAMETER = OpenApiParameter(
    "queries", str, description='A JSON object of queries keyed by id: {"q0": {"query": "Tadmur", '
    '"properties": [{"pid": "country", "v": "SY"}]}}. Without it, the service manifest.',
)


def reject_constant(name):
    raise reconcile.QueryError(f"{name} is not a number JSON allows.")


class ReconcileView(ReconcileEndpoint):
    """The service: its manifest, and answers to batches of queries."""

    parser_classes = [FormParser, MultiPartParser]

    def manifest(self, request):
        # A site's URI with the id as a template: the one rule of site_uris(), whatever host it names.
        view = site_uris(request)("{{id}}")
        service = reverse("api:reconcile", request=request)
        return {
            "versions": ["0.2"],
            "name": "Heritage at Risk sites",
            "identifierSpace": view.split("{{id}}")[0],
            "schemaSpace": "http://schema.org/Place",
            "documentation": reverse("api:docs", request=request),
            "view": {"url": view},
            "preview": {"url": reverse("api:reconcile-preview", request=request) + "?id={{id}}", "width": 400, "height": 160},
            "defaultTypes": [reconcile.SITE_TYPE],
            "suggest": {
                "entity": {"service_url": service.rstrip("/"), "service_path": "/suggest/entity/"},
                "property": {"service_url": service.rstrip("/"), "service_path": "/suggest/property/"},
            },
        }

    def answer(self, request, text):
        if text is None:
            return Response(self.manifest(request))
        try:
            queries = json.loads(text, parse_constant=reject_constant)
            return Response(reconcile.reconcile_batch(queries))
        except json.JSONDecodeError as error:
            raise exceptions.ValidationError({"queries": [f"queries is not valid JSON: {error.msg}."]}) from None
        except RecursionError:
            raise exceptions.ValidationError({"queries": ["queries is nested too deeply to be a batch of queries."]}) from None
        except reconcile.QueryError as error:
            raise exceptions.ValidationError({"queries": [str(error)]}) from None

    @extend_schema(
        summary="Reconciliation: manifest or queries",
        description="The W3C Reconciliation API (protocol 0.2, as OpenRefine speaks it). Without `queries`, the "
        "service manifest; with it, candidates for each query, best first, with a score (0–100) and `match` "
        "when one site is certainly meant. Names in any language or script; properties `country` and `kind`.",
        parameters=[QUERIES_PARAMETER],
        responses={200: OpenApiTypes.OBJECT, 400: INVALID},
    )
    def get(self, request):
        return self.answer(request, request.query_params.get("queries"))

    @extend_schema(
        summary="Reconciliation: queries (form post)",
        description="As GET, with `queries` sent as a form field (what OpenRefine does).",
        request={"application/x-www-form-urlencoded": {"type": "object", "properties": {"queries": {"type": "string"}}}},
        responses={200: OpenApiTypes.OBJECT},
    )
    def post(self, request):
        return self.answer(request, request.data.get("queries"))


class ReconcileSuggestEntityView(ReconcileEndpoint):
    @extend_schema(
        summary="Reconciliation: suggest sites",
        description="Sites whose names start with or contain `prefix`, for auto-completion.",
        parameters=[OpenApiParameter("prefix", str, required=True)],
        responses={200: OpenApiTypes.OBJECT, 400: INVALID},
    )
    def get(self, request):
        if "prefix" not in request.query_params:
            raise exceptions.ValidationError({"prefix": ["Give the start of a name: ?prefix=Palm."]})
        try:
            return Response({"result": reconcile.suggest_entities(request.query_params["prefix"])})
        except reconcile.QueryError as error:
            raise exceptions.ValidationError({"prefix": [str(error)]}) from None


class ReconcileSuggestPropertyView(ReconcileEndpoint):
    @extend_schema(
        summary="Reconciliation: suggest properties",
        description="The properties a query may give (country, kind) whose name starts with `prefix`.",
        parameters=[OpenApiParameter("prefix", str)],
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request):
        return Response({"result": reconcile.suggest_properties(request.query_params.get("prefix", ""))})


# OpenRefine shows previews in an iframe of its own page, wherever it runs: this card, and only it, may be framed.
@xframe_options_exempt
@csp_replace({"frame-ancestors": ["*"]})
def reconcile_preview(request):
    """A small HTML card of a site for OpenRefine's preview: names, kind, where, no coordinates."""
    slug = request.GET.get("id", "")
    if "\x00" in slug:
        raise Http404("No such site.")
    site = get_object_or_404(Site.objects.select_related("kind", "parent").prefetch_related("names"), slug=slug)
    return render(request, "heritage/reconcile_preview.html", {"site": site, "description": reconcile.describe(site)})


# Changes since a moment -------------------------------------------------------


def parse_since(text):
    """The moment ``since`` names (changes.moment_named()); a 400 naming the field when it names none."""
    try:
        return moment_named(text)
    except ValueError as error:
        raise exceptions.ValidationError({"since": [str(error)]}) from None


def encode_cursor(change):
    return base64.urlsafe_b64encode(json.dumps([change.at.isoformat(), change.type, change.id]).encode()).decode()


def decode_cursor(text):
    try:
        at, kind, key = json.loads(base64.urlsafe_b64decode(text.encode()))
        moment = datetime.datetime.fromisoformat(at)
        # Compared with the changes' own (aware datetime, str, str): anything else is not one of ours.
        if timezone.is_naive(moment) or not isinstance(kind, str) or not isinstance(key, str):
            raise TypeError
        return (moment, kind, key)
    except (ValueError, TypeError):
        raise exceptions.ValidationError(
            {"cursor": ["This cursor is not valid: follow the “next” links of a previous response."]}
        ) from None


class ChangesView(ReadOnlyView):
    """Records changed since a moment or a release, deletions included: what a mirror needs to stay in step."""

    page_size = 100
    max_page_size = 500

    @extend_schema(
        summary="Changes since a moment or a release",
        description="Every site, source, history event, incident and condition assessment that changed after "
        "`since` (ISO 8601, or a release version from /releases/), oldest change first, each once with its "
        "latest change: `updated` (fetch `url` again) or `deleted` (deleted, or taken back to draft: drop it). "
        "A change to a site's names, identifiers or designations is a change to the site; to a citation, to "
        "its fact; to a quotation, to its source. Follow `next` until it is null. Drafts never appear.",
        parameters=[
            OpenApiParameter("since", str, required=True, description="ISO 8601 date-time, or a release version."),
            OpenApiParameter("cursor", str, description="From a previous response's `next`."),
            OpenApiParameter("page_size", int, description=f"1 to {max_page_size}, default {page_size}."),
        ],
        responses={200: OpenApiTypes.OBJECT, 400: INVALID},
    )
    def get(self, request):
        params = request.query_params
        since = parse_since(params.get("since", "").strip())
        size = _page_size_from(request, self.page_size, self.max_page_size)
        changes = changes_since(since)
        if "cursor" in params:
            after = decode_cursor(params["cursor"])
            changes = [change for change in changes if (change.at, change.type, change.id) > after]
        page, more = changes[:size], len(changes) > size
        next_url = None
        if more:
            query = params.copy()
            query["cursor"] = encode_cursor(page[-1])
            next_url = request.build_absolute_uri(f"{request.path}?{query.urlencode()}")
        return Response({
            "since": since.isoformat(),
            "next": next_url,
            "results": [
                {
                    "type": change.type,
                    "id": change.id,
                    "change": change.change,
                    "at": change.at.isoformat(),
                    "url": None if change.change == "deleted" else reverse(
                        KIND_VIEWS[change.type], kwargs={KIND_LOOKUPS[change.type]: change.id}, request=request
                    ),
                }
                for change in page
            ],
        })


KIND_VIEWS = {kind.type: kind.view for kind in KINDS}
KIND_LOOKUPS = {kind.type: "pk" if kind.key_field == "id" else "slug" for kind in KINDS}
