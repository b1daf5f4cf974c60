"""Fuzzed spreadsheet files: a header of a kind's columns, rows of plausible or broken cells, as CSV or XLSX."""

import csv
import datetime
import io
import zipfile

from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from tests.fuzz.strategies import as_text, cell


def write_file(folder, name, rows, form):
    """Rows as `form` ("csv", "csv-semicolon", "csv-cp1252" or "xlsx"); returns the path."""
    if form == "xlsx":
        workbook = Workbook()
        for row in rows:
            workbook.active.append([_xlsx_value(v) for v in row])
        path = folder / f"{name}.xlsx"
        workbook.save(path)
        return path
    delimiter = ";" if form == "csv-semicolon" else ","
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter).writerows([[as_text(v) for v in row] for row in rows])
    encoding = "cp1252" if form == "csv-cp1252" else "utf-8"
    path = folder / f"{name}.csv"
    path.write_bytes(buffer.getvalue().encode(encoding, errors="replace"))
    return path


def _xlsx_value(value):
    """What openpyxl can write: no control characters, no timezone, no NaN-less guard (NaN stays: a hostile file)."""
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    if isinstance(value, datetime.time) and value.tzinfo:
        return value.replace(tzinfo=None)
    return value


@st.composite
def table(draw, header, samples):
    """[header, *rows]: each cell a plausible value of its column (`samples`: column -> strategy) or junk."""
    rows = [list(header)]
    for _ in range(draw(st.integers(min_value=1, max_value=6))):
        row = []
        for name in header:
            plausible = samples.get(name)
            row.append(draw(st.one_of(plausible, cell) if plausible is not None else cell))
        if draw(st.integers(0, 9)) == 0:
            row = row[: draw(st.integers(0, len(row)))]  # a short row
        rows.append(row)
    if rows[1:] and draw(st.integers(0, 4)) == 0:
        rows.append(list(draw(st.sampled_from(rows[1:]))))  # a row given twice
    return rows


forms = st.sampled_from(["csv", "csv-semicolon", "csv-cp1252", "xlsx"])


@st.composite
def broken_bytes(draw, valid):
    """A valid file's bytes damaged: cut short, bytes flipped, or noise with the same name."""
    how = draw(st.sampled_from(["cut", "flip", "noise", "zip-member"]))
    # Places in the file as fractions of its length: an XLSX's length varies with the time it was written, and
    # hypothesis replays a case only if the draws do not depend on it.
    place = st.integers(0, 2**16).map(lambda n: n * len(valid) // (2**16 + 1))
    if how == "cut":
        return valid[: draw(place)]
    if how == "flip":
        data = bytearray(valid)
        for _ in range(draw(st.integers(1, 8))):
            data[draw(place)] = draw(st.integers(0, 255))
        return bytes(data)
    if how == "zip-member":
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr(draw(st.sampled_from(["xl/worksheets/sheet1.xml", "[Content_Types].xml", "a"])),
                             draw(st.binary(max_size=300)))  # fmt: skip
        return buffer.getvalue()
    return draw(st.binary(max_size=2000))
