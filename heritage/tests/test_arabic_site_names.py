"""Site names on Arabic pages: every list and link names a site as its own page does, in Arabic where the
gazetteer has an Arabic name (Site.name_ar), else in English marked as English; English pages keep the English.

The test world (conftest.build_palmyra) names Palmyra تدمر and the Temple of Bel معبد بل, as
fixtures/palmyra_sites.json does; the Temple of Baalshamin and Damascus have no Arabic name there."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from sites.models import NameKind, Site
from sites.tests.factories import make_name

PALMYRA_AR = ">تدمر</a>"
BEL_AR = ">معبد بل</a>"
BAALSHAMIN_MARKED = '><span lang="en" dir="ltr">Temple of Baalshamin</span></a>'


def test_the_display_name_is_the_arabic_name_for_arabic_readers_and_the_english_for_others(palmyra):
    arabic = {site.slug: (site.display_name, site.display_name_language)
              for site in Site.objects.with_display_name("ar")}
    english = {site.slug: (site.display_name, site.display_name_language)
               for site in Site.objects.with_display_name("en")}

    assert arabic["palmyra"] == ("تدمر", "ar")
    assert arabic["temple-of-baalshamin"] == ("Temple of Baalshamin", "en")
    assert english["palmyra"] == ("Site of Palmyra", "en")


def test_the_annotation_names_a_site_as_its_page_does_without_reading_its_names(palmyra, django_assert_num_queries):
    with translation.override("ar"):
        with django_assert_num_queries(1):
            sites = {site.slug: site for site in Site.objects.with_display_name()}
            assert sites["palmyra"].text_in("name") == ("تدمر", "ar")
            assert sites["temple-of-bel"].localized_name == "معبد بل"
            assert sites["temple-of-baalshamin"].text_in("name") == ("Temple of Baalshamin", "en")
        assert Site.objects.get(slug="palmyra").text_in("name") == ("تدمر", "ar")


def test_a_preferred_arabic_name_comes_before_a_variant(palmyra):
    NameKind.objects.filter(slug="preferred").update(position=0)  # as fixtures/vocabularies.json orders them
    make_name(palmyra.site, "تدمُر", "ar", kind="preferred")

    assert Site.objects.with_display_name("ar").get(slug="palmyra").display_name == "تدمُر"
    assert Site.objects.prefetch_related("names").get(slug="palmyra").name_ar == "تدمُر"


def test_arabic_in_latin_letters_is_not_an_arabic_name(palmyra):
    make_name(palmyra.baalshamin, "Maabad Baal Shamin", "ar-Latn", kind="transliteration")

    assert Site.objects.with_display_name("ar").get(slug="temple-of-baalshamin").display_name_language == "en"


def test_the_site_list_names_sites_in_arabic_on_arabic_pages(client, palmyra):
    arabic = client.get("/ar/sites/").text
    english = client.get("/sites/").text

    assert PALMYRA_AR in arabic
    assert BAALSHAMIN_MARKED in arabic
    assert ">Site of Palmyra</a>" in english
    assert PALMYRA_AR not in english


def test_the_home_page_names_sites_at_risk_in_arabic(client, palmyra):
    arabic = client.get("/ar/")
    english = client.get("/")

    at_risk = {site.slug: site for site in arabic.context["at_risk"]}
    assert at_risk, "the test world has sites at risk"
    assert {point["name"] for point in arabic.context["map_points"]} >= {"معبد بل"}
    assert {point["name"] for point in english.context["map_points"]} >= {"Temple of Bel"}
    assert BEL_AR in arabic.text
    assert ">Temple of Bel</a>" in english.text


def test_the_map_points_are_named_in_arabic_on_arabic_pages(client, palmyra):
    arabic = {point["url"]: point["name"] for point in client.get("/ar/map/points.json").json()["points"]}
    english = {point["url"]: point["name"] for point in client.get("/map/points.json").json()["points"]}

    assert "تدمر" in arabic.values()
    assert "Temple of Baalshamin" in arabic.values()
    assert "Site of Palmyra" in english.values()
    assert "تدمر" not in english.values()


def test_search_results_name_sites_in_arabic_on_arabic_pages(client, palmyra):
    arabic = client.get("/ar/search/", {"q": "Palmyra"}).text
    english = client.get("/search/", {"q": "Palmyra"}).text

    assert PALMYRA_AR in arabic
    assert ">Site of Palmyra</a>" in english
    assert BAALSHAMIN_MARKED in client.get("/ar/search/", {"q": "Baalshamin"}).text


def test_incident_pages_and_lists_link_their_sites_by_their_arabic_names(client, palmyra):
    bel = f"/incidents/{palmyra.destroyed.slug}/"
    baalshamin = f"/incidents/{palmyra.baalshamin_destroyed.slug}/"

    assert BEL_AR in client.get(f"/ar{bel}").text
    assert ">Temple of Bel</a>" in client.get(bel).text
    assert BAALSHAMIN_MARKED in client.get(f"/ar{baalshamin}").text
    incidents = client.get("/ar/incidents/").text
    assert BEL_AR in incidents
    assert BAALSHAMIN_MARKED in incidents


def test_a_site_page_names_its_parts_and_nearby_sites_in_arabic(client, palmyra):
    palmyra_page = client.get("/ar/sites/palmyra/").text
    bel_page = client.get("/ar/sites/temple-of-bel/")

    assert BEL_AR in palmyra_page
    assert BAALSHAMIN_MARKED in palmyra_page
    assert {other.localized_name for other in bel_page.context["nearby"]} == {"تدمر", "Temple of Baalshamin"}
    assert PALMYRA_AR in bel_page.text
    assert ">Temple of Bel</a>" in client.get("/sites/palmyra/").text


def test_a_source_page_names_the_sites_it_supports_in_arabic(client, palmyra):
    assert BAALSHAMIN_MARKED in client.get(f"/ar/sources/{palmyra.seed.slug}/").text
    assert BEL_AR in client.get(f"/ar/sources/{palmyra.unosat.slug}/").text
    assert ">Temple of Bel</a>" in client.get(f"/sources/{palmyra.unosat.slug}/").text


def test_a_site_feed_is_titled_with_the_arabic_name(client, palmyra):
    assert "تدمر" in client.get("/ar/feeds/sites/palmyra.atom").text
    assert "Site of Palmyra" in client.get("/feeds/sites/palmyra.atom").text


@pytest.mark.parametrize("path", ["/sites/", "/", "/map/points.json", "/incidents/", "/search/?q=Temple",
                                  "/sites/palmyra/", "/feeds/sites/palmyra.atom"])
def test_arabic_names_cost_no_query_per_site(client, palmyra, path):
    # Not a part's page: its relative description names its whole (Site.landmark), whose Arabic name is read
    # from its names, one query more on Arabic pages (as before these annotations).
    counts = {}
    for prefix in ("", "/ar"):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"{prefix}{path}").status_code == 200
        counts[prefix or "en"] = len(queries)

    assert counts["/ar"] == counts["en"]


def test_a_part_in_a_list_says_which_whole_it_is_part_of_by_the_whole_s_arabic_name(client, palmyra):
    arabic = client.get("/ar/sites/").text
    english = client.get("/sites/").text
    found = client.get("/ar/search/", {"q": "Bel"}).text

    assert re.search(r'<span class="part-of">[^<]*تدمر</span>', arabic)
    assert re.search(r"part of Site of Palmyra", english)
    assert re.search(r'<span class="muted">.*, [^<]*تدمر</span>', found)
