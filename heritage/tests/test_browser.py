"""End to end, in Debian's headless Chromium driven by Playwright, against the live test server.

Screenshots of every page, at desktop and phone widths, go to artifacts/screenshots/.
"""

import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.templatetags.static import static

from heritage.models import Incident
from sites.models import Site

CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not shutil.which(CHROMIUM), reason=f"{CHROMIUM} is absent: run `make browser-deps`"),
]


def serious_violations(page, base_url):
    """What axe-core (vendored from npm into static/vendor/axe-core/) finds serious or critical on the page."""
    page.add_script_tag(url=base_url + static("vendor/axe-core/axe.min.js"))
    violations = page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations")
    return [
        (violation["id"], violation["impact"], [node["html"][:120] for node in violation["nodes"]][:3])
        for violation in violations
        if violation["impact"] in ("critical", "serious")
    ]


@pytest.fixture
def browser():
    sync_playwright = pytest.importorskip("playwright.sync_api").sync_playwright
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def curated(transactional_db):
    """The curated Palmyra dataset, committed so that the live server sees it, and facts the test checks.

    Read here, before Playwright starts its event loop: database connections
    opened inside it would outlive the test.
    """
    call_command("load_curated", verbosity=0)
    located = Site.objects.with_coordinates()
    incident = Incident.objects.published().filter(sites__slug="temple-of-bel").select_related("category").first()
    return {
        "located": located.count(),
        "temples": located.filter(kind__slug="temple").count(),
        "incident_url": incident.get_absolute_url(),
        "category_url": incident.category.get_absolute_url(),
    }


class Visit:
    """A browser page that records what left the server, what CSP refused, and takes screenshots."""

    def __init__(self, browser, base_url):
        self.base = urlsplit(base_url)
        self.context = browser.new_context(viewport=DESKTOP)
        self.page = self.context.new_page()
        self.foreign_requests, self.errors, self.visited = [], [], []
        self.page.on("request", self.check_request)
        self.page.on("console", lambda message: message.type == "error" and self.errors.append(message.text))
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def check_request(self, request):
        if urlsplit(request.url).netloc != self.base.netloc and not request.url.startswith("data:"):
            self.foreign_requests.append(request.url)

    def snap(self, name):
        self.page.screenshot(path=SCREENSHOTS / f"{name}-desktop.png", full_page=True)
        self.visited.append((name, self.page.url))

    def snap_phones(self):
        phone = self.context.browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
        page = phone.new_page()
        for name, url in self.visited:
            page.goto(url)
            page.wait_for_load_state("networkidle")
            page.screenshot(path=SCREENSHOTS / f"{name}-phone.png", full_page=True)
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= PHONE["width"], f"{name} scrolls sideways on a phone ({width}px)"
        phone.close()


def test_a_researcher_finds_the_temple_of_bel_reads_its_history_and_maps_the_sites(curated, live_server, browser):
    visit = Visit(browser, live_server.url)
    page = visit.page

    page.goto(live_server.url + "/")
    page.wait_for_selector("#home-map[data-ready]")
    visit.snap("home")

    search_box = page.get_by_label("Search sites, incidents, history and sources")
    search_box.fill("Bel")
    search_box.press("Enter")
    page.wait_for_url("**/search/?q=Bel")
    visit.snap("search")

    page.locator("#sites").get_by_role("link", name="Temple of Bel", exact=True).click()
    page.wait_for_url("**/sites/temple-of-bel/")
    page.wait_for_selector("#site-map[data-ready]")
    dates = page.locator(".timeline-date time").all_inner_texts()
    assert "AD 32" in dates and "30 August 2015" in dates
    assert dates.index("AD 32") < dates.index("30 August 2015")
    arabic = page.locator('.names bdi[lang="ar"]').first
    assert arabic.get_attribute("dir") == "rtl"
    visit.snap("site")

    page.get_by_role("search").first.get_by_role("searchbox").fill("Daily Mail")
    page.get_by_role("search").first.get_by_role("button", name="Search").click()
    page.locator("#sources").get_by_role("link", name="ISIS film a CHILD").first.click()
    page.wait_for_url("**/sources/dailymail-2015-07-17-child-execution-near-palmyra/")
    hidden = page.locator(".graphic-content")
    assert not hidden.is_visible()
    page.get_by_text("Content warning: this source describes or shows violence").click()
    assert hidden.is_visible()
    visit.snap("source-graphic-revealed")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Map").click()
    page.wait_for_url("**/map/")
    located = curated["located"]
    page.wait_for_selector(f"#sites-map[data-ready='{located}']")
    markers = page.locator("#sites-map path.site-marker, #sites-map .site-cluster")
    markers.first.wait_for()
    assert markers.count() >= 2  # Damascus on its own, Palmyra's monuments clustered or apart
    visit.snap("map")

    page.get_by_label("Kind").select_option("temple")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url("**/map/?**kind=temple**")
    temples = curated["temples"]
    assert 0 < temples < located
    page.wait_for_selector(f"#sites-map[data-ready='{temples}']")
    visit.snap("map-temples")

    for name, path in [("sites", "/sites/?sort=risk"), ("incidents", "/incidents/"), ("categories", "/categories/"),
                       ("incident", curated["incident_url"]), ("palmyra", "/sites/palmyra/"),
                       ("category", curated["category_url"])]:
        page.goto(live_server.url + path)
        page.wait_for_load_state("networkidle")
        visit.snap(name)
    page.goto(live_server.url + "/sites/?risk=apocalyptic")
    visit.snap("sites-bad-filter")

    visit.snap_phones()
    assert visit.foreign_requests == []
    assert [error for error in visit.errors if "400 (Bad Request)" not in error] == []
    visit.context.close()
