"""Site names on Arabic pages: every list and link names a site as its own page does, in Arabic where the
gazetteer has an Arabic name (Site.name_ar), else in English marked as English; English pages keep the English.

The test world (conftest.build_palmyra) names Palmyra تدمر and the Temple of Bel معبد بل, as
fixtures/palmyra_sites.json does; the Temple of Baalshamin and Damascus have no Arabic name there."""

import re

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from sites.models import NameKind, Site, SiteName
from sites.tests.factories import PALMYRA, make_name, make_site

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


def test_search_results_of_one_rank_come_in_the_order_of_the_names_shown(client, palmyra):
    temple, _lion = make_lion_of_al_lat(palmyra)
    make_name(temple, "Temple of Al-Lat", "en", kind="preferred")

    def found(prefix):
        with override_settings(RESPONSE_CACHE_SECONDS=0):
            return [slugs(results) for key, _label, results in client.get(f"{prefix}/search/", {"q": "Temple"})
                    .context["groups"] if key == "sites"][0]

    # Every name starts with "Temple": Baalshamin, which has no Arabic name, first in Arabic, then اللات before بل.
    assert found("/ar") == ["temple-of-baalshamin", "temple-of-al-lat", "temple-of-bel"]
    assert found("") == ["temple-of-al-lat", "temple-of-baalshamin", "temple-of-bel"]


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
    # "kind, part of its whole", with the comma of the page's language.
    assert re.search(r'<span class="muted">.*، جزء من [^<]*تدمر</span>', found) and ", جزء من" not in found
    assert ", part of Site of Palmyra</span>" in client.get("/search/", {"q": "Bel"}).text


# A part's page names the wholes it lies in as their own pages do ---------------------------------------------


def breadcrumb(page):
    return re.search(r'<nav class="breadcrumb.*?</nav>', page, re.S).group()


def designations(page):
    return re.search(r'<section aria-labelledby="designations-heading">.*?</section>', page, re.S).group()


def make_lion_of_al_lat(palmyra):
    """The Lion of al-Lat in the Temple of al-Lat in Palmyra, named in Arabic as fixtures/palmyra_sites.json names them."""
    temple = make_site("Temple of Al-Lat", slug="temple-of-al-lat", kind="temple", parent=palmyra.site)
    make_name(temple, "معبد اللات", "ar", kind="preferred")
    lion = make_site("Lion of Al-Lat", slug="lion-of-al-lat", kind="statue", parent=temple)
    make_name(lion, "أسد اللات", "ar", kind="preferred")
    return temple, lion


def test_a_parts_arabic_page_names_its_whole_in_arabic_in_the_breadcrumb_and_in_part_of(client, palmyra):
    arabic = client.get("/ar/sites/temple-of-bel/").text
    english = client.get("/sites/temple-of-bel/").text

    assert PALMYRA_AR in breadcrumb(arabic)
    assert "تدمر" in designations(arabic)  # "See تدمر, of which this is a part."
    assert "Site of Palmyra" not in breadcrumb(arabic) + designations(arabic)
    assert ">Site of Palmyra</a>" in breadcrumb(english)
    assert "See Site of Palmyra, of which this is a part." in designations(english)


def test_the_breadcrumb_names_every_whole_in_arabic_from_the_whole_site_down(client, palmyra):
    make_lion_of_al_lat(palmyra)

    crumbs = re.findall(r"<li>(.*?)</li>", breadcrumb(client.get("/ar/sites/lion-of-al-lat/").text))

    assert [re.sub(r"<[^>]+>", "", crumb) for crumb in crumbs] == ["المواقع", "تدمر", "معبد اللات", "أسد اللات"]


def test_a_whole_with_no_arabic_name_is_marked_as_english_on_its_parts_arabic_page(client, palmyra):
    part = make_site(parent=palmyra.baalshamin)  # the test world gives the Temple of Baalshamin no Arabic name
    page = client.get(f"/ar/sites/{part.slug}/").text

    assert BAALSHAMIN_MARKED in breadcrumb(page)
    assert PALMYRA_AR in breadcrumb(page)


def test_a_breadcrumb_takes_one_query_however_deep_the_part_lies(palmyra, django_assert_num_queries):
    _, lion = make_lion_of_al_lat(palmyra)

    with translation.override("ar"), django_assert_num_queries(1):
        wholes = lion.ancestors()
        assert [whole.text_in("name") for whole in wholes] == [("معبد اللات", "ar"), ("تدمر", "ar")]
    with django_assert_num_queries(0):
        assert palmyra.site.ancestors() == []


def test_condition_assessments_name_their_sites_in_arabic(client, palmyra):
    source_page = client.get(f"/ar/sources/{palmyra.unosat.slug}/").text
    palmyra_page = client.get("/ar/sites/palmyra/").text

    assert f"{BEL_AR}: " in source_page  # "معبد بل: Destroyed, 31 August 2015"
    assessment = re.search(r'timeline-assessment".*?</li>', palmyra_page, re.S).group()
    assert 'class="part-place">' in assessment and BEL_AR in assessment
    assert ">Temple of Bel</a>: " in client.get(f"/sources/{palmyra.unosat.slug}/").text


# Arabic lists in the order of what the Arabic reader sees ----------------------------------------------------


def slugs(sites):
    return [site.slug for site in sites]


def test_the_arabic_site_list_is_in_arabic_alphabetical_order_where_names_exist(client, palmyra):
    arabic = slugs(client.get("/ar/sites/").context["page"].object_list)
    english = slugs(client.get("/sites/").context["page"].object_list)

    # English-only names, in Latin letters, come before the Arabic ones; تدمر (ت) before معبد بل (م).
    assert arabic == ["ancient-city-of-damascus", "temple-of-baalshamin", "palmyra", "temple-of-bel"]
    assert english == slugs(Site.objects.order_by("name", "pk"))


def test_a_site_list_by_risk_breaks_ties_by_the_names_shown(client, palmyra):
    arabic = slugs(client.get("/ar/sites/", {"sort": "risk"}).context["page"].object_list)
    english = slugs(client.get("/sites/", {"sort": "risk"}).context["page"].object_list)

    # Palmyra and its two temples are at the same risk, above Damascus.
    assert arabic == ["temple-of-baalshamin", "palmyra", "temple-of-bel", "ancient-city-of-damascus"]
    assert english == ["palmyra", "temple-of-baalshamin", "temple-of-bel", "ancient-city-of-damascus"]


def test_a_sites_parts_are_listed_in_the_order_of_their_arabic_names(client, palmyra):
    make_lion_of_al_lat(palmyra)

    arabic = slugs(client.get("/ar/sites/palmyra/").context["parts"])
    english = slugs(client.get("/sites/palmyra/").context["parts"])

    # معبد اللات before معبد بل (ا before ب); the Temple of Baalshamin, in English, first.
    assert arabic == ["temple-of-baalshamin", "temple-of-al-lat", "temple-of-bel"]
    assert english == slugs(palmyra.site.parts.order_by("name", "pk"))


def test_equally_near_sites_come_in_the_order_of_the_names_shown(client, palmyra):
    make_site("Tell Twin", slug="tell-twin", **PALMYRA)  # made up, at Palmyra's very point: as near to the Temple of Bel

    arabic = slugs(client.get("/ar/sites/temple-of-bel/").context["nearby"])
    english = slugs(client.get("/sites/temple-of-bel/").context["nearby"])

    assert arabic.index("tell-twin") + 1 == arabic.index("palmyra")  # Tell Twin, then تدمر
    assert english.index("palmyra") + 1 == english.index("tell-twin")  # Site of Palmyra, then Tell Twin


def test_the_arabic_order_is_the_order_of_the_display_name(palmyra):
    with translation.override("ar"):
        shown = [site.display_name for site in Site.objects.alphabetical()]
    with translation.override("en"):
        english = [site.name for site in Site.objects.alphabetical()]

    assert shown == ["Ancient City of Damascus", "Temple of Baalshamin", "تدمر", "معبد بل"]
    assert english == list(Site.objects.values_list("name", flat=True))


# The stored first Arabic name (Site.first_arabic_name), which the Arabic lists order by: every write of a name
# keeps it current. Arabic names as fixtures/palmyra_sites.json gives them.

def arabic_list(client):
    # These tests write names straight through the ORM, not through the record's write path that retires cached
    # pages (RiskProfile.objects.record_changed()): the list is read with the response cache off.
    with override_settings(RESPONSE_CACHE_SECONDS=0):
        return slugs(client.get("/ar/sites/").context["page"].object_list)


def test_adding_an_arabic_name_moves_the_site_in_the_arabic_list(client, palmyra):
    make_name(palmyra.baalshamin, "معبد بعل شمين", "ar", kind="preferred")

    # معبد بعل شمين before معبد بل (ع before ل).
    assert arabic_list(client) == ["ancient-city-of-damascus", "palmyra", "temple-of-baalshamin", "temple-of-bel"]


def test_renaming_an_arabic_name_moves_the_site_in_the_arabic_list(client, palmyra):
    slip = make_name(palmyra.baalshamin, "معبد بل", "ar", kind="preferred")  # the Temple of Bel's name, by mistake
    assert arabic_list(client) == ["ancient-city-of-damascus", "palmyra", "temple-of-bel", "temple-of-baalshamin"]

    slip.name = "معبد بعل شمين"
    slip.save()

    assert arabic_list(client) == ["ancient-city-of-damascus", "palmyra", "temple-of-baalshamin", "temple-of-bel"]


def test_deleting_an_arabic_name_moves_the_site_back_to_its_english_name(client, palmyra):
    palmyra.site.names.get(language="ar").delete()

    # Site of Palmyra, in English, among the Latin names now.
    assert arabic_list(client) == ["ancient-city-of-damascus", "palmyra", "temple-of-baalshamin", "temple-of-bel"]


def test_names_written_in_bulk_keep_the_arabic_list_in_order(client, palmyra):
    kind = NameKind.objects.get(slug="preferred")
    SiteName.objects.bulk_create([SiteName(site=palmyra.damascus, name="دمشق القديمة", language="ar", kind=kind)])
    assert arabic_list(client) == ["temple-of-baalshamin", "palmyra", "ancient-city-of-damascus", "temple-of-bel"]

    SiteName.objects.filter(site=palmyra.damascus, language="ar").update(language="ar-Latn")
    assert arabic_list(client) == ["ancient-city-of-damascus", "temple-of-baalshamin", "palmyra", "temple-of-bel"]

    SiteName.objects.filter(site=palmyra.bel, language="ar").delete()  # the admin's "delete selected"
    assert arabic_list(client) == ["ancient-city-of-damascus", "temple-of-baalshamin", "temple-of-bel", "palmyra"]


def test_moving_an_arabic_name_to_another_site_renames_both(palmyra):
    name = palmyra.bel.names.get(language="ar")
    name.site = palmyra.baalshamin
    name.save()

    stored = dict(Site.objects.values_list("slug", "first_arabic_name"))
    assert (stored["temple-of-bel"], stored["temple-of-baalshamin"]) == ("", "معبد بل")


def test_a_site_read_before_its_names_changed_does_not_put_the_old_name_back(palmyra):
    site = Site.objects.get(slug="temple-of-baalshamin")
    make_name(palmyra.baalshamin, "معبد بعل شمين", "ar", kind="preferred")

    site.summary = "A temple of Palmyra."
    site.save()

    assert Site.objects.get(slug="temple-of-baalshamin").first_arabic_name == "معبد بعل شمين"

