"""What only a browser can tell about pages made for reading, in Debian's Chromium on the curated data:
layout at desktop widths, a table of contents that stays in view or folds, numbers shown once, text boxes
that follow the script typed, the map's scale and names. Screenshots go to artifacts/screenshots/reading-*.
"""

import pytest

from heritage.models import ClaimStanding, Incident
from heritage.tests.test_browser import (  # noqa: F401  (fixtures and the skip rule)
    PHONE,
    SCREENSHOTS,
    browser,
    curated,
    pytestmark,
)


@pytest.fixture
def facts(curated):  # noqa: F811
    """Read before Playwright starts its event loop, as test_browser.py's curated fixture explains."""
    corroborated = Incident.objects.published().filter(claim=ClaimStanding.CORROBORATED).first()
    return {"corroborated_url": corroborated.get_absolute_url()}


def open_page(browser, url, viewport):  # noqa: F811
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    page.goto(url)
    page.wait_for_load_state("networkidle")
    return page


def box(page, selector):
    return page.locator(selector).bounding_box()


@pytest.mark.parametrize("width", [1024, 1280, 1440])
def test_the_claim_badge_stays_in_its_column_at_every_desktop_width(facts, live_server, browser, width):  # noqa: F811
    page = open_page(browser, live_server.url + facts["corroborated_url"], {"width": width, "height": 900})
    badge = box(page, ".facts .claim")
    claim_column = box(page, ".facts > div:has(.claim)")
    threat_column = box(page, ".facts > div:has(a[href^='/categories/'])")
    assert badge["x"] + badge["width"] <= claim_column["x"] + claim_column["width"]
    assert badge["x"] + badge["width"] <= threat_column["x"] or badge["y"] + badge["height"] <= threat_column["y"]
    page.screenshot(path=SCREENSHOTS / f"reading-incident-{width}.png")


def test_categories_carry_unescos_number_once(curated, live_server, browser):  # noqa: F811
    page = open_page(browser, live_server.url + "/categories/", {"width": 1280, "height": 900})
    first = page.locator(".category-tree > li").first
    assert first.evaluate("item => getComputedStyle(item).listStyleType") == "none"
    assert first.inner_text().startswith("1. Buildings and development")
    page.screenshot(path=SCREENSHOTS / "reading-categories.png")


def test_palmyras_contents_stay_in_view_on_a_desktop_and_fold_above_the_page_on_a_phone(
    curated, live_server, browser  # noqa: F811
):
    desktop = open_page(browser, live_server.url + "/sites/palmyra/", {"width": 1280, "height": 900})
    assert desktop.locator("#page-toc").evaluate("toc => toc.open")
    desktop.get_by_role("navigation", name="On this page").get_by_role("link", name="Incidents").click()
    desktop.wait_for_url("**/sites/palmyra/#incidents-heading")
    toc = box(desktop, "#page-toc")
    assert toc["y"] == 0 and desktop.locator("#page-toc nav").is_visible()
    assert desktop.evaluate("window.scrollY") > 3000
    desktop.screenshot(path=SCREENSHOTS / "reading-palmyra-scrolled-desktop.png")

    phone = open_page(browser, live_server.url + "/sites/palmyra/", PHONE)
    assert not phone.locator("#page-toc").evaluate("toc => toc.open")
    assert box(phone, "#page-toc")["y"] < box(phone, "#status-heading")["y"]
    phone.screenshot(path=SCREENSHOTS / "reading-palmyra-phone.png")
    phone.get_by_text("On this page").click()
    phone.get_by_role("navigation", name="On this page").get_by_role("link", name="Timeline").click()
    phone.wait_for_url("**/sites/palmyra/#timeline-heading")
    assert not phone.locator("#page-toc").evaluate("toc => toc.open")


def test_arabic_typed_into_the_search_box_runs_right_to_left(curated, live_server, browser):  # noqa: F811
    page = open_page(browser, live_server.url + "/search/", {"width": 1280, "height": 900})
    box_ = page.locator("#search-q")
    box_.fill("تدمر")
    assert box_.evaluate("input => input.matches(':dir(rtl)')")
    box_.fill("Palmyra")
    assert box_.evaluate("input => input.matches(':dir(ltr)')")


def test_a_misspelt_search_offers_the_name_it_resembles(curated, live_server, browser):  # noqa: F811
    page = open_page(browser, live_server.url + "/search/?q=Palmira", {"width": 1280, "height": 900})
    page.locator("#did-you-mean").get_by_role("link").click()
    page.wait_for_url("**/search/?q=**")
    assert page.locator("#sites").get_by_role("link", name="Site of Palmyra", exact=True).is_visible()
    page.screenshot(path=SCREENSHOTS / "reading-search-did-you-mean.png")


def test_a_sites_map_zoomed_in_shows_a_scale_and_the_names_of_the_places_on_it(curated, live_server, browser):  # noqa: F811
    page = open_page(browser, live_server.url + "/sites/temple-of-bel/", {"width": 1280, "height": 900})
    page.wait_for_selector("#site-map[data-ready]")
    assert page.locator("#site-map .leaflet-control-scale-line").inner_text().endswith(("m", "km"))
    assert page.locator("#site-map .site-label", has_text="Temple of Bel").count() == 1
    page.locator("#site-map").screenshot(path=SCREENSHOTS / "reading-map-temple-of-bel.png")
