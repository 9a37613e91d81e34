"""Every surface that answers one question about the record gives the same answer.

Palmyra's page once listed its parts' incidents while its chart and feed counted only its
own, and the API's site detail listed none of them. Here, on the curated data and for an
anonymous reader, the page, the API (a site's detail and the list filters), the Atom feed
and the chart of every curated site, of Syria and of threat categories are held to one
answer, worked out from the fixture files themselves rather than from the code under test.

The data is loaded once for the module (``manage.py load_curated``, inside a transaction
rolled back at the end), as in test_curated_data.py.
"""

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from heritage.charts import incidents_per_month
from heritage.feeds import FEED_LENGTH
from heritage.models import Status
from sites.dates import bounds

FIXTURES = Path(settings.BASE_DIR) / "fixtures"
ATOM = "{http://www.w3.org/2005/Atom}"
SVG = "{http://www.w3.org/2000/svg}"


# What the curated data says, read from the fixture files ----------------------


def _fixture(name):
    return json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))


def _key(natural_key):
    """A natural key as fixtures spell it (["palmyra"]) → "palmyra"; None stays None."""
    return natural_key[0] if natural_key else None


SITES = {
    row["fields"]["slug"]: row["fields"]
    for row in _fixture("palmyra_sites")
    if row["model"] == "sites.site"
}
RECORD = _fixture("palmyra_record")
CATEGORY_PARENTS = {
    row["fields"]["slug"]: _key(row["fields"]["parent"])
    for row in _fixture("threat_categories")
    if row["model"] == "heritage.threatcategory"
}


def _published(model):
    return [row["fields"] for row in RECORD if row["model"] == model and row["fields"]["status"] == Status.PUBLISHED]


INCIDENTS = _published("heritage.incident")
EVENTS = _published("heritage.historyevent")


def _lineage(slug):
    """The site and every site it is part of, up to the whole site."""
    chain = []
    while slug:
        chain.append(slug)
        slug = _key(SITES[slug]["parent"])
    return chain


def record_of(site, facts):
    """Slugs of the published facts about the site or any of its parts, at any depth."""
    return {fact["slug"] for fact in facts if any(site in _lineage(_key(place)) for place in fact["sites"])}


def incidents_in_country(code):
    return {
        incident["slug"] for incident in INCIDENTS
        if any(code in SITES[_key(place)]["countries"].split(",") for place in incident["sites"])
    }


def incidents_in_category(slug):
    return {
        incident["slug"] for incident in INCIDENTS
        if slug in (_key(incident["category"]), CATEGORY_PARENTS[_key(incident["category"])])
    }


def sites_threatened_by(slug):
    """Sites with a published incident of their own in the category or below it (the site lists' filter)."""
    return {
        _key(place) for incident in INCIDENTS for place in incident["sites"]
        if slug in (_key(incident["category"]), CATEGORY_PARENTS[_key(incident["category"])])
    }


def months_of(slugs):
    """(month, count) of the given incidents, as a chart of them must draw them."""
    dates = [bounds(incident["date"]) for incident in INCIDENTS if incident["slug"] in slugs]
    return [(bar.label, bar.count) for bar in incidents_per_month(dates, "").bars if bar.count]


# What each surface shows ------------------------------------------------------


def api_slugs(api, url, params):
    """Slugs of every result of an API list, following its pages (two results a page, to walk several)."""
    found, response = [], api.get(url, {**params, "page_size": 2})
    while True:
        assert response.status_code == 200, response.content
        body = response.json()
        found += [result["slug"] for result in body["results"]]
        if not body["next"]:
            return found
        response = api.get(body["next"])


def page_list_slugs(client, url, params=None):
    """Slugs of everything a paginated page lists, over all its pages."""
    response = client.get(url, params or {})
    assert response.status_code == 200
    return [record.slug for record in response.context["page"].paginator.object_list]


def feed_slugs(client, url):
    entries = list(ET.fromstring(client.get(url).content).iter(f"{ATOM}entry"))  # noqa: S314 (our own feed)
    # Feeds show the latest FEED_LENGTH: with fewer than that in scope, a feed shows the whole answer.
    assert len(entries) < FEED_LENGTH
    links = [entry.find(f"{ATOM}link").get("href") for entry in entries]
    return [re.fullmatch(r"http://testserver/incidents/([-\w]+)/", link).group(1) for link in links]


def chart_drawn(client, url):
    """(the number of incidents the chart describes, the (month, count) bars it draws)."""
    svg = ET.fromstring(client.get(url).content)  # noqa: S314 (our own chart)
    described = re.match(r"(\d+) incidents?\b", svg.findtext(f"{SVG}desc"))
    bars = [bar.findtext(f"{SVG}title").rsplit(": ", 1) for bar in svg.iter(f"{SVG}rect") if bar.find(f"{SVG}title") is not None]
    return int(described.group(1)), [(label, int(count)) for label, count in bars if count != "0"]


def distinct(slugs):
    """The slugs as a set, failing if a surface listed one twice."""
    assert len(slugs) == len(set(slugs)), f"listed twice: {sorted(slug for slug in slugs if slugs.count(slug) > 1)}"
    return set(slugs)


# The tests ------------------------------------------------------------------------


def test_the_curated_record_has_parts_of_parts_so_these_checks_reach_every_depth():
    deep = [slug for slug in SITES if len(_lineage(slug)) > 2]
    assert deep == ["lion-of-al-lat"]
    assert record_of("lion-of-al-lat", INCIDENTS) <= record_of("palmyra", INCIDENTS)
    assert len(record_of("palmyra", INCIDENTS)) == 12  # all but Qasr al-Hayr al-Gharbi's, outside the site


@pytest.mark.parametrize("slug", sorted(SITES))
def test_a_sites_page_api_feed_and_chart_show_the_same_incidents_and_events(client, api, curated, db, slug):
    incidents, events = record_of(slug, INCIDENTS), record_of(slug, EVENTS)

    page = client.get(reverse("sites:detail", args=[slug]))
    assert distinct([incident.slug for incident in page.context["incidents"]]) == incidents
    assert distinct([entry.fact.slug for entry in page.context["timeline"] if entry.kind == "event"]) == events

    detail = api.get(f"/api/v1/sites/{slug}/").json()
    assert distinct([incident["slug"] for incident in detail["incidents"]]) == incidents
    assert distinct([event["slug"] for event in detail["events"]]) == events

    assert distinct(api_slugs(api, "/api/v1/incidents/", {"site": slug})) == incidents
    assert distinct(api_slugs(api, "/api/v1/events/", {"site": slug})) == events

    assert distinct(feed_slugs(client, reverse("heritage:site-feed", args=[slug, "atom"]))) == incidents

    assert chart_drawn(client, reverse("heritage:site-chart", args=[slug])) == (len(incidents), months_of(incidents))


def test_syrias_incident_list_api_feed_and_chart_show_the_same_incidents(client, api, curated, db):
    incidents = incidents_in_country("SY")
    assert len(incidents) == 13

    assert distinct(page_list_slugs(client, reverse("heritage:incidents"), {"country": "SY"})) == incidents
    assert distinct(api_slugs(api, "/api/v1/incidents/", {"country": "SY"})) == incidents
    assert distinct(feed_slugs(client, reverse("heritage:country-feed", args=["SY", "atom"]))) == incidents
    assert chart_drawn(client, reverse("heritage:country-chart", args=["SY"])) == (len(incidents), months_of(incidents))


@pytest.mark.parametrize("category", ["other-human-activities", "terrorism", "war", "deliberate-destruction-of-heritage"])
def test_a_categorys_page_incident_list_api_feed_and_chart_show_the_same_incidents(client, api, curated, db, category):
    incidents = incidents_in_category(category)
    assert incidents

    assert distinct(page_list_slugs(client, reverse("heritage:category", args=[category]))) == incidents
    assert distinct(page_list_slugs(client, reverse("heritage:incidents"), {"category": category})) == incidents
    assert distinct(api_slugs(api, "/api/v1/incidents/", {"category": category})) == incidents
    assert distinct(feed_slugs(client, reverse("heritage:category-feed", args=[category, "atom"]))) == incidents
    assert chart_drawn(client, reverse("heritage:category-chart", args=[category])) == (
        len(incidents), months_of(incidents)
    )


@pytest.mark.parametrize("category", ["other-human-activities", "terrorism"])
def test_the_site_list_and_the_site_api_find_the_same_sites_threatened_by_a_category(client, api, curated, db, category):
    sites = sites_threatened_by(category)
    assert sites

    assert distinct(page_list_slugs(client, reverse("sites:list"), {"category": category})) == sites
    assert distinct(api_slugs(api, "/api/v1/sites/", {"category": category})) == sites


def test_the_incident_api_searches_as_the_search_page_does(client, api, curated, db):
    # "Bel blown" is not a phrase of any title: every word must match, wherever it is.
    for text in ["temple destroyed", "Bel blown", "executions theatre"]:
        page = client.get(reverse("heritage:search"), {"q": text}).context["groups"]
        shown = {key: {record.slug for record in records} for key, _, records in page}
        assert shown["incidents"] or shown["events"] or shown["sources"], f"nothing found for {text!r}"
        assert distinct(api_slugs(api, "/api/v1/incidents/", {"q": text})) == shown["incidents"]
        assert distinct(api_slugs(api, "/api/v1/events/", {"q": text})) == shown["events"]
        assert distinct(api_slugs(api, "/api/v1/sources/", {"q": text})) == shown["sources"]


@pytest.mark.parametrize("slug", sorted(SITES))
def test_a_sites_timeline_shows_each_of_its_incidents_once_and_its_contents_count_them(client, curated, db, slug):
    incidents = record_of(slug, INCIDENTS)

    page = client.get(reverse("sites:detail", args=[slug]))

    timeline = page.context["timeline"]
    shown = [entry.fact.slug for entry in timeline if entry.kind == "incident"]
    shown += [incident.slug for entry in timeline for incident in entry.incidents]
    assert sorted(shown) == sorted(incidents)
    content = page.content.decode()
    assert f'<span class="count" id="toc-incident-count">{len(incidents)}</span>' in content
    assert f'<span class="count" id="toc-timeline-count">{len(timeline)}</span>' in content


def test_palmyras_page_shows_the_destruction_of_the_temple_of_bel_once(client, curated, db):
    content = client.get(reverse("sites:detail", args=["palmyra"])).content.decode()
    assert content.count(">Temple of Bel blown up<") == 1  # the history event, linking the incident
    assert content.count('href="/incidents/temple-of-bel-destroyed-2015/"') == 1
