"""The streaming XLSX reader reads the cells other writers than openpyxl produce, as Excel shows them.

The sheet is written by hand, as Excel and LibreOffice write it: shared strings, entities, rich text,
formulas with their cached value, a date style, booleans, errors and a row with gaps.
"""

import datetime
import zipfile

from penyaluran.importing import readers, xlsx, xlsx_stream

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/></Types>'
)
WORKBOOK = (
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="KPM" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
RELS = (
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    'Target="worksheets/data.xml"/></Relationships>'
)
STYLES = (
    '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<cellXfs count="3"><xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="49"/></cellXfs></styleSheet>'
)
SHARED = "<sst><si><t>satu</t></si><si><t>dua &amp; tiga</t></si><si><r><t>em</t></r><r><t>pat</t></r></si></sst>"
ROWS = (
    '<row r="1"><c r="A1" t="inlineStr"><is><t>Kolom</t></is></c></row>'
    '<row r="2"><c r="A2" t="s"><v>1</v></c><c r="B2" s="1"><v>27589</v></c>'
    '<c r="C2" t="inlineStr"><is><t>A &amp; B</t></is></c></row>'
    '<row r="3" spans="1:5"><c r="A3" s="2" t="s"><v>0</v></c><c r="C3"><v>3.5</v></c>'
    '<c r="E3" t="b"><v>1</v></c></row>'
    '<row r="4"><c r="A4" t="inlineStr"><is><r><rPr><color rgb="FFFF0000"/></rPr><t>merah</t></r></is></c>'
    '<c r="B4"><f>1+1</f><v>2</v></c></row>'
    '<row r="5"><c r="A5" t="str"><v>x</v></c><c r="B5" t="inlineStr"><is><t></t></is></c>'
    '<c r="C5" s="1" t="n"><v>27589.5</v></c><c r="AB5" t="s"><v>2</v></c></row>'
    '<row r="6"><c r="A6" t="inlineStr"><is><t xml:space="preserve"> spasi </t></is></c>'
    '<c r="B6" t="e"><v>#N/A</v></c><c r="C6" t="inlineStr"><is><t>3173010101800001</t></is></c></row>'
)


def write_sheet(path):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", RELS)
        archive.writestr("xl/styles.xml", STYLES)
        archive.writestr("xl/sharedStrings.xml", SHARED)
        archive.writestr(
            "xl/worksheets/data.xml",
            '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            f"<sheetData>{ROWS}</sheetData></worksheet>",
        )
    return path


def test_streaming_reader_reads_every_kind_of_cell(tmp_path, monkeypatch):
    monkeypatch.setattr(xlsx, "STREAM_ABOVE_BYTES", 0)
    monkeypatch.setattr(xlsx_stream, "XML_BLOCK_BYTES", 64)  # a block ends inside most rows
    source = readers.open_source(write_sheet(tmp_path / "kpm.xlsx"), "kpm.xlsx")
    assert isinstance(source, xlsx_stream.XmlSheetSource)

    rows = list(readers.iter_rows(tmp_path / "kpm.xlsx", "kpm.xlsx"))

    assert rows == [
        (1, ["Kolom"]),
        (2, ["dua & tiga", datetime.date(1975, 7, 14), "A & B"]),
        (3, ["satu", "", 3.5, "", True]),
        (4, ["merah", 2.0]),
        (5, ["x", "", datetime.datetime(1975, 7, 14, 12, 0), *[""] * 24, "empat"]),
        (6, [" spasi ", "#N/A", "3173010101800001"]),
    ]
