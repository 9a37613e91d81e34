"""Writes the small World Heritage List exports the importer tests read.

Run from the project folder: python sites/tests/data/make_whc_samples.py
(needs xlwt, a development-only dependency, for the .xls). The facts (ids,
years, criteria, coordinates, countries, danger history) are those of six real
properties; the descriptions are our own placeholder text, never UNESCO's.
"""

import csv
import io
from pathlib import Path

import openpyxl
import xlwt

HERE = Path(__file__).parent

COLUMNS_32 = [
    "unique_number", "id_no", "rev_bis", "name_en", "short_description_en", "justification_en",
    "date_inscribed", "secondary_dates", "danger", "date_end", "danger_list", "longitude", "latitude",
    "area_hectares", "C1", "C2", "C3", "C4", "C5", "C6", "N7", "N8", "N9", "N10", "criteria_txt", "category",
    "category_short", "states_name_en", "region_en", "iso_code", "udnp_code", "transboundary",
]
COLUMNS_37 = [
    "unique_number", "id_no", "rev_bis", "name_en", "name_fr", "short_description_en", "short_description_fr",
    "justification_en", "justification_fr", "date_inscribed", "secondary_dates", "danger", "date_end",
    "danger_list", "longitude", "latitude", "area_hectares", "C1", "C2", "C3", "C4", "C5", "C6", "N7", "N8",
    "N9", "N10", "criteria_txt", "category", "category_short", "states_name_en", "states_name_fr", "region_en",
    "region_fr", "iso_code", "udnp_code", "transboundary",
]

PLACEHOLDER = "<p>Placeholder written for the tests; not UNESCO's text.</p>"


def criteria_flags(criteria):
    names = ["i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x"]
    chosen = criteria.strip("()").split(")(")
    keys = ["C1", "C2", "C3", "C4", "C5", "C6", "N7", "N8", "N9", "N10"]
    return {key: "1" if name in chosen else "0" for key, name in zip(keys, names, strict=True)}


PROPERTIES = [
    ("2256", "23", "Site of Palmyra", "Site de Palmyre", "1980", "1", "", "Y 2013", "38.2666666667", "34.5541666667",
     "(i)(ii)(iv)", "Cultural", "Syrian Arab Republic", "République arabe syrienne", "Arab States", "sy", "0"),
    ("1862", "20", "Ancient City of Damascus", "Ancienne ville de Damas", "1979", "1", "", "Y 2013", "36.3097222222",
     "33.5108333333", "(i)(ii)(iii)(iv)(vi)", "Cultural", "Syrian Arab Republic", "République arabe syrienne",
     "Arab States", "sy", "0"),
    ("2315", "95", "Old City of Dubrovnik", "Vieille ville de Dubrovnik", "1979", "0", "1998", "P 1991-1998",
     "18.1088611111", "42.6414211111", "(i)(iii)(iv)", "Cultural", "Croatia", "Croatie", "Europe and North America",
     "hr", "0"),
    ("149", "136", "Garamba National Park", "Parc national de la Garamba", "1980", "1", "1992", "Y 1996 P 1984-1992",
     "29.25", "4", "(vii)(x)", "Natural", "Democratic Republic of the Congo", "République démocratique du Congo",
     "Africa", "cd", "0"),
    ("408", "355", "Iguaçu National Park", "Parc national de l'Iguaçu", "1986", "0", "2001", "P 1999-2001",
     "-53.8001444444", "-25.4481472222", "(vii)(x)", "Natural", "Brazil", "Brésil",
     "Latin America and the Caribbean", "br", "0"),
    ("2559", "1567", "Funerary and memory sites of the First World War (Western Front)",
     "Sites funéraires et mémoriels de la Première Guerre mondiale (Front Ouest)", "2023", "0", "", "", "", "",
     "(iii)(iv)(vi)", "Cultural", "Belgium,France", "Belgique,France", "Europe and North America", "be,fr", "1"),
]


def rows():
    for (unique, id_no, name_en, name_fr, inscribed, danger, date_end, danger_list, longitude, latitude, criteria,
         category, states_en, states_fr, region, iso, transboundary) in PROPERTIES:
        row = {
            "unique_number": unique, "id_no": id_no, "rev_bis": "", "name_en": name_en, "name_fr": name_fr,
            "short_description_en": PLACEHOLDER, "short_description_fr": PLACEHOLDER, "justification_en": "",
            "justification_fr": "", "date_inscribed": inscribed, "secondary_dates": "", "danger": danger,
            "date_end": date_end, "danger_list": danger_list, "longitude": longitude, "latitude": latitude,
            "area_hectares": "", "criteria_txt": criteria, "category": category, "category_short": category[0],
            "states_name_en": states_en, "states_name_fr": states_fr, "region_en": region, "region_fr": region,
            "iso_code": iso, "udnp_code": "", "transboundary": transboundary,
        }
        row.update(criteria_flags(criteria))
        yield row


def write_csv(path, columns, encoding):
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, columns, extrasaction="ignore", lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows())
    path.write_bytes(buffer.getvalue().encode(encoding))


# Two more real properties whose names Windows-1252 writes with bytes 0x80–0x9F (’ is 0x92, – is 0x96), as
# the file that once lost them to Latin-1 had; facts from UNESCO's 2024 export (../shared/data/whc-sites-2024.csv).
CP1252_PROPERTIES = [
    ("1406", "1229", "Crac des Chevaliers and Qal’at Salah El-Din", "2006", "1", "", "Y 2013", "36.2944444444",
     "34.7566666667", "(ii)(iv)", "Cultural", "Syrian Arab Republic", "Arab States", "sy", "0"),
    ("1632", "865", "L'viv – the Ensemble of the Historic Centre", "1998", "1", "", "Y 2023", "24.03198",
     "49.84163", "(ii)(v)", "Cultural", "Ukraine", "Europe and North America", "ua", "0"),
]
# UNESCO's own export carries text once mis-decoded: ” (UTF-8 E2 80 9D) read as Windows-1252 is “â€” and a
# byte 0x9D, which Windows-1252 leaves undefined. One such cell is enough to defeat a whole-file decode.
UNDEFINED_BYTE_MARK = "{0x9D}"
MANGLED_PLACEHOLDER = (
    "<p>Placeholder written for the tests; a “quoteâ€" + UNDEFINED_BYTE_MARK + " mangled as in UNESCO's export.</p>"
)


def write_cp1252_with_an_undefined_byte(path):
    palmyra = next(row for row in rows() if row["id_no"] == "23")
    table = [{**palmyra, "short_description_en": MANGLED_PLACEHOLDER}]
    for (unique, id_no, name_en, inscribed, danger, date_end, danger_list, longitude, latitude, criteria,
         category, states_en, region, iso, transboundary) in CP1252_PROPERTIES:
        row = {
            "unique_number": unique, "id_no": id_no, "rev_bis": "", "name_en": name_en,
            "short_description_en": PLACEHOLDER, "justification_en": "", "date_inscribed": inscribed,
            "secondary_dates": "", "danger": danger, "date_end": date_end, "danger_list": danger_list,
            "longitude": longitude, "latitude": latitude, "area_hectares": "", "criteria_txt": criteria,
            "category": category, "category_short": category[0], "states_name_en": states_en, "region_en": region,
            "iso_code": iso, "udnp_code": "", "transboundary": transboundary,
        }
        row.update(criteria_flags(criteria))
        table.append(row)
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, COLUMNS_32, extrasaction="ignore", lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(table)
    path.write_bytes(buffer.getvalue().encode("cp1252").replace(UNDEFINED_BYTE_MARK.encode(), b"\x9d"))


def write_xlsx(path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(COLUMNS_37)
    for row in rows():
        # Spreadsheets hold numbers as numbers: the importer must cope with 23.0 and 1980.0.
        values = [row[column] for column in COLUMNS_37]
        for column in ("id_no", "date_inscribed", "latitude", "longitude"):
            index = COLUMNS_37.index(column)
            values[index] = float(values[index]) if values[index] else None
        sheet.append(values)
    workbook.save(path)


def write_xls(path):
    workbook = xlwt.Workbook(encoding="utf-8")
    sheet = workbook.add_sheet("whc-sites")
    for column_index, column in enumerate(COLUMNS_32):
        sheet.write(0, column_index, column)
    for row_index, row in enumerate(rows(), start=1):
        for column_index, column in enumerate(COLUMNS_32):
            value = row[column]
            if column in ("id_no", "date_inscribed", "latitude", "longitude") and value:
                value = float(value)
            sheet.write(row_index, column_index, value)
    workbook.save(str(path))


def write_xml(path):
    # The shape of whc.unesco.org/en/list/xml: <query><row> with one element per field.
    tags = {
        "category": "category", "criteria_txt": "criteria_txt", "danger_list": "danger", "date_inscribed":
        "date_inscribed", "id_no": "id_number", "iso_code": "iso_code", "latitude": "latitude", "longitude":
        "longitude", "region_en": "region", "name_en": "site", "states_name_en": "states",
        "short_description_en": "short_description", "transboundary": "transboundary", "unique_number":
        "unique_number",
    }
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', "<query>"]
    for row in rows():
        lines.append("  <row>")
        for column, tag in sorted(tags.items(), key=lambda item: item[1]):
            value = row[column].replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            lines.append(f"    <{tag}>{value}</{tag}>" if value else f"    <{tag}/>")
        lines.append(f"    <http_url>https://whc.unesco.org/en/list/{row['id_no']}</http_url>")
        lines.append("  </row>")
    lines.append("</query>")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    write_csv(HERE / "whc-32-utf8-bom.csv", COLUMNS_32, "utf-8-sig")
    write_csv(HERE / "whc-37-cp1252.csv", COLUMNS_37, "cp1252")
    write_cp1252_with_an_undefined_byte(HERE / "whc-32-cp1252-undefined-byte.csv")
    write_csv(HERE / "whc-37-utf8-bom.csv", COLUMNS_37, "utf-8-sig")
    write_xlsx(HERE / "whc-37.xlsx")
    write_xls(HERE / "whc-32.xls")
    write_xml(HERE / "whc.xml")
