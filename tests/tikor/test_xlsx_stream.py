"""The streamed XLSX writer: well-formed parts, text kept as text, nothing Excel would run, a frozen header."""

import datetime
import io
import zipfile
from decimal import Decimal
from xml.etree import ElementTree

from openpyxl import load_workbook

from tikor.xlsx_stream import write_table


def written(rows, **options):
    target = io.BytesIO()
    count = write_table(target, "KPM", ["NIK", "Nama", "Lahir", "Jumlah"], rows, **options)
    return count, target.getvalue()


def test_every_part_is_well_formed_xml_even_with_characters_xml_cannot_hold():
    count, data = written([["3171015705800001", 'Siti <& "Aminah">\x01\x0b', datetime.date(1980, 5, 17), 3]])

    assert count == 1
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            ElementTree.fromstring(archive.read(name))  # raises on malformed XML


def test_text_stays_text_and_formula_like_text_gets_the_quote_prefix():
    rows = [
        ["3171015705800001", '=HYPERLINK("http://contoh")', datetime.date(1980, 5, 17), 200_000],
        [3171015705800002, "+62 812", None, Decimal("12.5")],
        ["0031", "@SUM(A1)", "", -5],
    ]
    _count, data = written(rows, text_columns=[0])

    sheet = load_workbook(io.BytesIO(data)).active
    nik = [sheet.cell(row, 1) for row in (2, 3, 4)]
    assert [(c.value, c.data_type, c.number_format) for c in nik] == [
        ("3171015705800001", "s", "@"),
        ("3171015705800002", "s", "@"),
        ("0031", "s", "@"),
    ]
    names = [sheet.cell(row, 2) for row in (2, 3, 4)]
    assert [(c.value, c.data_type, c.quotePrefix) for c in names] == [
        ('=HYPERLINK("http://contoh")', "s", True),
        ("+62 812", "s", True),
        ("@SUM(A1)", "s", True),
    ]
    assert sheet.cell(2, 3).value == datetime.datetime(1980, 5, 17)
    assert [sheet.cell(row, 4).value for row in (2, 3, 4)] == [200_000, 12.5, -5]
    assert not [c.coordinate for row in sheet.iter_rows() for c in row if c.data_type == "f"]


def test_header_is_bold_frozen_and_filtered_and_progress_is_told():
    heard = []
    count, data = written(([str(n), "x", None, n] for n in range(5)), progress=heard.append, every=2)

    sheet = load_workbook(io.BytesIO(data)).active
    assert (count, heard) == (5, [2, 4])
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:D6"
    assert sheet.cell(1, 1).font.b
    assert sheet.title == "KPM"
