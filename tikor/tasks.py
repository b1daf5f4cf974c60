from celery import shared_task


@shared_task(ignore_result=False)
def ping(value="pong"):
    """Round trip through broker and worker, used by health checks and the worker test: the one task whose result
    is read (CELERY_TASK_IGNORE_RESULT)."""
    return value


@shared_task
def rawat_pekerjaan():
    """Hourly (beat): fail jobs whose worker died, delete files of old jobs. See tikor.housekeeping."""
    from tikor import housekeeping

    return housekeeping.run()


@shared_task
def periksa_pekerjaan():
    """Every minute (beat): jobs whose worker died run again or fail; jobs never sent are sent. See
    tikor.housekeeping.check_jobs."""
    from tikor import housekeeping

    return housekeeping.check_jobs()


@shared_task
def hapus_log_audit_lama():
    """Nightly (beat): delete audit rows older than AUDIT_RETENTION_DAYS. See tikor.audit.hapus_kedaluwarsa."""
    from tikor import audit

    return audit.hapus_kedaluwarsa()
