"""Celery tasks of the registry: each takes a job id and calls the plain function that does the work."""

from celery import shared_task

from penyaluran.registri import exports, imports, summary
from tikor.jobs import JOB_TASK


@shared_task(**JOB_TASK)
def run_import_job(job_id):
    imports.run_job(job_id)


@shared_task(**JOB_TASK)
def run_export_job(job_id):
    exports.run_export_job(job_id)


@shared_task
def perbarui_ringkasan_registri():
    """Nightly rebuild of the registry counts, for writes that bypassed the receivers (tikor settings' beat)."""
    return summary.refresh()
