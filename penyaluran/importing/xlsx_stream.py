"""The streaming XLSX reader: the sheet's XML read in blocks of rows, shared strings and date styles read
once, for sheets too big for calamine (about as fast, under 80 MB)."""

import datetime
import html
import re

from django.core.exceptions import ValidationError

from penyaluran.importing.cells import CELL_MAX_CHARS, too_long
from penyaluran.importing.limits import MB, RESAVE, beyond, too_many_rows
from penyaluran.importing.xlsx_archive import SHARED_STRINGS, damaged, open_archive, read_part
from tikor.formatting import angka

# -- streaming XLSX reader for big sheets --------------------------------------------------------------------

# calamine holds the whole sheet in memory (about 330 MB for 206.000 rows x 17 columns); above this
# uncompressed size of the sheet and its shared strings the rows are read from the XML as it is
# decompressed, in bounded memory.
XML_BLOCK_BYTES = 1 << 20  # about 1.000 rows of the KPM list per chunk
ROW_MAX_BYTES = 32 * MB  # the XML of one row; a real one is a few KB
# The XML of one shared string: up to 32.767 characters of up to 4 bytes, entities and rich-text runs.
SHARED_STRING_MAX_BYTES = 4 * MB

# Excel, LibreOffice and openpyxl write r, s, t in this order; other attributes land in the fourth group.
ROW_NUMBER = re.compile(rb'<row\b[^>]*?\br="(\d+)"')
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
_LAST_CELL_REF = re.compile(rb'\sr="([A-Z]*)(\d+)"')
_LETTERS = [bytes([65 + i]) for i in range(26)]  # b"A" .. b"Z": the cells of a dense row, in order
EXCEL_EPOCH = datetime.datetime(1899, 12, 30)
_BUILTIN_DATE_FORMATS = frozenset([*range(14, 23), *range(27, 37), *range(45, 48), *range(50, 59)])


# In the shared strings, a text longer than a cell may hold: its place is kept, its text is not.
TOO_LONG = object()


def _xml_text(raw):
    text = raw.decode("utf-8")
    return html.unescape(text) if "&" in text else text


def sheet_xml_path(archive):
    """The first worksheet's part name, from the workbook and its relationships."""
    workbook = read_part(archive, "xl/workbook.xml")
    first = re.search(rb'<sheet\b[^>]*?r:id="([^"]+)"', workbook) or re.search(
        rb'<sheet\b[^>]*?\bid="([^"]+)"', workbook
    )
    rels = read_part(archive, "xl/_rels/workbook.xml.rels")
    for match in re.finditer(rb"<Relationship\b([^>]*)/?>", rels):
        attrs = match.group(1)
        target = re.search(rb'Target="([^"]+)"', attrs)
        if first and target and re.search(rb'Id="' + re.escape(first.group(1)) + rb'"', attrs):
            target = target.group(1).decode()
            return target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    return "xl/worksheets/sheet1.xml"


def row_blocks(xml):
    """The sheet XML in blocks of whole rows, as it is decompressed; a row too long to be real is refused."""
    pending = b""
    for chunk in iter(lambda: xml.read(XML_BLOCK_BYTES), b""):
        pending += chunk
        # Only the new bytes can hold the end of a row (the 5 before them for one cut in two).
        end = pending.rfind(b"</row>", max(0, len(pending) - len(chunk) - 5))
        if end < 0:
            if len(pending) > ROW_MAX_BYTES:
                raise _endless_row(pending)
            continue
        # Cut after a whole row; a cut inside a multi-byte character is impossible there.
        yield pending[: end + 6]
        pending = pending[end + 6 :]


def _endless_row(pending):
    """The refusal of a row of more than ROW_MAX_BYTES: a cell too long, named, if the row ends in one."""
    start = max(pending.rfind(b' r="'), pending.rfind(b'\tr="'), pending.rfind(b'\nr="'))
    found = _LAST_CELL_REF.match(pending, start) if start >= 0 else None
    if found and found.group(1) and len(pending) - start > CELL_MAX_CHARS:
        return too_long(int(found.group(2)), column_index(found.group(1)))
    where = f"Baris {angka(int(found.group(2)))} lembar pertama" if found else "Sebuah baris lembar pertama"
    return ValidationError(
        f"{where} berisi lebih dari {angka(ROW_MAX_BYTES / MB)} MB data, jadi berkas ini tidak dibaca; periksa "
        f"isinya, lalu {RESAVE}."
    )


def _si_texts(xml):
    texts = []
    for match in _SI.finditer(xml):
        text = _xml_text(b"".join(_T.findall(match.group(1) or b"")))
        texts.append(text if len(text) <= CELL_MAX_CHARS else TOO_LONG)
    return texts


def _shared_strings(archive):
    """The shared strings, parsed as they are decompressed. A string longer than a cell may hold keeps its
    place as TOO_LONG, so the cell that uses it is named, and its text is never held whole."""
    try:
        info = archive.getinfo(SHARED_STRINGS)
    except KeyError:
        return []
    strings, pending, skipping = [], b"", False
    with archive.open(info) as xml:
        for chunk in iter(lambda: xml.read(XML_BLOCK_BYTES), b""):
            pending += chunk
            if skipping:  # inside a string too long to keep: look for its end only
                end = pending.find(b"</si>")
                if end < 0:
                    pending = pending[-4:]  # "</si>" may be cut in two
                    continue
                pending, skipping = pending[end + 5 :], False
            end = pending.rfind(b"</si>")
            if end >= 0:
                strings.extend(_si_texts(pending[: end + 5]))
                pending = pending[end + 5 :]
            if len(pending) > SHARED_STRING_MAX_BYTES:
                start = pending.find(b"<si>")  # every string before it has ended: the long one starts here
                strings.extend(_si_texts(pending[: max(start, 0)]))
                if start >= 0:
                    strings.append(TOO_LONG)
                    skipping = True
                pending = pending[-4:]
    strings.extend(_si_texts(pending))
    return strings


def _date_styles(archive):
    """Indexes of cell styles whose number format shows a date."""
    try:
        styles = read_part(archive, "xl/styles.xml")
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


def column_index(letters):
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
    if kind == b"d":  # an ISO 8601 date, as some writers store dates instead of serial numbers
        moment = datetime.datetime.fromisoformat(v.decode())
        return moment.date() if moment.time() == datetime.time() else moment
    number = float(v)
    if style and int(style) in date_styles:
        moment = EXCEL_EPOCH + datetime.timedelta(days=number)  # a datetime: keeps the time of day
        return moment.date() if number.is_integer() else moment
    return number


class XmlSheetSource:
    """A big sheet read from its XML as it is decompressed; chunks are blocks of whole rows."""

    def __init__(self, path, archive, part, limits):
        self.path, self.part, self.limits = path, part, limits
        self.shared, self.date_styles = _shared_strings(archive), _date_styles(archive)
        self.long_shared = any(text is TOO_LONG for text in self.shared)
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
        with open_archive(self.path) as archive, archive.open(self.part) as xml:
            yield from row_blocks(xml)

    def rows(self, block):
        try:
            return self._rows(block)
        except (ValueError, IndexError, UnicodeDecodeError) as exc:  # a value that is not what its cell says
            raise damaged(exc) from exc

    def _rows(self, block):
        shared, date_styles, columns, limits = self.shared, self.date_styles, self.columns, self.limits
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
            number = ROW_NUMBER.search(body)
            if number is None:
                raise ValidationError(
                    f"Lembar pertama berisi baris tanpa nomor baris, bentuk yang tidak dikenal pembaca berkas besar; "
                    f"{RESAVE}."
                )
            number = int(number.group(1))
            if number > limits.rows:
                raise too_many_rows(limits)
            if self.long_shared or len(body) > CELL_MAX_CHARS:
                # Only a row longer than a cell may be, or a shared string too long, can hold a cell too long.
                for (letters, *_rest), value in zip(cells, values, strict=True):
                    if value is TOO_LONG or (value.__class__ is str and len(value) > CELL_MAX_CHARS):
                        raise too_long(number, column_index(letters))
            if len(cells) <= 26 and [cell[0] for cell in cells] == _LETTERS[: len(cells)]:
                if len(cells) > limits.columns:
                    raise beyond(number, limits.columns, limits)
                found.append((number, values))  # a dense row: no gaps to fill
                continue
            row = []
            for (letters, *_rest), value in zip(cells, values, strict=True):
                position = columns.get(letters)
                if position is None:
                    position = columns[letters] = column_index(letters)
                if position >= limits.columns:
                    raise beyond(number, position, limits)
                if position >= len(row):
                    row.extend([""] * (position - len(row)))
                    row.append(value)
                else:
                    row[position] = value
            if row:
                found.append((number, row))
        return found
