import re
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from heritage.charts import incidents_per_month
from heritage.tests.factories import make_incident
from sites.dates import bounds
from sites.tests.factories import make_site

ATOM = "{http://www.w3.org/2005/Atom}"


def atom_titles(response):
    return [entry.findtext(f"{ATOM}title") for entry in ET.fromstring(response.content).iter(f"{ATOM}entry")]  # noqa: S314 (our own feed)


def rss_titles(response):
    return [item.findtext("title") for item in ET.fromstring(response.content).iter("item")]  # noqa: S314


# Feeds -----------------------------------------------------------------------


def test_overall_atom_feed_lists_published_incidents_newest_first(client, palmyra):
    response = client.get(reverse("heritage:feed", args=["atom"]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    assert atom_titles(response) == ["23 August 2015: Temple of Baalshamin blown up", "30 August 2015: Temple of Bel blown up"]


def test_overall_rss_feed_lists_the_same_incidents(client, palmyra):
    response = client.get(reverse("heritage:feed", args=["rss"]))
    assert response["Content-Type"].startswith("application/rss+xml")
    assert sorted(rss_titles(response)) == ["23 August 2015: Temple of Baalshamin blown up",
                                            "30 August 2015: Temple of Bel blown up"]
    assert "Confirmed by direct evidence." in response.content.decode()


def test_site_feed_lists_only_that_sites_incidents(client, palmyra):
    response = client.get(reverse("heritage:site-feed", args=["temple-of-bel", "atom"]))
    assert atom_titles(response) == ["30 August 2015: Temple of Bel blown up"]
    assert rss_titles(client.get(reverse("heritage:site-feed", args=["temple-of-bel", "rss"]))) == [
        "30 August 2015: Temple of Bel blown up"
    ]


def test_country_feed_lists_incidents_in_that_country(client, palmyra):
    make_incident([make_site("Hatra", countries=["IQ"])], title="Hatra damaged", date="2015-03")
    assert atom_titles(client.get(reverse("heritage:country-feed", args=["IQ", "atom"]))) == ["March 2015: Hatra damaged"]
    assert len(atom_titles(client.get(reverse("heritage:country-feed", args=["sy", "atom"])))) == 2


def test_category_feed_lists_incidents_in_the_category_and_its_children(client, palmyra):
    response = client.get(reverse("heritage:category-feed", args=["other-human-activities", "rss"]))
    assert len(rss_titles(response)) == 2


def test_feeds_never_show_drafts(client, palmyra):
    assert "rumour" not in client.get(reverse("heritage:feed", args=["atom"])).content.decode()


@pytest.mark.parametrize(
    "url",
    ["/feeds/sites/atlantis.atom", "/feeds/countries/XX.rss", "/feeds/categories/nothing.atom", "/feeds/incidents.json"],
)
def test_feeds_are_404_for_unknown_sites_countries_categories_and_formats(client, db, url):
    assert client.get(url).status_code == 404


# Charts ----------------------------------------------------------------------


def test_chart_counts_incidents_per_month_and_sets_aside_vague_dates():
    chart = incidents_per_month(
        [bounds(date) for date in ["2015-08-23", "2015-08-30", "2015-10-04", "2016-12-11/2017-01-10", "2015"]],
        "Incidents",
    )
    assert [(bar.label, bar.count) for bar in chart.bars if bar.count] == [("August 2015", 2), ("October 2015", 1)]
    assert len(chart.bars) == 12  # the whole of 2015, for context
    assert chart.bars[0].tick == "2015"
    assert chart.vague == 2
    assert chart.described == (
        "5 incidents; 2 dated too vaguely for a month are not drawn; "
        "from August 2015 to October 2015, at most 2 in one month."
    )


def test_chart_switches_to_years_over_long_spans():
    chart = incidents_per_month([bounds("1990-01-05"), bounds("2015-08-30")], "Incidents")
    assert chart.unit == "year"
    assert chart.bars[0].label == "1990" and chart.bars[-1].label == "2015"
    assert len(chart.bars) == 26


def test_site_chart_is_an_svg_with_a_title_and_description(client, palmyra):
    response = client.get(reverse("heritage:site-chart", args=["temple-of-bel"]))
    assert response["Content-Type"] == "image/svg+xml"
    svg = ET.fromstring(response.content)  # noqa: S314
    assert svg.findtext("{http://www.w3.org/2000/svg}title") == "Incidents at Temple of Bel per month"
    assert "1 incident" in svg.findtext("{http://www.w3.org/2000/svg}desc")
    assert 'style=' not in response.content.decode()


def test_country_and_category_charts_draw_their_incidents(client, palmyra):
    country = client.get(reverse("heritage:country-chart", args=["SY"])).content.decode()
    assert "<title>August 2015: 2</title>" in country
    category = client.get(reverse("heritage:category-chart", args=["other-human-activities"])).content.decode()
    assert "<title>August 2015: 2</title>" in category


def test_chart_without_incidents_says_so(client, palmyra):
    content = client.get(reverse("heritage:site-chart", args=["ancient-city-of-damascus"])).content.decode()
    assert "No incident dated to the month yet." in content


def test_a_whole_sites_chart_and_feed_include_its_parts_incidents(client, palmyra):
    chart = client.get(reverse("heritage:site-chart", args=["palmyra"])).content.decode()
    assert "<title>August 2015: 2</title>" in chart
    feed = client.get(reverse("heritage:site-feed", args=["palmyra", "atom"]))
    assert atom_titles(feed) == ["23 August 2015: Temple of Baalshamin blown up", "30 August 2015: Temple of Bel blown up"]


@pytest.mark.parametrize("url", ["/charts/sites/atlantis.svg", "/charts/countries/XX.svg", "/charts/categories/x.svg"])
def test_charts_are_404_for_unknown_subjects(client, db, url):
    assert client.get(url).status_code == 404


# Content-Security-Policy and markup ------------------------------------------

PAGES = ["/", "/sites/", "/sites/temple-of-bel/", "/map/", "/incidents/", "/categories/", "/search/?q=bel"]


@pytest.mark.parametrize("url", PAGES)
def test_every_page_sends_a_strict_content_security_policy(client, palmyra, url):
    policy = client.get(url)["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert "style-src 'self'" in policy
    assert "unsafe-inline" not in policy


@pytest.mark.parametrize("url", PAGES)
def test_pages_have_no_inline_scripts_styles_or_external_assets(client, palmyra, url):
    content = client.get(url).content.decode()
    for script in re.findall(r"<script\b[^>]*>", content):
        assert "src=" in script or 'type="application/json"' in script or 'type="application/ld+json"' in script
    assert not re.search(r"\sstyle=", content)
    assert "<style" not in content
    assert not re.search(r'(src|href)="(https?:)?//[^"]*\.(js|css)"', content)


@pytest.mark.parametrize("url", PAGES)
def test_pages_have_landmarks_a_skip_link_and_a_canonical_link(client, palmyra, url):
    content = client.get(url).content.decode()
    assert '<a class="skip-link" href="#main">' in content
    assert '<main id="main"' in content
    assert '<nav aria-label="Main">' in content
    assert '<link rel="canonical" href="http://testserver/' in content
    assert content.count("<h1") == 1


def test_a_tile_url_template_becomes_a_content_security_policy_source():
    from config.settings import tile_origin

    assert tile_origin("https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png") == "https://*.tile.openstreetmap.org"
