from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from sites.models import Designation, Identifier, Site, SiteName
from sites.tests.factories import make_designation, make_identifier, make_name, make_site
from sites.whc import UNESCO_NAME_NOTE, detect_format, import_file, parse_danger_list, read_rows

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data"
SAMPLES = ["whc-32-utf8-bom.csv", "whc-37-cp1252.csv", "whc-37-utf8-bom.csv", "whc-37.xlsx", "whc-32.xls", "whc.xml"]
HEADER_32 = (DATA / "whc-32-utf8-bom.csv").read_text(encoding="utf-8-sig").splitlines()[0]


def snapshot():
    """Everything the importer may write, as plain values, to compare two runs."""
    return {
        "sites": sorted(Site.objects.values_list("slug", "name", "kind__slug", "countries", "latitude", "longitude")),
        "identifiers": sorted(Identifier.objects.values_list("site__slug", "authority", "value")),
        "designations": sorted(
            Designation.objects.values_list("site__slug", "kind", "start", "end", "criteria", "reference")
        ),
        "names": sorted(SiteName.objects.values_list("site__slug", "name", "language")),
    }


def csv_file(tmp_path, *rows, encoding="utf-8-sig"):
    """A 32-column export with the given rows (dicts of the columns that matter)."""
    columns = HEADER_32.split(",")
    lines = [HEADER_32]
    for row in rows:
        lines.append(",".join(f'"{row.get(column, "")}"' for column in columns))
    path = tmp_path / "export.csv"
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))
    return path


PALMYRA_ROW = {
    "id_no": "23", "name_en": "Site of Palmyra", "date_inscribed": "1980", "danger_list": "Y 2013",
    "latitude": "34.5541666667", "longitude": "38.2666666667", "criteria_txt": "(i)(ii)(iv)", "category": "Cultural",
    "iso_code": "sy",
}


@pytest.mark.parametrize("sample", SAMPLES)
def test_it_imports_every_export_format_and_encoding(sample):
    summary = import_file(DATA / sample)

    assert summary.counts_line() == "6 created, 0 updated, 0 unchanged, 0 skipped"
    palmyra = Site.objects.get(identifiers__authority="unesco", identifiers__value="23")
    assert palmyra.name == "Site of Palmyra"
    assert palmyra.slug == "site-of-palmyra"
    assert palmyra.kind.slug == "cultural-site"
    assert [str(country) for country in palmyra.countries] == ["SY"]
    assert (palmyra.latitude, palmyra.longitude) == (34.5541666667, 38.2666666667)
    heritage = palmyra.designations.get(kind="world-heritage")
    assert (heritage.start, heritage.criteria, heritage.reference) == ("1980", "(i)(ii)(iv)", "23")
    assert list(palmyra.designations.in_danger().values_list("start", "end")) == [("2013", "")]
    assert palmyra.identifiers.get().url == "https://whc.unesco.org/en/list/23/"
    iguacu = Site.objects.get(identifiers__value="355")
    assert iguacu.name == "Iguaçu National Park"
    assert iguacu.kind.slug == "natural-site"


@pytest.mark.parametrize(("sample", "expected"), [
    ("whc-32-utf8-bom.csv", ("csv", "utf-8-sig")),
    ("whc-37-cp1252.csv", ("csv", "cp1252")),
    ("whc-37.xlsx", ("xlsx", "xlsx")),
    ("whc-32.xls", ("xls", "xls")),
    ("whc.xml", ("xml", "xml")),
])
def test_it_detects_format_and_encoding_from_the_bytes(sample, expected):
    file_format, encoding, _ = read_rows((DATA / sample).read_bytes())
    assert (file_format, encoding) == expected


def test_a_windows_1252_file_keeps_its_accents_in_french_names():
    import_file(DATA / "whc-37-cp1252.csv")

    names = SiteName.objects.filter(site__identifiers__value="355").values_list("name", "language")
    assert set(names) == {("Iguaçu National Park", "en"), ("Parc national de l'Iguaçu", "fr")}


def test_it_reads_a_plain_utf8_file_without_bom_too(tmp_path):
    path = csv_file(tmp_path, {**PALMYRA_ROW, "name_en": "Site of Palmyra (Tadmur)"}, encoding="utf-8")
    assert detect_format(path.read_bytes()) == "csv"

    assert import_file(path).counts_line() == "1 created, 0 updated, 0 unchanged, 0 skipped"


def test_transboundary_rows_get_every_country_and_rows_without_coordinates_are_kept():
    summary = import_file(DATA / "whc-37-utf8-bom.csv")

    front = Site.objects.get(identifiers__value="1567")
    assert [str(country) for country in front.countries] == ["BE", "FR"]
    assert front.point is None
    assert next(result for result in summary.results if result.id_no == "1567").warnings == ["no coordinates"]


def test_danger_history_gives_current_and_past_in_danger_designations():
    import_file(DATA / "whc-32-utf8-bom.csv")

    garamba = Site.objects.get(identifiers__value="136")
    assert sorted(garamba.designations.in_danger().values_list("start", "end")) == [("1984", "1992"), ("1996", "")]
    dubrovnik = Site.objects.get(identifiers__value="95")
    assert list(dubrovnik.designations.in_danger().values_list("start", "end")) == [("1991", "1998")]
    assert not dubrovnik.designations.in_danger().current().exists()


def test_danger_list_parsing_reads_several_periods_and_rejects_nonsense():
    assert [(p.start, p.end) for p in parse_danger_list("Y 2011 P 1996-2007")] == [("2011", ""), ("1996", "2007")]
    assert [(p.start, p.end) for p in parse_danger_list("P 1984-1988 P 2000-2006")] == [
        ("1984", "1988"), ("2000", "2006"),
    ]
    assert parse_danger_list("") == []


def test_importing_twice_gives_the_same_database():
    import_file(DATA / "whc-37-utf8-bom.csv")
    before = snapshot()

    summary = import_file(DATA / "whc-37-utf8-bom.csv")

    assert summary.counts_line() == "0 created, 0 updated, 6 unchanged, 0 skipped"
    assert snapshot() == before


def test_different_formats_of_the_same_list_give_the_same_database():
    import_file(DATA / "whc-32.xls")
    from_xls = snapshot()
    import_file(DATA / "whc.xml")

    assert snapshot() == from_xls


def test_a_rerun_updates_changed_rows_and_keeps_what_editors_added(tmp_path):
    import_file(csv_file(tmp_path, PALMYRA_ROW))
    palmyra = Site.objects.get(identifiers__value="23")
    make_name(palmyra, "Tadmur", language="ar-Latn")
    make_designation(palmyra, kind=Designation.Kind.NATIONAL, start="1999")

    changed = {**PALMYRA_ROW, "danger_list": "P 2013-2030", "criteria_txt": "(i)(ii)(iv)(vi)", "latitude": "34.55"}
    summary = import_file(csv_file(tmp_path, changed))

    assert summary.counts_line() == "0 created, 1 updated, 0 unchanged, 0 skipped"
    palmyra.refresh_from_db()
    assert palmyra.latitude == 34.55
    assert palmyra.designations.get(kind="world-heritage").criteria == "(i)(ii)(iv)(vi)"
    assert list(palmyra.designations.in_danger().values_list("start", "end")) == [("2013", "2030")]
    assert palmyra.names.filter(name="Tadmur").exists()
    assert palmyra.designations.filter(kind="national").exists()
    assert Site.objects.count() == 1


def test_it_updates_a_curated_site_found_by_its_unesco_id_without_renaming_it(tmp_path):
    palmyra = make_site("Palmyra", slug="palmyra", latitude=34.55, longitude=38.27, location_source="Pleiades")
    make_identifier(palmyra, "unesco", "23")
    make_designation(palmyra, kind=Designation.Kind.IN_DANGER, start="2013-06-20")

    summary = import_file(csv_file(tmp_path, PALMYRA_ROW))

    assert summary.counts_line() == "0 created, 1 updated, 0 unchanged, 0 skipped"
    palmyra.refresh_from_db()
    assert (palmyra.name, palmyra.slug) == ("Palmyra", "palmyra")
    assert palmyra.point == (34.55, 38.27)  # the editors' sourced coordinates stay
    assert list(palmyra.designations.in_danger().values_list("start", flat=True)) == ["2013-06-20"]
    assert palmyra.names.get(note=UNESCO_NAME_NOTE).name == "Site of Palmyra"


def test_unesco_renaming_a_property_renames_the_site_unless_editors_chose_another_name(tmp_path):
    import_file(csv_file(tmp_path, PALMYRA_ROW))

    import_file(csv_file(tmp_path, {**PALMYRA_ROW, "name_en": "Ancient Palmyra"}))
    assert Site.objects.get().name == "Ancient Palmyra"

    Site.objects.update(name="Palmyra")
    import_file(csv_file(tmp_path, {**PALMYRA_ROW, "name_en": "Site of Palmyra"}))
    assert Site.objects.get().name == "Palmyra"


def test_a_dry_run_reports_changes_and_writes_nothing():
    out = StringIO()
    call_command("import_whc", str(DATA / "whc.xml"), "--dry-run", stdout=out)

    assert Site.objects.count() == 0
    assert Designation.objects.count() == 0
    assert "Dry run, nothing written — would be: 6 created, 0 updated, 0 unchanged, 0 skipped." in out.getvalue()
    assert "row 1, id_no 23, created: new site “Site of Palmyra” (site-of-palmyra)" in out.getvalue()


def test_bad_rows_are_skipped_with_row_and_column_and_good_rows_still_import(tmp_path):
    path = csv_file(
        tmp_path,
        PALMYRA_ROW,
        {**PALMYRA_ROW, "id_no": "20", "name_en": "Ancient City of Damascus", "latitude": "north"},
        {**PALMYRA_ROW, "id_no": "95", "name_en": "Old City of Dubrovnik", "iso_code": "xx"},
        {**PALMYRA_ROW, "id_no": "136", "name_en": "Garamba National Park", "danger_list": "since 1996"},
        {**PALMYRA_ROW, "id_no": "", "name_en": "No number"},
        {**PALMYRA_ROW, "id_no": "355", "name_en": "Iguaçu National Park", "criteria_txt": "(xi)"},
    )
    out, err = StringIO(), StringIO()

    call_command("import_whc", str(path), stdout=out, stderr=err)

    assert "1 created, 0 updated, 0 unchanged, 5 skipped." in out.getvalue()
    assert list(Site.objects.values_list("name", flat=True)) == ["Site of Palmyra"]
    errors = err.getvalue()
    assert "skipped row 3, column latitude (id_no 20): “north” is not a number." in errors
    assert "skipped row 4, column iso_code (id_no 95): “xx” is not an ISO 3166-1 country code." in errors
    assert "skipped row 5, column danger_list (id_no 136)" in errors
    assert "skipped row 6, column id_no (id_no ?): id_no is empty." in errors
    assert "skipped row 7, column criteria_txt (id_no 355)" in errors


def test_a_row_repeated_in_the_file_is_imported_once(tmp_path):
    summary = import_file(csv_file(tmp_path, PALMYRA_ROW, PALMYRA_ROW))

    assert summary.counts_line() == "1 created, 0 updated, 0 unchanged, 1 skipped"
    assert summary.skipped[0].column == "id_no"


def test_a_file_that_is_not_a_heritage_list_is_refused_with_a_message(tmp_path):
    path = tmp_path / "notes.csv"
    path.write_text("title,author\nA,B\n", encoding="utf-8")

    with pytest.raises(CommandError, match="No id_no or name_en column"):
        call_command("import_whc", str(path))


def test_it_does_not_store_unesco_descriptions():
    import_file(DATA / "whc-37-utf8-bom.csv")

    assert not Site.objects.exclude(description="").exists()
    assert not Site.objects.exclude(summary="").exists()



def test_new_sites_are_inserted_in_bulk_with_their_history():
    import_file(DATA / "whc-37-utf8-bom.csv")

    assert Site.history.filter(history_type="+").count() == 6
    assert Designation.history.count() == Designation.objects.count() == 6 + 6  # World Heritage, In Danger
    assert SiteName.objects.get(name="Site de Palmyre").folded == "site de palmyre"


def test_if_the_bulk_insert_is_refused_rows_are_created_one_by_one(monkeypatch):
    from django.db import DatabaseError

    from sites import whc

    def refuse(*args, **kwargs):
        raise DatabaseError("simulated")

    monkeypatch.setattr(whc, "bulk_create_with_history", refuse)

    summary = import_file(DATA / "whc-32-utf8-bom.csv")

    assert summary.counts_line() == "6 created, 0 updated, 0 unchanged, 0 skipped"
    assert Site.objects.count() == 6
    assert Designation.objects.in_danger().count() == 6


def test_a_windows_1252_file_with_a_byte_it_leaves_undefined_is_still_read_as_windows_1252():
    summary = import_file(DATA / "whc-32-cp1252-undefined-byte.csv")

    assert (summary.encoding, summary.counts_line()) == ("cp1252", "3 created, 0 updated, 0 unchanged, 0 skipped")
    assert sorted(Site.objects.values_list("name", flat=True)) == [
        "Crac des Chevaliers and Qal’at Salah El-Din", "L'viv – the Ensemble of the Historic Centre", "Site of Palmyra",
    ]
    assert summary.unreadable_cells == [(2, "short_description_en", "byte 0x9D is not text in cp1252")]


def test_the_command_names_each_cell_it_could_not_read():
    out, err = StringIO(), StringIO()

    call_command("import_whc", str(DATA / "whc-32-cp1252-undefined-byte.csv"), stdout=out, stderr=err)

    assert err.getvalue() == "  could not read row 2, column short_description_en: byte 0x9D is not text in cp1252\n"
    assert "Read 3 rows (csv, cp1252)." in out.getvalue()


def test_a_row_whose_name_could_not_be_read_is_skipped_and_its_neighbours_import(tmp_path):
    crac = {**PALMYRA_ROW, "id_no": "1229", "name_en": "Crac des Chevaliers and Qal’at Salah El-Din"}
    path = csv_file(tmp_path, PALMYRA_ROW, crac, encoding="cp1252")
    path.write_bytes(path.read_bytes().replace("Qal’at".encode("cp1252"), b"Qal\x81at"))
    out, err = StringIO(), StringIO()

    call_command("import_whc", str(path), stdout=out, stderr=err)

    assert list(Site.objects.values_list("name", flat=True)) == ["Site of Palmyra"]
    assert err.getvalue().splitlines() == [
        "  could not read row 3, column name_en: byte 0x81 is not text in cp1252",
        "  skipped row 3, column name_en (id_no 1229): name_en could not be read: byte 0x81 is not text in cp1252.",
    ]


def test_a_name_holding_a_control_character_is_refused(tmp_path):
    # What Latin-1 makes of Windows-1252's ’ (0x92): the character U+0092.
    path = csv_file(tmp_path, {**PALMYRA_ROW, "id_no": "1229", "name_en": "Crac des Chevaliers and Qal\x92at"})

    summary = import_file(path)

    assert (summary.skipped[0].column, summary.skipped[0].reason) == (
        "name_en", "name_en holds the control character U+0092.",
    )
    assert not Site.objects.exists()


def test_reimporting_a_transboundary_row_compares_the_countries_as_a_set(tmp_path):
    front = {
        **PALMYRA_ROW, "id_no": "1567", "name_en": "Funerary and memory sites of the First World War (Western Front)",
        "danger_list": "", "iso_code": "fr,be", "date_inscribed": "2023", "criteria_txt": "(iii)(iv)(vi)",
        "latitude": "", "longitude": "",
    }
    import_file(csv_file(tmp_path, front))

    summary = import_file(csv_file(tmp_path, front))

    assert summary.counts_line() == "0 created, 0 updated, 1 unchanged, 0 skipped"
    assert [str(country) for country in Site.objects.get().countries] == ["BE", "FR"]


def test_a_country_added_to_a_transboundary_row_is_an_update(tmp_path):
    front = {
        **PALMYRA_ROW, "id_no": "1567", "name_en": "Funerary and memory sites of the First World War (Western Front)",
        "danger_list": "", "iso_code": "be", "date_inscribed": "2023", "criteria_txt": "(iii)(iv)(vi)",
    }
    import_file(csv_file(tmp_path, front))

    summary = import_file(csv_file(tmp_path, {**front, "iso_code": "fr,be"}))

    assert summary.results[0].changes == ["countries: BE → FR,BE"]
    assert [str(country) for country in Site.objects.get().countries] == ["BE", "FR"]


def truncated(name):
    data = (DATA / name).read_bytes()
    return data[: len(data) // 2]


UNREADABLE_FILES = [
    ("truncated.xls", truncated("whc-32.xls"), "The .xls file could not be read (truncated or damaged?): "),
    ("truncated.xlsx", truncated("whc-37.xlsx"), "The .xlsx file could not be read (truncated or damaged?): "),
    ("photo.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01", "The file holds NUL bytes: it is not CSV"),
    ("empty.csv", b"", "The file is empty."),
    ("header-only.csv", HEADER_32.encode() + b"\r\n", "The file has column headings but no rows."),
    ("empty.xml", b"<query></query>", "The XML has no <row> elements"),
]


@pytest.mark.parametrize(("name", "data", "message"), UNREADABLE_FILES, ids=[case[0] for case in UNREADABLE_FILES])
def test_an_unreadable_file_is_one_line_naming_it_and_nothing_is_written(tmp_path, name, data, message):
    import_file(DATA / "whc-37-utf8-bom.csv")
    before = snapshot()
    path = tmp_path / name
    path.write_bytes(data)

    with pytest.raises(CommandError) as refused:
        call_command("import_whc", str(path), stdout=StringIO(), stderr=StringIO())

    assert str(refused.value).startswith(f"{path}: {message}")
    assert "\n" not in str(refused.value)
    assert snapshot() == before


def test_a_failure_after_rows_were_written_leaves_the_database_as_it_was(monkeypatch):
    from django.db import DatabaseError

    def fail(*args, **kwargs):
        raise DatabaseError("simulated")

    monkeypatch.setattr("heritage.models.RiskProfile.objects.record_changed", fail)

    with pytest.raises(DatabaseError):
        call_command("import_whc", str(DATA / "whc-37-utf8-bom.csv"), stdout=StringIO())

    assert snapshot() == {"sites": [], "identifiers": [], "designations": [], "names": []}
