"""manage.py load_curated: the curated fixtures go into an empty database only.

The loaded data is tested in test_curated_data.py.
"""

import io
import json
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from heritage.management.commands.load_curated import CURATED_FIXTURES
from heritage.models import ClaimStanding, Incident, Status
from sites.models import Site, SiteKind
from sites.tests.admin_forms import form_data
from sites.tests.factories import make_site


def fixture_rows(name):
    (path,) = [path for folder in settings.FIXTURE_DIRS if (path := Path(folder) / f"{name}.json").exists()]
    return json.loads(path.read_text(encoding="utf-8"))


def test_load_curated_leaves_a_database_with_sites_untouched(db):
    make_site("A site an editor added")
    out = io.StringIO()

    call_command("load_curated", stdout=out)

    assert "The database already has sites: curated data not loaded" in out.getvalue()
    assert list(Site.objects.values_list("name", flat=True)) == ["A site an editor added"]
    assert not SiteKind.objects.filter(slug="temple").exists()


def test_curated_fixtures_use_natural_keys_and_never_primary_keys():
    for name in CURATED_FIXTURES:
        rows = fixture_rows(name)
        assert rows, f"fixtures/{name}.json is empty"
        assert [row for row in rows if "pk" in row] == [], f"fixtures/{name}.json hard-codes primary keys"


def test_a_curated_incident_can_be_reverted_to_as_loaded_after_its_first_edit(db, client, alice):
    call_command("load_curated", stdout=io.StringIO())
    incident = Incident.objects.filter(status=Status.PUBLISHED).exclude(claim=ClaimStanding.DISPUTED).first()
    loaded_claim = incident.claim
    client.force_login(alice)
    change_url = reverse("admin:heritage_incident_change", args=[incident.pk])
    client.post(change_url, form_data(client.get(change_url), claim=ClaimStanding.DISPUTED))

    baseline, edit = incident.history.order_by("history_date")
    assert (baseline.history_change_reason, baseline.claim) == ("Loaded from the curated fixtures", loaded_claim)
    assert (edit.history_user, edit.claim) == (alice, ClaimStanding.DISPUTED)
    revert_url = reverse("admin:heritage_incident_simple_history", args=[incident.pk, baseline.history_id])
    assert client.post(revert_url, form_data(client.get(revert_url))).status_code == 302
    incident.refresh_from_db()
    assert incident.claim == loaded_claim


def test_every_curated_record_has_its_baseline_history_entry(db):
    call_command("load_curated", stdout=io.StringIO())
    for model in (Site, Incident):
        assert model.history.filter(history_change_reason="Loaded from the curated fixtures").count() == (
            model.objects.count()
        )
