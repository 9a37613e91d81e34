import json
import re

import pytest
from django.urls import reverse

from heritage.models import RiskProfile, Source, Story
from heritage.tests.factories import make_assessment, make_category, make_incident
from sites.models import Site
from sites.tests.factories import make_site


def site_page(client, slug):
    return client.get(reverse("sites:detail", args=[slug])).content.decode()


def sites_in(response):
    return [site.slug for site in response.context["page"].object_list]


# Site list -------------------------------------------------------------------


def test_site_list_shows_every_site_with_a_total(client, palmyra):
    response = client.get(reverse("sites:list"))
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 4
    assert "4 sites" in response.content.decode()
    assert sites_in(response) == ["ancient-city-of-damascus", "palmyra", "temple-of-baalshamin", "temple-of-bel"]


def test_site_list_filters_by_country(client, palmyra):
    make_site("Hatra", slug="hatra", countries=["IQ"])
    response = client.get(reverse("sites:list"), {"country": "IQ"})
    assert sites_in(response) == ["hatra"]
    assert response.context["country"]["name"] == "Iraq"
    assert reverse("heritage:country-chart", args=["IQ"]) in response.content.decode()


def test_site_list_filters_by_kind(client, palmyra):
    response = client.get(reverse("sites:list"), {"kind": "temple"})
    assert sites_in(response) == ["temple-of-baalshamin", "temple-of-bel"]


def test_site_list_filters_by_current_condition(client, palmyra):
    response = client.get(reverse("sites:list"), {"condition": "destroyed"})
    assert sites_in(response) == ["temple-of-bel"]


def test_site_list_filters_by_risk_level(client, palmyra):
    make_assessment(palmyra.damascus, "good", date="2015-01")
    # Palmyra is in danger, and so are its parts; the 2015 incidents are no longer recent.
    response = client.get(reverse("sites:list"), {"risk": "high"})
    assert sites_in(response) == ["palmyra", "temple-of-baalshamin", "temple-of-bel"]
    assert sites_in(client.get(reverse("sites:list"), {"risk": "low"})) == ["ancient-city-of-damascus"]
    assert sites_in(client.get(reverse("sites:list"), {"risk": "critical"})) == []


def test_site_list_filters_by_threat_category_including_secondary_ones(client, palmyra):
    primary = palmyra.deliberate.parent
    assert sites_in(client.get(reverse("sites:list"), {"category": primary.slug})) == [
        "temple-of-baalshamin", "temple-of-bel",
    ]
    looting = make_category("Illicit excavation", code="9.3")
    make_incident([palmyra.site], category=looting, date="2016-01")
    assert sites_in(client.get(reverse("sites:list"), {"category": looting.slug})) == ["palmyra"]


def test_site_list_threat_filter_ignores_draft_incidents(client, palmyra):
    looting = make_category("Illicit excavation", code="9.3")
    make_incident([palmyra.damascus], category=looting, status="draft")
    assert sites_in(client.get(reverse("sites:list"), {"category": looting.slug})) == []


def test_site_list_filters_world_heritage_including_parts(client, palmyra):
    response = client.get(reverse("sites:list"), {"designation": "world-heritage"})
    assert sites_in(response) == ["palmyra", "temple-of-baalshamin", "temple-of-bel"]


def test_site_list_filters_in_danger(client, palmyra):
    response = client.get(reverse("sites:list"), {"designation": "in-danger"})
    assert sites_in(response) == ["palmyra", "temple-of-baalshamin", "temple-of-bel"]


def test_site_list_filters_sites_with_incidents_since_a_date(client, palmyra):
    assert sites_in(client.get(reverse("sites:list"), {"since": "2015-08-25"})) == ["temple-of-bel"]
    assert sites_in(client.get(reverse("sites:list"), {"since": "2015-08-01"})) == [
        "temple-of-baalshamin", "temple-of-bel",
    ]


def test_site_list_sorts_by_risk_then_name(client, palmyra):
    make_incident([palmyra.bel], date="2026-01-02")  # recent, and the temple is destroyed: critical
    response = client.get(reverse("sites:list"), {"sort": "risk"})
    # Palmyra is critical too: the incident is in its record (its part's), and Palmyra is In Danger.
    assert sites_in(response) == ["palmyra", "temple-of-bel", "temple-of-baalshamin", "ancient-city-of-damascus"]


def test_site_list_sorts_by_latest_incident(client, palmyra):
    response = client.get(reverse("sites:list"), {"sort": "latest"})
    # Palmyra's latest incident is its part's, the Temple of Bel's: the tie goes by name.
    assert sites_in(response)[:3] == ["palmyra", "temple-of-bel", "temple-of-baalshamin"]


@pytest.mark.parametrize(
    "params, message",
    [
        ({"country": "XX"}, "Select a valid choice. XX is not one of the available choices."),
        ({"kind": "spaceport"}, "Select a valid choice."),
        ({"risk": "apocalyptic"}, "Select a valid choice. apocalyptic is not one of the available choices."),
        ({"since": "last tuesday"}, "Enter a valid date."),
        ({"sort": "random"}, "Select a valid choice. random is not one of the available choices."),
        ({"category": "'; DROP TABLE"}, "Select a valid choice."),
    ],
)
def test_site_list_explains_bad_filter_values_instead_of_failing(client, palmyra, params, message):
    response = client.get(reverse("sites:list"), params)
    assert response.status_code == 400
    content = response.content.decode()
    assert "Some filters could not be applied" in content
    assert message in content
    assert response.context["page"].paginator.count == 4  # the bad filter is left out, the rest still works


def test_site_list_paginates_with_a_total_count(client, palmyra, settings):
    settings.SITES_PER_PAGE = 2
    make_site("Tell Zed")
    response = client.get(reverse("sites:list"), {"page": 3})
    assert response.context["page"].paginator.count == 5
    assert len(response.context["page"].object_list) == 1
    assert "Page 3 of 3" in response.content.decode()
    assert client.get(reverse("sites:list"), {"page": "banana"}).status_code == 200


def test_site_list_keeps_filters_in_page_links_and_canonical_address(client, palmyra, settings):
    settings.SITES_PER_PAGE = 1
    content = client.get(reverse("sites:list"), {"country": "SY", "sort": "name"}).content.decode()
    assert 'href="?country=SY&amp;sort=name&amp;page=2"' in content
    assert '<link rel="canonical" href="http://testserver/sites/?country=SY&amp;sort=name">' in content


# Map -------------------------------------------------------------------------


def test_map_lists_sites_with_coordinates_coloured_by_risk(client, palmyra):
    make_site("Somewhere unknown")
    response = client.get(reverse("sites:map-points"), {"kind": "temple"})
    points = response.json()["points"]
    assert [(point["name"], point["risk"], point["url"]) for point in points] == [
        ("Temple of Baalshamin", "high", "/sites/temple-of-baalshamin/"), ("Temple of Bel", "high", "/sites/temple-of-bel/"),
    ]
    assert response.json()["caption"] == "2 sites with known coordinates."


def test_map_page_fetches_its_points_with_its_own_filters(client, palmyra):
    content = client.get(reverse("sites:map"), {"kind": "temple"}).content.decode()
    assert 'data-points-url="/map/points.json?kind=temple"' in content
    assert 'type="application/json"' not in content  # the page embeds no point: it costs the same at any scale
    assert "/static/vendor/leaflet/leaflet.js" in content
    assert "/static/vendor/natural-earth/countries-50m.geojson" in content


def test_map_points_in_arabic_link_to_arabic_pages(client, palmyra):
    points = client.get("/ar/map/points.json", {"kind": "temple"}).json()["points"]
    assert points[0]["url"] == "/ar/sites/temple-of-baalshamin/"


def test_map_uses_a_tile_server_only_when_one_is_configured(client, palmyra, settings):
    assert "data-tiles" not in client.get(reverse("sites:map")).content.decode()
    settings.MAP_TILE_URL = "https://tiles.example.org/{z}/{x}/{y}.png"
    assert 'data-tiles="https://tiles.example.org/{z}/{x}/{y}.png"' in client.get(reverse("sites:map")).content.decode()


def test_map_explains_bad_filter_values(client, palmyra):
    response = client.get(reverse("sites:map"), {"risk": "extreme"})
    assert response.status_code == 400
    assert "Some filters could not be applied" in response.content.decode()
    points = client.get(reverse("sites:map-points"), {"risk": "extreme"})
    assert points.status_code == 400
    assert list(points.json()["errors"]) == ["risk"]


# Site page -------------------------------------------------------------------


def test_site_page_shows_names_in_their_language_and_direction(client, palmyra):
    content = site_page(client, "palmyra")
    assert '<bdi lang="ar" dir="rtl">تدمر</bdi>' in content
    assert '<bdi lang="en" dir="ltr">Tadmor</bdi>' in content


def test_site_page_shows_the_timeline_in_true_order_with_human_dates(client, palmyra):
    response = client.get(reverse("sites:detail", args=["palmyra"]))
    dates = [entry.fact.date_display for entry in response.context["timeline"]]
    assert dates == ["41 BC", "AD 32", "c. AD 140–160", "23 August 2015", "30 August 2015", "31 August 2015"]
    content = response.content.decode()
    assert content.index("41 BC") < content.index("c. AD 140–160")
    assert '<time>c. AD 140–160</time> <span class="uncertain">uncertain</span>' in content


def test_temple_of_bel_timeline_puts_ad_32_before_2015(client, palmyra):
    response = client.get(reverse("sites:detail", args=["temple-of-bel"]))
    titles = [entry.title for entry in response.context["timeline"]]
    assert titles == [
        "Temple of Bel consecrated",
        "Temple of Bel blown up",
        "Condition assessed as Destroyed by UNOSAT",
    ]
    content = response.content.decode()
    assert content.index("AD 32") < content.index("30 August 2015")


def test_site_page_shows_incidents_with_their_claim_and_sources(client, palmyra):
    content = site_page(client, "temple-of-bel")
    assert "Confirmed by direct evidence" in content
    assert f'href="{palmyra.unosat.get_absolute_url()}"' in content
    assert "A1" in content  # the source's Admiralty grading
    assert reverse("heritage:site-chart", args=["temple-of-bel"]) in content


def test_site_page_shows_condition_risk_and_the_reasons(client, palmyra):
    content = site_page(client, "temple-of-bel")
    assert '<span class="risk risk-high">High</span>' in content
    assert "On the List of World Heritage in Danger." in content
    assert "Current condition: Destroyed." in content


def test_site_page_copes_with_a_site_whose_risk_profile_was_never_computed(client, palmyra):
    RiskProfile.objects.filter(site=palmyra.damascus).delete()
    response = client.get(reverse("sites:detail", args=["ancient-city-of-damascus"]))
    assert response.status_code == 200
    assert "Condition and risk have not been worked out for this site yet." in response.content.decode()


def test_site_page_has_breadcrumb_parts_designations_and_identifiers(client, palmyra):
    content = site_page(client, "palmyra")
    assert 'href="/sites/temple-of-bel/"' in content
    assert "World Heritage property, since 1980 · criteria (i)(ii)(iv)" in content
    assert "List of World Heritage in Danger, since 20 June 2013" in content
    assert 'href="https://whc.unesco.org/en/list/23/"' in content
    assert 'href="https://pleiades.stoa.org/places/668331"' in content
    bel = site_page(client, "temple-of-bel")
    breadcrumb = re.search(r'<nav class="breadcrumb.*?</nav>', bel, re.S).group(0)
    assert 'href="/sites/palmyra/">Site of Palmyra</a>' in breadcrumb


def test_site_page_places_the_site_and_lists_nearby_sites_with_distances(client, palmyra):
    content = site_page(client, "palmyra")
    assert "About 215 km north-east of Damascus." in content
    response = client.get(reverse("sites:detail", args=["temple-of-bel"]))
    nearby = [(site.slug, round(site.distance_km, 1)) for site in response.context["nearby"]]
    assert nearby == [("temple-of-baalshamin", 0.8), ("palmyra", 1.0)]
    assert "0.8 km" in response.content.decode()


def test_whole_site_lists_its_parts_apart_from_nearby_places(client, palmyra):
    response = client.get(reverse("sites:detail", args=["palmyra"]))
    assert [part.slug for part in response.context["parts"]] == ["temple-of-baalshamin", "temple-of-bel"]
    assert response.context["nearby"] == []


def test_site_page_offers_a_ready_citation_and_permalink(client, palmyra):
    content = site_page(client, "temple-of-bel")
    assert '<link rel="canonical" href="http://testserver/sites/temple-of-bel/">' in content
    assert "“Temple of Bel.” <cite>Heritage at Risk</cite>." in content
    assert "(accessed " in content


def test_site_page_embeds_schema_org_json_ld(client, palmyra):
    content = site_page(client, "palmyra")
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', content, re.S).group(1)
    document = json.loads(block)
    assert document["@type"] == "Place"
    assert "https://www.wikidata.org/wiki/Q5747" in document["sameAs"]
    assert {"@value": "تدمر", "@language": "ar"} in document["alternateName"]


def test_site_page_escapes_script_in_json_ld(client, palmyra):
    Site.objects.filter(slug="palmyra").update(summary="</script><script>alert(1)</script>")
    content = site_page(client, "palmyra")
    assert "<script>alert(1)" not in content
    assert "\\u003C/script\\u003E" in content


def test_site_page_hides_draft_facts_from_anonymous_visitors(client, palmyra):
    content = site_page(client, "temple-of-bel")
    assert "Unchecked rumour of looting" not in content


def test_site_page_shows_drafts_to_editors_marked_as_drafts(client, palmyra, alice):
    client.force_login(alice)
    content = site_page(client, "temple-of-bel")
    assert "Unchecked rumour of looting" in content
    assert '<span class="draft">Draft</span>' in content


def test_site_page_is_404_for_an_unknown_slug(client, db):
    assert client.get(reverse("sites:detail", args=["atlantis"])).status_code == 404




def test_whole_site_timeline_includes_what_happened_to_its_parts(client, palmyra):
    response = client.get(reverse("sites:detail", args=["palmyra"]))
    titles = [entry.title for entry in response.context["timeline"]]
    assert titles == [
        "Mark Antony's cavalry raid on Palmyra",
        "Temple of Bel consecrated",
        "Hypogeum of the Three Brothers founded",
        "Temple of Baalshamin blown up",
        "Temple of Bel blown up",
        "Condition assessed as Destroyed by UNOSAT",
    ]
    content = response.content.decode()
    assert '<p class="part-place">At <a href="/sites/temple-of-bel/">Temple of Bel</a></p>' in content


def test_filter_fields_are_labelled_and_errors_marked_for_assistive_technology(client, palmyra):
    content = client.get(reverse("sites:list"), {"since": "soon"}).content.decode()
    assert '<label for="id_since">Incidents since</label>' in content
    assert 'aria-invalid="true"' in content
    assert '<a href="#id_since">Incidents since</a>: Enter a valid date.' in content


def test_map_filters_leave_out_sorting(client, palmyra):
    assert 'id="id_sort"' not in client.get(reverse("sites:map")).content.decode()
    assert 'id="id_sort"' in client.get(reverse("sites:list")).content.decode()


def test_site_page_groups_its_reports_by_story(client, palmyra):
    story = Story.objects.create(title="Temple of Baalshamin destroyed")
    Source.objects.filter(pk=palmyra.seed.pk).update(story=story)
    content = site_page(client, "temple-of-baalshamin")
    assert '<h2 id="site-stories-heading">Reports</h2>' in content
    assert "<h3>Temple of Baalshamin destroyed</h3>" in content
    assert "Syrian Observatory for Human Rights report" in content  # the primary source it relies on
