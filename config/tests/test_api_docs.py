"""The API documentation renders under the Content-Security-Policy, in a real browser (Debian's Chromium)."""

import pytest

from heritage.tests.test_browser import SCREENSHOTS, browser, pytestmark  # noqa: F401  (fixture, skip rule)

# ReDoc's menu shows Redocly's logo from cdn.redoc.ly; CSP refuses it, as it should: nothing leaves the server.
REDOCLY_LOGO = "https://cdn.redoc.ly/redoc/logo-mini.svg"


def open_docs(browser, url):  # noqa: F811
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    refused = []
    page.on("console", lambda message: "Content Security Policy" in message.text and refused.append(message.text))
    page.on("pageerror", lambda error: refused.append(str(error)))
    page.goto(url)
    return page, refused


@pytest.mark.django_db(transaction=True)
def test_swagger_ui_lists_the_operations_with_nothing_refused_by_csp(live_server, browser):  # noqa: F811
    page, refused = open_docs(browser, live_server.url + "/api/v1/docs/")
    page.get_by_text("/api/v1/sites/{slug}/", exact=True).first.wait_for()
    assert page.get_by_text("List sites", exact=True).first.is_visible()
    assert refused == []
    page.screenshot(path=SCREENSHOTS / "api-docs-swagger.png")


@pytest.mark.django_db(transaction=True)
def test_redoc_lists_the_operations_with_nothing_refused_by_csp_but_redoclys_logo(live_server, browser):  # noqa: F811
    page, refused = open_docs(browser, live_server.url + "/api/v1/redoc/")
    page.locator("h2", has_text="List condition assessments").wait_for()
    assert page.locator("a[href='#tag/sites/operation/sites_list']").count() == 1
    page.wait_for_load_state("networkidle")
    assert [message for message in refused if REDOCLY_LOGO not in message] == []
    page.screenshot(path=SCREENSHOTS / "api-docs-redoc.png")
