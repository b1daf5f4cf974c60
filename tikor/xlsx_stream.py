"""One big table as an XLSX file, written as a stream of sheet XML into the zip: for exports of hundreds of
thousands of rows (every KPM), where a general writer's per-cell cost dominates.

bench/laporan.py measured it: for 206.438 KPM rows x 17 columns, openpyxl's write-only mode and XlsxWriter in
constant-memory mode spend most of their time in per-cell bookkeeping; this writes each row as one string
(inline strings, no shared-string table) and compresses as it goes, in constant memory. Reports, small and
rich in formats, use XlsxWriter (monev/laporan/xlsx.py).

What it guarantees: a header row in bold, frozen, with an autofilter; text columns are text cells ("@"), so
a NIK keeps every digit; text that starts like a formula gets Excel's quote prefix, so it is never run;
characters XML cannot hold are dropped.
"""

import datetime
import re
import zipfile
from decimal import Decimal

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
ROWS_PER_CHUNK = 2000
EXCEL_EPOCH = datetime.date(1899, 12, 30)
# Style indexes in STYLES below.
PLAIN, BOLD, TEXT, DATE, QUOTED = 0, 1, 2, 3, 4

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

OOXML = "http://schemas.openxmlformats.org"
REL = f"{OOXML}/officeDocument/2006/relationships"
DOC = "application/vnd.openxmlformats-officedocument.spreadsheetml"
HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

CONTENT_TYPES = (
    f'{HEAD}<Types xmlns="{OOXML}/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    f'<Override PartName="/xl/workbook.xml" ContentType="{DOC}.sheet.main+xml"/>'
    f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{DOC}.worksheet+xml"/>'
    f'<Override PartName="/xl/styles.xml" ContentType="{DOC}.styles+xml"/>'
    '<Override PartName="/docProps/core.xml" '
    'ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
    "</Types>"
)

ROOT_RELS = (
    f'{HEAD}<Relationships xmlns="{OOXML}/package/2006/relationships">'
    f'<Relationship Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/>'
    f'<Relationship Id="rId2" Type="{OOXML}/package/2006/relationships/metadata/core-properties" '
    'Target="docProps/core.xml"/>'
    "</Relationships>"
)

CORE = (
    f'{HEAD}<cp:coreProperties xmlns:cp="{OOXML}/package/2006/metadata/core-properties" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:title>{title}</dc:title>'
    "<dc:creator>Dinas Sosial Provinsi DKI Jakarta</dc:creator>"
    '<dcterms:created xsi:type="dcterms:W3CDTF">{created}</dcterms:created></cp:coreProperties>'
)

WORKBOOK_RELS = (
    f'{HEAD}<Relationships xmlns="{OOXML}/package/2006/relationships">'
    f'<Relationship Id="rId1" Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{REL}/styles" Target="styles.xml"/>'
    "</Relationships>"
)

WORKBOOK = (
    f'{HEAD}<workbook xmlns="{OOXML}/spreadsheetml/2006/main" xmlns:r="{REL}">'
    '<sheets><sheet name="{name}" sheetId="1" r:id="rId1"/></sheets>'
    '<definedNames><definedName name="_xlnm._FilterDatabase" localSheetId="0" hidden="1">'
    "'{name}'!{ref}</definedName></definedNames></workbook>"
)

_FONT = '<sz val="11"/><name val="Calibri"/>'
_XF = 'fontId="{font}" fillId="0" borderId="0" xfId="0"'
STYLES = (
    f'{HEAD}<styleSheet xmlns="{OOXML}/spreadsheetml/2006/main">'
    '<numFmts count="1"><numFmt numFmtId="164" formatCode="dd\\-mm\\-yyyy"/></numFmts>'
    f'<fonts count="2"><font>{_FONT}</font><font><b/>{_FONT}</font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="5">'
    f'<xf numFmtId="0" {_XF.format(font=0)}/>'
    f'<xf numFmtId="0" {_XF.format(font=1)} applyFont="1"/>'
    f'<xf numFmtId="49" {_XF.format(font=0)} applyNumberFormat="1"/>'
    f'<xf numFmtId="164" {_XF.format(font=0)} applyNumberFormat="1"/>'
    f'<xf numFmtId="49" {_XF.format(font=0)} applyNumberFormat="1" quotePrefix="1"/>'
    '</cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>'
)

SHEET_START = (
    f'{HEAD}<worksheet xmlns="{OOXML}/spreadsheetml/2006/main" xmlns:r="{REL}">'
    '<sheetViews><sheetView workbookViewId="0">'
    '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
    '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>'
    '<sheetFormatPr defaultRowHeight="15"/><cols>{cols}</cols><sheetData>'
)


def column_letters(index):
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def escape(text):
    if _NOT_XML.search(text):
        text = _NOT_XML.sub("", text)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _text(ref, value, style):
    space = ' xml:space="preserve"' if value[:1].isspace() or value[-1:].isspace() else ""
    styled = f' s="{style}"' if style else ""
    return f'<c r="{ref}" t="inlineStr"{styled}><is><t{space}>{escape(value)}</t></is></c>'


def write_table(target, title, headers, rows, *, text_columns=(), widths=None, progress=None, every=5000):
    """Write one sheet named `title` (a path or a binary file): `headers`, then `rows` (lists of str, int,
    float, Decimal, date or None/""); returns the number of rows. `progress(n)` hears every `every` rows."""
    letters = [column_letters(i) for i in range(len(headers))]
    text_columns = frozenset(text_columns)
    widths = widths or [14] * len(headers)
    cols = "".join(f'<col min="{i + 1}" max="{i + 1}" width="{w}" customWidth="1"/>' for i, w in enumerate(widths))
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(SHEET_START.format(cols=cols).encode())
            header = "".join(_text(f"{letters[i]}1", str(h), BOLD) for i, h in enumerate(headers))
            sheet.write(f'<row r="1">{header}</row>'.encode())
            count, chunk = 0, []
            for count, values in enumerate(rows, start=1):
                number = count + 1
                cells = []
                for col, value in enumerate(values):
                    kind = value.__class__
                    if value is None or value == "":
                        continue
                    ref = f"{letters[col]}{number}"
                    if kind is str:
                        if value.startswith(FORMULA_START):
                            cells.append(_text(ref, value, QUOTED))
                        else:
                            cells.append(_text(ref, value, TEXT if col in text_columns else PLAIN))
                    elif col in text_columns:
                        cells.append(_text(ref, str(value), TEXT))
                    elif kind is int or kind is float or kind is Decimal:
                        cells.append(f'<c r="{ref}"><v>{value}</v></c>')
                    elif kind is datetime.date:
                        cells.append(f'<c r="{ref}" s="{DATE}"><v>{(value - EXCEL_EPOCH).days}</v></c>')
                    else:
                        cells.append(_text(ref, str(value), PLAIN))
                chunk.append(f'<row r="{number}">{"".join(cells)}</row>')
                if len(chunk) >= ROWS_PER_CHUNK:
                    sheet.write("".join(chunk).encode())
                    chunk = []
                if progress is not None and count % every == 0:
                    progress(count)
            sheet.write("".join(chunk).encode())
            ref = f"$A$1:${letters[-1]}${count + 1}"
            sheet.write(f'</sheetData><autoFilter ref="A1:{letters[-1]}{count + 1}"/></worksheet>'.encode())
        name = escape(title.replace("'", "")[:31])
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", ROOT_RELS)
        created = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        archive.writestr("docProps/core.xml", CORE.format(title=name, created=created))
        archive.writestr("xl/workbook.xml", WORKBOOK.format(name=name, ref=ref))
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        archive.writestr("xl/styles.xml", STYLES)
    return count
