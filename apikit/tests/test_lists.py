"""Page numbers (“last” included) and sorting, on a list endpoint with several pages."""

import pytest

from heritage.tests.factories import make_incident
from sites.tests.factories import make_site

pytestmark = pytest.mark.django_db

INCIDENTS = "/api/v1/incidents/"


@pytest.fixture
def five_incidents():
    site = make_site("Temple of Bel", slug="temple-of-bel")
    return [make_incident([site], title=f"Incident in 201{number}", date=f"201{number}") for number in range(5)]


def test_page_last_returns_the_last_page(api, five_incidents):
    response = api.get(INCIDENTS, {"page": "last", "page_size": 2, "ordering": "date"})
    assert response.status_code == 200
    body = response.json()
    assert [incident["title"] for incident in body["results"]] == ["Incident in 2014"]
    assert body["next"] is None
    assert body["count"] == 5 and "page=2" in body["previous"]


def test_page_last_of_an_empty_list_is_its_only_page(api):
    response = api.get(INCIDENTS, {"page": "last"})
    assert response.status_code == 200
    assert response.json()["results"] == []


@pytest.mark.parametrize("ordering, unknown", [
    ("colour", "“colour”"),
    ("title,colour", "“colour”"),
    ("title,", "an empty item"),
    (",title", "an empty item"),
    ("-", "“-”"),
    ("--title", "“--title”"),
    ("%E¿M", "“%E¿M”"),
    ("%(x)s", "“%(x)s”"),
])
@pytest.mark.parametrize("endpoint", [INCIDENTS, f"{INCIDENTS}csv/"])
def test_an_unknown_ordering_is_a_400_listing_the_allowed_ones(api, endpoint, ordering, unknown):
    response = api.get(endpoint, {"ordering": ordering})
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"ordering": [
        f"Cannot sort by {unknown}. Sort by date, updated, title, prefixed with - for descending "
        "and separated by commas."
    ]}


def test_known_orderings_sort_and_combine(api, five_incidents):
    response = api.get(INCIDENTS, {"ordering": "-date,title"})
    assert response.status_code == 200
    assert [incident["title"] for incident in response.json()["results"]][:2] == ["Incident in 2014", "Incident in 2013"]
