"""Lists walked page by page give every record once: records that tie on the sort (two sites of one name, two
incidents of one date and title) keep one order from page to page, the id breaking the tie, so an offset
neither repeats nor skips one (PostgreSQL returns ties in any order, and may change it between two queries)."""

import pytest
from django.urls import reverse

from apikit.pagination import in_total_order
from heritage.models import Incident, Source
from heritage.tests.factories import make_incident, make_source
from sites.models import Site
from sites.tests.factories import make_site

ALIKE = 6


def walk_api(client, path, **params):
    slugs, page = [], 1
    while True:
        body = client.get(path, {"page_size": 1, "page": page, **params}).json()
        slugs += [record["slug"] for record in body["results"]]
        if body["next"] is None:
            return slugs
        page += 1


def walk_pages(client, path, **params):
    slugs, page = [], 1
    while True:
        response = client.get(path, {"page": page, **params})
        slugs += [record.slug for record in response.context["page"].object_list]
        if not response.context["page"].has_next():
            return slugs
        page += 1


@pytest.fixture
def namesakes(db):
    """Six sites of one name: they tie on the default sort."""
    return [make_site("Temple of Nabu", slug=f"temple-of-nabu-{number}").slug for number in range(ALIKE)]


@pytest.fixture
def twin_incidents(db):
    site = make_site("Site of Palmyra", slug="palmyra")
    return [make_incident([site], title="Shelling reported", date="2016-03-01").slug for _ in range(ALIKE)]


@pytest.mark.parametrize("ordering", [None, "name", "-name"])
def test_sites_of_one_name_come_once_each_over_api_pages_of_one(client, namesakes, ordering):
    params = {"ordering": ordering} if ordering else {}
    assert sorted(walk_api(client, "/api/v1/sites/", **params)) == sorted(namesakes)


@pytest.mark.parametrize("sort", [None, "name", "risk", "latest"])
def test_sites_of_one_name_come_once_each_over_site_list_pages_of_one(client, namesakes, settings, sort):
    settings.SITES_PER_PAGE = 1
    params = {"sort": sort} if sort else {}
    assert sorted(walk_pages(client, reverse("sites:list"), **params)) == sorted(namesakes)


def test_incidents_of_one_date_and_title_come_once_each_over_pages_of_one(client, twin_incidents, settings):
    settings.SITES_PER_PAGE = 1
    assert sorted(walk_api(client, "/api/v1/incidents/")) == sorted(twin_incidents)
    assert sorted(walk_api(client, "/api/v1/incidents/", ordering="-date")) == sorted(twin_incidents)
    assert sorted(walk_pages(client, reverse("heritage:incidents"))) == sorted(twin_incidents)


def test_sources_of_one_date_and_title_come_once_each_over_api_pages_of_one(client, db):
    twins = [make_source("UNOSAT damage assessment", published="2015-08-31").slug for _ in range(ALIKE)]
    assert sorted(walk_api(client, "/api/v1/sources/")) == sorted(twins)
    assert sorted(walk_api(client, "/api/v1/sources/", ordering="title")) == sorted(twins)


def test_a_sort_without_a_unique_key_is_finished_by_the_id(db):
    assert in_total_order(Site.objects.order_by("name")).query.order_by == ("name", "pk")
    assert in_total_order(Site.objects.order_by("-updated")).query.order_by == ("-updated", "pk")
    assert in_total_order(Incident.objects.all()).query.order_by == ("-date_earliest", "title", "pk")
    assert in_total_order(Source.objects.order_by()).query.order_by == ("pk",)


def test_a_sort_with_a_unique_key_is_left_as_it_is(db):
    assert Site._meta.ordering == ["name", "pk"]
    assert in_total_order(Site.objects.all()).query.order_by == ()  # Meta.ordering ends with the id already
    assert in_total_order(Site.objects.order_by("slug")).query.order_by == ("slug",)
    assert in_total_order(Incident.objects.order_by("-date_earliest", "-pk")).query.order_by == ("-date_earliest", "-pk")
