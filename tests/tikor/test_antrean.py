"""CELERY_QUEUES_PER_KIND=1 sends each kind of work to its own queue (README, "Scaling beyond DKI"); off, one queue."""

import os
import subprocess
import sys

SCRIPT = """
import django
django.setup()
from tikor.celery import app
names = ["penyaluran.registri.tasks.run_import_job", "penyaluran.distribusi.tasks.run_bank_import_job",
         "penyaluran.registri.tasks.run_export_job", "monev.laporan.tasks.buat_laporan",
         "penyaluran.distribusi.tasks.hitung_rekonsiliasi", "tikor.tasks.periksa_pekerjaan"]
print(" ".join(app.amqp.router.route({}, name, (), {})["queue"].name for name in names))
"""


def queues(**env):
    environment = {k: v for k, v in os.environ.items() if k != "CELERY_QUEUES_PER_KIND"}
    environment.update(DJANGO_SETTINGS_MODULE="tikor.settings", SECRET_KEY="x", **env)
    out = subprocess.run([sys.executable, "-c", SCRIPT], env=environment, capture_output=True, text=True, check=True)
    return out.stdout.split()


def test_each_kind_has_its_queue_when_asked_and_one_queue_otherwise():
    assert queues(CELERY_QUEUES_PER_KIND="1") == ["impor", "impor", "ekspor", "laporan", "ringkasan", "celery"]
    assert set(queues()) == {"celery"}
