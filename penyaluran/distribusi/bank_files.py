"""Import of bank files: monthly credits (penyaluran) and EDC purchases (transaksi), CSV or XLSX.

Built for a million purchase rows in seconds with flat memory: the file is read as a stream by the import
engine's readers, each row is checked (bank_kolom) and written to a staging table, and the staged rows
are moved in by set-based SQL (bank_staging). Re-importing a file therefore writes nothing new.

Bad rows are handled as in the registry import: every error names the Excel row, the column and the value,
in Indonesian; nothing is written when a row is invalid unless the user chose to skip invalid rows, and
the invalid rows come back as an XLSX with their reasons, ready to fix. Rows of a closed or unknown period
are invalid, and so is a row repeating a reference an earlier row of the file has (the bank's reference is
the purchase's identity: the second one would otherwise vanish without a word). A period closed while
its file is being checked receives nothing.
"""

import datetime
import logging
import time
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from penyaluran.distribusi import bank_checks, bank_staging
from penyaluran.distribusi.bank_kolom import RowCheck, find_bank_header, profile_of
from penyaluran.distribusi.bulk import bulk_insert
from penyaluran.distribusi.models import ImporBank, Penyaluran, Periode, ProfilKolomBank, Transaksi
from penyaluran.distribusi.periode import refresh_after_import
from penyaluran.importing.cells import RowError, display, text
from penyaluran.importing.parallel import memory_limit
from penyaluran.importing.readers import iter_rows
from penyaluran.importing.rejected import RejectedRows
from penyaluran.registri.models import TerminalEdc
from tikor import jobs
from tikor.formatting import angka, tanggal
from tikor.jobs import JobStatus, Outcome
from tikor.models import AuditLog

logger = logging.getLogger(__name__)

ERRORS_KEPT = 1000  # the first errors are shown; the count is always exact
PROGRESS_EVERY = 50_000


@dataclass
class HasilImpor:
    rows_read: int = 0
    valid: int = 0
    invalid: int = 0
    new: int = 0
    existing: int = 0
    errors: list = field(default_factory=list)
    periods: set = field(default_factory=set)
    refused: bool = False
    seconds_staged: float = 0.0  # reading, checking and staging
    seconds_written: float = 0.0  # the INSERT ... SELECT ... ON CONFLICT
    rejected: RejectedRows | None = None  # every invalid row with its reasons, made at the first one
    # References that may repeat an earlier row's: staged rows whose (period, reference) hash was seen before.
    # Hashes, not the references, keep a million rows in about 60 MB; the staging table then tells for sure.
    seen: set = field(default_factory=set, repr=False)
    repeat_candidates: set = field(default_factory=set)
    rejected_file: bytes | None = None  # ... as XLSX
    checks: bank_checks.Temuan = field(default_factory=bank_checks.Temuan)  # warnings and unknown outlets
    refused_outlets: bool = False  # refused for rows without an outlet the user did not allow


def _valid_rows(rows, check, result, skip_invalid, progress, header_cells):
    per_period = check.jenis == ProfilKolomBank.Jenis.TRANSAKSI  # a purchase reference is unique per month
    for row_number, cells in rows:
        if not any(text(c) for c in cells):
            continue
        result.rows_read += 1
        values, errors = check(row_number, cells)
        if errors:
            result.invalid += 1
            if len(result.errors) < ERRORS_KEPT:
                result.errors.extend(errors)
            if result.rejected is None:
                result.rejected = RejectedRows(header_cells, display=display)
            result.rejected.add(row_number, cells, errors)
        else:
            result.valid += 1
            result.periods.add(values[1])
            if result.invalid == 0 or skip_invalid:
                key = hash((values[1], values[2]) if per_period else values[2])
                if key in result.seen:
                    result.repeat_candidates.add(values[2])
                else:
                    result.seen.add(key)
                yield values
        if progress and result.rows_read % PROGRESS_EVERY == 0:
            progress(result)


def _refuse_repeated(cursor, jenis, stage, result, check, rows_again, header_cells):
    """Make the rows that repeat a reference invalid, as the registry import does with a repeated NIK:
    named by row, column and value, taken out of the staging table, and returned in the rejected rows."""
    if not result.repeat_candidates:
        return
    repeated_sql, params = bank_staging.repeated_rows_sql(jenis, stage, result.repeat_candidates)
    cursor.execute(f"{repeated_sql} ORDER BY s.baris", params)
    repeated = cursor.fetchall()
    if not repeated:
        return
    column = check.headers.get("referensi", "Referensi")
    errors = {
        row: RowError(row, column, ref, f"referensi ini sudah dipakai baris {first} di berkas ini; satu referensi "
                      "bank hanya untuk satu transaksi.")
        for row, ref, first in repeated
    }  # fmt: skip
    cursor.execute(f"DELETE FROM {stage} WHERE baris IN (SELECT baris FROM ({repeated_sql}) r)", params)
    result.valid -= len(errors)
    result.invalid += len(errors)
    result.errors = sorted([*result.errors, *errors.values()], key=lambda e: e.row)[:ERRORS_KEPT]
    if result.rejected is None:
        result.rejected = RejectedRows(header_cells, display=display)
    # The rows' cells are read again from the file: repeats are rare, and the staging table holds parsed values.
    for row_number, cells in rows_again():
        if row_number in errors:
            result.rejected.add(row_number, cells, [errors[row_number]])


@memory_limit()
def import_file(
    bank,
    jenis,
    path,
    *,
    filename=None,
    dry_run=True,
    skip_invalid=False,
    progress=None,
    refresh=True,
    profile=None,
    impor_id=None,
    allow_without_outlet=False,
):
    """Check a bank file and, unless dry_run or refused, append its new rows. Returns a HasilImpor.

    The file is read as `profile` says (by default the bank's ProfilKolomBank for this kind). Purchases whose
    outlet matches nothing refuse the write unless `allow_without_outlet`. Written rows carry `impor_id`, the
    job that wrote them, for a rollback. Raises ValidationError for a file that cannot be read at all.
    """
    jenis = ProfilKolomBank.Jenis(jenis)
    profile = profile or profile_of(bank, jenis)

    def rows_again():
        return iter_rows(path, filename, delimiter=profile.delimiter, encoding=profile.pengodean or None)

    rows = rows_again()
    header = find_bank_header(profile, rows)
    header_cells = header.cells
    periods = {(p.tahun, p.bulan): p for p in Periode.objects.all()}
    check = RowCheck(profile, header_cells, header.columns, periods)
    result = HasilImpor()
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        stage = bank_staging.create_stage(cursor, jenis)
        staged = _valid_rows(rows, check, result, skip_invalid, progress, header_cells)
        stage_columns = bank_staging.STAGE_COLUMNS[jenis]
        nullable = [c for c in stage_columns if c == "kartu_dibagikan_pada"]
        bulk_insert(None, stage_columns, staged, table=stage, null_columns=nullable)
        result.seen = set()  # the hashes served their purpose: free them before the write
        if connection.vendor == "postgresql":
            # A million staged rows: real row counts for the planner, no JIT compile (half a second).
            cursor.execute(f"ANALYZE {stage}")
            cursor.execute("SET LOCAL jit = off")
            cursor.execute("SET LOCAL work_mem = '64MB'")  # the KPM lookups and the repeat check hash in memory
            # A month's partition holding few rows (or none, after a delete) is estimated as tiny, and the
            # "already in?" anti-join would become a nested loop scanning it once per staged row, while
            # the INSERT fills it: minutes. Every join here is between whole sets: hash them.
            cursor.execute("SET LOCAL enable_nestloop = off")
        _refuse_repeated(cursor, jenis, stage, result, check, rows_again, header_cells)
        result.refused = bool(result.invalid) and not skip_invalid
        if not result.refused and (dry_run or jenis == ProfilKolomBank.Jenis.TRANSAKSI):
            # A write checks the outlets again: the registry or the terminals may have changed since the preview.
            result.checks = (
                bank_checks.check_staged(cursor, jenis, bank, stage, result.periods)
                if dry_run
                else (_outlets_only(cursor, bank, stage))
            )
        result.seconds_staged = time.perf_counter() - started
        if not dry_run and result.checks.rows_without_outlet and not allow_without_outlet:
            result.refused = result.refused_outlets = True
        if not result.refused and not dry_run and result.periods:
            bank_staging.lock_open_periods(cursor, result.periods)
        if not result.refused and dry_run:
            result.existing = bank_staging.count_existing(cursor, jenis, bank.pk, stage, result.periods)
            result.new = result.valid - result.existing
        elif not result.refused:
            result.new = bank_staging.write_staged(cursor, jenis, bank.pk, stage, result.periods, impor_id)
            result.existing = result.valid - result.new
        cursor.execute(f"DROP TABLE {stage}")
    result.seconds_written = time.perf_counter() - started - result.seconds_staged
    if result.rejected is not None:
        result.rejected_file = result.rejected.content()
    if progress:
        progress(result)
    if refresh and not dry_run and result.new:
        for periode in Periode.objects.filter(pk__in=result.periods):
            refresh_after_import(periode)
    return result


def _outlets_only(cursor, bank, stage):
    """The rows whose outlet matches nothing, counted as the preview does (without its warnings)."""
    return bank_checks.Temuan(rows_without_outlet=bank_staging.rows_without_outlet(cursor, bank.pk, stage))


# --- jobs ----------------------------------------------------------------------------------------------------


def create_job(bank, jenis, uploaded, *, user, dry_run=True, skip_invalid=False):
    job = ImporBank(
        bank=bank,
        jenis=jenis,
        nama_berkas=uploaded.name,
        uji_coba=dry_run,
        lewati_tidak_valid=skip_invalid,
        dibuat_oleh=user,
    )
    job.berkas.save(uploaded.name, uploaded, save=False)
    job.save()
    return job


def job_on_same_file(job, *, user, dry_run, **fields):
    """A new waiting job on `job`'s stored file: a preview checked again, or the write of a preview."""
    return ImporBank.objects.create(
        bank=job.bank,
        jenis=job.jenis,
        berkas=job.berkas.name,
        nama_berkas=job.nama_berkas,
        uji_coba=dry_run,
        lewati_tidak_valid=job.lewati_tidak_valid,
        pratinjau=None if dry_run else job,
        dibuat_oleh=user,
        **fields,
    )


def run_job(job_id):
    """Run an ImporBank job once (a job no longer waiting is left alone), recording progress and outcome."""
    outcome = jobs.run_job(ImporBank, job_id, _import, related=["bank", "dibuat_oleh"])
    return outcome and outcome.result


def _import(job):
    def progress(result):
        # The heartbeat writes it on its own connection: this one streams the rows through one COPY,
        # inside the import's transaction.
        job.save_progress(baris_dibaca=result.rows_read, baris_valid=result.valid)

    result = import_file(
        job.bank,
        job.jenis,
        job.berkas.path,
        filename=job.nama_berkas,
        dry_run=job.uji_coba,
        skip_invalid=job.lewati_tidak_valid,
        progress=progress,
        refresh=False,  # afterwards, once the outcome is recorded: the rows are in whatever happens there
        impor_id=None if job.uji_coba else job.pk,
        allow_without_outlet=job.izinkan_tanpa_outlet,
    )
    job.baris_dibaca, job.baris_valid = result.rows_read, result.valid
    job.jumlah_tanpa_outlet = result.checks.rows_without_outlet
    job.outlet_tak_dikenal = result.checks.unknown_outlets
    if job.uji_coba:
        job.peringatan = result.checks.warnings
    job.baris_baru, job.baris_sudah_ada, job.jumlah_tidak_valid = result.new, result.existing, result.invalid
    job.kesalahan = [str(e) for e in result.errors[:200]]
    outcome = Outcome(JobStatus.SELESAI, "", result=result, rejected_rows=result.rejected_file)
    if result.refused_outlets:
        outcome.status = JobStatus.DITOLAK
        outcome.message = (
            f"{angka(result.checks.rows_without_outlet)} transaksi tidak cocok dengan e-warong, agen atau terminal "
            "mana pun; tidak ada data yang disimpan. Petakan terminalnya, atau pilih simpan tanpa outlet."
        )
    elif result.refused:
        outcome.status = JobStatus.DITOLAK
        outcome.message = (
            f"{angka(result.invalid)} baris tidak valid; tidak ada data yang disimpan. Perbaiki baris itu (unduh "
            "berkas baris yang ditolak), atau impor ulang dengan pilihan \u201clewati baris yang tidak valid\u201d "
            f"untuk menyimpan {angka(result.valid)} baris yang valid saja."
        )
    elif job.uji_coba:
        outcome.message = f"Pratinjau: {angka(result.new)} baris baru, {angka(result.existing)} sudah ada."
        if result.checks.rows_without_outlet:
            outcome.message += (
                f" {angka(result.checks.rows_without_outlet)} transaksi belum cocok dengan outlet mana pun."
            )
    else:
        outcome.message = f"{angka(result.new)} baris baru disimpan, {angka(result.existing)} sudah ada."
        outcome.audit = {
            "aksi": AuditLog.Aksi.IMPOR,
            "objek": f"penyaluran.{job.jenis}",
            "jumlah_baris": result.new,
            "keterangan": {
                "impor_bank": job.pk,
                "bank": job.bank.kode,
                "berkas": job.nama_berkas,
                "sudah_ada": result.existing,
                "tidak_valid": result.invalid,
                "tanpa_outlet": result.checks.rows_without_outlet,
                "peringatan_diterima": [w["kode"] for w in (job.pratinjau.peringatan if job.pratinjau else [])],
            },
        }
        if result.new:
            outcome.afterwards = lambda: _refresh(job, result.periods)
    return outcome


def _refresh(job, period_ids):
    """Rebuild what is derived from the periods written to; a failure is said on the job, whose rows stay in."""
    for periode in Periode.objects.filter(pk__in=period_ids).order_by("tahun", "bulan"):
        try:
            refresh_after_import(periode)
        except Exception as exc:
            logger.exception("ImporBank %s: refreshing %s failed", job.pk, periode)
            job.pesan += (
                f" Ringkasan realisasi dan sinyal risiko {periode} belum diperbarui ({exc.__class__.__name__}); "
                f"jalankan python manage.py perbarui_ringkasan {periode.tahun} {periode.bulan}."
            )
            job.save(update_fields=["pesan"])


# --- rollback ------------------------------------------------------------------------------------------------


def rollback(job, user):
    """Delete exactly the rows `job` wrote (rows that were already in before it carry their own import), in
    open periods only, audited; then rebuild the periods' summaries and signals. Returns the rows deleted."""
    model = Transaksi if job.jenis == ProfilKolomBank.Jenis.TRANSAKSI else Penyaluran
    with transaction.atomic():
        locked = ImporBank.objects.select_for_update().get(pk=job.pk)
        if locked.uji_coba or locked.status != JobStatus.SELESAI:
            raise ValidationError("Hanya impor yang sudah disimpan yang dapat dibatalkan.")
        if locked.dibatalkan_pada:
            raise ValidationError(f"Impor ini sudah dibatalkan pada {tanggal(locked.dibatalkan_pada, True)}.")
        rows = model._base_manager.filter(bank_id=job.bank_id, impor_id=job.pk)
        period_ids = set(rows.values_list("periode_id", flat=True).distinct())
        with connection.cursor() as cursor:
            if period_ids:
                bank_staging.lock_open_periods(cursor, period_ids)
        # Bank and periods as constants: PostgreSQL reads only those partitions. Nothing points at these rows and
        # no signal listens for them, so Django deletes them in one DELETE, not row by row.
        deleted, _by_model = model._base_manager.filter(
            bank_id=job.bank_id, periode_id__in=period_ids, impor_id=job.pk
        ).delete()
        locked.dibatalkan_pada = timezone.now()
        locked.dibatalkan_oleh = user
        locked.jumlah_dibatalkan = deleted
        locked.save(update_fields=["dibatalkan_pada", "dibatalkan_oleh", "jumlah_dibatalkan"])
        AuditLog.objects.create(
            pengguna=user,
            aksi=AuditLog.Aksi.UBAH,
            objek=f"penyaluran.{job.jenis}",
            jumlah_baris=deleted,
            keterangan={
                "batalkan_impor_bank": job.pk,
                "bank": job.bank.kode,
                "berkas": job.nama_berkas,
                "periode": sorted(period_ids),
            },
        )
    for periode in Periode.objects.filter(pk__in=period_ids).order_by("tahun", "bulan"):
        refresh_after_import(periode)
    return deleted


# --- terminals mapped from a preview -------------------------------------------------------------------------


def outlet_choices(job, user):
    """The preview's unknown outlet ids, and the bank's e-warong and agen `user` sees, to map them to."""
    from penyaluran.registri.models import Agen, EWarong

    ewarong = EWarong.objects.for_user(user).filter(bank=job.bank).values_list("kode", "nama")
    agen = Agen.objects.for_user(user).filter(bank=job.bank).values_list("kode", "nama")
    outlets = [*(f"{kode} · {nama}" for kode, nama in ewarong), *(f"{kode} · {nama} (agen)" for kode, nama in agen)]
    return {"unknown": list(enumerate(job.outlet_tak_dikenal)), "outlets": sorted(outlets)}


def map_terminals(preview, data, unknown, *, user):
    """Register the terminals a user mapped on a preview page (`terminal_<i>` to `outlet_<i>`, an e-warong or
    agen code of the preview's bank), all or none. Returns how many were registered."""
    from penyaluran.registri.models import Agen, EWarong

    bank = preview.bank
    made, errors = [], []
    for key, terminal in data.items():
        if not key.startswith("terminal_"):
            continue
        chosen = (data.get(f"outlet_{key.removeprefix('terminal_')}") or "").split(" · ")[0].strip()
        if not chosen:
            continue
        if terminal not in unknown:
            errors.append(f"Terminal {terminal} tidak ada di pratinjau ini.")
            continue
        ewarong = EWarong.objects.for_user(user).filter(kode=chosen, bank=bank).first()
        agen = None if ewarong else Agen.objects.for_user(user).filter(kode=chosen, bank=bank).first()
        if ewarong is None and agen is None:
            errors.append(f"Terminal {terminal}: {chosen} bukan kode e-warong atau agen bank {bank.kode}.")
            continue
        last_end = (
            TerminalEdc.objects.filter(bank=bank, terminal=terminal)
            .exclude(berlaku_sampai=None)
            .order_by("-berlaku_sampai")
            .values_list("berlaku_sampai", flat=True)
            .first()
        )
        registration = TerminalEdc(bank=bank, terminal=terminal, ewarong=ewarong, agen=agen,
                                   keterangan=f"Dipetakan dari pratinjau impor #{preview.pk}")  # fmt: skip
        if last_end:
            registration.berlaku_dari = last_end + datetime.timedelta(days=1)
        try:
            registration.full_clean()
        except ValidationError as exc:
            errors.append(f"Terminal {terminal}: {' '.join(exc.messages)}")
            continue
        made.append(registration)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        for registration in made:
            registration.save()
        if made:
            AuditLog.objects.create(
                pengguna=user,
                aksi=AuditLog.Aksi.UBAH,
                objek="penyaluran.terminaledc",
                jumlah_baris=len(made),
                keterangan={
                    "impor_bank": preview.pk,
                    "bank": bank.kode,
                    "terminal": {r.terminal: (r.ewarong or r.agen).kode for r in made},
                },
            )
    return len(made)
