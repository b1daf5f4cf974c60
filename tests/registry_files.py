"""Registry files built in the tests, as messy as the ones the secretariat receives."""

import csv
import struct
import zipfile

from openpyxl import Workbook


def write_xlsx(path, rows):
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(list(row))
    workbook.save(path)
    return path


def write_csv(path, rows, encoding="utf-8", delimiter=","):
    with open(path, "w", newline="", encoding=encoding) as f:
        csv.writer(f, delimiter=delimiter).writerows(rows)
    return path


def read_xlsx(path_or_file):
    from openpyxl import load_workbook

    sheet = load_workbook(path_or_file, read_only=True).worksheets[0]
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def write_excel_style_xlsx(path, rows):
    """An XLSX the way Excel writes it: shared strings, numbers, and dates as styled serial numbers.

    openpyxl writes inline strings; this is the other shape real files come in. `rows` holds str,
    int/float and datetime.date values.
    """
    import datetime
    import zipfile
    from xml.sax.saxutils import escape

    strings, cells_xml = [], []
    for r, row in enumerate(rows, start=1):
        cells = []
        for c, value in enumerate(row):
            ref = f"{chr(65 + c)}{r}"
            if isinstance(value, datetime.date):
                serial = (value - datetime.date(1899, 12, 30)).days
                cells.append(f'<c r="{ref}" s="1"><v>{serial}</v></c>')
            elif isinstance(value, (int, float)):
                cells.append(f'<c r="{ref}"><v>{value}</v></c>')
            elif value != "":
                strings.append(value)
                cells.append(f'<c r="{ref}" t="s"><v>{len(strings) - 1}</v></c>')
        cells_xml.append(f'<row r="{r}">{"".join(cells)}</row>')
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    parts = {
        "[Content_Types].xml": content_types(("/xl/styles.xml", "styles")),
        "_rels/.rels": (
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            f'<workbook xmlns="{main}" xmlns:r="{rel}"><sheets>'
            '<sheet name="DATA KPM" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{rel}/sharedStrings" Target="sharedStrings.xml"/>'
            f'<Relationship Id="rId3" Type="{rel}/styles" Target="styles.xml"/></Relationships>'
        ),
        "xl/styles.xml": (
            f'<styleSheet xmlns="{main}"><numFmts count="1"><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/>'
            '</numFmts><cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="164" applyNumberFormat="1"/></cellXfs>'
            "</styleSheet>"
        ),
        "xl/sharedStrings.xml": (
            f'<sst xmlns="{main}" count="{len(strings)}" uniqueCount="{len(strings)}">'
            + "".join(f'<si><t xml:space="preserve">{escape(s)}</t></si>' for s in strings)
            + "</sst>"
        ),
        "xl/worksheets/sheet1.xml": (
            f'<worksheet xmlns="{main}"><sheetData>{"".join(cells_xml)}</sheetData></worksheet>'
        ),
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, xml in parts.items():
            archive.writestr(name, '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' + xml)
    return path


# --- Crafted XLSX: parts written by hand, for the hostile files of the tests and of bench/hostile_files.py ----


def content_types(*more):
    """[Content_Types].xml of a one-sheet workbook with shared strings; `more` are (part, kind) pairs."""
    parts = [("/xl/workbook.xml", "sheet.main"), ("/xl/worksheets/sheet1.xml", "worksheet")]
    parts += [("/xl/sharedStrings.xml", "sharedStrings"), *more]
    return (
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        + "".join(
            f'<Override PartName="{part}" '
            f'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.{kind}+xml"/>'
            for part, kind in parts
        )
        + "</Types>"
    )


CRAFTED_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
CRAFTED_PARTS = {
    "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8"?>' + content_types(),
    "_rels/.rels": (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Target="xl/workbook.xml" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"/></Relationships>'
    ),
    "xl/workbook.xml": (
        f'<workbook xmlns="{CRAFTED_MAIN}" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<sheets><sheet name="KPM" sheetId="1" r:id="rId1"/></sheets></workbook>'
    ),
    "xl/_rels/workbook.xml.rels": (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Target="worksheets/sheet1.xml" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"/>'
        '<Relationship Id="rId2" Target="sharedStrings.xml" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"/></Relationships>'
    ),
}
CRAFTED_HEADER_ROW = '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>'


def write_crafted_xlsx(path, rows, *, dimension=None, shared=("NIK", "NAMA"), long_shared=None, long_inline=None):
    """An XLSX whose first sheet holds `rows` (sheet XML) under `dimension`, with `shared` strings.

    `long_shared` and `long_inline` are (text, times) pairs written in blocks, so a string of hundreds of MB
    never sits in memory: one more shared string (index len(shared)), and a row 2 holding an inline string.
    """
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, text in CRAFTED_PARTS.items():
            archive.writestr(name, text)
        with archive.open("xl/sharedStrings.xml", "w", force_zip64=True) as xml:
            xml.write(f'<sst xmlns="{CRAFTED_MAIN}">'.encode())
            for text in shared:
                xml.write(f"<si><t>{text}</t></si>".encode())
            if long_shared:
                _write_repeated(xml, b'<si><t xml:space="preserve">', long_shared, b"</t></si>")
            xml.write(b"</sst>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as xml:
            declared = f'<dimension ref="{dimension}"/>' if dimension else ""
            xml.write(f'<worksheet xmlns="{CRAFTED_MAIN}">{declared}<sheetData>{rows}'.encode())
            if long_inline:
                opening = b'<row r="2"><c r="A2" t="inlineStr"><is><t xml:space="preserve">'
                _write_repeated(xml, opening, long_inline, b"</t></is></c></row>")
            xml.write(b"</sheetData></worksheet>")
    return path


def _write_repeated(xml, opening, text_and_times, closing):
    text, times = text_and_times
    block = text.encode()
    xml.write(opening)
    for _ in range(times):
        xml.write(block)
    xml.write(closing)


def declare_size(path, member, size):
    """Rewrite the uncompressed size the archive declares for `member`, in its local header and in the
    central directory, as a hand-made archive can."""
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo(member)
    struct.pack_into("<L", data, info.header_offset + 22, size)
    entry = data.find(b"PK\x01\x02")
    while entry >= 0:
        name_length = struct.unpack_from("<H", data, entry + 28)[0]
        if data[entry + 46 : entry + 46 + name_length] == member.encode():
            struct.pack_into("<L", data, entry + 24, size)
        entry = data.find(b"PK\x01\x02", entry + 4)
    path.write_bytes(bytes(data))
    return path
