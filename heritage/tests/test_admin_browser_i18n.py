"""The admin pages editors use every day, in English and in Arabic (the browser's language), at a 1366 px laptop
and a 390 px phone, in headless Chromium: each reads in its language and direction, and axe-core finds no
serious or critical violation.

Screenshots go to artifacts/screenshots/ as admin-<language>-<page>-<width>.png.
"""

import pytest
from django.core.management import call_command
from django.urls import reverse

from heritage.models import Incident, Source
from heritage.tests import test_browser
from heritage.tests.test_browser import PHONE, SCREENSHOTS, serious_violations
from sites.models import Site

pytestmark = test_browser.pytestmark
browser = test_browser.browser

LAPTOP = {"width": 1366, "height": 768}
WIDTHS = [
    ("desktop", LAPTOP, {}),
    # At scale 1: a change form twice as tall is more than Chromium captures in one screenshot.
    ("phone", PHONE, {"is_mobile": True, "has_touch": True}),
]
DIRECTIONS = {"en": "ltr", "ar": "rtl"}
# What each page says in each language, so that a page left in English (or an untranslated heading) fails.
HEADINGS = {
    "en": {"sites": "Select site to change", "incident": "Change incident", "intake": "Add report from text/HTML"},
    "ar": {"sites": "اختر موقع لتغييره", "incident": "تعديل حادثة", "intake": "إضافة تقرير من نص أو صفحة HTML"},
}


@pytest.fixture
def editor_pages(transactional_db, django_user_model):
    """The curated Palmyra dataset and an editor, committed for the live server; the pages, by name.

    Read here, before Playwright starts its event loop: database connections opened inside it would outlive
    the test.
    """
    call_command("load_curated", verbosity=0)
    django_user_model.objects.create_superuser("dana", "dana@example.org", "a long test password")
    incident = Incident.objects.filter(sites__slug="temple-of-bel").order_by("pk").first()
    source = Source.objects.filter(quotations__isnull=False).order_by("pk").first()
    return {
        "sites": reverse("admin:sites_site_changelist"),
        "site": reverse("admin:sites_site_change", args=[Site.objects.get(slug="palmyra").pk]),
        "incidents": reverse("admin:heritage_incident_changelist"),
        "incident": reverse("admin:heritage_incident_change", args=[incident.pk]),
        "sources": reverse("admin:heritage_source_changelist"),
        "source": reverse("admin:heritage_source_change", args=[source.pk]),
        "intake": reverse("admin:heritage_source_intake"),
    }


def _log_in(page, base_url):
    page.goto(base_url + reverse("admin:login"))
    page.fill("#id_username", "dana")
    page.fill("#id_password", "a long test password")
    page.click("input[type=submit]")
    page.wait_for_url("**" + reverse("admin:index"))


@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_editors_daily_pages_read_in_the_browsers_language_and_pass_axe_at_laptop_and_phone_widths(
    language, editor_pages, live_server, browser
):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    problems = []
    for width_name, viewport, extra in WIDTHS:
        context = browser.new_context(viewport=viewport, locale=language, **extra)
        page = context.new_page()
        errors = []
        page.on("pageerror", lambda error, errors=errors: errors.append(str(error)))
        _log_in(page, live_server.url)
        for name, path in editor_pages.items():
            page.goto(live_server.url + path)
            page.wait_for_load_state("networkidle")
            page.screenshot(path=SCREENSHOTS / f"admin-{language}-{name}-{width_name}.png", full_page=True)
            html = page.locator("html")
            if (html.get_attribute("lang"), html.get_attribute("dir")) != (language, DIRECTIONS[language]):
                problems.append(f"{name}: lang={html.get_attribute('lang')} dir={html.get_attribute('dir')}")
            if name in HEADINGS[language] and page.locator("#content h1").inner_text() != HEADINGS[language][name]:
                problems.append(f"{name}: heading {page.locator('#content h1').inner_text()!r}")
            problems += [f"{name} at {width_name} width: axe {found}" for found in serious_violations(page, live_server.url)]
        if errors:
            problems.append(f"script errors at {width_name} width: {errors}")
        context.close()
    assert problems == [], "\n".join(problems)
