"""Celery's autodiscovery imports this module; the tasks live with their layer."""

from penyaluran.distribusi.tasks import (  # noqa: F401
    hitung_rekonsiliasi_terbuka,
    refresh_distribusi,
    run_bank_import_job,
)
from penyaluran.registri.tasks import perbarui_ringkasan_registri, run_export_job, run_import_job  # noqa: F401
