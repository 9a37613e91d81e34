"""The intake's confirm page in Debian's headless Chromium at a 1366 px laptop window: it fits, draws each site
widget once, and axe-core (vendored from npm into static/vendor/axe-core/) finds no critical or serious violation.

The screenshot goes to artifacts/screenshots/intake-confirm-1366.png.
"""

import pytest
from django.urls import reverse

from heritage.models import CategoryKeywordRule
from heritage.tests.factories import make_category, make_incident
from heritage.tests.gazetteer import build_gazetteer
from heritage.tests.linking_evaluation import seed_article
from heritage.tests.test_browser import (  # noqa: F401 — the fixture, the skip rule
    SCREENSHOTS,
    browser,
    pytestmark,
    serious_violations,
)

LAPTOP = {"width": 1366, "height": 768}
REPORT = (
    "Islamic State militants blew up the Temple of Baalshamin in Palmyra on 23 August 2015, officials said. "
    "Some of the treasures of the city include the Temple of Bel and the Hypogeum of the Three Brothers."
)


@pytest.fixture
def editor_and_gazetteer(transactional_db, alice):
    """Committed before Playwright starts, so that the live server sees them."""
    sites = build_gazetteer()
    destruction = make_category("Deliberate destruction of heritage")
    CategoryKeywordRule.objects.create(category=destruction, keywords="blew up\nbeheading\nexecution")
    make_incident([sites["temple-of-baalshamin"]], date="2015-08-23", category=destruction,
                  title="Temple of Baalshamin blown up")
    return alice


def intake_page(browser, base_url):  # noqa: F811
    context = browser.new_context(viewport=LAPTOP)
    page = context.new_page()
    page.goto(base_url + reverse("admin:login"))
    page.get_by_label("Username:").fill("alice")
    page.get_by_label("Password:").fill("password")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/admin/")
    page.goto(base_url + reverse("admin:heritage_source_intake"))
    return context, page


def confirm_page(browser, base_url, text):  # noqa: F811
    context, page = intake_page(browser, base_url)
    page.get_by_label("Text:").fill(text)
    page.get_by_label("Title:").fill("Temple destroyed")
    page.get_by_label("publication date:", exact=True).fill("2015-08-24")
    page.get_by_role("button", name="Propose sites, threats and dates").click()
    page.wait_for_selector(".intake-sites table")
    page.wait_for_load_state("networkidle")
    return context, page


@pytest.mark.parametrize("article", ["report", "seed"])
def test_the_confirm_page_fits_a_laptop_draws_each_widget_once_and_passes_axe(
    editor_and_gazetteer, live_server, browser, article  # noqa: F811
):
    text = REPORT if article == "report" else seed_article()
    if text is None:
        pytest.skip("the seed article is not in ../shared/seeds")
    context, page = confirm_page(browser, live_server.url, text)

    rows = page.locator(".intake-sites tbody tr")
    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth,"
        " document.querySelector('.intake-sites table').getBoundingClientRect().right, window.innerWidth]"
    )
    drawn = [rows.nth(index).locator(".select2-container").count() for index in range(rows.count())]
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"intake-confirm-{article}-1366.png", full_page=True)

    assert widths[0] <= LAPTOP["width"], f"the page scrolls sideways ({widths[0]} px)"
    assert widths[1] <= widths[2], f"the proposals table ends at {widths[1]} px"
    assert drawn == [1] * rows.count()
    assert serious_violations(page, live_server.url) == []
    if article == "report":
        assert page.get_by_label("Row 1: cite for").input_value() != ""  # the recorded incident is chosen
        assert page.get_by_label("Row 1: record").is_checked()
        assert not page.get_by_label("Row 2: record").is_checked()  # Palmyra, the temple's whole
    context.close()


def test_the_paste_or_upload_page_passes_axe_at_a_laptop_width(editor_and_gazetteer, live_server, browser):  # noqa: F811
    context, page = intake_page(browser, live_server.url)

    width = page.evaluate("document.documentElement.scrollWidth")

    assert width <= LAPTOP["width"]
    assert serious_violations(page, live_server.url) == []
    context.close()
