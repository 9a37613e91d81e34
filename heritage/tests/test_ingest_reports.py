from io import StringIO

import pytest
from django.core.management import call_command

from heritage.models import CategoryKeywordRule, Incident, Source, Status
from heritage.tests.factories import make_category
from heritage.tests.gazetteer import build_gazetteer
from heritage.tests.test_intake_admin import HTML

pytestmark = pytest.mark.django_db


def test_a_folder_of_saved_reports_becomes_drafts_with_a_summary(tmp_path):
    build_gazetteer()
    CategoryKeywordRule.objects.create(category=make_category("Deliberate destruction of heritage"), keywords="blew up")
    (tmp_path / "page.html").write_text(HTML, encoding="utf-8")
    (tmp_path / "wire.txt").write_text(
        "Temple of Bel blown up\n\nMilitants blew up the Temple of Bel in Palmyra on 30 August 2015.", encoding="utf-8"
    )
    (tmp_path / "notes.md").write_text("ignored", encoding="utf-8")
    out = StringIO()

    call_command("ingest_reports", str(tmp_path), "--publisher", "Wire", "--published", "2015-08-31", stdout=out)

    assert "2 files: created 2 draft sources with 4 draft incidents; 0 skipped." in out.getvalue()
    assert set(Source.objects.values_list("publisher", "status")) == {("Example News", Status.DRAFT),
                                                                      ("Wire", Status.DRAFT)}
    assert not Incident.objects.exclude(status=Status.DRAFT).exists()


def test_a_report_already_recorded_is_skipped_with_its_reason(tmp_path):
    build_gazetteer()
    (tmp_path / "page.html").write_text(HTML, encoding="utf-8")
    call_command("ingest_reports", str(tmp_path), stdout=StringIO())
    err = StringIO()

    call_command("ingest_reports", str(tmp_path), stdout=StringIO(), stderr=err)

    assert "already recorded" in err.getvalue()
    assert Source.objects.count() == 1


def test_a_dry_run_saves_nothing(tmp_path):
    build_gazetteer()
    (tmp_path / "page.html").write_text(HTML, encoding="utf-8")

    call_command("ingest_reports", str(tmp_path / "page.html"), "--dry-run", stdout=StringIO())

    assert not Source.objects.exists()
