"""manage.py release and load_release: versioned, reproducible, citable dumps of the published record,
and the path back from a release to a database."""

import hashlib
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from heritage.models import Release
from heritage.opendata.release import DATA_FILES, record_fixture
from heritage.tests.factories import make_event, make_incident, make_source
from sites.models import Site
from sites.tests.factories import make_identifier, make_name, make_site

FILES = sorted([*DATA_FILES, "quality.md", "README.md", "dcat.jsonld", "ro-crate-metadata.json", "SHA256SUMS"])
BEL = ("34.5473478", "38.2738581")  # the Temple of Bel's recorded point (palmyra_monuments.geojson)


@pytest.fixture(autouse=True)
def canonical(settings):
    settings.CANONICAL_URL = "https://heritage.example.org"


def release(directory, version="2026.12.01", date="2026-12-01"):
    out = io.StringIO()
    call_command("release", output=str(directory), release_version=version, date=date, stdout=out)
    return out.getvalue()


def empty_the_database():
    """Everything goes, as in a new database; within the test's transaction, which puts it all back after."""
    if connection.vendor == "postgresql":  # TRUNCATE refuses tables with deferred checks still pending
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    call_command("flush", interactive=False, verbosity=0)


def read(directory):
    return {path.name: path.read_bytes() for path in sorted(directory.iterdir())}


def test_a_release_writes_every_file_and_checksums_that_match_them(palmyra, tmp_path):
    message = release(tmp_path / "r")

    files = read(tmp_path / "r")
    assert sorted(files) == FILES
    sums = dict(reversed(line.split("  ")) for line in files["SHA256SUMS"].decode().splitlines())
    assert sorted(sums) == [name for name in FILES if name != "SHA256SUMS"]
    assert all(hashlib.sha256(files[name]).hexdigest() == digest for name, digest in sums.items())
    assert message.startswith("Release 2026.12.01 written to ")
    recorded = Release.objects.get()
    assert (recorded.version, recorded.released.isoformat()) == ("2026.12.01", "2026-12-01")
    assert recorded.checksums == {**sums, "SHA256SUMS": hashlib.sha256(files["SHA256SUMS"]).hexdigest()}
    assert recorded.counts == {"sites": 4, "site names": 7, "sources": 3, "history events": 3, "incidents": 2,
                               "condition assessments": 1}


def test_the_same_record_gives_byte_identical_files(palmyra, tmp_path):
    release(tmp_path / "first")
    message = release(tmp_path / "again")

    assert read(tmp_path / "first") == read(tmp_path / "again")
    assert "made again: the same files as when it was recorded" in message
    assert Release.objects.count() == 1


def test_a_changed_record_cannot_take_a_version_already_released(palmyra, tmp_path):
    release(tmp_path / "first")
    Site.objects.filter(slug="palmyra").update(summary="Changed.")

    with pytest.raises(CommandError, match="Release 2026.12.01 was made from a different record"):
        release(tmp_path / "second")
    assert not (tmp_path / "second").exists()


def test_no_file_holds_a_protected_point_or_a_draft(palmyra, tmp_path):
    Site.objects.filter(slug="temple-of-bel").update(
        location_sensitivity=Site.LocationSensitivity.HIDDEN, location_source=f"Surveyed at {BEL[0]}, {BEL[1]}"
    )
    Site.objects.filter(slug="temple-of-baalshamin").update(location_sensitivity=Site.LocationSensitivity.GENERALISED)
    release(tmp_path / "r")

    text = b"".join(read(tmp_path / "r").values()).decode()
    assert BEL[0] not in text and BEL[1] not in text
    assert "34.5534199" not in text and "38.2699931" not in text  # the Temple of Baalshamin's recorded point
    assert "Unchecked rumour of looting" not in text  # the draft incident
    rows = json.loads((tmp_path / "r" / "record.json").read_text())
    bel = next(row for row in rows if row["model"] == "sites.site" and row["fields"]["slug"] == "temple-of-bel")
    assert (bel["fields"]["latitude"], bel["fields"]["longitude"], bel["fields"]["location_source"]) == (None, None, "")


def test_the_quality_report_counts_without_showing(palmyra, tmp_path):
    Site.objects.filter(slug="ancient-city-of-damascus").update(latitude=None, longitude=None)
    Site.objects.filter(slug="temple-of-bel").update(location_sensitivity=Site.LocationSensitivity.HIDDEN)
    release(tmp_path / "r")

    report = (tmp_path / "r" / "quality.md").read_text()
    assert "- 4 sites, 1 of them without coordinates.\n- 1 with a protected location" in report
    assert """| facts | with one source | published |
|---|---|---|
| history events | 3 | 3 |
| incidents | 2 | 2 |
| condition assessments | 1 | 1 |""" in report
    assert """| records | drafts |
|---|---|
| sources | 0 |
| history events | 0 |
| incidents | 1 |
| condition assessments | 0 |""" in report


def test_the_readme_gives_licence_citation_and_the_changes_since_the_previous_release(palmyra, tmp_path):
    release(tmp_path / "november", version="2026.11.01", date="2026-11-01")
    palmyra.site.summary = "An oasis city of the Syrian desert, on the In Danger list since 2013."
    palmyra.site.save()
    release(tmp_path / "december")

    first = (tmp_path / "november" / "README.md").read_text()
    second = (tmp_path / "december" / "README.md").read_text()
    assert "First release." in first
    assert "https://creativecommons.org/licenses/by/4.0/" in second
    assert ("Heritage at Risk (2026). Heritage at Risk open data, release 2026.12.01 (2026-12-01). "
            "https://heritage.example.org/releases/#release-2026.12.01") in second
    assert "Since release 2026.11.01 (2026-11-01):" in second
    assert "- sites updated: 1" in second and "| site | palmyra | updated |" in second


def test_dcat_and_ro_crate_describe_every_data_file_with_its_checksum(palmyra, tmp_path):
    release(tmp_path / "r")
    files = read(tmp_path / "r")

    crate = json.loads(files["ro-crate-metadata.json"])["@graph"]
    root = next(entity for entity in crate if entity["@id"] == "./")
    assert (root["@type"], root["datePublished"], root["version"], root["license"]) == (
        "Dataset", "2026-12-01", "2026.12.01", {"@id": "https://creativecommons.org/licenses/by/4.0/"}
    )
    assert {part["@id"] for part in root["hasPart"]} == set(FILES) - {"ro-crate-metadata.json", "SHA256SUMS"}
    for entity in crate:
        if entity.get("@type") == "File":
            assert entity["sha256"] == hashlib.sha256(files[entity["@id"]]).hexdigest()
    dcat = json.loads(files["dcat.jsonld"])
    assert {d["dct:title"]: d["spdx:checksum"]["spdx:checksumValue"] for d in dcat["dcat:distribution"]} == {
        name: hashlib.sha256(files[name]).hexdigest() for name in [*DATA_FILES, "quality.md"]
    }


def test_loading_a_release_into_an_empty_database_gives_back_the_same_published_record(palmyra, tmp_path):
    Site.objects.filter(slug="temple-of-baalshamin").update(
        location_sensitivity=Site.LocationSensitivity.GENERALISED, coordinate_uncertainty_m=50
    )
    Site.objects.filter(slug="temple-of-bel").update(location_sensitivity=Site.LocationSensitivity.HIDDEN)
    release(tmp_path / "original")
    empty_the_database()

    out = io.StringIO()
    call_command("load_release", str(tmp_path / "original"), stdout=out)
    release(tmp_path / "reloaded", version="2026.12.01-reloaded")

    original, reloaded = read(tmp_path / "original"), read(tmp_path / "reloaded")
    assert {name: original[name] for name in DATA_FILES} == {name: reloaded[name] for name in DATA_FILES}
    assert out.getvalue() == "Loaded release 2026.12.01: 4 sites.\n"
    assert Site.objects.get(slug="palmyra").risk_profile.in_danger is True


def test_the_curated_record_survives_the_round_trip_too(db, tmp_path):
    call_command("load_curated", verbosity=0)
    release(tmp_path / "original")
    empty_the_database()

    call_command("load_release", str(tmp_path / "original"), stdout=io.StringIO())
    release(tmp_path / "reloaded", version="2026.12.01-reloaded")

    original, reloaded = read(tmp_path / "original"), read(tmp_path / "reloaded")
    assert {name: original[name] for name in DATA_FILES} == {name: reloaded[name] for name in DATA_FILES}
    assert Release.objects.get(version="2026.12.01").counts == Release.objects.get(
        version="2026.12.01-reloaded"
    ).counts


def test_load_release_refuses_a_damaged_release_and_a_database_with_sites(palmyra, tmp_path):
    release(tmp_path / "r")
    with pytest.raises(CommandError, match="The database already has sites"):
        call_command("load_release", str(tmp_path / "r"))
    (tmp_path / "r" / "sites.csv").write_bytes(b"slug\nnot-a-site\n")

    with pytest.raises(CommandError, match="sites.csv does not match its SHA-256 in SHA256SUMS"):
        call_command("load_release", str(tmp_path / "r"))


@pytest.mark.parametrize("metadata", [b"not json", b"[]", b'{"@graph": [1, 2]}', b'{"@graph": [{"@id": "./"}]}'])
def test_load_release_refuses_metadata_that_does_not_say_which_release_it_is(palmyra, tmp_path, metadata):
    release(tmp_path / "r")
    (tmp_path / "r" / "ro-crate-metadata.json").write_bytes(metadata)
    sums = (tmp_path / "r" / "SHA256SUMS").read_text().splitlines()
    (tmp_path / "r" / "SHA256SUMS").write_text("".join(
        f"{hashlib.sha256(metadata).hexdigest()}  ro-crate-metadata.json\n" if line.endswith("  ro-crate-metadata.json")
        else f"{line}\n" for line in sums
    ))
    empty_the_database()

    with pytest.raises(CommandError, match="ro-crate-metadata.json does not give the release's version and date."):
        call_command("load_release", str(tmp_path / "r"))


@pytest.mark.parametrize(("options", "message"), [
    ({"date": "1 December"}, "--date “1 December” is not a date: give YYYY-MM-DD."),
    ({"release_version": "x" * 41}, "must be 1 to 40 characters"),
])
def test_bad_options_are_refused_before_anything_is_written(palmyra, tmp_path, options, message):
    with pytest.raises(CommandError, match=message):
        call_command("release", output=str(tmp_path / "r"), **options)
    assert not (tmp_path / "r").exists()


def test_a_release_that_cannot_be_written_is_not_recorded(palmyra, tmp_path):
    (tmp_path / "a-file").write_text("not a directory")

    with pytest.raises(CommandError, match="Could not write the release into .*a-file/r: "):
        release(tmp_path / "a-file" / "r")
    assert not Release.objects.exists()


def test_a_directory_with_files_in_it_is_refused(palmyra, tmp_path):
    (tmp_path / "r").mkdir()
    (tmp_path / "r" / "notes.txt").write_text("mine")

    with pytest.raises(CommandError, match="is not an empty directory"):
        release(tmp_path / "r")
    assert (tmp_path / "r" / "notes.txt").read_text() == "mine"


def test_a_release_needs_the_canonical_url(palmyra, tmp_path, settings):
    settings.CANONICAL_URL = ""

    with pytest.raises(CommandError, match="Set CANONICAL_URL"):
        release(tmp_path / "r")


def test_the_releases_page_lists_releases_with_citation_and_checksums(client, palmyra, tmp_path,
                                                                     django_assert_num_queries):
    release(tmp_path / "november", version="2026.11.01", date="2026-11-01")
    release(tmp_path / "december")

    with django_assert_num_queries(1):  # the releases, latest first
        response = client.get("/releases/")

    text = response.content.decode()
    assert response.status_code == 200
    assert text.index('id="release-2026.12.01"') < text.index('id="release-2026.11.01"')
    assert ("Heritage at Risk (2026). Heritage at Risk open data, release 2026.11.01 (2026-11-01). "
            "https://heritage.example.org/releases/#release-2026.11.01") in text
    assert Release.objects.get(version="2026.11.01").checksums["record.json"] in text
    assert 'href="/releases/"' in client.get("/").content.decode()


def test_inside_a_callers_transaction_a_release_keeps_its_isolation(palmyra, tmp_path):
    with CaptureQueriesContext(connection) as queries:
        release(tmp_path / "r")

    assert not any("ISOLATION" in query["sql"] for query in queries.captured_queries)
    assert Release.objects.get().version == "2026.12.01"


def test_the_record_is_read_in_the_same_number_of_queries_however_large(palmyra):
    def queries():
        with CaptureQueriesContext(connection) as context:
            record_fixture()
        return len(context.captured_queries)

    few = queries()
    for number in range(3):  # more of every kind of row the record holds, related as the record relates them
        site = make_site(f"Monument {number}", kind="tomb", parent=palmyra.site)
        make_name(site, f"Monument {number}", "en")
        make_identifier(site, "geonames", str(9000000 + number))
        source = make_source(f"Survey {number}")
        source.relies_on.add(palmyra.unosat)
        make_event([site], source=source)
        make_incident([site], source=source)

    assert queries() == few
