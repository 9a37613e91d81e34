import json
from io import StringIO

import pytest
from django.core.management import call_command

from heritage.models import CategoryKeywordRule, Incident, Source, Status
from heritage.tests.factories import make_category, make_incident, make_source
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

    # One incident per report: Palmyra is only mentioned, as the whole of the temple each report is about.
    assert (
        "2 files: created 2 draft sources with 2 draft incidents and 0 citations of incidents already recorded; "
        "0 skipped." in out.getvalue()
    )
    assert set(Incident.objects.values_list("sites__slug", flat=True)) == {"temple-of-baalshamin", "temple-of-bel"}
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


def test_a_report_of_a_recorded_incident_is_saved_as_its_citation(tmp_path):
    sites = build_gazetteer()
    destruction = make_category("Deliberate destruction of heritage")
    CategoryKeywordRule.objects.create(category=destruction, keywords="blew up")
    recorded = make_incident([sites["temple-of-bel"]], date="2015-08-30", category=destruction)
    (tmp_path / "wire.txt").write_text("Temple of Bel blown up\n\nMilitants blew up the Temple of Bel on Sunday.",
                                       encoding="utf-8")
    out = StringIO()

    call_command("ingest_reports", str(tmp_path), "--published", "2015-08-31", stdout=out)

    assert "created 1 draft sources with 0 draft incidents and 1 citations" in out.getvalue()
    assert list(Incident.objects.all()) == [recorded]
    assert recorded.citations.filter(source__title="Temple of Bel blown up").exists()


def test_the_same_article_at_another_address_is_skipped_naming_the_recorded_source(tmp_path):
    build_gazetteer()
    make_source("Temple destroyed in Palmyra", url="http://www.news.example.org/palmyra-temple/?utm_source=feed")
    (tmp_path / "page.html").write_text(HTML, encoding="utf-8")  # its canonical link: https://news.example.org/palmyra-temple
    err = StringIO()

    call_command("ingest_reports", str(tmp_path), stdout=StringIO(), stderr=err)

    assert "skipped — This report is already recorded as the source “Temple destroyed in Palmyra”" in err.getvalue()
    assert Source.objects.count() == 1


def test_a_dry_run_prints_the_proposals_as_json(tmp_path):
    sites = build_gazetteer()
    destruction = make_category("Deliberate destruction of heritage")
    CategoryKeywordRule.objects.create(category=destruction, keywords="blew up")
    recorded = make_incident([sites["temple-of-bel"]], date="2015-08-30", category=destruction, title="Bel blown up")
    (tmp_path / "wire.txt").write_text(
        "Temple of Bel blown up\n\nMilitants blew up the Temple of Bel in Palmyra on Sunday. "
        "Some of the treasures of the city include the Hypogeum of the Three Brothers.",
        encoding="utf-8",
    )
    (tmp_path / "empty.html").write_text("<html><body></body></html>", encoding="utf-8")
    out = StringIO()

    call_command("ingest_reports", str(tmp_path), "--published", "2015-08-31", "--dry-run", "--json", stdout=out)

    document = json.loads(out.getvalue())
    assert document["format"] == "heritage-intake-proposals/1"
    assert document["summary"] == {"files": 2, "proposed": 1, "skipped": 1, "new_incidents": 0, "citations": 1,
                                   "saved": False}
    empty, wire = document["reports"]
    assert (empty["status"], empty["error"]) == ("skipped", "No article text was found in this page.")
    assert wire["status"] == "proposed"
    assert wire["source"]["slug"] is None and wire["source"]["published"] == "2015-08-31"
    assert [(site["slug"], site["role"], site["action"]) for site in wire["sites"]] == [
        ("temple-of-bel", "affected", "cite"), ("palmyra", "mentioned", "none"),
        ("hypogeum-three-brothers", "mentioned", "none"),
    ]
    bel = wire["sites"][0]
    assert bel["sentence"] == "Militants blew up the Temple of Bel in Palmyra on Sunday."
    assert bel["matched_incidents"] == [{"slug": recorded.slug, "title": "Bel blown up", "date": "2015-08-30",
                                         "category": "deliberate-destruction-of-heritage", "status": "published"}]
    assert wire["sites"][2]["reason"] == "no event is told there"
    assert wire["threats"] == [{"category": "deliberate-destruction-of-heritage",
                                "label": "Other human activities › Deliberate destruction of heritage",
                                "keywords": {"blew up": 1}}]
    assert set(wire) == {"file", "status", "source", "sites", "threats", "dates", "relies_on", "story"}
    assert wire["story"] == {"id": None, "title": "Temple of Bel blown up", "new": True}  # begun, then rolled back
    assert not Source.objects.exclude(pk__in=recorded.citations.values("source")).exists()


def test_a_dry_run_groups_the_reports_of_one_event_in_one_story_as_a_run_would(tmp_path):
    sites = build_gazetteer()
    destruction = make_category("Deliberate destruction of heritage")
    CategoryKeywordRule.objects.create(category=destruction, keywords="blew up")
    make_incident([sites["temple-of-bel"]], date="2015-08-30", category=destruction)
    (tmp_path / "a.txt").write_text("Temple of Bel blown up\n\nMilitants blew up the Temple of Bel in Palmyra on Sunday.",
                                    encoding="utf-8")
    (tmp_path / "b.txt").write_text(
        "Palmyra temple blown up\n\nIslamic State militants blew up the Temple of Bel in Palmyra on Sunday, "
        "residents said.", encoding="utf-8",
    )
    out = StringIO()

    call_command("ingest_reports", str(tmp_path), "--published", "2015-08-31", "--dry-run", "--json", stdout=out)

    first, second = json.loads(out.getvalue())["reports"]
    assert first["story"] == {"id": None, "title": "Temple of Bel blown up", "new": True}
    assert second["story"] == {"id": None, "title": "Temple of Bel blown up", "new": False}
    assert Source.objects.count() == 1  # the incident's own source; the run was rolled back


def test_an_empty_text_file_is_skipped_with_its_reason_and_nothing_is_saved(tmp_path):
    (tmp_path / "empty.txt").write_text("  \n", encoding="utf-8")
    err = StringIO()

    call_command("ingest_reports", str(tmp_path), stdout=StringIO(), stderr=err)

    assert err.getvalue() == f"{tmp_path / 'empty.txt'}: skipped — The report has no text.\n"
    assert not Source.objects.exists()


def test_an_unreadable_file_is_skipped_with_its_reason(tmp_path, monkeypatch):
    (tmp_path / "locked.txt").write_text("Militants blew up the Temple of Bel.", encoding="utf-8")

    def refuse(path):
        raise PermissionError(f"Permission denied: '{path}'")

    monkeypatch.setattr("pathlib.Path.read_bytes", refuse)
    err = StringIO()

    call_command("ingest_reports", str(tmp_path), stdout=StringIO(), stderr=err)

    assert err.getvalue() == f"{tmp_path / 'locked.txt'}: skipped — Permission denied: '{tmp_path / 'locked.txt'}'\n"
    assert not Source.objects.exists()
