"""The JSON API, version 1: one router for every endpoint, plus its OpenAPI schema and documentation."""

from csp.constants import NONCE, SELF
from csp.decorators import csp_update
from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from heritage.api import opendata
from heritage.api.views import (
    ConditionAssessmentViewSet,
    HistoryEventViewSet,
    IncidentViewSet,
    SiteViewSet,
    SourceViewSet,
    ThreatCategoryViewSet,
)

app_name = "api"

router = DefaultRouter(trailing_slash=True)
router.include_format_suffixes = False
router.register("sites", SiteViewSet, basename="site")
router.register("sources", SourceViewSet, basename="source")
router.register("events", HistoryEventViewSet, basename="event")
router.register("incidents", IncidentViewSet, basename="incident")
router.register("assessments", ConditionAssessmentViewSet, basename="assessment")
router.register("categories", ThreatCategoryViewSet, basename="category")

# ReDoc writes its styles at run time, signed with the page's nonce (templates/api/redoc.html gives it), except
# two <style> elements its bundle adds as it loads, before it knows the nonce: perfect-scrollbar's rules and an
# empty one, allowed by their hashes (for the ReDoc of drf-spectacular-sidecar as locked; the browser test
# test_api_docs.py fails if an upgrade changes them). It builds its search index in a worker made from a blob.
# All of this on the ReDoc page only.
REDOC_CSP = {
    "style-src": [
        NONCE,
        "'sha256-QMIg+bpjm3JdElJ388KYke01izlUW0UoNOeKjpMxdgc='",  # perfect-scrollbar's stylesheet
        "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='",  # an empty <style>
    ],
    "worker-src": [SELF, "blob:"],
}

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # Swagger UI's start-up script is served by the split view from its own URL (…/docs/?script), as CSP wants.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema", template_name="api/swagger_ui.html"),
         name="docs"),
    path("redoc/", csp_update(REDOC_CSP)(
        SpectacularRedocView.as_view(url_name="api:schema", template_name="api/redoc.html")), name="redoc"),
    # Before the router's, whose sites/<slug>/ would take "lpf" for a slug.
    path("sites/lpf/", opendata.LPFDumpView.as_view(), name="lpf"),
    path("sites/<slug:slug>/lpf/", opendata.SiteLPFView.as_view(), name="site-lpf"),
    path("reconcile/", opendata.ReconcileView.as_view(), name="reconcile"),
    path("reconcile/suggest/entity/", opendata.ReconcileSuggestEntityView.as_view(), name="reconcile-suggest-entity"),
    path("reconcile/suggest/property/", opendata.ReconcileSuggestPropertyView.as_view(),
         name="reconcile-suggest-property"),
    path("reconcile/preview/", opendata.reconcile_preview, name="reconcile-preview"),
    path("changes/", opendata.ChangesView.as_view(), name="changes"),
    *router.urls,
]
