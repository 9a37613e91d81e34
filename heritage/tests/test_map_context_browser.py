"""The map's context from Natural Earth (static/basemap/): towns, rivers and lakes under the sites, in Debian's
Chromium on the curated data, in both languages. Screenshots go to artifacts/screenshots/map-context-*.
"""

import pytest

from heritage.tests.test_browser import (  # noqa: F401  (fixtures and the skip rule)
    DESKTOP,
    SCREENSHOTS,
    browser,
    curated,
    pytestmark,
)

LANGUAGES = {"en": "", "ar": "/ar"}


def zoom_out_to(page, zoom):
    """Zooms out with the map's own button, as a reader would, until the scale says the map is at `zoom`."""
    while int(page.locator("#site-map").get_attribute("data-zoom-now")) > zoom:
        before = page.locator("#site-map").get_attribute("data-zoom-now")
        page.locator("#site-map .leaflet-control-zoom-out").click()
        page.wait_for_function(
            "before => document.querySelector('#site-map').dataset.zoomNow !== before", arg=before
        )
    page.wait_for_timeout(300)


def label(page, kind, text):
    return page.locator(f"#site-map .{kind}-label", has_text=text)


def shown(page, kind, text):
    """Whether a name of this kind is on the map where a reader sees it: inside the map's frame, not hidden."""
    found = label(page, kind, text)
    if found.count() != 1 or not found.is_visible():
        return False
    name, frame = found.bounding_box(), page.locator("#site-map").bounding_box()
    return (
        frame["x"] <= name["x"] and name["x"] + name["width"] <= frame["x"] + frame["width"]
        and frame["y"] <= name["y"] and name["y"] + name["height"] <= frame["y"] + frame["height"]
    )


def overlapping_names(page, map_id="site-map"):
    """Pairs of names shown on the map whose boxes overlap, and names of towns or rivers that cover a site's
    marker."""
    return page.evaluate("""mapId => {
      const map = document.getElementById(mapId);
      const box = element => [element.textContent || "marker", element.getBoundingClientRect()];
      const names = Array.from(map.querySelectorAll(".leaflet-tooltip"))
        .filter(label => getComputedStyle(label).visibility !== "hidden" && label.style.opacity !== "0").map(box);
      const markers = Array.from(map.querySelectorAll(".site-marker, .site-cluster")).map(box);
      const meet = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
      const pairs = [];
      names.forEach(([name, a], i) => names.slice(i + 1).forEach(([other, b]) => meet(a, b) && pairs.push([name, other])));
      Array.from(map.querySelectorAll(".context-label")).filter(label => getComputedStyle(label).visibility !== "hidden")
        .map(box).forEach(([name, a]) => markers.forEach(([, b]) => meet(a, b) && pairs.push([name, "a site"])));
      return pairs;
    }""", map_id)


@pytest.mark.parametrize("language", ["en", "ar"])
def test_palmyras_map_names_the_town_beside_it_and_zoomed_out_the_cities_and_the_euphrates(
    curated, live_server, browser, language  # noqa: F811
):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page = browser.new_context(viewport=DESKTOP).new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(live_server.url + LANGUAGES[language] + "/sites/palmyra/")
    page.wait_for_selector("#site-map[data-context='ready']")

    # Where the page opens, among the monuments, no name covers another: a name with no room waits for the
    # reader to zoom in.
    page.locator("#site-map").screenshot(path=SCREENSHOTS / f"map-context-monuments-{language}.png")
    assert shown(page, "site", {"en": "Site of Palmyra", "ar": "تدمر"}[language])  # as the page names it
    found = overlapping_names(page)
    assert found == [], found

    # Over the oasis: the modern town, Tadmur, is named beside the ancient city, and Homs, 150 km away, is not.
    zoom_out_to(page, 11)
    page.locator("#site-map").screenshot(path=SCREENSHOTS / f"map-context-palmyra-{language}.png")
    assert shown(page, "place", "Tadmur")
    assert not shown(page, "place", "Homs")

    zoom_out_to(page, 7)
    page.locator("#site-map").screenshot(path=SCREENSHOTS / f"map-context-syria-{language}.png")
    assert shown(page, "place", "Homs")
    assert shown(page, "place", "Tadmur")
    found = overlapping_names(page)
    assert found == [], found
    assert page.locator("#site-map .leaflet-control-scale-line").inner_text().endswith({"en": " km", "ar": " كم"}[language])

    # Further out, the Euphrates: Natural Earth names it "Al Furat" in Syria ("Euphrates" in Iraq, "Firat" in
    # Turkey), and الفرات in Arabic throughout. Tadmur, a small town, has given way to the larger ones.
    zoom_out_to(page, 6)
    page.locator("#site-map").screenshot(path=SCREENSHOTS / f"map-context-region-{language}.png")
    assert shown(page, "river", {"en": "Al Furat", "ar": "الفرات"}[language])
    assert shown(page, "place", {"en": "Damascus", "ar": "دمشق"}[language])
    assert label(page, "place", "Tadmur").count() == 0
    found = overlapping_names(page)
    assert found == [], found
    if language == "ar":
        assert label(page, "river", "Al Furat").count() == 0
        assert label(page, "place", "Damascus").count() == 0
        assert label(page, "river", "الفرات").count() == 1

    # A town with no Arabic name in Natural Earth is named in English, marked as English on an Arabic page.
    name = label(page, "place", "Homs").locator("span")
    expected = (None, None) if language == "en" else ("en", "ltr")
    assert (name.get_attribute("lang"), name.get_attribute("dir")) == expected
    assert errors == []


def test_the_home_maps_view_of_the_region_names_its_cities_but_not_yet_its_small_towns(
    curated, live_server, browser  # noqa: F811
):
    page = browser.new_context(viewport=DESKTOP).new_page()
    page.goto(live_server.url + "/")
    page.wait_for_selector("#home-map[data-context='ready']")
    page.locator("#home-map").screenshot(path=SCREENSHOTS / "map-context-home.png")
    shown = page.locator("#home-map .place-label").all_inner_texts()

    # Natural Earth shows Damascus from zoom 4.7 and Baabda, by Beirut, from zoom 9.
    assert int(page.locator("#home-map").get_attribute("data-zoom-now")) < 9
    assert "Damascus" in shown
    assert "Baabda" not in shown


def test_a_towns_name_that_would_cover_a_sites_marker_moves_to_the_other_side_of_its_dot(
    curated, live_server, browser  # noqa: F811
):
    page = browser.new_context(viewport=DESKTOP).new_page()
    page.goto(live_server.url + "/ar/map/")
    page.wait_for_selector("#sites-map[data-context='ready']")
    page.locator("#sites-map").screenshot(path=SCREENSHOTS / "map-context-sites-ar.png")

    # The curated data has a site in Damascus, beside Natural Earth's point for the city.
    damascus = page.locator("#sites-map .place-label", has_text="دمشق")
    assert damascus.is_visible()
    assert "leaflet-tooltip-left" in damascus.get_attribute("class")
    assert overlapping_names(page, "sites-map") == []
