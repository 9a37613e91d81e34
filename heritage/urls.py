"""Addresses of the researcher pages. Two namespaces: ``sites`` (list, detail, map) and ``heritage`` (the rest)."""

from django.urls import path, register_converter

from heritage import feeds, views


class FeedFormatConverter:
    regex = "atom|rss"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(FeedFormatConverter, "feedformat")

site_patterns = [
    path("sites/", views.site_list, name="list"),
    path("sites/<slug:slug>/", views.site_detail, name="detail"),
    path("map/", views.site_map, name="map"),
    path("map/points.json", views.site_map_points, name="map-points"),
]

app_name = "heritage"
urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
    path("sources/<slug:slug>/", views.source_detail, name="source"),
    path("incidents/", views.incident_list, name="incidents"),
    path("incidents/<slug:slug>/", views.incident_detail, name="incident"),
    path("categories/", views.category_list, name="categories"),
    path("categories/<slug:slug>/", views.category_detail, name="category"),
    path("releases/", views.release_list, name="releases"),
    path("feeds/incidents.<feedformat:format>", feeds.feed, name="feed"),
    path("feeds/sites/<slug:key>.<feedformat:format>", feeds.feed, {"kind": "site"}, name="site-feed"),
    path("feeds/countries/<str:key>.<feedformat:format>", feeds.feed, {"kind": "country"}, name="country-feed"),
    path("feeds/categories/<slug:key>.<feedformat:format>", feeds.feed, {"kind": "category"}, name="category-feed"),
    path("charts/sites/<slug:slug>.svg", views.site_chart, name="site-chart"),
    path("charts/countries/<str:code>.svg", views.country_chart, name="country-chart"),
    path("charts/categories/<slug:slug>.svg", views.category_chart, name="category-chart"),
]
