"""Celery tasks of reports: each takes an id (or nothing, on schedule) and calls a plain function."""

from celery import shared_task
from django.conf import settings
from django.db import InterfaceError, OperationalError

from monev.laporan import jadwal, jobs
from tikor.jobs import JOB_TASK

# Retried only when the database is out of reach as the task starts (the job is not claimed yet); any other
# failure is the job's own, recorded on it with a readable reason.
TRANSIENT_RETRY = {
    "autoretry_for": (OperationalError, InterfaceError),
    "retry_backoff": 5,
    "retry_jitter": True,
    "max_retries": 3,
}


@shared_task(
    **JOB_TASK,
    **TRANSIENT_RETRY,
    soft_time_limit=settings.LAPORAN_SOFT_TIME_LIMIT,
    time_limit=settings.LAPORAN_TIME_LIMIT,
)
def buat_laporan(laporan_id):
    jobs.run(laporan_id)


@shared_task(**TRANSIENT_RETRY)
def laporan_bulanan():
    """On the 5th (django-celery-beat): the province's realisation report of the previous month."""
    laporan = jadwal.laporan_bulanan()
    return laporan.pk if laporan else None


@shared_task(**TRANSIENT_RETRY)
def ringkasan_tindak_lanjut():
    """Daily (django-celery-beat): each pendamping is told of their overdue corrective actions."""
    return jadwal.ringkasan_tindak_lanjut()
