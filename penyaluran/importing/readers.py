"""Reading tabular files, registry and bank alike: the first sheet of an XLSX, or a CSV in UTF-8 (with or
without BOM) or Windows-1252, delimited by ";", ",", "|" or tab. Every reader yields (excel_row_number,
cells), so messages can name the row a person sees in Excel.

A file is a stranger's. Before any library reads it, it is held against the limits in settings
(IMPORT_MAX_*, importing/limits.py): an XLSX's central directory (xlsx_archive.py: the size of its parts
once unpacked, their compression ratio), the used range its first sheet declares and the one its cells
really reach (xlsx.py); a CSV's encoding and line lengths (here). While rows are read, a row or column
beyond the limits and a cell longer than Excel allows stop the reading. Every refusal, and every damage a
library finds, is a ValidationError of one Indonesian sentence that says what to do.

XLSX: python-calamine for a small, compact sheet (it holds the whole sheet in memory, about 330 MB for the
206.438 x 17 KPM list); a bigger or sparser one is read by the streaming reader over the sheet's XML
(xlsx_stream.py: about as fast, under 80 MB).
"""

import codecs
import csv
import logging
import re
from pathlib import Path

from django.core.exceptions import ValidationError

from penyaluran.importing.cells import CELL_MAX_CHARS
from penyaluran.importing.limits import CSV_SUFFIXES, MB, XLSX_SUFFIXES, Limits, RowSource, within_limits
from penyaluran.importing.xlsx import open_xlsx
from penyaluran.importing.xlsx_archive import ZIP_MAGIC
from tikor.formatting import angka

logger = logging.getLogger(__name__)


def iter_rows(path, filename=None, *, delimiter=None, encoding=None):
    """Yield (row_number, list_of_cells) for the first sheet of an XLSX or for a CSV file. A CSV's delimiter
    and encoding are detected unless given (a bank's profile may fix them)."""
    source = open_source(path, filename, delimiter=delimiter, encoding=encoding)
    if isinstance(source, RowSource):
        yield from source.read()  # rows read here anyway: no need to gather them in chunks
        return
    for chunk in source.chunks():
        yield from source.rows(chunk)


def open_source(path, filename=None, *, delimiter=None, encoding=None):
    """The file as a source of chunks: `source.chunks()` yields them (from the top of the file at every
    call), `source.rows(chunk)` turns one into rows.

    Chunks are plain data (bytes or lists), so another process can turn them into rows: the import hands
    them to worker processes, which inherit the source (shared strings, date styles) when they are forked.
    """
    name = (filename or str(path)).lower()
    limits = Limits.from_settings()
    if name.endswith(XLSX_SUFFIXES):
        return open_xlsx(path, limits)
    if name.endswith(CSV_SUFFIXES):
        return RowSource(lambda: within_limits(_iter_csv(path, delimiter, encoding), limits, text_only=True))
    raise ValidationError(
        f"Jenis berkas {Path(name).suffix or '(tanpa ekstensi)'} tidak didukung: gunakan XLSX atau CSV."
    )


# -- CSV -------------------------------------------------------------------------------------------------------

CSV_DELIMITERS = (",", ";", "|", "\t")
CSV_SAMPLE_BYTES = 65536
HEADER_LINES = 30  # as many lines as columns.HEADER_SEARCH_ROWS looks through for the header
# Bytes Windows-1252 leaves undefined: a file holding one is read as Latin-1.
_NOT_CP1252 = (b"\x81", b"\x8d", b"\x8f", b"\x90", b"\x9d")
# csv builds a whole record before it yields it: a line of this many bytes is no table row.
CSV_LINE_MAX_BYTES = MB


def _not_text():
    return ValidationError(
        "Berkas tidak terbaca sebagai teks dalam pengodean yang dikenal (UTF-8 atau Windows-1252); "
        "simpan ulang sebagai CSV UTF-8 atau XLSX."
    )


def _long_line(line):
    return ValidationError(
        f"Baris {angka(line)} berkas CSV lebih panjang dari {angka(CSV_LINE_MAX_BYTES / MB)} MB, jadi berkas ini "
        "bukan tabel yang wajar; periksa isinya, lalu simpan ulang sebagai CSV UTF-8 atau XLSX."
    )


def csv_encoding(path):
    """UTF-8 (with or without BOM) when the whole file decodes as UTF-8, else Windows-1252 (Latin-1 for a
    byte Windows-1252 lacks). Every byte counts: a Windows-1252 file may hold its first accented name a
    million rows down. Read in blocks: flat memory, about 0,1 s for 70 MB.

    The same pass refuses what is no text in these encodings (a NUL byte: UTF-16, a binary file, an XLSX
    named .csv) and a line longer than CSV_LINE_MAX_BYTES."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    utf8 = cp1252 = True
    line, length = 1, 0  # the line being read and its bytes so far
    with open(path, "rb") as raw:
        head = raw.read(len(ZIP_MAGIC))
        if head == ZIP_MAGIC:
            raise ValidationError(
                "Isi berkas ini XLSX, bukan CSV: ganti akhiran namanya menjadi .xlsx, "
                "atau simpan ulang sebagai CSV UTF-8."
            )
        raw.seek(0)
        for block in iter(lambda: raw.read(1 << 20), b""):
            if b"\x00" in block:
                raise _not_text()
            if utf8:
                try:
                    decoder.decode(block)
                except UnicodeDecodeError:
                    utf8 = False
            cp1252 = cp1252 and not any(byte in block for byte in _NOT_CP1252)
            parts = block.split(b"\n")
            length += len(parts[0])
            for index, part in enumerate(parts[1:], start=1):
                if length > CSV_LINE_MAX_BYTES:
                    raise _long_line(line + index - 1)
                length = len(part)
            line += len(parts) - 1
            if length > CSV_LINE_MAX_BYTES:
                raise _long_line(line)
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


def _iter_csv(path, delimiter=None, encoding=None):
    """Stream (row_number, cells) from a CSV: the encoding decided by the whole file, the delimiter by its header
    (either as given instead)."""
    detected = csv_encoding(path)  # also the checks of what is no text
    encoding = encoding or detected
    if delimiter is None:
        with open(path, "rb") as raw:
            delimiter = csv_delimiter(raw.read(CSV_SAMPLE_BYTES).decode(encoding, errors="ignore"))
    with open(path, encoding=encoding, errors="replace" if encoding != detected else "strict", newline="") as stream:
        reader = csv.reader(stream, delimiter=delimiter)
        try:
            for cells in reader:
                # line_num is the physical line where the record ends: the row number Excel shows for one-line records.
                yield reader.line_num, cells
        except UnicodeDecodeError as exc:
            raise _not_text() from exc
        except csv.Error as exc:  # a quoted cell past csv's own limit (131.072 characters), or a stray quote
            logger.info("Unreadable CSV at line %s: %s", reader.line_num, exc)
            if "field larger than field limit" in str(exc):
                raise ValidationError(
                    f"Baris {angka(reader.line_num)}: isi sebuah sel lebih dari {angka(CELL_MAX_CHARS)} karakter "
                    "(batas Excel), jadi berkas ini tidak dibaca; periksa baris itu, lalu simpan ulang berkasnya."
                ) from exc
            raise ValidationError(
                f"Berkas CSV tidak terbaca di baris {angka(reader.line_num)}; simpan ulang sebagai CSV UTF-8 atau XLSX."
            ) from exc
