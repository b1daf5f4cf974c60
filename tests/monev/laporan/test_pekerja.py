"""A real worker on Redis builds a report end to end; a report whose worker died runs again, then fails."""

import datetime
import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.utils import timezone

from monev.laporan import jobs
from monev.models import Laporan
from tikor import housekeeping
from tikor.celery import app
from tikor.models import Wilayah

JUNI = datetime.date(2021, 6, 1)


@pytest.mark.celery_worker
@pytest.mark.skipif(not settings.REDIS_URL, reason="REDIS_URL is not set: Celery runs eagerly without a broker")
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_builds_a_report_end_to_end(sekretariat, distribusi, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    assert not app.conf.task_always_eager
    laporan = jobs.ask(Laporan.Jenis.REALISASI, JUNI, Wilayah.objects.get(kode="31"), user=sekretariat)
    assert Laporan.objects.get(pk=laporan.pk).dikirim is not None  # handed to Redis, waiting

    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            laporan.refresh_from_db()
            if laporan.selesai_berjalan:
                break
            time.sleep(0.2)

    assert (laporan.status, laporan.persen) == ("selesai", 100), laporan.pesan
    assert laporan.ringkasan["jumlah_disalurkan"] == 1_600_000
    assert laporan.berkas_xlsx.storage.exists(laporan.berkas_xlsx.name)


@pytest.mark.django_db
def test_a_report_whose_worker_died_runs_again_then_fails(sekretariat, settings, monkeypatch):
    sent = []
    monkeypatch.setattr("tikor.jobs.send_now", lambda model, pk: sent.append(pk) or True)
    settings.JOB_STALE_SECONDS, settings.JOB_MAX_ATTEMPTS = 120, 2
    silent = timezone.now() - datetime.timedelta(minutes=5)
    laporan = Laporan.objects.create(
        jenis="monev", bulan=datetime.date(2026, 10, 1), wilayah_id="31", dibuat_oleh=sekretariat,
        status="berjalan", mulai=silent, detak=silent, percobaan=1, pekerja="host-lain:123",
    )  # fmt: skip

    housekeeping.check_jobs()

    laporan.refresh_from_db()
    assert (laporan.status, sent) == ("menunggu", [laporan.pk])
    assert "dijalankan ulang otomatis, percobaan ke-2" in laporan.pesan

    Laporan.objects.filter(pk=laporan.pk).update(status="berjalan", percobaan=2, detak=silent)
    housekeeping.check_jobs()

    laporan.refresh_from_db()
    assert laporan.status == "gagal"
    assert laporan.pesan.startswith("Pekerja latar berhenti di tengah jalan")
