"""The site page's table of contents beside its map, in Debian's Chromium on the curated data, in both languages:
the contents stay in view as the reader scrolls, and never cover the map. Screenshots go to
artifacts/screenshots/toc-map-*.
"""

import pytest

from heritage.tests.test_browser import (  # noqa: F401  (fixtures and the skip rule)
    PHONE,
    SCREENSHOTS,
    browser,
    curated,
    pytestmark,
)

LANGUAGES = {"en": "", "ar": "/ar"}


def open_palmyra(browser, live_server, language, viewport):  # noqa: F811
    page = browser.new_context(viewport=viewport).new_page()
    page.goto(live_server.url + LANGUAGES[language] + "/sites/palmyra/")
    page.wait_for_selector("#site-map[data-ready]")
    return page


def meet(a, b):
    return a["x"] < b["x"] + b["width"] and b["x"] < a["x"] + a["width"] and \
        a["y"] < b["y"] + b["height"] and b["y"] < a["y"] + a["height"]


@pytest.mark.parametrize("language", ["en", "ar"])
@pytest.mark.parametrize("width", [1366, 1920])
def test_the_contents_never_cover_the_map_as_the_reader_scrolls_the_page(
    curated, live_server, browser, width, language  # noqa: F811
):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page = open_palmyra(browser, live_server, language, {"width": width, "height": 800})
    assert page.locator("#page-toc").evaluate("toc => toc.open")
    toc, site_map = page.locator("#page-toc"), page.locator("#site-map")

    # Every scroll position from the top of the page to well past the map, a third of a screen at a time, and the
    # one where the map has just reached the top of the window (where a contents stuck to the top would lie on it).
    map_top = page.evaluate("document.getElementById('site-map').getBoundingClientRect().top + window.scrollY")
    positions = [*range(0, int(map_top) + 1600, 260), int(map_top) - 5]
    for position in positions:
        page.evaluate("y => window.scrollTo(0, y)", position)
        page.wait_for_timeout(30)
        assert not meet(toc.bounding_box(), site_map.bounding_box()), (position, toc.bounding_box(), site_map.bounding_box())
    page.evaluate("y => window.scrollTo(0, y)", int(map_top) - 5)
    page.screenshot(path=SCREENSHOTS / f"toc-map-{language}-{width}.png")

    # In the same column as the map (beside the page: to the right in English, to the left in Arabic) and still in
    # view, at the top of the window, deep in the timeline.
    main_column, toc_box = page.locator(".site-main").bounding_box(), toc.bounding_box()
    if language == "en":
        assert toc_box["x"] >= main_column["x"] + main_column["width"]
    else:
        assert toc_box["x"] + toc_box["width"] <= main_column["x"]
    page.get_by_role("navigation", name={"en": "On this page", "ar": "في هذه الصفحة"}[language]).get_by_role(
        "link").nth(2).click()
    page.wait_for_function("window.scrollY > 2000")
    page.wait_for_timeout(100)
    assert toc.bounding_box()["y"] == 0
    assert not meet(toc.bounding_box(), site_map.bounding_box())
    page.screenshot(path=SCREENSHOTS / f"toc-map-{language}-{width}-scrolled.png")


@pytest.mark.parametrize("language", ["en", "ar"])
def test_on_a_phone_the_contents_fold_above_the_page_and_nothing_runs_off_the_screen(
    curated, live_server, browser, language  # noqa: F811
):
    page = open_palmyra(browser, live_server, language, PHONE)
    toc = page.locator("#page-toc")
    assert not toc.evaluate("toc => toc.open")
    assert toc.bounding_box()["y"] < page.locator("#status-heading").bounding_box()["y"]
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    toc_box, map_box = toc.bounding_box(), page.locator("#site-map").bounding_box()
    assert toc_box["width"] <= PHONE["width"] and map_box["width"] <= PHONE["width"]
    assert not meet(toc_box, map_box)
    page.screenshot(path=SCREENSHOTS / f"toc-map-{language}-phone.png", full_page=False)
