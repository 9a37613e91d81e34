import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from config import backups
from heritage.models import Citation, HistoryEvent, Incident
from heritage.tests.factories import make_assessment, make_event, make_incident, make_source
from sites.models import Site
from sites.tests.factories import PALMYRA, make_name, make_site

sqlite_only = pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite backup path")


def populate():
    palmyra = make_site("Site of Palmyra", **PALMYRA)
    temple = make_site("Temple of Bel", parent=palmyra, **PALMYRA)
    make_name(palmyra, "تدمر", language="ar")
    make_name(palmyra, "Tadmor", language="ar-Latn")
    source = make_source("UNOSAT imagery analysis", graphic=False)
    make_event([palmyra, temple], title="Dedication of the Temple of Bel", date="0032", source=source)
    make_incident([palmyra, temple], title="Temple of Bel blown up", date="2015-08-30", source=source)
    make_assessment(temple, "destroyed", date="2015-08-31", source=source)
    temple.summary = "Edited after creation, so the audit trail has an update."
    temple.save()


def wipe():
    Citation.objects.all().delete()
    HistoryEvent.objects.all().delete()
    Incident.objects.all().delete()
    Site.objects.filter(parent__isnull=False).delete()
    Site.objects.all().delete()


def round_trip(tmp_path):
    populate()
    before = backups.fingerprints()
    assert before["sites_site"][0] == 2
    assert before["heritage_incident_sites"][0] == 2
    assert before["sites_historicalsite"][0] == 3
    path = tmp_path / "heritage.backup"
    call_command("backup_db", output=str(path))
    wipe()
    assert backups.fingerprints() != before
    call_command("restore_db", str(path), interactive=False)
    return before, backups.fingerprints()


@sqlite_only
def test_a_sqlite_backup_restores_every_row_history_entry_and_link(transactional_db, tmp_path):
    before, after = round_trip(tmp_path)
    assert after == before


@pytest.mark.postgres
def test_a_postgresql_backup_restores_every_row_history_entry_and_link(transactional_db, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")
    before, after = round_trip(tmp_path)
    assert after == before


def test_restore_refuses_a_missing_file(db, tmp_path):
    with pytest.raises(CommandError, match="No backup file"):
        call_command("restore_db", str(tmp_path / "nothing.dump"), interactive=False)


def test_restore_refuses_a_file_that_is_not_a_backup_for_this_database(db, tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("not a backup")
    with pytest.raises(CommandError, match="is not a"):
        call_command("restore_db", str(path), interactive=False)
