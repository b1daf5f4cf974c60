"""Celery tasks of distribution: bank-file imports and the rebuild of a period's summaries."""

from celery import shared_task

from penyaluran.distribusi import bank_files, rekonsiliasi
from penyaluran.distribusi.models import Periode
from penyaluran.distribusi.periode import refresh_after_import
from tikor.jobs import JOB_TASK


@shared_task(**JOB_TASK)
def run_bank_import_job(job_id):
    bank_files.run_job(job_id)


@shared_task(acks_late=False)
def refresh_distribusi(periode_id):
    """Rebuild a period's realisation summary, risk signals and scores (after tuning thresholds, say)."""
    refresh_after_import(Periode.objects.get(pk=periode_id))


@shared_task(acks_late=False)
def hitung_rekonsiliasi_terbuka():
    """Nightly recount of the open periods' reconciliation (tikor settings' beat schedule)."""
    return rekonsiliasi.hitung_terbuka()


@shared_task(acks_late=False)
def hitung_rekonsiliasi(periode_id):
    """Recount one period's reconciliation (asked for on the reconciliation page)."""
    rekonsiliasi.hitung(Periode.objects.get(pk=periode_id))
