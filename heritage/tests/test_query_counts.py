"""Every page keeps a constant number of database queries as the data grows.

Each test runs with a few rows and with many; the pinned count names the queries.
These tests build their own data: no module-wide Palmyra here.
"""

import pytest
from django.urls import reverse

from heritage.models import RiskProfile, StoredSiteDetail, Story
from heritage.tests.factories import make_actor, make_assessment, make_category, make_event, make_incident, make_source
from sites.models import Site
from sites.tests.factories import make_name, make_site


def build_sites(count):
    category = make_category()
    for number in range(count):
        site = make_site(f"Tell {number}", latitude=34 + number / 100, longitude=38)
        make_incident([site], category=category)
        make_assessment(site, "poor")


@pytest.mark.parametrize("count", [1, 5])
def test_site_list_queries_stay_constant_as_sites_grow(client, db, django_assert_num_queries, count):
    build_sites(count)
    # the chosen condition (validating the slug), count, page of sites (kind, parent, risk profile, condition
    # joined), the form's choices of kinds, conditions and threats.
    with django_assert_num_queries(6):
        response = client.get(reverse("sites:list"), {"sort": "risk", "condition": "poor", "since": "2015-01-01"})
    assert response.context["page"].paginator.count == count


@pytest.mark.parametrize("count", [1, 5])
def test_map_page_queries_stay_constant_as_sites_grow(client, db, django_assert_num_queries, count):
    build_sites(count)
    # the form's kinds, conditions and threats: the points are fetched apart (site_map_points).
    with django_assert_num_queries(3):
        response = client.get(reverse("sites:map"))
    assert response.context["map_points_url"] == "/map/points.json"


@pytest.mark.parametrize("count", [1, 5])
def test_map_points_queries_stay_constant_as_sites_grow(client, db, django_assert_num_queries, count):
    build_sites(count)
    # sites with their points and risk levels.
    with django_assert_num_queries(1):
        response = client.get(reverse("sites:map-points"))
    assert len(response.json()["points"]) == count


def build_site_with_history(count):
    category = make_category()
    site = make_site("Tell Busy", slug="tell-busy", latitude=34.5, longitude=38.2)
    make_site("Aleppo", kind="city", latitude=36.2, longitude=37.15)
    for number in range(count):
        make_name(site, f"Tell Busy {number}", "en")
        make_event([site], date=f"{1000 + number}")
        part = make_site(f"Tell Part {number}", parent=site, latitude=34.5 + number / 1000, longitude=38.2)
        make_incident([part], category=category, date=f"{2000 + number}-05")
        make_assessment(part, "poor", date=f"{2000 + number}-06")
        report = make_source(f"Report {number}", story=Story.objects.create(title=f"Story {number}"))
        make_event([site], date=f"{1500 + number}", source=report)
        report.relies_on.add(make_source(f"Primary {number}"))
    return site


@pytest.mark.parametrize("count", [1, 4])
def test_site_page_queries_stay_constant_as_its_record_grows(client, db, django_assert_num_queries, count):
    site = build_site_with_history(count)
    # site (kind, parent, risk profile… joined); names, name kinds, identifiers, designations; events and incidents,
    # each with their citations and sites; assessments with their sites (named as their readers see them) and
    # citations; parts; nearby (the nearest candidates, in the database's order); map points; landmark (the nearest
    # cities, in the database's order); stories, their reports, (report, primary source) pairs and the primary sources.
    with django_assert_num_queries(22):
        response = client.get(reverse("sites:detail", args=[site.slug]))
    assert len(response.context["timeline"]) == 4 * count
    assert len(response.context["stories"]) == count



@pytest.mark.parametrize("count", [1, 5])
def test_home_queries_stay_constant(client, db, django_assert_num_queries, count):
    category = make_category()
    for number in range(count):
        make_incident([make_site(f"Tell {number}", latitude=34, longitude=38 + number / 10)], category=category)
    # figures: sites, incidents, sources, countries; latest incidents and their sites; sites at risk; map sites.
    with django_assert_num_queries(8):
        client.get(reverse("heritage:home"))


@pytest.mark.parametrize("count", [1, 5])
def test_source_page_queries_stay_constant(client, db, django_assert_num_queries, count):
    source = make_source("Big report")
    for number in range(count):
        site = make_site(f"Tell {number}")
        make_incident([site], source=source)
        make_event([site], source=source)
        make_assessment(site, source=source)
        source.relies_on.add(make_source(f"Earlier report {number}"))
    # source; quotations; relies on; relied on by; supported sites; incidents and their sites; events and
    # their sites; assessments and their sites.
    with django_assert_num_queries(11):
        client.get(reverse("heritage:source", args=[source.slug]))


@pytest.mark.parametrize("count", [1, 5])
def test_incident_list_queries_stay_constant(client, db, django_assert_num_queries, count):
    category = make_category()
    for number in range(count):
        make_incident([make_site(f"Tell {number}")], category=category, actor=make_actor())
    # count; page (category, parent, actor joined); sites; the form's threats and actors.
    with django_assert_num_queries(5):
        client.get(reverse("heritage:incidents"), {"claim": "alleged"})


@pytest.mark.parametrize("count", [1, 5])
def test_categories_queries_stay_constant(client, db, django_assert_num_queries, count):
    for number in range(count):
        make_incident([], category=make_category(f"Factor {number}", code=f"9.{number}"))
    with django_assert_num_queries(2):  # primary categories with counts; their children with counts
        client.get(reverse("heritage:categories"))


@pytest.mark.parametrize("count", [1, 5])
def test_search_page_queries_stay_constant(client, db, django_assert_num_queries, count):
    for number in range(count):
        site = make_site(f"Temple {number}")
        make_name(site, f"Temple {number}", "en")
        make_event([site], title=f"Temple {number} restored")
        make_incident([site], title=f"Temple {number} shelled")
        make_source(f"Temple {number} survey")
    # whether a site name contains the text (else sites resembling it); sites; incidents and their sites;
    # events and their sites; sources.
    with django_assert_num_queries(7):
        response = client.get(reverse("heritage:search"), {"q": "temple"})
    assert response.context["total"] == 4 * count


@pytest.mark.parametrize("count", [1, 5])
def test_feed_queries_stay_constant(client, db, django_assert_num_queries, count):
    category = make_category()
    for number in range(count):
        make_incident([make_site(f"Tell {number}")], category=category)
    with django_assert_num_queries(1):  # incidents with their category
        client.get(reverse("heritage:feed", args=["atom"]))


@pytest.mark.parametrize("count", [1, 5])
def test_incident_page_queries_stay_constant(client, db, django_assert_num_queries, count):
    source = make_source()
    incident = make_incident([make_site(f"Tell {number}") for number in range(count)], source=source)
    for _ in range(count - 1):
        incident.citations.create(source=make_source())
    # incident (category, parent, actor, certainty, effect, extent joined); sites; citations with sources;
    # the count of independent primary sources (one recursive query).
    with django_assert_num_queries(4):
        client.get(reverse("heritage:incident", args=[incident.slug]))


@pytest.mark.parametrize("count", [1, 5])
def test_category_page_queries_stay_constant(client, db, django_assert_num_queries, count):
    category = make_category()
    for number in range(count):
        make_incident([make_site(f"Tell {number}")], category=category, actor=make_actor())
    # category with parent; its children with counts; count; page of incidents; their sites.
    with django_assert_num_queries(5):
        client.get(reverse("heritage:category", args=[category.parent.slug]))


@pytest.mark.parametrize("count", [1, 5])
def test_chart_queries_stay_constant(client, db, django_assert_num_queries, count):
    site = make_site("Tell Chart", slug="tell-chart")
    for number in range(count):
        make_incident([site], date=f"2015-{number + 1:02d}-01")
    with django_assert_num_queries(2):  # the site; its incidents' date bounds
        client.get(reverse("heritage:site-chart", args=["tell-chart"]))


# A site's record, its parts' at any depth included --------------------------------


def build_deep_record(depth):
    """A site whose parts have parts, ``depth`` levels down, with an incident and an event at each level."""
    category = make_category()
    site = make_site("Tell Deep", slug="tell-deep")
    for level in range(depth):
        make_incident([site], category=category, date=f"2015-{level + 1:02d}-01")
        make_event([site])
        site = make_site(f"Level {level}", parent=site)


@pytest.mark.parametrize("depth", [1, 4])
def test_api_lists_of_a_sites_record_take_fixed_queries_however_deep_its_parts(api, db, django_assert_num_queries, depth):
    build_deep_record(depth)
    # the site by its slug; count; the page (category and vocabularies joined); its sites; its visible
    # citations with sources. The parts are walked inside the count and page queries (one recursive CTE).
    with django_assert_num_queries(5):
        assert api.get("/api/v1/incidents/", {"site": "tell-deep"}).json()["count"] == depth
    with django_assert_num_queries(5):
        assert api.get("/api/v1/events/", {"site": "tell-deep"}).json()["count"] == depth


@pytest.mark.parametrize("depth", [1, 4])
def test_api_site_detail_takes_fixed_queries_however_deep_its_parts(api, db, django_assert_num_queries, depth, settings):
    settings.RESPONSE_CACHE_SECONDS = 0  # the queries of an answer built from the stored detail, not a cached one
    build_deep_record(depth)
    RiskProfile.objects.record_changed(Site.objects.all())  # as every writer ends; make_site() writes raw
    with django_assert_num_queries(1):  # an anonymous reader's: the detail the write path stored
        body = api.get("/api/v1/sites/tell-deep/").json()
    assert len(body["incidents"]) == len(body["events"]) == depth
    StoredSiteDetail.objects.all().delete()
    # Built when none is stored: that lookup; the site (kind, parent, certainty, risk profile joined), names,
    # identifiers, designations, parts; its record's events; its record's incidents.
    with django_assert_num_queries(8):
        assert api.get("/api/v1/sites/tell-deep/").json() == body


@pytest.mark.parametrize("depth", [1, 4])
def test_a_sites_feed_and_chart_take_fixed_queries_however_deep_its_parts(client, db, django_assert_num_queries, depth):
    build_deep_record(depth)
    with django_assert_num_queries(2):  # the site; its record's published incidents with their category
        client.get(reverse("heritage:site-feed", args=["tell-deep", "atom"]))
    with django_assert_num_queries(2):  # the site; its record's incidents' date bounds
        client.get(reverse("heritage:site-chart", args=["tell-deep"]))


@pytest.mark.parametrize("count", [1, 5])
def test_sites_threatened_by_a_category_take_fixed_queries(client, api, db, django_assert_num_queries, count):
    build_sites(count)
    # the category by its slug; count; the page. The category's secondary ones are a subquery, not a query.
    with django_assert_num_queries(3):
        assert api.get("/api/v1/sites/", {"category": "other-human-activities"}).json()["count"] == count
    # the chosen category; count; page of sites; the form's choices of kinds, conditions and threats.
    with django_assert_num_queries(6):
        response = client.get(reverse("sites:list"), {"category": "other-human-activities"})
    assert response.context["page"].paginator.count == count
