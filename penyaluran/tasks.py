"""Celery tasks of the registry: each takes a job id and calls the plain function that does the work."""

from celery import shared_task

from penyaluran import exports, imports


@shared_task(acks_late=False)
def run_import_job(job_id):
    # acks_late off: a worker killed mid-import must not hand the same job to another worker;
    # run_job refuses a job that is no longer waiting anyway.
    imports.run_job(job_id)


@shared_task(acks_late=False)
def run_export_job(job_id):
    exports.run_export_job(job_id)


@shared_task(acks_late=False)
def run_bank_import_job(job_id):
    # Bank files (issue 5): bank_files.run_job refuses a job that is no longer waiting.
    from penyaluran import bank_files

    bank_files.run_job(job_id)


@shared_task(acks_late=False)
def refresh_distribusi(periode_id):
    """Rebuild a period's realisation summary, risk signals and scores (after tuning thresholds, say)."""
    from penyaluran.distribusi import refresh_after_import
    from penyaluran.models import Periode

    refresh_after_import(Periode.objects.get(pk=periode_id))


@shared_task
def rawat_pekerjaan():
    """Hourly (beat): fail jobs whose worker died, delete files of old jobs. See penyaluran.housekeeping."""
    from penyaluran import housekeeping

    return housekeeping.run()
