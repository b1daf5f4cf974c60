"""The import of one file of a kind: read, check every row, compare with the table, write when asked.

`import_file` reads the file (readers), finds its header (columns), checks the rows with the kind's row
checker, in worker processes when the file is big (parallel), hands the valid rows to a set-based writer
(writers) and, unless it is a dry run or a row is invalid (all or nothing by default), writes the new and
changed rows. The invalid rows come back as an XLSX with their reasons (rejected), ready to fix.
"""

import io
from dataclasses import dataclass, field

from openpyxl import Workbook

from penyaluran.importing.cells import RowError, display
from penyaluran.importing.columns import HEADER_SEARCH_ROWS, find_header
from penyaluran.importing.parallel import map_chunks, memory_limit, worker_count
from penyaluran.importing.readers import iter_rows, open_source
from penyaluran.importing.rejected import RejectedRows
from penyaluran.importing.writers import Analysis, writer_for
from tikor.spreadsheet import text_cell

PROGRESS_EVERY = 1000
ERRORS_IN_SUMMARY = 100


@dataclass
class ImportResult:
    kind: str
    dry_run: bool
    skip_invalid: bool
    header_row: int = 0
    extra_columns: list = field(default_factory=list)
    rows_read: int = 0
    invalid: int = 0
    errors: list = field(default_factory=list)
    analysis: Analysis = field(default_factory=Analysis)
    written: int = 0
    rejected_file: bytes | None = None
    missing_file: bytes | None = None  # every stored row the file does not hold, when there are any

    @property
    def refused(self):
        """Invalid rows in all-or-nothing mode: nothing may be written."""
        return bool(self.invalid) and not self.skip_invalid

    def summary(self):
        a = self.analysis
        return {
            "baris_judul": self.header_row,
            "kolom_diabaikan": self.extra_columns,
            "kesalahan": [str(e) for e in self.errors[:ERRORS_IN_SUMMARY]],
            "jumlah_kesalahan": len(self.errors),
            "contoh_perubahan": a.samples,
            "tidak_ada_di_file": [[str(k), n] for k, n in a.missing_sample],
        }


def _blank(cells):
    return all(cell is None or (isinstance(cell, str) and not cell.strip()) for cell in cells)


class _SeenKeys:
    """Keys met so far in the file, to name duplicates, and a key given with two different companion values
    (a NIK with two No KK)."""

    def __init__(self, kind):
        self.kind = kind
        self.first = {}  # key -> (row, companion value)
        self.extra_errors = {}  # row -> [RowError] for those earlier rows

    def check(self, checked, header):
        """Errors for the rows of `checked` whose key came earlier in the file: {row: [RowError]}.

        The earlier row, met in an earlier chunk, gets its error in extra_errors.
        """
        first, found = self.first, {}
        for row_number, key, companion in zip(checked.rows, checked.keys, checked.companions, strict=True):
            if key is None:
                continue
            earlier = first.setdefault(key, (row_number, companion))
            if earlier[0] != row_number:
                found.setdefault(row_number, []).append(self._duplicate(row_number, key, companion, *earlier, header))
        return found

    def _duplicate(self, row_number, key, companion, first_row, first_companion, header):
        kind = self.kind
        key_header = header.headers.get(kind.key, kind.column(kind.key).header)
        label = kind.key_label or key_header
        if companion and first_companion and companion != first_companion:
            column = header.headers.get(kind.companion, kind.column(kind.companion).header)
            message = (
                f"{label} {key} tercatat dengan dua {kind.column(kind.companion).header} berbeda: "
                f"{first_companion} di baris {first_row} dan {companion} di baris {row_number}."
            )
            this = RowError(row_number, column, companion, message)
            earlier = RowError(first_row, column, first_companion, message)
        else:
            this = RowError(
                row_number, key_header, key, f"{label} ganda di dalam file: sudah ada di baris {first_row}."
            )
            earlier = RowError(
                first_row, key_header, key, f"{label} ganda di dalam file: ada lagi di baris {row_number}."
            )
        self.extra_errors.setdefault(first_row, []).append(earlier)
        return this


@dataclass
class _Checked:
    """One chunk's rows, checked: parallel lists in file order, the errors and the writer's payload."""

    rows: list  # row numbers of the non-blank rows
    keys: list  # their keys (NIK or kode), None where unreadable
    companions: list  # their companion values (No KK), else None
    errors: dict  # row -> [RowError]
    payload: object  # what the writer stores for the valid rows (COPY text on PostgreSQL)


class _ChunkChecker:
    """Turns one chunk of the file into a _Checked; runs in a worker process for big files, so the
    writer's formatting (COPY text) is done there too and one object per chunk comes back."""

    def __init__(self, source, checker, writer, header_row):
        self.source, self.checker, self.writer = source, checker, writer
        self.header_row = header_row
        self.key, self.companion = checker.kind.key, checker.kind.companion

    def __call__(self, chunk):
        rows, keys, companions, errors, valid = [], [], [], {}, []
        check, key, companion = self.checker.check, self.key, self.companion
        for row_number, cells in self.source.rows(chunk):
            if row_number <= self.header_row or _blank(cells):
                continue
            values, row_errors = check(row_number, cells)
            rows.append(row_number)
            keys.append(values.get(key))
            companions.append(values.get(companion) if companion else None)
            if row_errors:
                errors[row_number] = row_errors
            else:
                valid.append((row_number, values))
        return _Checked(rows, keys, companions, errors, self.writer.prepare(valid))


def _find_header(kind, source):
    """The header, found in the first chunks; the header row and the rows above it are skipped later."""
    head = []
    for chunk in source.chunks():
        head.extend(source.rows(chunk))
        if len(head) > HEADER_SEARCH_ROWS:
            break
    return find_header(kind, iter(head))


@memory_limit()
def import_file(
    kind,
    path,
    *,
    filename=None,
    dry_run=True,
    skip_invalid=False,
    user=None,
    reason="",
    progress=None,
    complete=False,
    mask_key=None,
):
    """Check `path` as a file of `kind` (a columns.Kind) and, unless dry_run or refused, write it.

    Only a file the user marks `complete` (the whole registry, not an update of some rows) is compared with
    every stored row: the rows it lacks are counted and listed, their keys through `mask_key` (the role's
    NIK masking) when given.

    Returns an ImportResult. Raises ValidationError (Indonesian) when the file as a whole cannot be read:
    unknown format, no header, beyond the limits of a file (readers), or more memory than a process may
    take (memory_limit). `progress(read=, validated=)` and `progress(written=)` are told as it goes.
    """
    result = ImportResult(kind.name, dry_run, skip_invalid)
    progress = progress or (lambda **counts: None)
    source = open_source(path, filename)
    header = _find_header(kind, source)
    result.header_row, result.extra_columns = header.row, header.extra
    present = {name for column in kind.columns if column.name in header.index for name in column.filled}
    writer = writer_for(kind, present | set(kind.always_updated))
    check_chunk = _ChunkChecker(source, kind.checker(kind, header), writer, header.row)
    seen = _SeenKeys(kind)
    invalid = {}  # row -> [RowError]
    invalid_keys = set()
    writer.begin()
    try:
        reported = 0
        for checked in map_chunks(check_chunk, source.chunks(), worker_count(path)):
            writer.add(checked.payload)
            bad = checked.errors
            for row_number, errors in seen.check(checked, header).items():
                bad.setdefault(row_number, []).extend(errors)
            if bad:
                invalid.update(bad)
                invalid_keys.update(k for r, k in zip(checked.rows, checked.keys, strict=True) if r in bad and k)
            result.rows_read += len(checked.rows)
            if result.rows_read - reported >= PROGRESS_EVERY:
                reported = result.rows_read
                progress(read=result.rows_read, validated=result.rows_read)
        for row_number, errors in seen.extra_errors.items():
            invalid.setdefault(row_number, []).extend(errors)
        # A duplicated key makes rows invalid that the writer has already received.
        writer.discard(set(invalid))
        progress(read=result.rows_read, validated=result.rows_read)
        result.invalid = len(invalid)
        result.errors = [error for row in sorted(invalid) for error in invalid[row]]
        result.analysis = writer.analyse(invalid_keys, missing=complete)
        if mask_key:
            result.analysis.missing_sample = [(mask_key(k), n) for k, n in result.analysis.missing_sample]
        if result.analysis.missing:
            result.missing_file = missing_rows_file(kind, writer.iter_missing(), mask_key)
        if not dry_run and not result.refused:
            result.written = writer.write(user, reason)
            progress(written=result.written)
    finally:
        writer.close()
    if invalid:
        result.rejected_file = rejected_rows_file(path, filename, header, invalid)
    return result


def rejected_rows_file(path, filename, header, invalid):
    """The invalid rows as they were in the file, with the reasons in one more column, ready to fix."""
    rejected = RejectedRows(header.cells, display=display)
    for row_number, cells in iter_rows(path, filename):
        errors = invalid.get(row_number)
        if errors:
            rejected.add(row_number, cells, errors)
    return rejected.content()


def missing_rows_file(kind, rows, mask_key=None):
    """Stored rows the file does not hold, as XLSX: the key as text (masked by `mask_key` when given) and the
    name, for the user to act on."""
    mask_key = mask_key or (lambda key: key)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Tidak ada di file")
    sheet.freeze_panes = "A2"
    sheet.append([kind.column(kind.key).header, "Nama"])
    for key, nama in rows:
        sheet.append([text_cell(sheet, mask_key(key), number_format="@"), text_cell(sheet, nama)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
