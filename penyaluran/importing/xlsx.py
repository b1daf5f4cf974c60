"""The first sheet of an XLSX as a source of rows: python-calamine for a small, compact sheet, openpyxl if
calamine is missing, else the streaming reader of xlsx_stream; the used range, declared and real, checked
against the limits first."""

import re

from django.core.exceptions import ValidationError

from penyaluran.importing.limits import CLEAR_OUTSIDE, RESAVE, RowSource, beyond, limits_passed, within_limits
from penyaluran.importing.xlsx_archive import (
    SHARED_STRINGS,
    check_archive,
    damaged,
    open_archive,
    part_size,
    xlsx_damage,
)
from penyaluran.importing.xlsx_stream import ROW_NUMBER, XmlSheetSource, column_index, row_blocks, sheet_xml_path
from tikor.formatting import angka

# A sheet whose XML and shared strings together pass this is read by the streaming reader.
STREAM_ABOVE_BYTES = 64 * 1024 * 1024
# calamine builds the whole used range, about 32 bytes per cell whether filled or not (a sparse sheet
# with one cell at ALL100000 costs it 3 GB), so a wider range is read by the streaming reader.
CALAMINE_MAX_CELLS = 5_000_000
DIMENSION_SEARCH_BYTES = 65536  # <dimension> comes before the rows, after at most a sheetPr


def open_xlsx(path, limits):
    """The first sheet as a source: calamine for a small, compact sheet, else the streaming reader; every
    limit checked before either touches the file."""
    with open_archive(path) as archive:
        check_archive(archive, limits)
        part = sheet_xml_path(archive)
        _check_declared_range(archive, part, limits)
        small = archive.getinfo(part).file_size + part_size(archive, SHARED_STRINGS) <= STREAM_ABOVE_BYTES
        cells = _used_cells(archive, part, limits) if small else None
        compact = cells is not None and cells <= CALAMINE_MAX_CELLS
        stream = None if compact else XmlSheetSource(path, archive, part, limits)
    if stream is not None:
        if stream.readable():
            return stream
        # No cell in the form the streaming reader knows (an unusual writer): calamine, if the range is compact.
        if cells is None:
            with open_archive(path) as archive:
                cells = _used_cells(archive, part, limits)
        if cells > CALAMINE_MAX_CELLS:
            raise ValidationError(
                f"Lembar pertama terlalu luas untuk dibaca ({angka(cells)} sel termasuk yang kosong, ditulis dalam "
                f"bentuk yang tidak dikenal); hapus baris dan kolom kosong di antara data, lalu {RESAVE}."
            )
    return _calamine_source(path, limits)


def _calamine_source(path, limits):
    try:
        from python_calamine import CalamineWorkbook
    except ImportError:
        return RowSource(lambda: within_limits(_iter_openpyxl(path), limits))
    try:
        sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0)
    except MemoryError:
        raise
    except Exception as exc:  # calamine raises its own error types for a damaged archive
        raise damaged(exc) from exc
    # python-calamine pads from the first sheet row, so the index is the Excel row number minus one.
    return RowSource(
        lambda: within_limits(((index + 1, cells) for index, cells in enumerate(sheet.iter_rows())), limits)
    )


def _iter_openpyxl(path):
    from openpyxl import load_workbook

    with xlsx_damage():
        workbook = load_workbook(path, read_only=True, data_only=True)
        try:
            for index, cells in enumerate(workbook.worksheets[0].iter_rows(values_only=True)):
                yield index + 1, ["" if value is None else value for value in cells]
        finally:
            workbook.close()


_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\b[^>]*?\bref="([^"]*)"')
_LAST_REF = re.compile(rb"\$?([A-Z]+)\$?(\d+)$")


def _check_declared_range(archive, part, limits):
    """Refuse a sheet that declares a used range beyond the limits (Excel keeps a cell once formatted in it)."""
    with archive.open(part) as xml:
        found = _DIMENSION.search(xml.read(DIMENSION_SEARCH_BYTES))
    last = _LAST_REF.search(found.group(1)) if found else None
    if last is None:
        return  # no declaration, or one without a last cell: only the real range counts
    rows, columns = int(last.group(2)), column_index(last.group(1)) + 1
    if rows > limits.rows or columns > limits.columns:
        raise ValidationError(
            f"Lembar pertama menyatakan rentang terpakai {found.group(1).decode('ascii', 'replace')} "
            f"({angka(rows)} baris, {angka(columns)} kolom), lebih dari {limits_passed(rows, columns, limits)}; "
            f"{CLEAR_OUTSIDE}."
        )


# The r of a cell (letters, then digits; a row's r has digits only) as every common writer puts it, in two
# passes that return plain strings: faster than one that returns pairs. _ANY_CELL_REF takes any form XML
# allows (other spacing, single quotes), looked for only where the first ones miss a cell.
_CELL_COLUMN = re.compile(rb' r="([A-Z]+)\d')
_CELL_ROW = re.compile(rb' r="[A-Z]+(\d+)"')
_ANY_CELL_REF = re.compile(rb"""\sr\s*=\s*["']([A-Z]+)(\d+)["']""")


def _cell_tags(xml):
    return xml.count(b"<c ") + xml.count(b"<c>") + xml.count(b":c ") + xml.count(b":c>")


def _used_cells(archive, part, limits):
    """The number of cells (filled or not) in the range the first sheet's cells really reach, read from its
    XML without keeping it; a cell beyond the limits is refused by name. About 0,3 s for 500.000 cells."""
    last_row = last_column = 0
    with archive.open(part) as xml:
        for block in row_blocks(xml):
            rows = _CELL_ROW.findall(block)
            if rows:
                last_column = max(last_column, max(map(column_index, set(_CELL_COLUMN.findall(block)))) + 1)
                last_row = max(last_row, max(map(int, set(rows))))
            if last_column > limits.columns or last_row > limits.rows:
                for letters, digits in _ANY_CELL_REF.findall(block):
                    column, row = column_index(letters), int(digits)
                    if column >= limits.columns or row > limits.rows:
                        raise beyond(row, column, limits)
            if len(rows) < block.count(b"<c ") or b"<c>" in block or b":c " in block or b":c>" in block:
                # An r written otherwise, or none (the format allows it: the cell follows the one before it).
                for body in block.split(b"</row>"):
                    count = _cell_tags(body)
                    if not count:
                        continue
                    named = _ANY_CELL_REF.findall(body)
                    for letters, digits in named:
                        column, row = column_index(letters), int(digits)
                        if column >= limits.columns or row > limits.rows:
                            raise beyond(row, column, limits)
                        last_column, last_row = max(last_column, column + 1), max(last_row, row)
                    if count > len(named):
                        found = ROW_NUMBER.search(body)
                        last_row = max(last_row, int(found.group(1)) if found else last_row + 1)
                        last_column = max(last_column, count + max((column_index(c) + 1 for c, _ in named), default=0))
                        if last_column > limits.columns or last_row > limits.rows:
                            raise beyond(last_row, last_column - 1, limits)
    return last_row * last_column
