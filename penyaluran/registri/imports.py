"""Registry import: one engine for the command, the import page, the admin and the Celery task.

`import_file` reads a KPM, e-warong, agen or penyedia file, checks every row, compares it with the
registry and, unless it is a dry run or a row is invalid (all or nothing by default), writes the new and
changed rows. `run_job` runs an ImportJob once, recording progress and outcome on the job row.
"""

import hashlib
import io
import logging
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from openpyxl import Workbook

from penyaluran.importing.columns import HEADER_SEARCH_ROWS, KINDS, find_header
from penyaluran.importing.parallel import map_chunks, worker_count
from penyaluran.importing.readers import iter_rows, open_source
from penyaluran.importing.rejected import RejectedRows
from penyaluran.importing.validation import Lookups, RowChecker, RowError, display
from penyaluran.importing.writers import Analysis, writer_for
from penyaluran.registri.models import ImportJob
from tikor.jobs import JobStatus
from tikor.models import AuditLog
from tikor.spreadsheet import text_cell

logger = logging.getLogger(__name__)

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
    missing_file: bytes | None = None  # every registry row the file does not hold, when there are any

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


def file_checksum(path):
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _blank(cells):
    return all(cell is None or (isinstance(cell, str) and not cell.strip()) for cell in cells)


class _SeenKeys:
    """Keys met so far in the file, to name duplicates and a NIK given with two different No KK."""

    def __init__(self, kind):
        self.kind = kind
        self.first = {}  # key -> (row, no_kk)
        self.extra_errors = {}  # row -> [RowError] for those earlier rows

    def check(self, checked, header):
        """Errors for the rows of `checked` whose key came earlier in the file: {row: [RowError]}.

        The earlier row, met in an earlier chunk, gets its error in extra_errors.
        """
        first, found = self.first, {}
        for row_number, key, kk in zip(checked.rows, checked.keys, checked.kks, strict=True):
            if key is None:
                continue
            earlier = first.setdefault(key, (row_number, kk))
            if earlier[0] != row_number:
                found.setdefault(row_number, []).append(self._duplicate(row_number, key, kk, *earlier, header))
        return found

    def _duplicate(self, row_number, key, kk, first_row, first_kk, header):
        key_header = header.headers.get(self.kind.key, self.kind.column(self.kind.key).header)
        if self.kind.name == "kpm" and kk and first_kk and kk != first_kk:
            column = header.headers.get("no_kk", "No KK")
            message = (
                f"NIK {key} tercatat dengan dua No KK berbeda: "
                f"{first_kk} di baris {first_row} dan {kk} di baris {row_number}."
            )
            this = RowError(row_number, column, kk, message)
            earlier = RowError(first_row, column, first_kk, message)
        else:
            label = "NIK" if self.kind.name == "kpm" else key_header
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
    kks: list  # their No KK (KPM files), else None
    errors: dict  # row -> [RowError]
    payload: object  # what the writer stores for the valid rows (COPY text on PostgreSQL)


class _ChunkChecker:
    """Turns one chunk of the file into a _Checked; runs in a worker process for big files, so the
    writer's formatting (COPY text) is done there too and one object per chunk comes back."""

    def __init__(self, source, checker, writer, header_row):
        self.source, self.checker, self.writer = source, checker, writer
        self.header_row = header_row
        self.key = checker.kind.key

    def __call__(self, chunk):
        rows, keys, kks, errors, valid = [], [], [], {}, []
        check, key = self.checker.check, self.key
        for row_number, cells in self.source.rows(chunk):
            if row_number <= self.header_row or _blank(cells):
                continue
            values, row_errors = check(row_number, cells)
            rows.append(row_number)
            keys.append(values.get(key))
            kks.append(values.get("no_kk"))
            if row_errors:
                errors[row_number] = row_errors
            else:
                valid.append((row_number, values))
        return _Checked(rows, keys, kks, errors, self.writer.prepare(valid))


def _find_header(spec, source):
    """The header, found in the first chunks; the header row and the rows above it are skipped later."""
    head = []
    for chunk in source.chunks():
        head.extend(source.rows(chunk))
        if len(head) > HEADER_SEARCH_ROWS:
            break
    return find_header(spec, iter(head))


def import_file(kind, path, *, filename=None, dry_run=True, skip_invalid=False, user=None, reason="", progress=None):
    """Check `path` as a `kind` file and, unless dry_run or refused, write it. Returns an ImportResult.

    Raises ValidationError (Indonesian) when the file as a whole cannot be read: unknown format, no header.
    Rows are checked in worker processes when the file is big (penyaluran.importing.parallel).
    """
    spec = KINDS[kind]
    result = ImportResult(kind, dry_run, skip_invalid)
    progress = progress or (lambda **counts: None)
    source = open_source(path, filename)
    header = _find_header(spec, source)
    result.header_row, result.extra_columns = header.row, header.extra
    present = set(header.index)
    if present & {"kode_kelurahan", "kelurahan"}:
        present.add("kelurahan_id")
    writer = writer_for(spec, present | set(spec.always_updated))
    check_chunk = _ChunkChecker(source, RowChecker(spec, header, Lookups()), writer, header.row)
    seen = _SeenKeys(spec)
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
        result.analysis = writer.analyse(invalid_keys)
        if result.analysis.missing:
            result.missing_file = missing_rows_file(spec, writer.iter_missing())
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
            rejected.add(cells, errors)
    return rejected.content()


def missing_rows_file(spec, rows):
    """Registry rows the file does not hold, as XLSX: the key as text and the name, for the user to act on."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Tidak ada di file")
    sheet.freeze_panes = "A2"
    sheet.append([spec.column(spec.key).header, "Nama"])
    for key, nama in rows:
        sheet.append([text_cell(sheet, key, number_format="@"), text_cell(sheet, nama)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# -- jobs ----------------------------------------------------------------------------------------------------

PROGRESS_FIELDS = {"read": "baris_dibaca", "validated": "baris_divalidasi", "written": "baris_ditulis"}


def run_job(job_id):
    """Run an ImportJob exactly once; a job already started or finished is left alone."""
    if not ImportJob.claim(job_id):
        logger.warning("ImportJob %s is not waiting; not running it again.", job_id)
        return None
    job = ImportJob.objects.select_related("dibuat_oleh").get(pk=job_id)

    def progress(**counts):
        ImportJob.objects.filter(pk=job_id).update(**{PROGRESS_FIELDS[k]: v for k, v in counts.items()})

    try:
        result = import_file(
            job.jenis,
            job.berkas.path,
            filename=job.nama_berkas,
            dry_run=job.uji_coba,
            skip_invalid=job.lewati_tidak_valid,
            user=job.dibuat_oleh,
            reason=f"Impor #{job.pk} {job.nama_berkas}",
            progress=progress,
        )
    except ValidationError as exc:
        job.finish(JobStatus.GAGAL, " ".join(exc.messages))
        return None
    except Exception as exc:
        logger.exception("ImportJob %s failed", job_id)
        job.finish(JobStatus.GAGAL, f"Kesalahan tak terduga saat mengimpor: {exc.__class__.__name__}: {exc}")
        return None
    a = result.analysis
    job.baris_dibaca = job.baris_divalidasi = result.rows_read
    job.baris_ditulis = result.written
    job.jumlah_baru, job.jumlah_berubah, job.jumlah_sama = a.new, a.changed, a.unchanged
    job.jumlah_tidak_valid, job.jumlah_tidak_ada = result.invalid, a.missing
    job.ringkasan = result.summary()
    stem = job.nama_berkas.rsplit(".", 1)[0]
    if result.rejected_file:
        job.berkas_kesalahan.save(f"{stem}-baris-ditolak-{job.pk}.xlsx", ContentFile(result.rejected_file), save=False)
    if result.missing_file:
        name = f"{stem}-tidak-ada-di-file-{job.pk}.xlsx"
        job.berkas_tidak_ada.save(name, ContentFile(result.missing_file), save=False)
    if result.refused:
        message = f"{result.invalid} baris tidak valid; tidak ada data yang disimpan."
        status = JobStatus.DITOLAK
    elif job.uji_coba:
        message = "Pratinjau selesai; belum ada data yang disimpan."
        status = JobStatus.SELESAI
    else:
        message = f"{result.written} baris disimpan ({a.new} baru, {a.changed} berubah)."
        status = JobStatus.SELESAI
        AuditLog.objects.create(
            pengguna=job.dibuat_oleh,
            aksi=AuditLog.Aksi.IMPOR,
            objek=KINDS[job.jenis].model_label.lower(),
            jumlah_baris=result.written,
            keterangan={
                "impor": job.pk,
                "berkas": job.nama_berkas,
                "checksum": job.checksum,
                "baru": a.new,
                "berubah": a.changed,
                "tidak_valid": result.invalid,
            },
        )
    job.finish(status, message)
    return result


def create_job(kind, uploaded, *, user, dry_run=True, skip_invalid=False, preview=None):
    """Store an uploaded file (or reuse the preview's) and a waiting job for it."""
    job = ImportJob(jenis=kind, uji_coba=dry_run, lewati_tidak_valid=skip_invalid, dibuat_oleh=user, pratinjau=preview)
    if preview is not None:
        job.berkas, job.nama_berkas, job.checksum = preview.berkas.name, preview.nama_berkas, preview.checksum
    else:
        job.nama_berkas = uploaded.name.rsplit("/", 1)[-1][:255]
        job.berkas.save(job.nama_berkas, uploaded, save=False)
        job.checksum = file_checksum(job.berkas.path)
    job.save()
    return job
