"""Celery's autodiscovery imports this module; the tasks live with their layer."""

from penyaluran.distribusi.tasks import refresh_distribusi, run_bank_import_job  # noqa: F401
from penyaluran.registri.tasks import run_export_job, run_import_job  # noqa: F401
