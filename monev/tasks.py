"""Celery's autodiscovery imports this module; the tasks live with their feature."""

from monev.laporan.tasks import buat_laporan, laporan_bulanan, ringkasan_tindak_lanjut  # noqa: F401
