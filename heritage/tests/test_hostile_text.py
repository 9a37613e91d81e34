"""Hostile text from editors, sources or imports is shown as text everywhere, never run as markup.

Script tags, broken HTML, attribute breakers, very long strings and right-to-left
override characters go into names, titles, quotations and URLs; every page, the
admin, the feeds and the API must render them inert.
"""

import pytest
from django.urls import reverse

from heritage.models import Quotation
from heritage.tests.factories import make_incident, make_source
from sites.tests.factories import PALMYRA, make_name, make_site

SCRIPT = "<script>alert('x')</script>"
BROKEN = '<b><i onmouseover="alert(1)">unclosed'
ATTRIBUTE = '" onfocus="alert(2)" autofocus="'
RLO = "\u202egnp.exe"
LONG = "Palmyra " * 30


@pytest.fixture
def hostile(db):
    site = make_site(f"Temple {SCRIPT}", slug="hostile-temple", summary=BROKEN + ATTRIBUTE, **PALMYRA)
    make_name(site, f"{RLO} {SCRIPT}", language="ar")
    make_name(site, LONG.strip(), language="en")
    source = make_source(
        f"Report {SCRIPT}{ATTRIBUTE}",
        publisher=BROKEN,
        url="https://example.org/report?q=%22%3E%3Cscript%3E",
        summary=f"{SCRIPT} {RLO}",
    )
    Quotation.objects.create(source=source, text=f"{SCRIPT}{BROKEN}", supports=ATTRIBUTE)
    incident = make_incident([site], title=f"Blown up {SCRIPT}", description=BROKEN, source=source)
    return site, source, incident


def assert_inert(html):
    assert "<script>alert" not in html
    assert 'onmouseover="alert' not in html
    assert 'onfocus="alert' not in html
    assert "<i onmouseover" not in html


def page_urls(site, source, incident):
    return [
        reverse("heritage:home"),
        site.get_absolute_url(),
        reverse("sites:list") + "?q=" + "Temple",
        source.get_absolute_url(),
        incident.get_absolute_url(),
        reverse("heritage:incidents"),
        reverse("heritage:search") + "?q=Temple",
        reverse("heritage:search") + "?q=%3Cscript%3Ealert(1)%3C/script%3E",
    ]


def test_pages_show_hostile_text_escaped(client, hostile):
    for url in page_urls(*hostile):
        response = client.get(url)
        assert response.status_code in (200, 400), url
        html = response.content.decode()
        assert_inert(html)
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in client.get(hostile[0].get_absolute_url()).content.decode()


def test_the_json_ld_on_site_pages_cannot_close_its_script_element(client, hostile):
    html = client.get(hostile[0].get_absolute_url()).content.decode()
    json_ld = html.split('type="application/ld+json"', 1)[1].split("</script>", 1)[0]
    assert "<script" not in json_ld and "\\u003C" in json_ld


def test_feeds_carry_hostile_text_as_escaped_text(client, hostile):
    for name in ("incidents.atom", "incidents.rss"):
        body = client.get(f"/feeds/{name}").content.decode()
        assert "<script>alert" not in body
        assert "&lt;script&gt;" in body


def test_the_admin_shows_hostile_text_escaped(client, alice, hostile):
    site, source, incident = hostile
    client.force_login(alice)
    for url in [
        reverse("admin:sites_site_changelist"),
        reverse("admin:sites_site_change", args=[site.pk]),
        reverse("admin:heritage_source_changelist"),
        reverse("admin:heritage_source_change", args=[source.pk]),
        reverse("admin:heritage_incident_changelist"),
        reverse("admin:heritage_incident_change", args=[incident.pk]),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_inert(response.content.decode())


def test_the_api_returns_hostile_text_as_json_strings_never_as_html(client, hostile):
    site, source, incident = hostile
    for url in [f"/api/v1/sites/{site.slug}/", f"/api/v1/sources/{source.slug}/", f"/api/v1/incidents/{incident.slug}/"]:
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/json")
        assert response["X-Content-Type-Options"] == "nosniff"
    assert client.get(f"/api/v1/sites/{site.slug}/").json()["name"] == f"Temple {SCRIPT}"


def test_right_to_left_overrides_stay_inside_their_own_element(client, hostile):
    html = client.get(hostile[0].get_absolute_url()).content.decode()
    head, json_ld_and_rest = html.split('<script type="application/ld+json">', 1)
    body = head + json_ld_and_rest.split("</script>", 1)[1]
    shown = body.split(RLO)[:-1]
    assert shown, "the name with the override is shown on the page"
    for before in shown:
        # Each place it is shown, the element around it isolates its direction (dir="rtl"/"auto" or <bdi>).
        opening = before.rsplit("<", 1)[1]
        assert "dir=" in opening or opening.startswith("bdi"), opening
