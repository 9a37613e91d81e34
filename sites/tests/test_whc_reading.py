"""Properties of reading an export: whatever the bytes, read_rows() returns rows or raises FileFormatError
with one line for the user; never another exception, never a cell that cannot be stored or printed."""

import csv
import io
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from sites.whc import FileFormatError, Row, decode_text, read_rows

DATA = Path(__file__).parent / "data"
SAMPLES = [
    (DATA / name).read_bytes()
    for name in ("whc-32-utf8-bom.csv", "whc-37-cp1252.csv", "whc-37.xlsx", "whc-32.xls", "whc.xml")
]
UNDEFINED_IN_CP1252 = [0x81, 0x8D, 0x8F, 0x90, 0x9D]


@st.composite
def damaged_samples(draw):
    """A real export cut short, with a stretch overwritten, or both: what a failed download leaves."""
    data = bytearray(draw(st.sampled_from(SAMPLES)))
    if draw(st.booleans()):
        start = draw(st.integers(0, len(data) - 1))
        patch = draw(st.binary(min_size=1, max_size=64))
        data[start : start + len(patch)] = patch
    if draw(st.booleans()):
        data = data[: draw(st.integers(0, len(data)))]
    return bytes(data)


def assert_rows_or_one_clear_error(data):
    try:
        _, _, rows = read_rows(data)
    except FileFormatError as error:
        message = str(error)
        assert message and "\n" not in message
        message.encode("utf-8")  # no undefined byte left in it as a lone surrogate
        return
    assert rows
    for row in rows:
        assert isinstance(row, Row)
        for text in row.cells.values():
            text.encode("utf-8")


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=4096) | damaged_samples())
@example(b"")
@example(b"\xd0\xcf\x11\xe0")
@example(b"PK\x03\x04")
@example(b"id_no,name_en\r\n23,Site of Palmyra\x00\r\n")
@example(b'id_no,name_en\r\n23,"Site of Palmyra\r\n')
def test_any_bytes_give_rows_or_one_clear_error(data):
    assert_rows_or_one_clear_error(data)


# Words of real property names, in Latin letters Windows-1252 can write (’ – “ ” Š Ž œ are 0x80–0x9F in it).
WORDS = [
    "Site", "of", "Palmyra", "Crac", "des", "Chevaliers", "Qal’at", "Salah", "El-Din", "L'viv", "–", "Iguaçu",
    "Côte", "d’Ivoire", "funéraires", "Première", "Škocjan", "Žatec", "Vegaøyan", "Nærøyfjord", "“Ancient",
    "Merv”", "Bahá’i", "Cœur",
]
names = st.lists(st.sampled_from(WORDS), min_size=1, max_size=8).map(" ".join)


@settings(max_examples=150, deadline=None)
@given(
    table=st.lists(names, min_size=1, max_size=30),
    byte=st.sampled_from(UNDEFINED_IN_CP1252),
    data=st.data(),
)
def test_an_undefined_byte_in_a_windows_1252_file_spoils_only_its_own_cell(table, byte, data):
    spoiled = data.draw(st.integers(0, len(table) - 1))
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(["id_no", "name_en", "short_description_en"])
    for index, name in enumerate(table):
        writer.writerow([index + 1, name, "Placeholder \x01 text." if index == spoiled else "Placeholder text."])
    encoded = buffer.getvalue().encode("cp1252").replace(b"\x01", bytes([byte]))

    _, encoding, rows = read_rows(encoded)

    assert encoding == "cp1252"
    assert [row.cells["name_en"] for row in rows] == table
    assert rows[spoiled].cells["short_description_en"] == "Placeholder \ufffd text."
    assert [(row.number, row.unreadable) for row in rows if row.unreadable] == [
        (spoiled + 2, {"short_description_en": f"byte 0x{byte:02X} is not text in cp1252"}),
    ]


def test_utf_16_without_a_byte_order_mark_is_recognised():
    data = "id_no,name_en\r\n23,Site of Palmyra\r\n".encode("utf-16-le")

    assert decode_text(data) == ("id_no,name_en\r\n23,Site of Palmyra\r\n", "utf_16_le")
