"""Celery tasks of the registry: each takes a job id and calls the plain function that does the work."""

from celery import shared_task

from penyaluran.registri import exports, imports
from tikor.jobs import JOB_TASK


@shared_task(**JOB_TASK)
def run_import_job(job_id):
    imports.run_job(job_id)


@shared_task(**JOB_TASK)
def run_export_job(job_id):
    exports.run_export_job(job_id)
