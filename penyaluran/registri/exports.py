"""Registry exports: XLSX (streamed sheet XML, tikor.xlsx_stream) and CSV, scoped through for_user and audited.

The same columns serve the export pages, the admin (through penyaluran.resources) and the import:
every header here is one the importer reads, so an exported file re-imports with no changes.
"""

import csv
import tempfile
from dataclasses import dataclass

from django.core.files import File
from django.utils import timezone

from penyaluran.registri.models import Agen, EWarong, ExportJob, Kpm, Penyedia
from tikor import jobs
from tikor.audit import catat_ekspor
from tikor.formatting import angka
from tikor.jobs import JobStatus, Outcome
from tikor.models import Wilayah
from tikor.nik import mask_nik, may_see_full_numbers
from tikor.spreadsheet import csv_value
from tikor.xlsx_stream import write_table

CHUNK_SIZE = 5000
# Above this many rows the export page hands the work to a Celery task and offers a download link.
DIRECT_LIMIT = 20000
# The job page's progress moves every this many rows.
PROGRESS_EVERY = 5000


@dataclass(frozen=True)
class ExportColumn:
    header: str
    path: str  # a values_list() lookup
    text: bool = False  # written as a text cell so Excel keeps every digit
    sensitive: bool = False  # masked for roles that may not see full NIK / No KK / KKS
    choices: type | None = None  # TextChoices: the label is written


def _place_columns():
    return (
        ExportColumn("Kode Kelurahan", "kelurahan_id"),
        ExportColumn("Kelurahan", "kelurahan__nama"),
        ExportColumn("Kecamatan", "kelurahan__induk__nama"),
    )


COLUMNS = {
    "kpm": (
        ExportColumn("NIK", "nik", text=True, sensitive=True),
        ExportColumn("No KK", "no_kk", text=True, sensitive=True),
        ExportColumn("Nama KPM", "nama"),
        ExportColumn("Jenis Kelamin", "jenis_kelamin"),
        ExportColumn("Tanggal Lahir", "tanggal_lahir"),
        ExportColumn("Alamat", "alamat"),
        ExportColumn("RT", "rt", text=True),
        ExportColumn("RW", "rw", text=True),
        *_place_columns(),
        ExportColumn("Nomor KKS", "nomor_kks", text=True, sensitive=True),
        ExportColumn("Bank", "bank__kode"),
        ExportColumn("Kode E-Warong", "ewarong__kode"),
        ExportColumn("Status", "status", choices=Kpm.Status),
        ExportColumn("Sumber Data", "sumber_data"),
        ExportColumn("Tahun Data", "tahun_data"),
    ),
    "ewarong": (
        ExportColumn("Kode E-Warong", "kode"),
        ExportColumn("Nama E-Warong", "nama"),
        ExportColumn("Pemilik", "pemilik"),
        ExportColumn("Alamat", "alamat"),
        *_place_columns(),
        ExportColumn("Bank", "bank__kode"),
        ExportColumn("Kode Agen", "agen__kode"),
        ExportColumn("Kode Penyedia", "penyedia__kode"),
        ExportColumn("Lintang", "latitude"),
        ExportColumn("Bujur", "longitude"),
        ExportColumn("Kapasitas KPM", "kapasitas_kpm"),
        ExportColumn("Status", "status", choices=EWarong.Status),
    ),
    "agen": (
        ExportColumn("Kode Agen", "kode"),
        ExportColumn("Nama Agen", "nama"),
        ExportColumn("Pemilik", "pemilik"),
        ExportColumn("Bank", "bank__kode"),
        ExportColumn("Alamat", "alamat"),
        *_place_columns(),
        ExportColumn("Telepon", "telepon", text=True),
        ExportColumn("Status", "status", choices=Agen.Status),
    ),
    "penyedia": (
        ExportColumn("Kode Penyedia", "kode"),
        ExportColumn("Nama Perusahaan", "nama"),
        ExportColumn("Penanggung Jawab", "penanggung_jawab"),
        ExportColumn("NPWP", "npwp", text=True),
        ExportColumn("Alamat", "alamat"),
        *_place_columns(),
        ExportColumn("Telepon", "telepon", text=True),
        ExportColumn("Aktif", "aktif"),
    ),
}
MODELS = {"kpm": Kpm, "ewarong": EWarong, "agen": Agen, "penyedia": Penyedia}
TITLES = {"kpm": "KPM", "ewarong": "E-Warong", "agen": "Agen", "penyedia": "Penyedia"}


def scoped_queryset(kind, user, filters=None):
    """The rows `user` may export, narrowed by the export filter (wilayah code, status)."""
    queryset = MODELS[kind].objects.for_user(user)
    filters = filters or {}
    if filters.get("wilayah"):
        queryset = queryset.in_wilayah(filters["wilayah"])
    if filters.get("status") and kind != "penyedia":
        queryset = queryset.filter(status=filters["status"])
    return queryset.order_by(COLUMNS[kind][0].path)


def rows(kind, queryset, user):
    """Export rows as Python values, in chunks from the database, masked where the role needs it."""
    columns = COLUMNS[kind]
    mask = not may_see_full_numbers(user)
    labels = {i: dict(c.choices.choices) for i, c in enumerate(columns) if c.choices}
    sensitive = [i for i, c in enumerate(columns) if c.sensitive] if mask else []
    boolean = [i for i, c in enumerate(columns) if c.path == "aktif"]
    for values in queryset.values_list(*(c.path for c in columns)).iterator(chunk_size=CHUNK_SIZE):
        values = ["" if v is None else v for v in values]
        for i, choice_labels in labels.items():
            values[i] = str(choice_labels.get(values[i], values[i]))
        for i in sensitive:
            values[i] = mask_nik(values[i])
        for i in boolean:
            values[i] = "Ya" if values[i] else "Tidak"
        yield values


def write_xlsx(kind, queryset, user, target, progress=None):
    """Write the export to `target` (a path or binary file); returns the number of rows.

    Streamed as sheet XML (tikor.xlsx_stream): a 206.438-row export holds one chunk of rows in memory.
    bench/laporan.py measures it against openpyxl's write-only mode (its writer before) and XlsxWriter.
    Text columns are text cells (every digit of a NIK stays); text that starts like a formula carries
    Excel's quote prefix. `progress(rows)` hears every PROGRESS_EVERY rows.
    """
    columns = COLUMNS[kind]
    return write_table(
        target,
        TITLES[kind],
        [c.header for c in columns],
        rows(kind, queryset, user),
        text_columns=[i for i, c in enumerate(columns) if c.text],
        widths=[20 if c.text else 14 for c in columns],
        progress=progress,
        every=PROGRESS_EVERY,
    )


class _Echo:
    def write(self, value):
        return value


def iter_csv(kind, queryset, user):
    """CSV lines for a StreamingHttpResponse: UTF-8 with BOM and ";" as Excel in Indonesia expects."""
    writer = csv.writer(_Echo(), delimiter=";")
    yield "\ufeff" + writer.writerow([c.header for c in COLUMNS[kind]])
    for values in rows(kind, queryset, user):
        yield writer.writerow([csv_value(v) for v in values])


def write_csv(kind, queryset, user, target, progress=None):
    count = 0
    for count, line in enumerate(iter_csv(kind, queryset, user)):
        target.write(line.encode("utf-8"))
        if progress is not None and count and count % PROGRESS_EVERY == 0:
            progress(count)
    return count


def audit(user, kind, filters, file_format, count, via, **details):
    """Every export leaves a row in the audit log: who, what, which filter, how many rows."""
    return catat_ekspor(
        user, MODELS[kind]._meta.label_lower, count, filter=filters or {}, format=file_format, melalui=via, **details
    )


def filename(kind, file_format):
    return f"{kind}-{timezone.localdate():%Y%m%d}.{file_format}"


def describe_filters(filters):
    """Filter values as a person reads them, for the audit log and the page."""
    described = dict(filters)
    if filters.get("wilayah"):
        described["wilayah_nama"] = str(Wilayah.objects.filter(kode=filters["wilayah"]).first() or "")
    return described


def run_export_job(job_id):
    """Build the export file of an ExportJob, once. Its rows leave, and are audited, when the file is downloaded."""
    jobs.run_job(ExportJob, job_id, _export, related=["dibuat_oleh"])


def _export(job):
    user = job.dibuat_oleh
    queryset = scoped_queryset(job.jenis, user, job.filter)
    job.save_progress(baris_total=queryset.count())

    def progress(count):
        job.save_progress(jumlah_baris=count)

    writer = write_xlsx if job.format == "xlsx" else write_csv
    with tempfile.TemporaryFile() as target:
        job.jumlah_baris = writer(job.jenis, queryset, user, target, progress=progress)
        target.seek(0)
        job.berkas.save(filename(job.jenis, job.format), File(target), save=False)
    return Outcome(JobStatus.SELESAI, f"{angka(job.jumlah_baris)} baris siap diunduh.")
