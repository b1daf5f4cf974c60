"""A worker killed (SIGKILL, the whole worker) in the middle of a registry write and of a report: the write ends
failed with a reason and wrote nothing, the report is run again by the minute check and finishes on the next
worker. Neither stays "berjalan".

To be sure both jobs are running when the worker dies, the test holds a lock on a table each of them reads; the
jobs have been claimed and their heartbeats beat while they wait for it.
"""

import datetime
import signal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from monev.laporan import jobs as laporan_jobs
from monev.models import Laporan, Pengaduan
from penyaluran.registri import imports
from penyaluran.registri.models import ImportJob, Kpm
from tests.faults.processes import database_url, environment, kill_group, start_worker, wait_for
from tests.tikor.test_job_liveness import KPM_HEADER, kpm_rows, reset_connections
from tikor import housekeeping, jobs
from tikor.celery import app
from tikor.jobs import JobStatus
from tikor.models import Wilayah


@pytest.fixture
def broker(private_redis):
    """This process sends its jobs to the private Redis."""
    eager, url = app.conf.task_always_eager, app.conf.broker_url
    app.conf.task_always_eager, app.conf.broker_url = False, private_redis.url
    reset_connections(app)
    yield private_redis
    app.conf.task_always_eager, app.conf.broker_url = eager, url
    reset_connections(app)


def locked(*models):
    """A connection of its own holding an exclusive lock on the models' tables until it rolls back."""
    import psycopg2

    db = connection.settings_dict
    holder = psycopg2.connect(dbname=db["NAME"], host=db["HOST"] or "127.0.0.1", port=db["PORT"] or 5432,
                              user=db["USER"])  # fmt: skip
    with holder.cursor() as cursor:
        for model in models:
            cursor.execute(f'LOCK TABLE "{model._meta.db_table}" IN ACCESS EXCLUSIVE MODE')
    return holder


def status_of(model, pk):
    return model.objects.values_list("status", flat=True).get(pk=pk)


@pytest.mark.django_db(transaction=True)
def test_a_killed_worker_leaves_no_job_running(sekretariat, broker, tmp_path, settings):
    settings.MEDIA_ROOT, settings.JOB_STALE_SECONDS = tmp_path / "media", 2
    csv = "\n".join(",".join(row) for row in [KPM_HEADER, *kpm_rows(300)]).encode()
    write = imports.create_job("kpm", SimpleUploadedFile("kpm.csv", csv), user=sekretariat, dry_run=False)
    env = environment(database_url(connection.settings_dict), settings.MEDIA_ROOT, redis_url=broker.url,
                      JOB_HEARTBEAT_SECONDS="0.5", IMPORT_WORKERS="1")  # fmt: skip
    log = open(tmp_path / "worker.log", "w")  # noqa: SIM115 - the processes own it
    holder = locked(Kpm, Pengaduan)
    worker = start_worker(env, log)
    try:
        jobs.send_now(ImportJob, write.pk)
        laporan = laporan_jobs.ask(
            Laporan.Jenis.PENGADUAN, datetime.date.today(), Wilayah.objects.get(pk="31.71"), user=sekretariat
        )
        wait_for(lambda: {status_of(ImportJob, write.pk), status_of(Laporan, laporan.pk)} == {"berjalan"}, 60,
                 "both jobs running")  # fmt: skip

        kill_group(worker, signal.SIGKILL)
        holder.rollback()
        # The minute check, run until both of the dead worker's heartbeats are JOB_STALE_SECONDS old: each job's
        # last beat has its own time, so one may be seen dead a round before the other.
        wait_for(
            lambda: (
                housekeeping.check_jobs()
                and "berjalan" not in (status_of(ImportJob, write.pk), status_of(Laporan, laporan.pk))
            ),
            20,
            "both seen dead",
        )

        write.refresh_from_db()
        assert write.status == JobStatus.GAGAL
        assert write.pesan.startswith("Pekerja latar berhenti di tengah jalan (terakhir terlihat ")
        assert not Kpm.objects.exists()  # all or nothing: the write's rows are not half there
        laporan.refresh_from_db()
        assert laporan.status == JobStatus.MENUNGGU  # sent again, to the worker that replaces the dead one
        assert "dijalankan ulang otomatis, percobaan ke-2" in laporan.pesan

        worker = start_worker(env, log)
        wait_for(lambda: status_of(Laporan, laporan.pk) in ("selesai", "gagal"), 60, "the report run again")
        laporan.refresh_from_db()
        assert (laporan.status, laporan.percobaan) == (JobStatus.SELESAI, 2), laporan.pesan
    finally:
        holder.close()
        kill_group(worker, signal.SIGKILL)
        log.close()
