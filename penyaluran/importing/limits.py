"""What a file may hold (settings IMPORT_MAX_*), the refusals that name the row and column beyond them,
and rows read in this process handed on in chunks."""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError

from penyaluran.importing.cells import CELL_MAX_CHARS, column_name, too_long
from tikor.formatting import angka

XLSX_SUFFIXES = (".xlsx", ".xlsm", ".xls")
CSV_SUFFIXES = (".csv", ".txt")
MB = 1024 * 1024
RESAVE = "simpan ulang dari Excel sebagai XLSX atau sebagai CSV UTF-8"


ROWS_PER_CHUNK = 2000


@dataclass(frozen=True)
class Limits:
    """What a file may hold (settings IMPORT_MAX_*), read once per file; a source carries them into the
    worker processes."""

    rows: int
    columns: int
    unpacked_bytes: int
    ratio: int

    @classmethod
    def from_settings(cls):
        return cls(
            settings.IMPORT_MAX_ROWS,
            settings.IMPORT_MAX_COLUMNS,
            settings.IMPORT_MAX_UNPACKED_MB * MB,
            settings.IMPORT_MAX_COMPRESSION_RATIO,
        )


def too_many_rows(limits):
    return ValidationError(
        f"Berkas berisi lebih dari {angka(limits.rows)} baris, batas satu impor; bagi datanya menjadi beberapa berkas."
    )


CLEAR_OUTSIDE = "hapus isi dan format sel di luar tabel data (atau salin tabelnya ke berkas baru), lalu simpan ulang"


def limits_passed(rows, columns, limits):
    """ "batas 1.000 kolom": the limits that `rows` and `columns` pass, as a message names them."""
    passed = []
    if rows > limits.rows:
        passed.append(f"{angka(limits.rows)} baris")
    if columns > limits.columns:
        passed.append(f"{angka(limits.columns)} kolom")
    return f"batas {' dan '.join(passed)} satu impor"


def beyond(row, column, limits):
    """A cell beyond the columns or rows a file may use; `column` counts from 0."""
    return ValidationError(
        f"Baris {angka(row)}, kolom {column_name(column)} (kolom ke-{angka(column + 1)}) berada di luar "
        f"{limits_passed(row, column + 1, limits)}; {CLEAR_OUTSIDE}."
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


def within_limits(rows, limits, text_only=False):
    """The rows of a reader that builds whole rows (CSV, calamine, openpyxl), stopped at the first row or
    column beyond the limits or cell longer than Excel allows. `text_only`: every cell is a str (CSV)."""
    for number, cells in rows:
        if number > limits.rows:
            raise too_many_rows(limits)
        if len(cells) > limits.columns:
            far = next((i for i in range(limits.columns, len(cells)) if cells[i] not in ("", None)), None)
            if far is not None:
                raise beyond(number, far, limits)
        if text_only and sum(map(len, cells)) <= CELL_MAX_CHARS:
            yield number, cells  # the whole row is shorter than one cell may be
            continue
        for column, value in enumerate(cells):
            if value.__class__ is str and len(value) > CELL_MAX_CHARS:
                raise too_long(number, column)
        yield number, cells
