"""A site's address is made in one place (Site.page_urls()): its page's own link, the map's points on every page,
its permanent URI and the exports built on it (site_uris()) all say it alike, in the reader's language
where the page has one and unprefixed where the address is permanent."""

from django.test import RequestFactory
from django.utils import translation

from sites.linked_data import site_uri, site_uris
from sites.models import Site


def test_a_sites_address_is_its_pages_in_the_active_language(palmyra):
    assert palmyra.site.get_absolute_url() == "/sites/palmyra/"
    assert Site.page_urls()("temple-of-bel") == "/sites/temple-of-bel/"
    with translation.override("ar"):
        assert palmyra.site.get_absolute_url() == "/ar/sites/palmyra/"
        assert Site.page_urls()("temple-of-bel") == "/ar/sites/temple-of-bel/"


def test_the_map_points_of_an_arabic_site_page_link_to_the_arabic_pages(client, palmyra):
    response = client.get("/ar/sites/palmyra/")
    # Named as Arabic pages name them (SiteQuerySet.with_display_name): Baalshamin has no Arabic name here.
    urls = {point["name"]: point["url"] for point in response.context["map_points"]}
    assert urls["تدمر"] == "/ar/sites/palmyra/"
    assert urls["معبد بل"] == "/ar/sites/temple-of-bel/"
    assert urls["Temple of Baalshamin"] == "/ar/sites/temple-of-baalshamin/"
    assert client.get(urls["معبد بل"]).status_code == 200


def test_the_map_points_of_the_arabic_home_page_link_to_the_arabic_pages(client, palmyra):
    points = client.get("/ar/").context["map_points"]
    assert points
    assert all(point["url"].startswith("/ar/sites/") for point in points)
    assert {point["url"] for point in points} >= {"/ar/sites/palmyra/", "/ar/sites/temple-of-bel/"}


def test_the_map_points_of_an_english_page_link_to_unprefixed_pages(client, palmyra):
    urls = [point["url"] for point in client.get("/sites/palmyra/").context["map_points"]]
    assert "/sites/temple-of-bel/" in urls
    assert not any(url.startswith("/ar/") for url in urls)


def test_a_sites_permanent_uri_is_its_unprefixed_address_in_any_language(palmyra, settings):
    request = RequestFactory().get("/ar/sites/palmyra/")
    with translation.override("ar"):
        assert site_uri(palmyra.site, request) == "http://testserver/sites/palmyra/"
        assert site_uris(request)("temple-of-bel") == "http://testserver/sites/temple-of-bel/"
        settings.CANONICAL_URL = "https://heritage.example.org"
        assert site_uri(palmyra.site) == "https://heritage.example.org/sites/palmyra/"
        assert site_uris()("temple-of-bel") == "https://heritage.example.org/sites/temple-of-bel/"
