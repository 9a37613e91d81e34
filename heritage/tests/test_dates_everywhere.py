"""Whatever date an editor sends, it is refused with a message on the field, or every page shows it.

A date that validated but could not be shown once took the home page, lists, search, feeds and the
API down for everyone until the row was repaired by hand.
"""

from contextlib import contextmanager

import pytest
from django.db import transaction
from hypothesis import HealthCheck, example, given, settings

from heritage.models import Incident
from heritage.tests.factories import make_category, make_incident, make_source
from sites.tests.edtf_strategies import edtf_like
from sites.tests.factories import make_site

pytestmark = pytest.mark.django_db

INCIDENTS = "/api/v1/incidents/"


@pytest.fixture
def bel():
    palmyra = make_site("Site of Palmyra", slug="palmyra")
    return make_site("Temple of Bel", slug="temple-of-bel", kind="temple", parent=palmyra)


@contextmanager
def rolled_back():
    """Undo what one example wrote when it ends, so every example starts from the same rows.

    Hypothesis runs all its examples inside one test: they share its fixtures (hence the suppressed
    function_scoped_fixture health check) and its transaction, which is rolled back only after the last.
    """
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def assert_every_page_shows_the_record(client, api, incident_slug):
    pages = [
        "/", "/incidents/", f"/incidents/{incident_slug}/", "/sites/", "/sites/temple-of-bel/", "/sites/palmyra/",
        "/search/?q=Temple", "/feeds/incidents.atom", "/feeds/sites/palmyra.atom", "/charts/sites/palmyra.svg",
    ]
    for page in pages:
        assert client.get(page).status_code == 200, page
    for url in (INCIDENTS, f"{INCIDENTS}{incident_slug}/", "/api/v1/sites/palmyra/"):
        assert api.get(url).status_code == 200, url


@given(date=edtf_like)
@example(date="9999-12-31").via("the chart's last month")
@example(date="XXXX").via("a year unknown")
@example(date="Y170000000").via("a long year")
@example(date="[..2015]").via("an open set")
@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_a_date_sent_to_the_api_is_refused_on_its_field_or_shown_on_every_page(
    client, api, api_as, alice, bel, date
):
    with rolled_back():
        make_category()
        source = make_source("Damage to the Temple of Bel", publisher="UNOSAT")
        editor = api_as(alice)
        created = editor.post(INCIDENTS, {
            "slug": "sent", "title": "Temple of Bel blown up", "date": date, "sites": ["temple-of-bel"],
            "category": "deliberate-destruction-of-heritage", "status": "published",
            "citations": [{"source": source.slug}],
        }, format="json")
        assert created.status_code in (201, 400), created.content
        if created.status_code == 400:
            assert list(created.json()["error"]["fields"]) == ["date"]
        else:
            assert created.json()["date_display"]

        existing = make_incident([bel], date="2015-08-30", source=source)
        url = f"{INCIDENTS}{existing.slug}/"
        changed = editor.patch(url, {"date": date}, format="json", HTTP_IF_MATCH=editor.get(url)["ETag"])
        assert changed.status_code == (200 if created.status_code == 201 else 400), changed.content

        if changed.status_code == 400:
            # Refused: nothing was written, so there is no new date for the pages to show.
            assert list(changed.json()["error"]["fields"]) == ["date"]
            assert list(Incident.objects.values_list("date", flat=True)) == ["2015-08-30"]
        else:
            assert_every_page_shows_the_record(client, api, existing.slug)
