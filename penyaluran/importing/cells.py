"""Reading one cell: every value is parsed exactly or refused with a message in Indonesian.

Nothing is guessed: a value that cannot be read exactly is an error naming the row, the column and the
value (RowError). The parsers take a cell (None when empty) and return the value or raise ValidationError;
a kind's row checker (penyaluran.importing.checks) puts them together.
"""

import datetime
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from openpyxl.utils import get_column_letter

from tikor.formatting import angka

EXCEL_EPOCH = datetime.date(1899, 12, 30)
DATE_FORMATS = ("%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d")
# Excel's own limit on the text of a cell: a longer one was typed by no person, and the readers refuse the file
# at that cell instead of carrying megabytes of it through checks and messages.
CELL_MAX_CHARS = 32767


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    value: str
    message: str

    def __str__(self):
        return f"Baris {self.row}, kolom {self.column} “{self.value}”: {self.message}"


def column_name(index):
    """0 -> "A", 27 -> "AB": a column as Excel names it, also for a CSV (people open it in Excel)."""
    return get_column_letter(index + 1)


def too_long(row, column):
    """The refusal of a file with a cell longer than Excel allows; `column` counts from 0."""
    return ValidationError(
        f"Baris {angka(row)}, kolom {column_name(column)}: isi sel lebih dari {angka(CELL_MAX_CHARS)} karakter "
        "(batas Excel), jadi berkas ini tidak dibaca; periksa sel itu, lalu simpan ulang berkasnya."
    )


def display(value):
    """A cell value the way a person would read it in Excel."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    return str(value)


def text(value):
    """A cell as trimmed text with single spaces; Excel's numbers lose their ".0"."""
    if value.__class__ is str:
        return " ".join(value.split())
    if value is None:
        return ""
    if isinstance(value, (float, int, datetime.date)):
        return display(value)
    return " ".join(str(value).split())


def unnumber(value):
    """A whole float as an int: an identifier Excel stored as a number shows as digits, not as 3.17e+15."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def place_key(value):
    """ "Kel. Kebon  Kelapa" -> "kebonkelapa"; also drops "Kelurahan", "Desa", "Kecamatan", "Kec."."""
    lowered = " ".join(str(value).lower().replace(".", ". ").split())
    for prefix in ("kelurahan ", "kel. ", "kel ", "desa ", "kecamatan ", "kec. ", "kec "):
        if lowered.startswith(prefix):
            lowered = lowered[len(prefix) :]
            break
    return re.sub(r"[^a-z0-9]", "", lowered)


def digits(value):
    return re.sub(r"\D", "", display(value))


# -- value parsers ---------------------------------------------------------------------------------------------


def required_text(value, max_length):
    result = optional_text(value, max_length)
    if not result:
        raise ValidationError("wajib diisi.")
    return result


def optional_text(value, max_length):
    result = text(value)
    if result[:1] == "'" and result[1:2] in ("=", "+", "@"):
        result = result[1:]  # the text marker our CSV exports put before formula-like text
    if len(result) > max_length:
        raise ValidationError(f"terlalu panjang: {len(result)} karakter, paling banyak {max_length}.")
    return result


def code_text(value, max_length):
    return required_text(value, max_length).upper()


def date(value):
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, (int, float)) and 1 <= value < 100000:
        # A date cell without date format (or a CSV of one) carries Excel's serial day number.
        return EXCEL_EPOCH + datetime.timedelta(days=int(value))
    written = text(value)
    for fmt in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(written, fmt).date()
        except ValueError:
            continue
    raise ValidationError("tanggal tidak terbaca; tulis sebagai dd/mm/yyyy, dd-mm-yyyy atau yyyy-mm-dd.")


def year(value):
    if value is None:
        return None
    written = text(value)
    if not re.fullmatch(r"\d{4}", written) or not 2000 <= int(written) <= 2100:
        raise ValidationError("tahun harus 4 digit, misalnya 2021.")
    return int(written)


def count(value, default):
    if value is None:
        return default
    written = text(value).replace(".", "")
    if not written.isdigit():
        raise ValidationError("harus bilangan bulat tidak negatif.")
    return int(written)


def yes_no(value):
    if value is None:
        return True
    key = place_key(value)
    if key in ("ya", "y", "aktif", "true", "1"):
        return True
    if key in ("tidak", "t", "n", "nonaktif", "tidakaktif", "false", "0"):
        return False
    raise ValidationError("isi Ya atau Tidak.")
