"""Hourly housekeeping of every background job (Celery beat runs tikor.tasks.rawat_pekerjaan).

A job whose worker died (killed, restarted, out of memory) stays "berjalan" for ever and the page keeps
polling; one whose message was lost stays "menunggu". Both are marked failed with a reason the user can
act on. Files of jobs finished more than JOB_FILES_KEEP_DAYS ago (uploads, rejected rows, exports: full
NIK in all of them) are deleted; the job rows stay, as the record of who imported or exported what.
"""

import datetime
import logging

from django.apps import apps
from django.conf import settings
from django.db.models import FileField, Q
from django.utils import timezone

from tikor.jobs import JobStatus, Pekerjaan

logger = logging.getLogger(__name__)

NEVER_STARTED = datetime.timedelta(days=1)


def job_models():
    """Every concrete job model of every app: the core knows them only as kinds of Pekerjaan."""
    return [model for model in apps.get_models() if issubclass(model, Pekerjaan)]


def fail_stuck_jobs(now=None):
    """Mark failed the jobs running longer than the task time limit allows, or waiting for a day."""
    now = now or timezone.now()
    limit = datetime.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT) + datetime.timedelta(minutes=10)
    minutes = int(limit.total_seconds() // 60)
    failed = 0
    for model in job_models():
        failed += model.objects.filter(status=JobStatus.BERJALAN, mulai__lt=now - limit).update(
            status=JobStatus.GAGAL,
            selesai=now,
            pesan=(
                f"Dihentikan otomatis: berjalan lebih dari {minutes} menit tanpa selesai (pekerja latar "
                "berhenti atau dimulai ulang). Tidak ada data yang tersimpan sebagian; jalankan ulang."
            ),
        )
        failed += model.objects.filter(status=JobStatus.MENUNGGU, dibuat__lt=now - NEVER_STARTED).update(
            status=JobStatus.GAGAL,
            selesai=now,
            pesan="Tidak pernah dimulai dalam sehari: antrean pekerjaan tidak berjalan. Unggah atau minta ulang.",
        )
    return failed


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
    failed, deleted = fail_stuck_jobs(), delete_old_files()
    if failed or deleted:
        logger.info("Housekeeping: %s stuck jobs failed, %s old job files deleted.", failed, deleted)
    return failed, deleted
