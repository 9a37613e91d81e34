"""A long site list is counted exactly up to a thousand matches and estimated beyond, said as "about".

An exact count reads every match, so it grew tenfold from 10,000 to 100,000 sites while the page
itself did not; counting stops at the cap and PostgreSQL's planner estimates the rest.
"""

import pytest

from heritage.pagination import EstimatingPaginator, about
from sites.models import Site
from sites.tests.factories import make_site

pytestmark = pytest.mark.django_db


@pytest.fixture
def tells():
    return [make_site(f"Tell {number:02}", countries=("SY",)) for number in range(7)]


def test_a_list_up_to_the_cap_is_counted_exactly(client, tells):
    paginator = EstimatingPaginator(Site.objects.order_by("name"), 3, exact_up_to=7)
    assert (paginator.count, paginator.estimated, paginator.num_pages) == (7, False, 3)
    assert "7 sites match these filters." in client.get("/sites/?country=SY").content.decode()


def test_estimates_are_rounded_to_two_figures():
    assert [about(number) for number in (1001, 11158, 96_540, 380_212)] == [1000, 11000, 97000, 380000]


@pytest.mark.postgres
def test_a_longer_list_is_estimated_and_every_page_of_it_can_still_be_read(tells):
    paginator = EstimatingPaginator(Site.objects.order_by("name"), 3, exact_up_to=4)
    assert paginator.estimated
    assert paginator.count >= 5  # at least what was found before counting stopped

    pages = [paginator.get_page(number) for number in (1, 2, 3)]
    assert [[site.name for site in page] for page in pages] == [
        ["Tell 00", "Tell 01", "Tell 02"], ["Tell 03", "Tell 04", "Tell 05"], ["Tell 06"],
    ]
    assert [page.has_next() for page in pages] == [True, True, False]
    assert list(paginator.get_page(9)) == []  # beyond the end: an empty page, not an error


@pytest.mark.postgres
def test_an_estimated_count_is_shown_as_about(client, tells, monkeypatch):
    monkeypatch.setattr("heritage.pagination.EXACT_COUNT_UP_TO", 4)
    body = client.get("/sites/?country=SY").content.decode()
    assert "About " in body and "sites match these filters." in body


def test_the_home_page_counts_its_figures_exactly_up_to_the_cap(client, tells):
    figures = client.get("/").context["figures"]

    assert figures["sites"] == (7, False)
    assert figures["countries"] == 1
    assert '<a href="/sites/">7</a>' in client.get("/").content.decode()


@pytest.mark.postgres
def test_the_home_page_gives_a_larger_figure_as_about(client, tells, monkeypatch):
    monkeypatch.setattr("heritage.pagination.EXACT_COUNT_UP_TO", 4)

    assert client.get("/").context["figures"]["sites"][1] is True
    assert '<a href="/sites/">about ' in client.get("/").content.decode()
    assert '<a href="/ar/sites/">نحو ' in client.get("/ar/").content.decode()


def test_every_country_of_the_record_is_counted_once_however_many_sites_lie_in_it(tells):
    make_site("Hatra", countries=("IQ",))
    make_site("A border site", countries=("IQ", "SY"))

    assert Site.objects.country_codes() == {"SY", "IQ"}
    assert Site.objects.filter(name="Hatra").country_codes() == {"IQ"}
