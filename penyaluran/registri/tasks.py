"""Celery tasks of the registry: each takes a job id and calls the plain function that does the work."""

from celery import shared_task

from penyaluran.registri import exports, imports


@shared_task(acks_late=False)
def run_import_job(job_id):
    # acks_late off: a worker killed mid-import must not hand the same job to another worker;
    # run_job refuses a job that is no longer waiting anyway.
    imports.run_job(job_id)


@shared_task(acks_late=False)
def run_export_job(job_id):
    exports.run_export_job(job_id)
