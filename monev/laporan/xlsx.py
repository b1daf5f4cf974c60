"""A Dokumen as an XLSX workbook, written with XlsxWriter in constant-memory mode (rows go to disk as they
are written; bench/laporan.py measures it against openpyxl).

A cover sheet with the parameters and the generation time, then one sheet per table: Indonesian headers,
Rp and percentage number formats, the header row (and the naming columns) frozen, a totals row. Text is
always written as text (NIK, No KK and KKS keep every digit), and text that starts like a formula carries
Excel's quote prefix, so no cell is ever run, even after someone edits it.
"""

import re

import xlsxwriter

from monev.laporan.dokumen import ANGKA, PERSEN, RUPIAH, SKOR, TANGGAL
from tikor.formatting import JAKARTA, tanggal

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
WORKBOOK_OPTIONS = {
    "constant_memory": True,
    # Never turn a string into a formula, a number or a link: text stays as written.
    "strings_to_formulas": False,
    "strings_to_numbers": False,
    "strings_to_urls": False,
}
NUMBER_FORMATS = {
    ANGKA: "#,##0",
    RUPIAH: '"Rp"#,##0',
    PERSEN: "0.0%",
    SKOR: "0.0",
    TANGGAL: "dd-mm-yyyy",
}


def sheet_name(title, taken):
    """An Excel sheet name: at most 31 characters, none of []:*?/\\, unique in the workbook."""
    name = re.sub(r"[\[\]:*?/\\]", " ", title).strip()[:31] or "Lembar"
    base, n = name, 2
    while name.lower() in taken:
        suffix = f" ({n})"
        name, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(name.lower())
    return name


class Formats:
    def __init__(self, workbook):
        self.workbook = workbook
        self.title = workbook.add_format({"bold": True, "font_size": 14})
        self.label = workbook.add_format({"bold": True})
        self.header = workbook.add_format(
            {"bold": True, "bg_color": "#E8EDF3", "border": 1, "text_wrap": True, "valign": "top"}
        )
        self.text = workbook.add_format({"num_format": "@"})
        self.quoted = workbook.add_format({"num_format": "@", "quote_prefix": True})
        self.numbers = {kind: workbook.add_format({"num_format": fmt}) for kind, fmt in NUMBER_FORMATS.items()}
        self.total_text = workbook.add_format({"bold": True, "top": 1, "num_format": "@"})
        self.totals = {
            kind: workbook.add_format({"bold": True, "top": 1, "num_format": fmt})
            for kind, fmt in NUMBER_FORMATS.items()
        }


def write_text(sheet, row, col, value, formats, fmt=None):
    value = str(value)
    if value.startswith(FORMULA_START):
        sheet.write_string(row, col, value, formats.quoted)
    else:
        sheet.write_string(row, col, value, fmt or formats.text)


def write_cell(sheet, row, col, value, kind, formats, total=False):
    if value is None or value == "":
        return
    if kind in (ANGKA, RUPIAH, PERSEN, SKOR):
        sheet.write_number(row, col, float(value), (formats.totals if total else formats.numbers)[kind])
    elif kind == TANGGAL and hasattr(value, "year"):
        sheet.write_datetime(row, col, value, (formats.totals if total else formats.numbers)[kind])
    else:
        write_text(sheet, row, col, value, formats, formats.total_text if total else None)


def write(dokumen, target, generated_at):
    """Write `dokumen` to `target` (a path or a binary file); returns the number of data rows written."""
    workbook = xlsxwriter.Workbook(target, WORKBOOK_OPTIONS)
    workbook.set_properties({"title": dokumen.judul, "company": "Dinas Sosial Provinsi DKI Jakarta"})
    formats = Formats(workbook)
    taken = set()
    cover = workbook.add_worksheet(sheet_name("Sampul", taken))
    cover.set_column(0, 0, 24)
    cover.set_column(1, 1, 70)
    cover.write_string(0, 0, "Dinas Sosial Provinsi DKI Jakarta · Sekretariat Tikor BSP", formats.label)
    write_text(cover, 1, 0, dokumen.judul, formats, formats.title)
    write_text(cover, 2, 0, dokumen.subjudul, formats)
    line = 4
    moment = generated_at.astimezone(JAKARTA)
    for label, value in [*dokumen.parameter, ("Dibuat pada", f"{tanggal(moment)} pukul {moment:%H.%M} WIB")]:
        write_text(cover, line, 0, label, formats, formats.label)
        write_text(cover, line, 1, value, formats)
        line += 1
    if dokumen.uraian:
        write_text(cover, line + 1, 0, dokumen.uraian, formats)
    line += 3
    write_text(cover, line, 0, "Lembar", formats, formats.label)
    for i, tabel in enumerate(dokumen.tabel, start=1):
        write_text(cover, line + i, 0, tabel.judul, formats)
        write_text(cover, line + i, 1, f"{len(tabel.baris):,} baris".replace(",", "."), formats)
    count = 0
    for tabel in dokumen.tabel:
        count += _write_table(workbook, sheet_name(tabel.judul, taken), tabel, formats)
    workbook.close()
    return count


def _write_table(workbook, name, tabel, formats):
    sheet = workbook.add_worksheet(name)
    kinds = [k.jenis for k in tabel.kolom]
    for col, kolom in enumerate(tabel.kolom):
        sheet.set_column(col, col, kolom.lebar)
        sheet.write_string(0, col, kolom.judul, formats.header)
    sheet.set_row(0, 30)
    sheet.freeze_panes(1, tabel.kolom_beku)
    row = 0
    for row, values in enumerate(tabel.baris, start=1):
        for col, value in enumerate(values):
            write_cell(sheet, row, col, value, kinds[col], formats)
    last = row
    if tabel.baris:
        sheet.autofilter(0, 0, last, len(tabel.kolom) - 1)
    if tabel.total:
        for col, value in enumerate(tabel.total):
            write_cell(sheet, last + 1, col, value, kinds[col], formats, total=True)
            if value is None:
                sheet.write_blank(last + 1, col, None, formats.total_text)
    if tabel.catatan:
        write_text(sheet, last + 3, 0, tabel.catatan, formats)
    return len(tabel.baris)
