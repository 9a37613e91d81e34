"""The JSON API, version 1: one router for every endpoint, plus its OpenAPI schema and documentation."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

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

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="api:schema"), name="redoc"),
    *router.urls,
]
