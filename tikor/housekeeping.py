"""Housekeeping of every background job.

Every minute (beat runs tikor.tasks.periksa_pekerjaan): a running job whose heartbeat stopped lost its
worker (killed, restarted, out of memory). A re-runnable one is queued again, up to JOB_MAX_ATTEMPTS runs;
any other is failed with a reason, and the user can run it again. A job running past its kind's time
limit is failed. A waiting job the broker never took (it
was down) is sent; one waiting a day is failed. Job folders and upload leftovers of dead processes go.

Every hour (tikor.tasks.rawat_pekerjaan): files of jobs finished more than JOB_FILES_KEEP_DAYS ago
(uploads, rejected rows, exports: full NIK in all of them) are deleted; the job rows stay, as the record
of who imported or exported what.
"""

import datetime
import logging
import os
import shutil
import time

from django.apps import apps
from django.conf import settings
from django.db.models import FileField, Q
from django.utils import timezone

from tikor import jobs
from tikor.jobs import JobStatus, Pekerjaan

logger = logging.getLogger(__name__)

NEVER_STARTED = datetime.timedelta(days=1)


def job_models():
    """Every concrete job model of every app: the core knows them only as kinds of Pekerjaan."""
    return [model for model in apps.get_models() if issubclass(model, Pekerjaan)]


def check_jobs(now=None):
    """The minute check: returns how many jobs were run again, failed and sent."""
    now = now or timezone.now()
    rerun, failed = recover_dead_jobs(now)
    failed += fail_overrun(now)
    sent = send_unsent_jobs(now)
    failed += fail_never_started(now)
    sweep_leftovers(now)
    if rerun or failed or sent:
        logger.info("Job check: %s run again, %s failed, %s sent.", rerun, failed, sent)
    return rerun, failed, sent


def recover_dead_jobs(now):
    """Running jobs silent for JOB_STALE_SECONDS: run again when they may be, else failed."""
    stale = now - datetime.timedelta(seconds=settings.JOB_STALE_SECONDS)
    rerun = failed = 0
    for model in job_models():
        silent = model.objects.filter(status=JobStatus.BERJALAN).filter(
            Q(detak__lt=stale) | Q(detak__isnull=True, mulai__lt=stale)
        )
        for job in silent:
            last_seen = timezone.localtime(job.detak or job.mulai)
            if job.rerunnable and job.percobaan < settings.JOB_MAX_ATTEMPTS:
                changed = model.objects.filter(pk=job.pk, status=JobStatus.BERJALAN, detak=job.detak).update(
                    status=JobStatus.MENUNGGU,
                    dikirim=None,
                    pesan=(
                        f"Pekerja latar berhenti di tengah jalan (terakhir terlihat {last_seen:%H.%M.%S} WIB); "
                        f"dijalankan ulang otomatis, percobaan ke-{job.percobaan + 1}."
                    ),
                )
                if changed:
                    _send(model, job.pk)  # not sent: it waits unsent, and the next check sends it
                    rerun += 1
                continue
            outcome = (
                "Tidak ada data yang tersimpan sebagian; jalankan ulang."
                if job.rerunnable
                else "Penyimpanan berjalan dalam satu transaksi, jadi datanya tersimpan seluruhnya atau tidak sama "
                "sekali; simpan ulang dari pratinjaunya: baris yang sudah tersimpan tidak ditulis dua kali."
            )
            failed += model.objects.filter(pk=job.pk, status=JobStatus.BERJALAN, detak=job.detak).update(
                status=JobStatus.GAGAL,
                selesai=now,
                pesan=f"Pekerja latar berhenti di tengah jalan (terakhir terlihat {last_seen:%H.%M.%S} WIB). {outcome}",
            )
    return rerun, failed


def fail_overrun(now):
    """Running jobs started longer ago than their kind's time limit: stuck (a query that never returns, a
    worker that lost its hard limit), even if a heartbeat still beats. Failed, with a reason; its files go
    with the folder sweep."""
    failed = 0
    for model in job_models():
        limit = model.time_limit()
        if not limit:
            continue
        started_before = now - datetime.timedelta(seconds=limit)
        minutes = max(1, round(limit / 60))
        failed += model.objects.filter(status=JobStatus.BERJALAN, mulai__lt=started_before).update(
            status=JobStatus.GAGAL,
            selesai=now,
            pesan=(
                f"Dihentikan: berjalan lebih dari batas waktu {minutes} menit. Tidak ada data yang tersimpan "
                "sebagian; jalankan ulang, atau persempit wilayah atau periodenya."
            ),
        )
    return failed


def send_unsent_jobs(now):
    """Waiting jobs the broker never took (it was down when they were queued), or took so long ago that the
    message may be lost (a Redis restarted without persistence): send them (again). A message delivered
    twice runs the job once: run_job claims only a waiting job."""
    settled = now - datetime.timedelta(seconds=30)  # a job queued this instant is being sent by its page
    lost = now - datetime.timedelta(seconds=settings.JOB_RESEND_SECONDS)
    sent = 0
    for model in job_models():
        waiting = model.objects.filter(status=JobStatus.MENUNGGU, dibuat__lt=settled)
        for pk in waiting.filter(Q(dikirim__isnull=True) | Q(dikirim__lt=lost)).values_list("pk", flat=True):
            if not _send(model, pk):
                break  # still down: the next check tries again
            sent += 1
    return sent


def _send(model, pk):
    """send_now, with an error of one job logged rather than stopping the check of the others."""
    try:
        return jobs.send_now(model, pk)
    except Exception:
        logger.exception("Job check: sending %s %s failed", model.__name__, pk)
        return False


def fail_never_started(now):
    failed = 0
    for model in job_models():
        failed += model.objects.filter(status=JobStatus.MENUNGGU, dibuat__lt=now - NEVER_STARTED).update(
            status=JobStatus.GAGAL,
            selesai=now,
            pesan="Tidak pernah dimulai dalam sehari: antrean pekerjaan tidak berjalan. Jalankan ulang.",
        )
    return failed


def sweep_leftovers(now):
    """Remove job folders whose job no longer runs, and uploads a dead web process left half-written."""
    root = os.path.join(settings.MEDIA_ROOT, "pekerjaan")
    running = {
        os.path.basename(job.folder)
        for model in job_models()
        for job in model.objects.filter(status=JobStatus.BERJALAN).only("pk")
    }
    for name in _listdir(root):
        if name not in running:
            shutil.rmtree(os.path.join(root, name), ignore_errors=True)
    cutoff = time.time() - 6 * 60 * 60  # no upload takes six hours
    for name in _listdir(settings.FILE_UPLOAD_TEMP_DIR):
        path = os.path.join(settings.FILE_UPLOAD_TEMP_DIR, name)
        if os.path.isfile(path) and os.path.getmtime(path) < cutoff:
            os.remove(path)


def _listdir(path):
    try:
        return os.listdir(path)
    except FileNotFoundError:
        return []


def delete_old_files(now=None):
    """Delete the files of jobs finished before the keep window; a file a newer job still uses stays."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=settings.JOB_FILES_KEEP_DAYS)
    finished = Q(selesai__lt=cutoff) & ~Q(status__in=[JobStatus.MENUNGGU, JobStatus.BERJALAN])
    deleted = 0
    for model in job_models():
        for field in (f for f in model._meta.concrete_fields if isinstance(f, FileField)):
            old = model.objects.filter(finished).exclude(**{field.name: ""})
            # A preview and the job that saves it share the uploaded file.
            in_use = set(model.objects.exclude(finished).values_list(field.name, flat=True))
            names = set(old.values_list(field.name, flat=True)) - in_use
            storage = field.storage
            for name in names:
                if storage.exists(name):
                    storage.delete(name)
                    deleted += 1
            old.filter(**{f"{field.name}__in": names}).update(**{field.name: ""})
    return deleted


def run():
    deleted = delete_old_files()
    if deleted:
        logger.info("Housekeeping: %s old job files deleted.", deleted)
    return deleted
