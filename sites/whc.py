"""Import UNESCO's World Heritage List as users download it.

UNESCO publishes the list as an .xls/.xlsx spreadsheet, as CSV (the 37-column
layout with English and French fields; older files in Windows-1252, newer
ones UTF-8 with a byte-order mark; trimmed 32-column exports circulate too)
and as an XML feed (``<query><row><id_number>…``). read_rows() detects which
one a file is and yields plain dicts with UNESCO's English column names;
WHCImporter turns them into sites.

What the importer owns, and so may update on a re-run: the UNESCO identifier,
UNESCO's names of the property (SiteName rows noted ``UNESCO_NAME_NOTE``), the
countries, the coordinates while they still come from UNESCO, the World
Heritage designation and the In Danger designations read from ``danger_list``.
What editors add (other names, parts, identifiers, their own
coordinates or preferred name) is never touched. UNESCO's descriptions are
not stored: their terms forbid republishing them, and the identifier links to
the property page.
"""

import codecs
import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import charset_normalizer
from defusedxml import DefusedXmlException, ElementTree
from django.db import DatabaseError, transaction
from django.utils.text import slugify
from django_countries import countries as country_list
from simple_history.utils import bulk_create_with_history

from sites.models import Designation, Identifier, NameKind, Site, SiteKind, SiteName
from sites.text import fold

UNESCO_SOURCE = "UNESCO World Heritage List"
UNESCO_NAME_NOTE = "Name on the UNESCO World Heritage List (kept in step by the importer)."
DANGER_NOTE = "From UNESCO's danger_list (kept in step by the importer)."

# UNESCO's category becomes the site kind of a new site; editors refine it later.
KIND_BY_CATEGORY = {
    "cultural": ("cultural-site", "Cultural site"),
    "natural": ("natural-site", "Natural site"),
    "mixed": ("mixed-site", "Mixed cultural and natural site"),
}

# Other spellings of the columns we read: the XML feed, and headings users retype.
COLUMN_ALIASES = {
    "id_number": "id_no",
    "id": "id_no",
    "site": "name_en",
    "name": "name_en",
    "states": "states_name_en",
    "region": "region_en",
    "criteria": "criteria_txt",
    "danger_list_en": "danger_list",
}
REQUIRED_COLUMNS = ("id_no", "name_en")
# Every column a row is imported from: a cell of these that could not be read skips the row.
COLUMNS_READ = (
    "id_no", "name_en", "name_fr", "category", "iso_code", "latitude", "longitude", "date_inscribed",
    "criteria_txt", "danger_list", "danger",
)

CRITERIA = re.compile(r"(\((?:i|ii|iii|iv|v|vi|vii|viii|ix|x)\))+")
DANGER_ENTRY = re.compile(r"\s*([YP])\s*(\d{4})(?:\s*-\s*(\d{4}))?")
ID_NO = re.compile(r"[1-9]\d*")


class FileFormatError(ValueError):
    """The file is not a World Heritage List export we can read; the message is one line for the user."""


# Reading -----------------------------------------------------------------

# UNESCO's older CSV exports are Windows-1252; a file in Latin letters that is not UTF-8 is read as that.
LEGACY_ENCODING = "cp1252"
# Python's surrogateescape keeps a byte the encoding leaves undefined as U+DC80 + the byte.
UNREADABLE_BYTE = re.compile("[\udc80-\udcff]")


def detect_format(data):
    """"xls", "xlsx", "xml" or "csv", from the first bytes of the file."""
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        return "xls"
    if data.startswith(b"PK\x03\x04"):
        return "xlsx"
    head = data[:200].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"<"):
        return "xml"
    return "csv"


def decode_text(data):
    """(text, encoding) of a CSV file, decided by what the bytes are.

    A byte-order mark or valid UTF-8 decides at once. Otherwise
    guess_legacy_encoding() names the code page. Bytes the encoding leaves
    undefined (cp1252 has no 0x81, 0x8D, 0x8F, 0x90 or 0x9D) stay in the text
    as lone surrogates, so that the reader names the cells that held them
    rather than reading the whole file as another encoding.
    """
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", "surrogateescape"), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", "surrogateescape"), "utf-16"
    # NUL bytes are valid UTF-8, but text with them is UTF-16 or UTF-32 without a mark, or not text.
    if b"\x00" not in data:
        try:
            return data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            pass
    encoding = guess_legacy_encoding(data)
    return data.decode(encoding, "surrogateescape"), encoding


def guess_legacy_encoding(data):
    """The encoding of text that is not UTF-8: UTF-16 or UTF-32 when charset-normalizer finds it without a
    byte-order mark, else Windows-1252, which UNESCO's exports in a legacy encoding are.

    The detector's other guesses are not trusted: on this list's multilingual names it takes
    Windows-1252 exports for cp775 (Baltic DOS), and a few names with Š, Ž and ø for Arabic cp1256.
    """
    guess = charset_normalizer.from_bytes(data).best()
    if guess is not None and guess.encoding.startswith(("utf_16", "utf_32")):
        return guess.encoding
    return LEGACY_ENCODING


def describe_unreadable(text, encoding):
    """'byte 0x9D is not text in cp1252' for the undefined bytes kept in text by decode_text()."""
    found = [f"0x{ord(character) - 0xDC00:02X}" for character in UNREADABLE_BYTE.findall(text)]
    if len(found) == 1:
        return f"byte {found[0]} is not text in {encoding}"
    return f"bytes {', '.join(found)} are not text in {encoding}"


def one_line(text, limit=200):
    """Text from a file, fit for a one-line message: no line breaks, control characters or undefined bytes."""
    text = UNREADABLE_BYTE.sub("\ufffd", str(text))
    text = " ".join("".join(" " if unicodedata.category(c) == "Cc" else c for c in text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _cell_text(value):
    """Spreadsheet cells come back as floats (1980.0) or None; rows want text."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _normalise_header(name):
    key = _cell_text(name).strip().lstrip("\ufeff").lower().replace(" ", "_")
    return COLUMN_ALIASES.get(key, key)


@dataclass
class Row:
    """One row of an export: its number in the file (as a spreadsheet shows it; XML rows count from 1), its
    cells by UNESCO's column names, and the cells that held bytes the file's encoding leaves undefined
    (column → what could not be read; those bytes read as U+FFFD in cells)."""

    number: int
    cells: dict
    unreadable: dict = field(default_factory=dict)


def _rows_from_table(header, body, encoding, first_row_number=2):
    columns = [_normalise_header(name) for name in header]
    missing = [name for name in REQUIRED_COLUMNS if name not in columns]
    if missing:
        found = one_line(", ".join(column for column in columns if column) or "none")
        raise FileFormatError(
            f"No {' or '.join(missing)} column: this does not look like a World Heritage List export "
            f"(columns found: {found})."
        )
    rows = []
    for number, values in enumerate(body, start=first_row_number):
        values = [_cell_text(value) for value in values]
        if not any(values):
            continue
        row = Row(number=number, cells={})
        for column, text in zip(columns, values, strict=False):
            if UNREADABLE_BYTE.search(text):
                row.unreadable[column] = describe_unreadable(text, encoding)
                text = UNREADABLE_BYTE.sub("\ufffd", text)
            row.cells[column] = text
        rows.append(row)
    if not rows:
        raise FileFormatError("The file has column headings but no rows.")
    return rows


def _read_csv(data):
    text, encoding = decode_text(data)
    if not text.strip():
        raise FileFormatError("The file is empty.")
    if "\x00" in text:
        raise FileFormatError("The file holds NUL bytes: it is not CSV text, nor an .xls, .xlsx or XML export.")
    # Excel in some locales saves with semicolons or tabs; the header line tells which.
    first_line = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        return encoding, _rows_from_table(next(reader), reader, encoding)
    except csv.Error as error:
        raise FileFormatError(f"The CSV could not be read: {one_line(error)}") from error


def _read_xlsx(data):
    import openpyxl

    # A damaged workbook fails inside the zip, XML or openpyxl layers in many ways; to the user they
    # are one thing, so every failure of the parser is reported as such.
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        rows = workbook.worksheets[0].iter_rows(values_only=True)
        header = next(rows, None)
        if header is None:
            raise FileFormatError("The spreadsheet is empty.")
        return "xlsx", _rows_from_table(header, rows, "xlsx")
    except FileFormatError:
        raise
    except Exception as error:
        raise FileFormatError(f"The .xlsx file could not be read (truncated or damaged?): {one_line(error)}") from error


def _read_xls(data):
    import xlrd

    # As for .xlsx: a truncated .xls makes xlrd fail with IndexError, struct.error, CompDocError…
    try:
        book = xlrd.open_workbook(file_contents=data, logfile=io.StringIO())
        sheet = book.sheet_by_index(0)
        if sheet.nrows == 0:
            raise FileFormatError("The spreadsheet is empty.")
        body = (sheet.row_values(index) for index in range(1, sheet.nrows))
        return "xls", _rows_from_table(sheet.row_values(0), body, "xls")
    except FileFormatError:
        raise
    except Exception as error:
        raise FileFormatError(f"The .xls file could not be read (truncated or damaged?): {one_line(error)}") from error


def _read_xml(data):
    try:
        root = ElementTree.fromstring(data)
    except (ElementTree.ParseError, DefusedXmlException) as error:
        raise FileFormatError(f"The XML could not be read: {one_line(error)}") from error
    records = root.findall(".//row")
    if not records:
        raise FileFormatError("The XML has no <row> elements: this does not look like UNESCO's list feed.")
    header = []
    for record in records:
        for child in record:
            if child.tag not in header:
                header.append(child.tag)
    body = ([(record.findtext(tag) or "") for tag in header] for record in records)
    # XML rows have no spreadsheet row numbers: number them 1, 2, 3… in document order.
    return "xml", _rows_from_table(header, body, "xml", first_row_number=1)


READERS = {"csv": _read_csv, "xlsx": _read_xlsx, "xls": _read_xls, "xml": _read_xml}


def read_rows(data):
    """(format, encoding or format, list of Row) for the bytes of an export, all read before anything is
    written; FileFormatError (a one-line message) when the file cannot be read as a whole."""
    file_format = detect_format(data)
    encoding, rows = READERS[file_format](data)
    return file_format, encoding, rows


# Parsing one row ----------------------------------------------------------


class RowError(ValueError):
    def __init__(self, column, message):
        super().__init__(message)
        self.column = column
        self.message = message


@dataclass
class DangerPeriod:
    start: str
    end: str = ""


@dataclass
class WHCRecord:
    """One property of the list, checked and in our terms."""

    id_no: str
    name: str
    name_fr: str = ""
    category: str = ""
    countries: list = field(default_factory=list)
    latitude: float | None = None
    longitude: float | None = None
    inscribed: str = ""
    criteria: str = ""
    danger: list = field(default_factory=list)
    warnings: list = field(default_factory=list)

    def names(self):
        """UNESCO's names of the property: [(language, name)]."""
        return [(language, name) for language, name in (("en", self.name), ("fr", self.name_fr)) if name]

    @classmethod
    def from_row(cls, row):
        """The record of a Row; RowError naming the column when a cell it needs is wrong or unreadable."""
        cells = row.cells
        for column in COLUMNS_READ:
            if column in row.unreadable:
                raise RowError(column, f"{column} could not be read: {row.unreadable[column]}.")
        id_no = cells.get("id_no", "").strip()
        if not ID_NO.fullmatch(id_no):
            raise RowError("id_no", f"“{id_no}” is not a UNESCO property number." if id_no else "id_no is empty.")
        name = clean_name("name_en", cells.get("name_en", ""))
        if not name:
            raise RowError("name_en", "name_en is empty.")
        record = cls(id_no=id_no, name=name, name_fr=clean_name("name_fr", cells.get("name_fr", "")))
        record.category = cells.get("category", "").strip()
        if record.category and record.category.lower() not in KIND_BY_CATEGORY:
            raise RowError("category", f"“{record.category}” is not Cultural, Natural or Mixed.")
        record.countries = parse_countries(cells.get("iso_code", ""))
        if not record.countries:
            record.warnings.append("no iso_code: imported without a country")
        record.latitude, record.longitude = parse_coordinates(cells.get("latitude", ""), cells.get("longitude", ""))
        if record.latitude is None:
            record.warnings.append("no coordinates")
        record.inscribed = cells.get("date_inscribed", "").strip()
        if record.inscribed and not re.fullmatch(r"(19|20)\d\d", record.inscribed):
            raise RowError("date_inscribed", f"“{record.inscribed}” is not a year of inscription.")
        record.criteria = re.sub(r"\s+", "", cells.get("criteria_txt", "")).lower()
        if record.criteria and not CRITERIA.fullmatch(record.criteria):
            raise RowError("criteria_txt", f"“{record.criteria}” is not a list of criteria such as (i)(ii)(iv).")
        record.danger = parse_danger_list(cells.get("danger_list", "") or _danger_history(cells.get("danger", "")))
        return record


def clean_name(column, value):
    """A name with its white space collapsed; RowError if it is too long or holds a control character
    (a file decoded in the wrong encoding turns curly quotes into U+0080–U+009F)."""
    name = " ".join(value.split())
    if len(name) > 255:
        raise RowError(column, f"{column} is longer than 255 characters.")
    control = next((character for character in name if unicodedata.category(character) == "Cc"), None)
    if control is not None:
        raise RowError(column, f"{column} holds the control character U+{ord(control):04X}.")
    return name


def _danger_history(value):
    # The XML feed has no danger_list; its <danger> holds the history when there is one ("Y 2013").
    return value if DANGER_ENTRY.match(value or "") else ""


def parse_countries(value):
    codes = [code.strip().upper() for code in value.replace(";", ",").split(",") if code.strip()]
    for code in codes:
        if len(code) != 2 or not country_list.alpha2(code):
            raise RowError("iso_code", f"“{code.lower()}” is not an ISO 3166-1 country code.")
    return list(dict.fromkeys(codes))


def parse_coordinates(latitude, longitude):
    latitude, longitude = latitude.strip(), longitude.strip()
    if not latitude and not longitude:
        return None, None
    values = {}
    for column, text, limit in (("latitude", latitude, 90), ("longitude", longitude, 180)):
        if not text:
            raise RowError(column, f"{column} is empty but the other coordinate is given.")
        try:
            number = float(text.replace(",", "."))
        except ValueError:
            raise RowError(column, f"“{text}” is not a number.") from None
        if not -limit <= number <= limit:
            raise RowError(column, f"{number} is outside −{limit}…{limit}.")
        values[column] = round(number, 10)
    return values["latitude"], values["longitude"]


def parse_danger_list(value):
    """UNESCO's danger history: "Y 2013" (listed since 2013), "P 1997-2005" (a past period), several per row."""
    value = value.strip()
    periods, position = [], 0
    while position < len(value):
        match = DANGER_ENTRY.match(value, position)
        if not match:
            raise RowError("danger_list", f"“{value}” is not a danger history such as “Y 2013” or “P 1997-2005”.")
        state, start, end = match.groups()
        if state == "Y" and end:
            raise RowError("danger_list", f"“{match.group().strip()}”: a current listing (Y) has no end year.")
        if state == "P" and (not end or end < start):
            raise RowError(
                "danger_list", f"“{match.group().strip()}”: a past period (P) needs an end year after its start."
            )
        periods.append(DangerPeriod(start=start, end=end or ""))
        position = match.end()
        while position < len(value) and value[position] in " ,;":
            position += 1
    return periods


# Writing -----------------------------------------------------------------


@dataclass
class RowResult:
    row: int
    id_no: str = ""
    name: str = ""
    outcome: str = ""  # created, updated, unchanged, skipped
    changes: list = field(default_factory=list)
    column: str = ""
    reason: str = ""
    warnings: list = field(default_factory=list)
    unreadable: dict = field(default_factory=dict)  # column → what could not be read (Row.unreadable)
    site_pk: int | None = None


@dataclass
class ImportSummary:
    file_format: str = ""
    encoding: str = ""
    dry_run: bool = False
    results: list = field(default_factory=list)

    def count(self, outcome):
        return sum(1 for result in self.results if result.outcome == outcome)

    @property
    def skipped(self):
        return [result for result in self.results if result.outcome == "skipped"]

    @property
    def unreadable_cells(self):
        """[(row, column, what could not be read)] for every cell holding bytes the file's encoding leaves
        undefined, whether or not its row was imported."""
        return [
            (result.row, column, problem) for result in self.results for column, problem in result.unreadable.items()
        ]

    @property
    def touched_site_pks(self):
        """The sites this import created or changed, for callers that keep state derived from sites."""
        return {result.site_pk for result in self.results if result.outcome in ("created", "updated")}

    def counts_line(self):
        outcomes = ("created", "updated", "unchanged", "skipped")
        return ", ".join(f"{self.count(outcome)} {outcome}" for outcome in outcomes)


class WHCImporter:
    """Creates or updates one site per row of UNESCO's list, keyed by id_no."""

    def __init__(self, dry_run=False, progress=None):
        self.dry_run = dry_run
        self.progress = progress or (lambda rows: rows)

    def run(self, data):
        file_format, encoding, rows = read_rows(data)
        summary = ImportSummary(file_format=file_format, encoding=encoding, dry_run=self.dry_run)
        # One transaction for the file, a savepoint per row: a bad row rolls back
        # alone; an interrupted run leaves the database as it was; a dry run rolls
        # everything back after showing what would change. The summary names the
        # sites touched (touched_site_pks) for callers that derive state from them.
        with transaction.atomic():
            self._load_existing()
            parsed = [self.parse_row(row) for row in rows]
            new = [record for _, record in parsed if record is not None and record.id_no not in self.sites]
            self._create_in_bulk(new)
            for result, record in self.progress(parsed):
                if record is not None:
                    self.apply(result, record)
                summary.results.append(result)
            if self.dry_run:
                transaction.set_rollback(True)
        return summary

    def _load_existing(self):
        """Everything the rows are compared with, in a few queries instead of several per row."""
        identifiers = Identifier.objects.filter(authority=Identifier.Authority.UNESCO).select_related("site")
        self.sites = {identifier.value: identifier.site for identifier in identifiers}
        self.slugs = set(Site.objects.values_list("slug", flat=True))
        self.designations = {}
        for designation in Designation.objects.filter(
            site__in=self.sites.values(), kind__in=[Designation.Kind.WORLD_HERITAGE, Designation.Kind.IN_DANGER]
        ):
            self.designations.setdefault(designation.site_id, []).append(designation)
        self.unesco_names = {}
        for name in SiteName.objects.filter(site__in=self.sites.values(), note=UNESCO_NAME_NOTE):
            self.unesco_names[(name.site_id, name.language)] = name
        self.kinds = {}
        self.name_kind = None
        self.seen = set()
        self.created = {}  # id_no → changes, for the rows inserted in bulk

    def parse_row(self, row):
        """(RowResult, WHCRecord), or (skipped RowResult, None) when the row cannot be imported."""
        result = RowResult(
            row=row.number, id_no=row.cells.get("id_no", ""), name=row.cells.get("name_en", ""),
            unreadable=row.unreadable,
        )
        try:
            record = WHCRecord.from_row(row)
            if record.id_no in self.seen:
                raise RowError("id_no", f"id_no {record.id_no} appears twice in the file; the first row was imported.")
        except RowError as error:
            result.outcome, result.column, result.reason = "skipped", error.column, error.message
            return result, None
        self.seen.add(record.id_no)
        result.warnings = record.warnings
        return result, record

    def apply(self, result, record):
        if record.id_no in self.created:
            result.outcome, result.changes = "created", self.created[record.id_no]
            result.site_pk = self.sites[record.id_no].pk
            return
        try:
            with transaction.atomic():
                result.outcome, result.changes = self._write(record)
            result.site_pk = self.sites[record.id_no].pk
        except Exception as error:  # a database refusal of one row must not stop the others
            result.outcome, result.column, result.reason = "skipped", "", f"{type(error).__name__}: {error}"

    def _create_in_bulk(self, records):
        """Insert new properties a table at a time (sites, identifiers, names, designations, with their
        history); returns the new sites' pks. If the database refuses the batch, nothing of it stays
        and the rows go through the row-by-row path, which names the row at fault."""
        if not records:
            return []
        slugs_before = set(self.slugs)
        try:
            with transaction.atomic():
                sites = bulk_create_with_history([self._new_site(record) for record in records], Site, batch_size=500)
                pairs = list(zip(records, sites, strict=True))
                bulk_create_with_history(
                    [Identifier(site=site, authority=Identifier.Authority.UNESCO, value=record.id_no)
                     for record, site in pairs], Identifier, batch_size=500,
                )
                names = [self._unesco_name(site, name, language) for record, site in pairs
                         for language, name in record.names()]
                bulk_create_with_history(names, SiteName, batch_size=500)
                designations = [item for record, site in pairs for item in self._designations(record, site)]
                for designation in designations:
                    designation.refresh_date_bounds()
                bulk_create_with_history(designations, Designation, batch_size=500)
        except DatabaseError:
            # Forget what the rolled-back savepoint created, kinds included.
            self.slugs, self.kinds, self.name_kind = slugs_before, {}, None
            return []
        for record, site in pairs:
            self.sites[record.id_no] = site
            names = [f"UNESCO name ({language}): “{name}”" for language, name in record.names()]
            designations = [describe_designation(item) for item in self._designations(record, site)]
            self.created[record.id_no] = [f"new site “{site.name}” ({site.slug})", *names, *designations]
        return [site.pk for _, site in pairs]

    def _designations(self, record, site):
        """The designations a new property gets (unsaved)."""
        designations = []
        if record.inscribed:
            designations.append(Designation(
                site=site, kind=Designation.Kind.WORLD_HERITAGE, start=record.inscribed, criteria=record.criteria,
                reference=record.id_no,
            ))
        designations += [
            Designation(site=site, kind=Designation.Kind.IN_DANGER, start=period.start, end=period.end,
                        reference=record.id_no, note=DANGER_NOTE)
            for period in record.danger
        ]
        return designations

    def _unesco_name(self, site, name, language):
        return SiteName(site=site, name=name, language=language, kind=self._name_kind(), note=UNESCO_NAME_NOTE,
                        folded=fold(name))

    def _write(self, record):
        site = self.sites.get(record.id_no)
        if site is None:
            site = self._create_site(record)
            changes = [f"new site “{site.name}” ({site.slug})"]
            outcome = "created"
        else:
            changes = self._update_site(site, record)
            outcome = "updated" if changes else "unchanged"
        changes += self._sync_names(site, record)
        changes += self._sync_designations(site, record)
        if outcome == "unchanged" and changes:
            outcome = "updated"
        return outcome, changes

    def _kind(self, category):
        slug, label = KIND_BY_CATEGORY.get(category.lower(), KIND_BY_CATEGORY["cultural"])
        if slug not in self.kinds:
            self.kinds[slug], _ = SiteKind.objects.get_or_create(
                slug=slug, defaults={"label": label, "source": UNESCO_SOURCE}
            )
        return self.kinds[slug]

    def _unique_slug(self, record):
        base = slugify(record.name)[:100].strip("-") or f"whc-{record.id_no}"
        slug = base if base not in self.slugs else f"{base}-{record.id_no}"
        self.slugs.add(slug)
        return slug

    def _new_site(self, record):
        return Site(
            slug=self._unique_slug(record),
            name=record.name,
            kind=self._kind(record.category),
            countries=record.countries,
            latitude=record.latitude,
            longitude=record.longitude,
            location_source=UNESCO_SOURCE if record.latitude is not None else "",
        )

    def _create_site(self, record):
        site = self._new_site(record)
        site.save()
        Identifier.objects.create(site=site, authority=Identifier.Authority.UNESCO, value=record.id_no)
        self.sites[record.id_no] = site
        return site

    def _update_site(self, site, record):
        changes, fields = [], []
        previous_name = self.unesco_names.get((site.pk, "en"))
        # The preferred name follows UNESCO only while editors have not chosen another.
        if site.name != record.name and previous_name is not None and site.name == previous_name.name:
            changes.append(f"name: “{site.name}” → “{record.name}”")
            site.name = record.name
            fields.append("name")
        # A country set: the field stores codes sorted, UNESCO lists them in any order.
        if {str(country) for country in site.countries} != set(record.countries):
            before = ",".join(str(country) for country in site.countries) or "none"
            changes.append(f"countries: {before} → {','.join(record.countries) or 'none'}")
            site.countries = record.countries
            fields.append("countries")
        if site.location_source in ("", UNESCO_SOURCE) and site.point != _point(record):
            changes.append(f"coordinates: {site.point} → {_point(record)}")
            site.latitude, site.longitude = record.latitude, record.longitude
            site.location_source = UNESCO_SOURCE if record.latitude is not None else ""
            fields += ["latitude", "longitude", "location_source"]
        if fields:
            site.save(update_fields=[*fields, "updated"])
        return changes

    def _sync_names(self, site, record):
        changes = []
        for language, name in record.names():
            existing = self.unesco_names.get((site.pk, language))
            if existing and existing.name == name:
                continue
            if existing:
                changes.append(f"UNESCO name ({language}): “{existing.name}” → “{name}”")
                existing.name = name
                existing.save()
                continue
            if SiteName.objects.filter(site=site, name=name, language=language).exists():
                continue  # an editor already recorded it; theirs stays theirs
            self.unesco_names[(site.pk, language)] = name_row = self._unesco_name(site, name, language)
            name_row.save()
            changes.append(f"UNESCO name ({language}): “{name}”")
        return changes

    def _name_kind(self):
        if self.name_kind is None:
            self.name_kind = (
                NameKind.objects.filter(slug="variant").first()
                or NameKind.objects.get_or_create(slug="official", defaults={"label": "Official", "position": 1})[0]
            )
        return self.name_kind

    def _sync_designations(self, site, record):
        existing = self.designations.setdefault(site.pk, [])
        changes = []
        heritage = next((d for d in existing if d.kind == Designation.Kind.WORLD_HERITAGE), None)
        if record.inscribed:
            wanted = {"start": record.inscribed, "criteria": record.criteria, "reference": record.id_no}
            if heritage is None:
                heritage = Designation.objects.create(site=site, kind=Designation.Kind.WORLD_HERITAGE, **wanted)
                existing.append(heritage)
                changes.append(describe_designation(heritage))
            elif any(getattr(heritage, key) != value for key, value in wanted.items()):
                changes.append(
                    f"World Heritage: {heritage.start} {heritage.criteria} → {record.inscribed} {record.criteria}"
                )
                for key, value in wanted.items():
                    setattr(heritage, key, value)
                heritage.save()
        listed = {period.start: period for period in record.danger}
        for designation in [d for d in existing if d.kind == Designation.Kind.IN_DANGER]:
            # UNESCO gives years; an editor's "2013-06-20" is the same listing as UNESCO's "Y 2013".
            period = listed.pop(designation.start[:4], None)
            if period is None:
                if designation.note == DANGER_NOTE:  # ours, and UNESCO no longer lists it
                    designation.delete()
                    existing.remove(designation)
                    changes.append(f"In Danger from {designation.start} removed")
            elif designation.end != period.end:
                changes.append(
                    f"In Danger from {period.start}: end {designation.end or 'open'} → {period.end or 'open'}"
                )
                designation.end = period.end
                designation.save()
        for period in listed.values():
            designation = Designation.objects.create(
                site=site, kind=Designation.Kind.IN_DANGER, start=period.start, end=period.end,
                reference=record.id_no, note=DANGER_NOTE,
            )
            existing.append(designation)
            changes.append(describe_designation(designation))
        return changes


def describe_designation(designation):
    if designation.kind == Designation.Kind.WORLD_HERITAGE:
        return f"World Heritage since {designation.start} {designation.criteria}".strip()
    if designation.end:
        return f"In Danger {designation.start}–{designation.end}"
    return f"In Danger since {designation.start}"


def _point(record):
    return None if record.latitude is None else (record.latitude, record.longitude)


def import_file(path, dry_run=False, progress=None):
    return WHCImporter(dry_run=dry_run, progress=progress).run(Path(path).read_bytes())
