"""Jobs never hang: a dead worker is seen by its silent heartbeat, a re-runnable job runs again elsewhere, a
write is failed and can be saved again from its preview, and a job queued while the broker is down is sent
once it is back."""

import datetime
import os
import signal
import subprocess
import sys
import time

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from penyaluran.registri import imports
from penyaluran.registri.models import ExportJob, ImportJob, Kpm
from tests.conftest import client_for
from tests.factories import eager_tasks, make_nik, make_no_kk
from tests.registry_files import write_csv, write_xlsx
from tikor import housekeeping, jobs
from tikor.celery import app
from tikor.jobs import JobStatus

NOW = timezone.now()
KPM_HEADER = ["NIK", "NO KK", "NAMA", "KELURAHAN", "BANK"]


def kpm_rows(count, first=0):
    """`count` KPM of Gambir with distinct NIK (a serial and a birth date per row)."""
    born = datetime.date(1970, 1, 1)
    return [
        [make_nik(serial=1 + i % 9999, born=born + datetime.timedelta(days=i // 9999)), make_no_kk(serial=1 + i % 9999),
         f"KPM {i}", "Gambir", "BNI"]
        for i in range(first, first + count)
    ]  # fmt: skip


@pytest.fixture
def sent(monkeypatch):
    """The jobs handed to the broker, instead of a broker."""
    handed = []
    monkeypatch.setattr(jobs, "send_now", lambda model, pk: handed.append((model, pk)) or True)
    return handed


@pytest.mark.django_db
def test_a_silent_preview_runs_again_and_a_silent_write_fails_with_a_reason(sekretariat, settings, sent):
    settings.JOB_STALE_SECONDS, settings.JOB_MAX_ATTEMPTS = 120, 2
    old = NOW - datetime.timedelta(minutes=3)
    running = {"status": JobStatus.BERJALAN, "mulai": old, "detak": old, "percobaan": 1}
    preview = ImportJob.objects.create(jenis="kpm", uji_coba=True, dibuat_oleh=sekretariat, **running)
    write = ImportJob.objects.create(jenis="kpm", uji_coba=False, dibuat_oleh=sekretariat, **running)
    export = ExportJob.objects.create(
        jenis="kpm", format="xlsx", dibuat_oleh=sekretariat, **{**running, "percobaan": 2}
    )
    alive = ImportJob.objects.create(jenis="kpm", dibuat_oleh=sekretariat, **{**running, "detak": NOW})

    assert housekeeping.check_jobs(NOW) == (1, 2, 0)

    for job in (preview, write, export, alive):
        job.refresh_from_db()
    assert (preview.status, write.status, export.status, alive.status) == ("menunggu", "gagal", "gagal", "berjalan")
    assert sent == [(ImportJob, preview.pk)]
    assert "dijalankan ulang otomatis, percobaan ke-2" in preview.pesan
    assert write.pesan.startswith("Pekerja latar berhenti di tengah jalan (terakhir terlihat ")
    assert write.pesan.endswith("simpan ulang dari pratinjaunya: baris yang sudah tersimpan tidak ditulis dua kali.")
    assert export.pesan.endswith("Tidak ada data yang tersimpan sebagian; jalankan ulang.")
    assert write.selesai is not None


@pytest.mark.django_db
def test_jobs_the_broker_never_took_are_sent_by_the_check(sekretariat, sent):
    never = ImportJob.objects.create(jenis="kpm", dibuat_oleh=sekretariat, pesan=jobs.QUEUE_DOWN)
    ImportJob.objects.create(jenis="kpm", dibuat_oleh=sekretariat)  # just queued: its page sends it
    taken = ImportJob.objects.create(jenis="kpm", dibuat_oleh=sekretariat, dikirim=NOW)
    lost = ImportJob.objects.create(jenis="kpm", dibuat_oleh=sekretariat, dikirim=NOW - datetime.timedelta(hours=1))
    ImportJob.objects.filter(pk__in=[never.pk, taken.pk, lost.pk]).update(dibuat=NOW - datetime.timedelta(hours=2))

    housekeeping.check_jobs(NOW)

    # Not the one its page is sending, nor the one the broker has; the one sent an hour ago may be lost.
    assert sorted(pk for _model, pk in sent) == sorted([never.pk, lost.pk])


def reset_connections(app):
    """Make the app look up its pools again, so the next message goes to the broker_url of now. kombu keeps one
    pool per broker address for the whole process: the pools are forgotten here, never closed, as later tests
    (and their producers) still use the one of the real broker."""
    app._pool = None
    app.amqp._producer_pool = None


@pytest.mark.django_db
def test_with_the_broker_down_an_upload_is_kept_and_waits_with_a_message(
    client, sekretariat, tmp_path, settings, django_capture_on_commit_callbacks
):
    from tikor.celery import app

    settings.MEDIA_ROOT = tmp_path
    path = write_csv(tmp_path / "kpm.csv", [KPM_HEADER, *kpm_rows(3)])
    eager, url = app.conf.task_always_eager, app.conf.broker_url
    app.conf.task_always_eager, app.conf.broker_url = False, "redis://127.0.0.1:1/0"  # nothing listens there
    reset_connections(app)
    try:
        client_for(client, sekretariat)
        started = time.monotonic()
        with django_capture_on_commit_callbacks(execute=True):
            upload = SimpleUploadedFile("kpm.csv", path.read_bytes())
            response = client.post(reverse("penyaluran:impor"), {"jenis": "kpm", "berkas": upload})
        took = time.monotonic() - started
        response = client.get(response.url)
    finally:
        app.conf.task_always_eager, app.conf.broker_url = eager, url
        reset_connections(app)

    job = ImportJob.objects.get()
    assert response.status_code == 200
    assert (job.status, job.pesan, job.dikirim) == (JobStatus.MENUNGGU, jobs.QUEUE_DOWN, None)
    assert job.berkas.read() == path.read_bytes()
    assert "layanan antrean pekerjaan sedang tidak dapat dihubungi" in response.content.decode()
    print(f"queueing with the broker down answered in {took:.2f} s")

    # The broker is back (a worker in this process here): the minute check sends the job, and it runs.
    ImportJob.objects.filter(pk=job.pk).update(dibuat=timezone.now() - datetime.timedelta(minutes=1))
    with eager_tasks():
        housekeeping.check_jobs()

    job.refresh_from_db()
    assert (job.status, job.pesan) == (JobStatus.SELESAI, "Pratinjau selesai; belum ada data yang disimpan.")
    assert job.dikirim is not None


@pytest.mark.django_db
def test_a_failed_write_saved_again_from_the_same_preview_writes_its_rows_once(
    client, sekretariat, tmp_path, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    rows = kpm_rows(5)
    path = write_csv(tmp_path / "kpm.csv", [KPM_HEADER, *rows])
    client_for(client, sekretariat)
    upload = SimpleUploadedFile("kpm.csv", path.read_bytes())
    with eager_tasks(), django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("penyaluran:impor"), {"jenis": "kpm", "berkas": upload})
    preview = ImportJob.objects.get()
    assert preview.status == JobStatus.SELESAI

    run = imports.import_file
    broken = {"once": True}

    def fails_once(*args, **kwargs):
        if not kwargs.get("dry_run", True) and broken.pop("once", False):
            raise ConnectionResetError("the database went away mid-write")
        return run(*args, **kwargs)

    monkeypatch.setattr(imports, "import_file", fails_once)
    simpan = reverse("penyaluran:impor_simpan", args=[preview.pk])
    with eager_tasks(), django_capture_on_commit_callbacks(execute=True):
        client.post(simpan)
    failed = ImportJob.objects.get(pratinjau=preview)
    assert failed.status == JobStatus.GAGAL
    assert "nomor insiden" in failed.pesan
    assert Kpm.objects.count() == 0

    with eager_tasks(), django_capture_on_commit_callbacks(execute=True):
        response = client.post(simpan)
    with eager_tasks(), django_capture_on_commit_callbacks(execute=True):
        again = client.post(simpan, follow=True)  # a third click: the preview is saved already

    saved = ImportJob.objects.filter(pratinjau=preview).exclude(pk=failed.pk).get()
    with eager_tasks(), django_capture_on_commit_callbacks(execute=True):
        rerun = client.post(reverse("penyaluran:impor_ulang", args=[failed.pk]), follow=True)
    failed.refresh_from_db()
    assert f"Pratinjau ini sudah disimpan: impor registri #{saved.pk}." in rerun.content.decode()
    assert failed.status == JobStatus.GAGAL  # the failed write stays failed: its preview is written
    assert response.url == reverse("penyaluran:impor_detail", args=[saved.pk])
    assert (saved.status, saved.baris_ditulis) == (JobStatus.SELESAI, 5)
    assert Kpm.objects.count() == 5
    assert ImportJob.objects.filter(pratinjau=preview).count() == 2
    assert "Pratinjau ini sudah disimpan" in again.content.decode()


@pytest.mark.django_db
def test_a_failed_job_runs_again_from_its_page_and_the_rerun_is_audited(
    client, sekretariat, tmp_path, settings, sent, django_capture_on_commit_callbacks
):
    from tikor.models import AuditLog

    settings.MEDIA_ROOT = tmp_path
    job = ExportJob.objects.create(
        jenis="kpm", format="xlsx", dibuat_oleh=sekretariat, status=JobStatus.GAGAL, pesan="x"
    )
    client_for(client, sekretariat)

    page = client.get(reverse("penyaluran:ekspor_detail", args=[job.pk])).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("penyaluran:ekspor_ulang", args=[job.pk]))

    job.refresh_from_db()
    assert "Jalankan ulang" in page
    assert (job.status, job.pesan, job.selesai) == (JobStatus.MENUNGGU, "", None)
    assert sent == [(ExportJob, job.pk)]
    assert AuditLog.objects.get().keterangan == {"jalankan_ulang": job.pk, "pesan_sebelumnya": "x"}


@pytest.mark.django_db
def test_temporary_files_of_a_job_stay_in_its_folder_and_go_with_it(sekretariat, tmp_path, settings, monkeypatch):
    import tempfile

    from penyaluran.registri import exports

    settings.MEDIA_ROOT = tmp_path
    job = ExportJob.objects.create(jenis="kpm", format="xlsx", dibuat_oleh=sekretariat)
    seen = {}

    def write_and_crash(kind, queryset, user, target, progress=None):
        with tempfile.NamedTemporaryFile(delete=False) as scratch:  # as XlsxWriter's constant-memory sheets do
            scratch.write(b"NIK lengkap")
        seen["scratch"] = scratch.name
        raise MemoryError

    monkeypatch.setattr(exports, "write_xlsx", write_and_crash)

    exports.run_export_job(job.pk)

    job.refresh_from_db()
    assert os.path.dirname(seen["scratch"]) == job.folder
    assert job.folder.startswith(str(tmp_path / "pekerjaan"))
    assert not os.path.exists(job.folder)
    assert job.status == JobStatus.GAGAL
    assert "memerlukan memori lebih dari batas pekerja latar" in job.pesan
    assert tempfile.gettempdir() != job.folder  # the process's own folder is back


@pytest.mark.django_db
def test_the_check_sweeps_folders_of_jobs_whose_process_died(sekretariat, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    dead = ExportJob.objects.create(jenis="kpm", format="xlsx", dibuat_oleh=sekretariat, status=JobStatus.GAGAL)
    running = ExportJob.objects.create(
        jenis="kpm", format="xlsx", dibuat_oleh=sekretariat, status=JobStatus.BERJALAN, detak=timezone.now()
    )
    for job in (dead, running):
        os.makedirs(job.folder)
        (open(os.path.join(job.folder, "lembar.xml"), "w")).close()

    housekeeping.check_jobs()

    assert not os.path.exists(dead.folder)
    assert os.path.exists(running.folder)


@pytest.mark.django_db(transaction=True)
def test_a_running_bank_job_and_its_page_survive_a_cache_outage(client, sekretariat, tmp_path, settings):
    from penyaluran.distribusi.models import ImporBank
    from tests.factories import bni

    settings.MEDIA_ROOT = tmp_path
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}
    }
    job = ImporBank.objects.create(
        bank=bni(), jenis="transaksi", nama_berkas="trx.csv", status=JobStatus.BERJALAN, baris_dibaca=400000
    )

    job.save_progress(baris_dibaca=400001, baris_valid=400001)
    page = client_for(client, sekretariat).get(reverse("distribusi:impor_bank_detail", args=[job.pk]))

    assert page.status_code == 200
    assert "400.001" in page.content.decode()


# --- with a real worker on Redis --------------------------------------------------------------------------------


def start_worker_process(tmp_path):
    """A prefork Celery worker in its own process group, on this test's database and media folder."""
    db = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        "REDIS_URL": settings.REDIS_URL,
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "JOB_HEARTBEAT_SECONDS": "0.5",
        "IMPORT_WORKERS": "1",
    }
    log = open(tmp_path / f"worker-{time.monotonic_ns()}.log", "w")  # noqa: SIM115 - the process owns it
    queue = app.conf.task_default_queue  # this test process's own queue under pytest-xdist (tests/conftest.py)
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "tikor", "worker", "-P", "prefork", "-c", "1", "-l", "info",
         "-Q", queue, "--without-gossip", "--without-mingle", "--without-heartbeat"],
        env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip


def stop(worker):
    os.killpg(worker.pid, signal.SIGKILL)
    worker.wait(timeout=20)


def wait_for(model, pk, condition, timeout=120):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = model.objects.get(pk=pk)
        if condition(job):
            return job
        time.sleep(0.05)
    raise AssertionError(f"{model.__name__} {pk} still {job.status} ({job.pesan}) after {timeout} s")


@pytest.mark.celery_worker
@pytest.mark.skipif(not settings.REDIS_URL, reason="REDIS_URL is not set: Celery runs eagerly without a broker")
@pytest.mark.django_db(transaction=True)
def test_a_killed_worker_process_hands_its_export_and_preview_to_another_run(sekretariat, tmp_path, settings):
    from tikor.celery import app

    settings.MEDIA_ROOT, settings.JOB_STALE_SECONDS = tmp_path, 3
    app.control.purge()
    rows = kpm_rows(20000)
    imports.import_file("kpm", write_csv(tmp_path / "kpm.csv", [KPM_HEADER, *rows]), dry_run=False)
    assert Kpm.objects.count() == 20000
    big = write_xlsx(tmp_path / "kpm-besar.xlsx", [KPM_HEADER, *rows, *kpm_rows(20000, first=20000)])
    worker = start_worker_process(tmp_path)
    try:
        # Mid-export, the process running it is killed (as the OOM killer does): the message comes back to
        # the queue and the worker's next process takes the job over and finishes it.
        export = ExportJob.objects.create(jenis="kpm", format="xlsx", dibuat_oleh=sekretariat)
        jobs.send_now(ExportJob, export.pk)
        running = wait_for(ExportJob, export.pk, lambda j: j.status == JobStatus.BERJALAN)
        os.kill(int(running.pekerja.rsplit(":", 1)[1]), signal.SIGKILL)
        export = wait_for(ExportJob, export.pk, lambda j: j.selesai_berjalan)
        assert (export.status, export.percobaan, export.jumlah_baris) == (JobStatus.SELESAI, 2, 20000)
        assert not os.path.exists(export.folder)  # the killed run's temporary files went with its folder

        # Mid-preview, the whole worker is killed. The heartbeat stops; the minute check runs the preview again
        # on the worker that replaces it.
        preview = imports.create_job(
            "kpm", SimpleUploadedFile("kpm-besar.xlsx", big.read_bytes()), user=sekretariat, dry_run=True
        )
        jobs.send_now(ImportJob, preview.pk)
        wait_for(ImportJob, preview.pk, lambda j: j.status == JobStatus.BERJALAN and j.baris_dibaca > 0)
        stop(worker)
        killed_at = time.monotonic()
        worker = start_worker_process(tmp_path)
        wait_for(ImportJob, preview.pk, lambda j: (housekeeping.check_jobs() and False) or j.percobaan == 2, 60)
        seen_dead_after = time.monotonic() - killed_at
        preview = wait_for(ImportJob, preview.pk, lambda j: j.selesai_berjalan)
        assert (preview.status, preview.percobaan, preview.baris_dibaca) == (JobStatus.SELESAI, 2, 40000)
        assert seen_dead_after < 5 * 60
        print(f"dead worker seen and the preview sent again after {seen_dead_after:.1f} s")
    finally:
        stop(worker)


def _heartbeat_counts_as_no_other_thread():
    """In a forked child, where no thread of the test run exists: exit 0 when the cap applies beside a job's
    heartbeat and not beside another thread."""
    import threading

    from penyaluran.importing import parallel
    from tikor.jobs import Heartbeat

    class Idle(Heartbeat):
        def run(self):
            self.stopped.wait(10)

    beat = Idle(ImportJob(pk=1))
    beat.start()
    beside_heartbeat = parallel._single_threaded()
    server = threading.Thread(target=beat.stopped.wait, args=(10,))
    server.start()
    beside_server = parallel._single_threaded()
    beat.stopped.set()
    os._exit(0 if beside_heartbeat and not beside_server else 1)


def test_the_memory_cap_of_a_check_counts_the_job_heartbeat_as_no_other_thread():
    """A worker process runs the job's heartbeat beside the work; the cap must still apply there, and not in a
    threaded web server."""
    import multiprocessing

    child = multiprocessing.get_context("fork").Process(target=_heartbeat_counts_as_no_other_thread)
    child.start()
    child.join(30)

    assert child.exitcode == 0
