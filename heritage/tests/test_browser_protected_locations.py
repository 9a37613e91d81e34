"""Protected locations in the browser: what the map draws for an anonymous reader (see test_location_sensitivity.py)."""

import json

import pytest
from django.core.management import call_command

from heritage.tests.test_browser import CHROMIUM, Visit, browser  # noqa: F401 — the browser fixture
from sites.models import Site

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not __import__("shutil").which(CHROMIUM), reason=f"{CHROMIUM} is absent"),
]


@pytest.fixture
def protected(transactional_db):
    """The curated dataset with the Tower of Elahbel hidden and Qasr al-Hayr al-Gharbi generalised."""
    call_command("load_curated", verbosity=0)
    Site.objects.filter(slug="tower-of-elahbel").update(location_sensitivity=Site.LocationSensitivity.HIDDEN)
    Site.objects.filter(slug="qasr-al-hayr-al-gharbi").update(
        location_sensitivity=Site.LocationSensitivity.GENERALISED
    )
    qasr = Site.objects.get(slug="qasr-al-hayr-al-gharbi")
    return {"qasr": (qasr.latitude, qasr.longitude)}


def test_the_map_draws_no_hidden_part_and_only_the_cell_of_a_generalised_site(protected, live_server, browser):  # noqa: F811
    visit = Visit(browser, live_server.url)
    page = visit.page

    page.goto(live_server.url + "/sites/palmyra/")
    page.wait_for_selector("#site-map[data-ready]")
    points = json.loads(page.locator("script#site").text_content())
    drawn = int(page.locator("#site-map").get_attribute("data-ready"))
    visit.snap("site-with-a-hidden-part")

    assert "Tower of Elahbel" not in [point["name"] for point in points]
    assert drawn == len(points) > 1

    page.goto(live_server.url + "/sites/qasr-al-hayr-al-gharbi/")
    page.wait_for_selector("#site-map[data-ready]")
    qasr = next(point for point in json.loads(page.locator("script#site").text_content()) if point["current"])
    visit.snap("site-generalised")

    assert (qasr["lat"], qasr["lon"], qasr["generalised"]) == (34.35, 37.65, True)
    assert page.get_by_text("Generalised to protect the site").is_visible()
    assert f"{protected['qasr'][0]:.5f}" not in page.content()
    assert not visit.foreign_requests and not visit.errors
