"""The rejected rows of an import as an XLSX to fix and import again.

Each row is written as it was in the file, under the file's own header, after its row number in the file
(the number the reasons and the import page cite), with the reasons in one more column; an import ignores
both added columns when the fixed file comes back. The workbook is write-only, so openpyxl keeps the rows
in a temporary file, not in memory: a bank file can reject a million rows.
"""

import io

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from tikor.spreadsheet import text_cell, xlsx_row

ERROR_COLUMN = "KETERANGAN KESALAHAN"
ROW_COLUMN = "BARIS DI BERKAS ASAL"


class RejectedRows:
    def __init__(self, header_cells, display=str):
        self.width = len(header_cells)
        self.count = 0
        self.workbook = Workbook(write_only=True)
        self.sheet = self.workbook.create_sheet("Baris ditolak")
        self.sheet.freeze_panes = "A2"
        bold = Font(bold=True)
        header = [text_cell(self.sheet, display(c)) for c in [ROW_COLUMN, *header_cells, ERROR_COLUMN]]
        for cell in header:
            cell.font = bold
        self.sheet.append(header)

    def add(self, row_number, cells, errors):
        """One rejected row: its number in the file, its cells as read, and its RowErrors."""
        cells = [*cells, *[""] * (self.width - len(cells))]  # a short row keeps the reasons in their column
        reasons = "; ".join(f"{e.column}: {e.message}" for e in errors)
        self.sheet.append([row_number, *xlsx_row(self.sheet, [*cells, reasons])])
        self.count += 1

    def content(self):
        self.sheet.auto_filter.ref = f"A1:{get_column_letter(self.width + 2)}{self.count + 1}"
        buffer = io.BytesIO()
        self.workbook.save(buffer)
        return buffer.getvalue()
