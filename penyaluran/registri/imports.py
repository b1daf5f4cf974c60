"""Registry import: one entry for the command, the import page, the admin and the Celery task.

`import_file` reads a KPM, e-warong, agen or penyedia file through the import engine
(penyaluran.importing.engine) as one of the registry's kinds (registri.kinds). `run_job` runs an
ImportJob once through the core's job runner, recording progress and outcome on the job row.
"""

import hashlib

from django.core.files.base import ContentFile

from penyaluran.importing import engine
from penyaluran.registri import summary
from penyaluran.registri.hooks import registri_diperbarui
from penyaluran.registri.kinds import KINDS
from penyaluran.registri.models import ImportJob
from tikor import jobs
from tikor.formatting import angka
from tikor.jobs import JobStatus, Outcome
from tikor.models import AuditLog
from tikor.nik import mask_nik, may_see_full_numbers


def import_file(kind, path, **options):
    """Check `path` as a file of the registry kind named `kind` and, unless a dry run or refused, write it.

    Returns an engine.ImportResult; the options are engine.import_file's.
    """
    result = engine.import_file(KINDS[kind], path, **options)
    if result.written:
        summary.refresh()  # the registry counts pages read (registri.summary)
        registri_diperbarui.send(sender=KINDS[kind].model, kind=kind)
    return result


def file_checksum(path):
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


# -- jobs ----------------------------------------------------------------------------------------------------

PROGRESS_FIELDS = {"read": "baris_dibaca", "validated": "baris_divalidasi", "written": "baris_ditulis"}


def run_job(job_id):
    """Run an ImportJob exactly once; a job already started or finished is left alone. Returns the result."""
    outcome = jobs.run_job(ImportJob, job_id, _import, related=["dibuat_oleh"])
    return outcome and outcome.result


def _import(job):
    result = import_file(
        job.jenis,
        job.berkas.path,
        filename=job.nama_berkas,
        dry_run=job.uji_coba,
        skip_invalid=job.lewati_tidak_valid,
        user=job.dibuat_oleh,
        reason=f"Impor #{job.pk} {job.nama_berkas}",
        progress=lambda **counts: job.save_progress(**{PROGRESS_FIELDS[k]: v for k, v in counts.items()}),
        complete=job.registri_lengkap,
        mask_key=_key_mask(job),
    )
    a = result.analysis
    job.baris_dibaca = job.baris_divalidasi = result.rows_read
    job.baris_ditulis = result.written
    job.jumlah_baru, job.jumlah_berubah, job.jumlah_sama = a.new, a.changed, a.unchanged
    job.jumlah_tidak_valid, job.jumlah_tidak_ada = result.invalid, a.missing
    job.ringkasan = result.summary()
    if result.missing_file:
        name = f"{job.nama_berkas.rsplit('.', 1)[0]}-tidak-ada-di-file-{job.pk}.xlsx"
        job.berkas_tidak_ada.save(name, ContentFile(result.missing_file), save=False)
    outcome = Outcome(JobStatus.SELESAI, "", result=result, rejected_rows=result.rejected_file)
    if result.refused:
        outcome.status = JobStatus.DITOLAK
        outcome.message = (
            f"{angka(result.invalid)} baris tidak valid; tidak ada data yang disimpan. Perbaiki baris itu (unduh "
            "berkas baris yang ditolak), atau unggah lagi dengan pilihan \u201clewati baris yang tidak valid\u201d "
            f"untuk menyimpan {angka(result.rows_read - result.invalid)} baris yang valid saja."
        )
    elif job.uji_coba:
        outcome.message = "Pratinjau selesai; belum ada data yang disimpan."
    else:
        outcome.message = f"{angka(result.written)} baris disimpan ({angka(a.new)} baru, {angka(a.changed)} berubah)."
        outcome.audit = {
            "aksi": AuditLog.Aksi.IMPOR,
            "objek": KINDS[job.jenis].model._meta.label_lower,
            "jumlah_baris": result.written,
            "keterangan": {
                "impor": job.pk,
                "berkas": job.nama_berkas,
                "checksum": job.checksum,
                "baru": a.new,
                "berubah": a.changed,
                "tidak_valid": result.invalid,
            },
        }
    return outcome


def _key_mask(job):
    """How the rows missing from the file name their NIK: masked unless the job's user may see it whole."""
    user = job.dibuat_oleh
    if KINDS[job.jenis].key == "nik" and not may_see_full_numbers(user):
        return mask_nik
    return None


def create_job(kind, uploaded, *, user, dry_run=True, skip_invalid=False, complete=False, preview=None):
    """Store an uploaded file (or reuse the preview's) and a waiting job for it."""
    job = ImportJob(
        jenis=kind,
        uji_coba=dry_run,
        lewati_tidak_valid=skip_invalid,
        registri_lengkap=complete,
        dibuat_oleh=user,
        pratinjau=preview,
    )
    if preview is not None:
        job.berkas, job.nama_berkas, job.checksum = preview.berkas.name, preview.nama_berkas, preview.checksum
    else:
        job.nama_berkas = uploaded.name.rsplit("/", 1)[-1][:255]
        job.berkas.save(job.nama_berkas, uploaded, save=False)
        job.checksum = file_checksum(job.berkas.path)
    job.save()
    return job
