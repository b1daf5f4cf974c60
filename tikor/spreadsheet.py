"""Writing people's text into spreadsheets without Excel running it.

openpyxl stores any string that starts with "=" as a formula, and Excel runs cells of a CSV that start
with "=", "+", "@" or a tab as formulas too (CSV or formula injection). A KPM name, an address or a cell
of a rejected bank row comes from outside, so every sheet and CSV the site writes goes through here.
"""

from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

_CSV_FORMULA_START = ("=", "+", "@", "\t", "\r")


def xlsx_row(sheet, values):
    """`values` for a write-only sheet's append(), with text starting with "=" kept as text."""
    return [(text_cell(sheet, v) if v.startswith("=") else xlsx_text(v)) if v.__class__ is str else v for v in values]


def xlsx_text(value):
    """Text an XLSX can hold: control characters (a CSV may carry them, XML 1.0 cannot) shown as U+FFFD."""
    return ILLEGAL_CHARACTERS_RE.sub("\ufffd", value)


def text_cell(sheet, value, number_format=None):
    """A write-only cell that holds `value` as text, whatever it starts with."""
    cell = WriteOnlyCell(sheet, value=xlsx_text(value) if value.__class__ is str else value)
    cell.data_type = "s"
    if number_format:
        cell.number_format = number_format
    return cell


def csv_value(value):
    """A CSV value Excel shows as written: text starting like a formula gets Excel's text marker (')."""
    if value.__class__ is str and value.startswith(_CSV_FORMULA_START):
        return "'" + value
    return value
