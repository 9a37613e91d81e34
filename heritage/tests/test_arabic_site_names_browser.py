"""The Arabic site list in headless Chromium at desktop and phone widths: sites named in Arabic, English-only
names marked and laid out left to right inside the right-to-left page, no serious axe-core violation.

Screenshots: artifacts/screenshots/arnames-sites-<width>.png, and -palmyra.png of the screen around Palmyra's row."""

import pytest

from heritage.tests import test_browser
from heritage.tests.test_browser import DESKTOP, PHONE, SCREENSHOTS, serious_violations

pytestmark = test_browser.pytestmark
browser = test_browser.browser
curated = test_browser.curated


@pytest.mark.parametrize("width_name, viewport, extra", [
    ("desktop", DESKTOP, {}),
    ("phone", PHONE, {"device_scale_factor": 2, "is_mobile": True, "has_touch": True}),
])
def test_the_arabic_site_list_names_sites_in_arabic(width_name, viewport, extra, curated, live_server, browser):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport=viewport, **extra)
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/ar/sites/?sort=risk")
        page.wait_for_selector("main")
        page.wait_for_load_state("networkidle")
        page.screenshot(path=SCREENSHOTS / f"arnames-sites-{width_name}.png", full_page=True)

        assert page.locator("html").get_attribute("dir") == "rtl"
        palmyra = page.locator('main a[href$="/sites/palmyra/"]').first
        assert palmyra.inner_text() == "تدمر"
        palmyra.scroll_into_view_if_needed()
        page.screenshot(path=SCREENSHOTS / f"arnames-sites-{width_name}-palmyra.png")
        for english in page.locator('th a span[lang="en"]').all():
            assert english.evaluate("element => getComputedStyle(element).direction") == "ltr"
        assert serious_violations(page, live_server.url) == []
    finally:
        context.close()
