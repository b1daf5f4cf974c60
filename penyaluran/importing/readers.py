"""Reading tabular files, registry and bank alike: XLSX, and CSV in UTF-8 (with or without BOM) or
Windows-1252, delimited by ";", ",", "|" or tab.

XLSX: python-calamine (openpyxl read-only if it is missing). calamine holds the whole sheet in memory,
about 330 MB for the 206.438 x 17 KPM list, so a sheet above STREAM_ABOVE_BYTES is read by a streaming
reader over the sheet's XML instead (about as fast, under 80 MB).
Every reader yields (excel_row_number, cells) so messages can name the row a person sees in Excel.
"""

import codecs
import csv
import datetime
import html
import re
import zipfile
from pathlib import Path

from django.core.exceptions import ValidationError

XLSX_SUFFIXES = (".xlsx", ".xlsm", ".xls")
CSV_SUFFIXES = (".csv", ".txt")


ROWS_PER_CHUNK = 2000


def iter_rows(path, filename=None):
    """Yield (row_number, list_of_cells) for the first sheet of an XLSX or for a CSV file."""
    source = open_source(path, filename)
    if isinstance(source, RowSource):
        yield from source.read()  # rows read here anyway: no need to gather them in chunks
        return
    for chunk in source.chunks():
        yield from source.rows(chunk)


def open_source(path, filename=None):
    """The file as a source of chunks: `source.chunks()` yields them (from the top of the file at every
    call), `source.rows(chunk)` turns one into rows.

    Chunks are plain data (bytes or lists), so another process can turn them into rows: the import hands
    them to worker processes, which inherit the source (shared strings, date styles) when they are forked.
    """
    name = (filename or str(path)).lower()
    if name.endswith(XLSX_SUFFIXES):
        return _open_xlsx(path)
    if name.endswith(CSV_SUFFIXES):
        return RowSource(lambda: _iter_csv(path))
    raise ValidationError(
        f"Jenis berkas {Path(name).suffix or '(tanpa ekstensi)'} tidak didukung: gunakan XLSX atau CSV."
    )


class RowSource:
    """Rows read in this process (CSV, calamine, openpyxl), handed on in lists of ROWS_PER_CHUNK.

    `read` returns a new iterator over the rows each time, so chunks() starts from the top every time.
    """

    def __init__(self, read):
        self.read = read

    def chunks(self):
        chunk = []
        for row in self.read():
            chunk.append(row)
            if len(chunk) >= ROWS_PER_CHUNK:
                yield chunk
                chunk = []
        if chunk:
            yield chunk

    @staticmethod
    def rows(chunk):
        return chunk


def _open_xlsx(path):
    try:
        with zipfile.ZipFile(path) as archive:
            big = archive.getinfo(_sheet_xml_path(archive)).file_size > STREAM_ABOVE_BYTES
            stream = XmlSheetSource(path, archive) if big else None
    except (zipfile.BadZipFile, KeyError, OSError) as exc:
        raise ValidationError(f"Berkas Excel tidak dapat dibaca: {exc}") from exc
    if stream is not None and stream.readable():
        return stream
    # Small sheet, or no cell in the form the streaming reader knows (an unusual writer): calamine reads it all.
    try:
        from python_calamine import CalamineWorkbook

        sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0)
    except ImportError:
        return RowSource(lambda: _iter_openpyxl(path))
    except Exception as exc:  # calamine raises its own error types for broken archives
        raise ValidationError(f"Berkas Excel tidak dapat dibaca: {exc}") from exc
    # python-calamine pads from the first sheet row, so the index is the Excel row number minus one.
    return RowSource(lambda: ((index + 1, cells) for index, cells in enumerate(sheet.iter_rows())))


def _iter_openpyxl(path):
    from openpyxl import load_workbook

    workbook = load_workbook(path, read_only=True, data_only=True)
    try:
        for index, cells in enumerate(workbook.worksheets[0].iter_rows(values_only=True)):
            yield index + 1, ["" if value is None else value for value in cells]
    finally:
        workbook.close()


# -- CSV -------------------------------------------------------------------------------------------------------

CSV_DELIMITERS = (",", ";", "|", "\t")
CSV_SAMPLE_BYTES = 65536
HEADER_LINES = 30  # as many lines as columns.HEADER_SEARCH_ROWS looks through for the header
# Bytes Windows-1252 leaves undefined: a file holding one is read as Latin-1.
_NOT_CP1252 = (b"\x81", b"\x8d", b"\x8f", b"\x90", b"\x9d")


def csv_encoding(path):
    """UTF-8 (with or without BOM) when the whole file decodes as UTF-8, else Windows-1252 (Latin-1 for a
    byte Windows-1252 lacks). Every byte counts: a Windows-1252 file may hold its first accented name a
    million rows down. Read in blocks: flat memory, about 0,1 s for 70 MB."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    utf8 = cp1252 = True
    with open(path, "rb") as raw:
        for block in iter(lambda: raw.read(1 << 20), b""):
            if utf8:
                try:
                    decoder.decode(block)
                except UnicodeDecodeError:
                    utf8 = False
            cp1252 = cp1252 and not any(byte in block for byte in _NOT_CP1252)
    if utf8:
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            utf8 = False
    return "utf-8-sig" if utf8 else "cp1252" if cp1252 else "latin-1"


def csv_delimiter(sample):
    """The delimiter of the header line, the widest of the first lines: title lines above it name little.

    Indonesian Excel writes ";" because "," is the decimal mark; others write ","; some systems "|" or tab.
    Text in quotes is not counted; a line as wide in ";" as in "," is read with ",".
    """
    best, widest = ",", 0
    for line in sample.splitlines()[:HEADER_LINES]:
        bare = re.sub(r'"[^"]*"', "", line)
        counts = {delimiter: bare.count(delimiter) for delimiter in CSV_DELIMITERS}
        delimiter = max(CSV_DELIMITERS, key=counts.get)  # the first of the widest: "," before ";"
        if counts[delimiter] > widest:
            best, widest = delimiter, counts[delimiter]
    return best


def _iter_csv(path):
    """Stream (row_number, cells) from a CSV: the encoding decided by the whole file, the delimiter by its header."""
    encoding = csv_encoding(path)
    with open(path, "rb") as raw:
        sample = raw.read(CSV_SAMPLE_BYTES).decode(encoding, errors="ignore")
    with open(path, encoding=encoding, newline="") as stream:
        reader = csv.reader(stream, delimiter=csv_delimiter(sample))
        for cells in reader:
            # line_num is the physical line where the record ends: the row number Excel shows for one-line records.
            yield reader.line_num, cells


# -- streaming XLSX reader for big sheets --------------------------------------------------------------------

# calamine holds the whole sheet in memory (about 330 MB for 206.000 rows x 17 columns); above this
# uncompressed sheet size the rows are read from the XML as it is decompressed, in bounded memory.
STREAM_ABOVE_BYTES = 64 * 1024 * 1024
XML_BLOCK_BYTES = 1 << 20  # about 1.000 rows of the KPM list per chunk

# Excel, LibreOffice and openpyxl write r, s, t in this order; other attributes land in the fourth group.
_ROW_NUMBER = re.compile(rb'<row\b[^>]*?\br="(\d+)"')
_CELL = re.compile(
    rb'<c r="([A-Z]{1,3})\d+"(?: s="(\d+)")?(?: t="(\w+)")?([^>]*?)'
    rb"(?:/>|>(?:<v>([^<]*)</v>|<is><t[^>]*>([^<]*)</t></is>|(.*?))</c>)",
    re.S,
)
# The usual cell of a big sheet (inline text without entities, a number, a shared string), in fewer groups:
# a row whose cells all match it is read with it, any other row with _CELL.
_PLAIN_CELL = re.compile(
    rb'<c r="([A-Z]{1,3})\d+"(?: s="(\d+)")?(?: t="(\w+)")?>(?:<is><t>([^<&]*)</t></is>|<v>([^<]*)</v>)</c>'
)
_ATTR_T = re.compile(rb'\bt="(\w+)"')
_ATTR_S = re.compile(rb'\bs="(\d+)"')
_V = re.compile(rb"<v>([^<]*)</v>")
_T = re.compile(rb"<t(?:\s[^>]*)?>([^<]*)</t>")
_SI = re.compile(rb"<si>(.*?)</si>|<si/>", re.S)
_LETTERS = [bytes([65 + i]) for i in range(26)]  # b"A" .. b"Z": the cells of a dense row, in order
EXCEL_EPOCH = datetime.datetime(1899, 12, 30)
_BUILTIN_DATE_FORMATS = frozenset([*range(14, 23), *range(27, 37), *range(45, 48), *range(50, 59)])


def _xml_text(raw):
    text = raw.decode("utf-8")
    return html.unescape(text) if "&" in text else text


def _sheet_xml_path(archive):
    """The first worksheet's part name, from the workbook and its relationships."""
    workbook = archive.read("xl/workbook.xml")
    first = re.search(rb'<sheet\b[^>]*?r:id="([^"]+)"', workbook) or re.search(
        rb'<sheet\b[^>]*?\bid="([^"]+)"', workbook
    )
    rels = archive.read("xl/_rels/workbook.xml.rels")
    for match in re.finditer(rb"<Relationship\b([^>]*)/?>", rels):
        attrs = match.group(1)
        if first and re.search(rb'Id="' + re.escape(first.group(1)) + rb'"', attrs):
            target = re.search(rb'Target="([^"]+)"', attrs).group(1).decode()
            return target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    return "xl/worksheets/sheet1.xml"


def _shared_strings(archive):
    try:
        data = archive.read("xl/sharedStrings.xml")
    except KeyError:
        return []
    return [_xml_text(b"".join(_T.findall(m.group(1) or b""))) for m in _SI.finditer(data)]


def _date_styles(archive):
    """Indexes of cell styles whose number format shows a date."""
    try:
        styles = archive.read("xl/styles.xml")
    except KeyError:
        return frozenset()
    custom = {}
    for match in re.finditer(rb'<numFmt\b[^>]*numFmtId="(\d+)"[^>]*formatCode="([^"]*)"', styles):
        code = re.sub(r'\[[^\]]*\]|"[^"]*"', "", html.unescape(match.group(2).decode()).lower())
        custom[int(match.group(1))] = "d" in code or "y" in code
    cell_xfs = re.search(rb"<cellXfs\b[^>]*>(.*?)</cellXfs>", styles, re.S)
    dates = set()
    for index, xf in enumerate(re.finditer(rb"<xf\b([^>]*)", cell_xfs.group(1) if cell_xfs else b"")):
        fmt = re.search(rb'numFmtId="(\d+)"', xf.group(1))
        number = int(fmt.group(1)) if fmt else 0
        if number in _BUILTIN_DATE_FORMATS or custom.get(number):
            dates.add(index)
    return frozenset(dates)


def _column_index(letters):
    """b"A" -> 0, b"AB" -> 27."""
    index = 0
    for char in letters:
        index = index * 26 + char - 64
    return index - 1


def _cell_value(style, kind, attrs, v, inline, other, shared, date_styles):
    if attrs:  # attributes in another order than r, s, t
        found = _ATTR_T.search(attrs)
        kind = found.group(1) if found else kind
        found = _ATTR_S.search(attrs)
        style = found.group(1) if found else style
    if kind == b"inlineStr":
        return _xml_text(inline if inline else b"".join(_T.findall(other)))
    if not v and other:
        found = _V.search(other)
        v = found.group(1) if found else b""
    if not v:
        return ""
    if kind == b"s":
        return shared[int(v)]
    if kind in (b"str", b"e"):
        return _xml_text(v)
    if kind == b"b":
        return v == b"1"
    number = float(v)
    if style and int(style) in date_styles:
        moment = EXCEL_EPOCH + datetime.timedelta(days=number)  # a datetime: keeps the time of day
        return moment.date() if number.is_integer() else moment
    return number


class XmlSheetSource:
    """A big sheet read from its XML as it is decompressed; chunks are blocks of whole rows."""

    def __init__(self, path, archive):
        self.path = path
        self.part = _sheet_xml_path(archive)
        self.shared, self.date_styles = _shared_strings(archive), _date_styles(archive)
        self.columns = {}  # "AB" -> 27, filled as letters are met

    def readable(self):
        """True when the first block holds cells this reader understands."""
        chunks = self.chunks()
        try:
            first = next(chunks, None)
        finally:
            chunks.close()  # and with it the archive
        return first is not None and bool(self.rows(first))

    def chunks(self):
        with zipfile.ZipFile(self.path) as archive, archive.open(self.part) as xml:
            pending = b""
            for chunk in iter(lambda: xml.read(XML_BLOCK_BYTES), b""):
                pending += chunk
                end = pending.rfind(b"</row>")
                if end < 0:
                    continue
                # Cut after a whole row; a cut inside a multi-byte character is impossible there.
                yield pending[: end + 6]
                pending = pending[end + 6 :]

    def rows(self, block):
        shared, date_styles, columns = self.shared, self.date_styles, self.columns
        found = []
        for body in block.split(b"</row>"):
            plain = _PLAIN_CELL.findall(body)
            if plain and len(plain) == body.count(b"<c"):
                # Every cell is plain: inline text as it is, a number without style as float, the rest in full.
                cells = plain
                values = [
                    inline.decode()
                    if kind == b"inlineStr"
                    else float(v)
                    if (not kind or kind == b"n") and v and not style
                    else _cell_value(style, kind, b"", v, inline, b"", shared, date_styles)
                    for _letters, style, kind, inline, v in plain
                ]
            else:
                cells = _CELL.findall(body)
                if not cells:
                    continue
                values = [
                    _cell_value(style, kind, attrs, v, inline, other, shared, date_styles)
                    for _letters, style, kind, attrs, v, inline, other in cells
                ]
            number = _ROW_NUMBER.search(body).group(1)
            if len(cells) <= 26 and [cell[0] for cell in cells] == _LETTERS[: len(cells)]:
                found.append((int(number), values))  # a dense row: no gaps to fill
                continue
            row = []
            for (letters, *_rest), value in zip(cells, values, strict=True):
                position = columns.get(letters)
                if position is None:
                    position = columns[letters] = _column_index(letters)
                if position >= len(row):
                    row.extend([""] * (position - len(row)))
                    row.append(value)
                else:
                    row[position] = value
            if row:
                found.append((int(number), row))
        return found
