"""The admin's source and incident lists in a 1366 × 768 window, the commonest laptop screen: every column,
status included, in view without scrolling sideways. Screenshots go to artifacts/screenshots/."""

import pytest
from django.core.management import call_command

from heritage.tests.test_browser import CHROMIUM_ARGS, SCREENSHOTS, pytestmark  # noqa: F401

LAPTOP = {"width": 1366, "height": 768}


@pytest.fixture
def browser():
    sync_playwright = pytest.importorskip("playwright.sync_api").sync_playwright
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def editor_login(transactional_db, django_user_model):
    """The curated Palmyra dataset and an editor's name and password, committed for the live server."""
    call_command("load_curated", verbosity=0)
    django_user_model.objects.create_superuser("dana", "dana@example.org", "a long test password")
    return "dana", "a long test password"


@pytest.mark.parametrize(("path", "name"), [
    ("/admin/heritage/source/", "admin-sources"),
    ("/admin/heritage/incident/", "admin-incidents"),
])
def test_the_list_fits_a_1366_pixel_window_with_its_status_in_view(editor_login, live_server, browser, path, name):
    context = browser.new_context(viewport=LAPTOP)
    page = context.new_page()
    page.goto(f"{live_server.url}/admin/login/?next={path}")
    page.fill("#id_username", editor_login[0])
    page.fill("#id_password", editor_login[1])
    page.click("input[type=submit]")
    page.wait_for_selector("#result_list")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}-1366.png")

    page_overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    # Django's list scrolls inside its own box when too wide: columns past its right edge are out of view.
    list_overflow = page.evaluate("(box => box.scrollWidth - box.clientWidth)(document.querySelector('.results'))")
    visible = page.locator(".results").bounding_box()
    status = page.locator("#result_list tbody tr:first-child td.field-status").bounding_box()
    context.close()

    assert (page_overflow, list_overflow) == (0, 0)
    assert visible["x"] <= status["x"] and status["x"] + status["width"] <= visible["x"] + visible["width"]


def test_swapped_coordinates_show_the_reason_and_the_swap_box_on_the_site_form(editor_login, live_server, browser):
    context = browser.new_context(viewport=LAPTOP)
    page = context.new_page()
    page.goto(f"{live_server.url}/admin/login/?next=/admin/sites/site/")
    page.fill("#id_username", editor_login[0])
    page.fill("#id_password", editor_login[1])
    page.click("input[type=submit]")
    page.get_by_role("link", name="Site of Palmyra", exact=True).click()
    swap_box = page.locator("#id_swap_coordinates")
    hidden_before = not swap_box.is_visible()
    page.fill("#id_latitude", "38.2666666667")
    page.fill("#id_longitude", "34.5541666667")
    page.click("input[name=_continue]")
    page.locator("#id_swap_coordinates").scroll_into_view_if_needed()
    page.screenshot(path=SCREENSHOTS / "admin-site-swapped-coordinates-1366.png")
    shown_after = page.locator("#id_swap_coordinates").is_visible()
    error = page.locator(".field-latitude .errorlist").inner_text()
    context.close()

    assert (hidden_before, shown_after) == (True, True)
    assert "the latitude and longitude look swapped" in error
