"""A big import through the page runs in a real Celery worker on Redis while the progress endpoint advances."""

import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from penyaluran.importing import engine
from penyaluran.importing.checks import RowChecker
from penyaluran.registri.models import ImportJob, Kpm
from tests.conftest import client_for
from tests.factories import make_nik, make_no_kk
from tests.registry_files import write_xlsx
from tikor.celery import app

pytestmark = [
    pytest.mark.celery_worker,
    pytest.mark.skipif(not settings.REDIS_URL, reason="REDIS_URL is not set: Celery runs eagerly without a broker"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

ROWS = 3000


def poll(client, job_id, seen, until, timeout=60):
    url = reverse("penyaluran:impor_progres", args=[job_id])
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = client.get(url).context["job"]
        seen.append((job.status, job.baris_dibaca))
        if job.status in until:
            return job
        time.sleep(0.05)
    raise AssertionError(f"job {job_id} still {seen[-1]} after {timeout} s")


def test_a_big_import_runs_in_a_worker_and_its_progress_advances(client, sekretariat, tmp_path, monkeypatch):
    assert not app.conf.task_always_eager
    rows = [
        [make_nik(serial=1 + i % 9999, kelurahan_kode="31.71.01.1001" if i < 9999 else "31.71.07.1001"),
         make_no_kk(serial=1 + i % 9999), f"KPM {i}", "Gambir" if i < 9999 else "Gelora", "BNI"]
        for i in range(ROWS)
    ]  # fmt: skip
    path = write_xlsx(tmp_path / "kpm-besar.xlsx", [["NIK", "NO KK", "NAMA", "KELURAHAN", "BANK"], *rows])
    # The worker runs in this process: report often and check slowly enough for the polls to see it move.
    monkeypatch.setattr(engine, "PROGRESS_EVERY", 250)
    check = RowChecker.check
    monkeypatch.setattr(RowChecker, "check", lambda self, *a: (time.sleep(0.0005), check(self, *a))[1])
    client_for(client, sekretariat)

    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=20):
        response = client.post(
            reverse("penyaluran:impor"),
            {"jenis": "kpm", "berkas": SimpleUploadedFile("kpm-besar.xlsx", path.read_bytes())},
        )
        seen = []
        preview = poll(client, response.url.split("/")[-2], seen, until={"selesai", "ditolak", "gagal"})
        assert (preview.status, preview.jumlah_baru, preview.jumlah_tidak_valid) == ("selesai", ROWS, 0)

        saved_response = client.post(reverse("penyaluran:impor_simpan", args=[preview.pk]))
        saved = poll(client, saved_response.url.split("/")[-2], [], until={"selesai", "gagal"})

    counts = [n for _status, n in seen]
    assert counts == sorted(counts)
    assert any(0 < n < ROWS for n in counts), f"no intermediate progress seen: {seen}"
    assert counts[-1] == ROWS
    assert (saved.status, saved.baris_ditulis) == ("selesai", ROWS)
    assert Kpm.objects.count() == ROWS
    assert ImportJob.objects.filter(status="selesai").count() == 2
