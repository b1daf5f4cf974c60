"""Housekeeping: jobs that never start are failed; old job files (full NIK) go. Dead workers: test_job_liveness."""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from penyaluran.distribusi.models import ImporBank
from penyaluran.registri.models import ExportJob, ImportJob
from tests.factories import bni
from tikor import tasks
from tikor.jobs import JobStatus

pytestmark = pytest.mark.django_db
NOW = timezone.now()


def ago(**delta):
    return NOW - datetime.timedelta(**delta)


def job(model=ImportJob, files=(), **fields):
    defaults = {ImportJob: {"jenis": "kpm"}, ImporBank: {"jenis": "transaksi", "bank": bni()}}
    created = model(**{**defaults.get(model, {}), **fields})
    for name, content in files:
        getattr(created, name).save(f"{model.__name__.lower()}-{name}.xlsx", ContentFile(content), save=False)
    if model is ExportJob:
        created.jenis, created.format, created.dibuat_oleh = "kpm", "xlsx", fields["dibuat_oleh"]
    created.save()
    return created


def test_a_job_waiting_a_day_is_failed_and_a_running_one_with_a_fresh_heartbeat_is_left_alone(settings):
    settings.JOB_STALE_SECONDS = 120
    busy = job(status=JobStatus.BERJALAN, mulai=ago(minutes=50), detak=timezone.now())
    lost = job(ImporBank, status=JobStatus.MENUNGGU, dikirim=ago(days=2))
    ImporBank.objects.filter(pk=lost.pk).update(dibuat=ago(days=2))
    queued = job(ImporBank, status=JobStatus.MENUNGGU, dikirim=timezone.now())

    tasks.periksa_pekerjaan()

    for each in (busy, lost, queued):
        each.refresh_from_db()
    assert (busy.status, lost.status, queued.status) == ("berjalan", "gagal", "menunggu")
    assert lost.pesan.startswith("Tidak pernah dimulai dalam sehari")
    assert lost.selesai is not None


def test_files_of_old_jobs_are_deleted_but_a_file_a_newer_job_uses_stays(settings, tmp_path, sekretariat):
    settings.MEDIA_ROOT, settings.JOB_FILES_KEEP_DAYS = tmp_path, 30
    old = job(files=[("berkas", b"a"), ("berkas_kesalahan", b"b")], status="selesai", selesai=ago(days=31))
    preview = job(files=[("berkas", b"c")], status="selesai", selesai=ago(days=40))
    saved = job(berkas=preview.berkas.name, status="selesai", selesai=ago(days=2))
    export = job(ExportJob, files=[("berkas", b"d")], status="gagal", selesai=ago(days=90), dibuat_oleh=sekretariat)
    recent = job(files=[("berkas", b"e")], status="selesai", selesai=ago(days=29))
    paths = {name: (tmp_path / j.berkas.name) for name, j in [("old", old), ("export", export), ("recent", recent)]}
    rejected = tmp_path / old.berkas_kesalahan.name

    tasks.rawat_pekerjaan()

    old.refresh_from_db()
    export.refresh_from_db()
    preview.refresh_from_db()
    assert (old.berkas.name, old.berkas_kesalahan.name, export.berkas.name) == ("", "", "")
    assert not paths["old"].exists()
    assert not rejected.exists()
    assert not paths["export"].exists()
    assert paths["recent"].exists()
    assert (tmp_path / saved.berkas.name).exists()  # the preview is old, the job that saved it is not
    assert preview.berkas.name == saved.berkas.name
    assert ImportJob.objects.count() == 4  # the rows stay: who imported what, when


def test_beat_checks_jobs_every_minute_and_deletes_old_files_every_hour(settings):
    from tikor.celery import app

    app.loader.import_default_modules()
    check = settings.CELERY_BEAT_SCHEDULE["periksa-pekerjaan"]
    files = settings.CELERY_BEAT_SCHEDULE["rawat-pekerjaan-impor-ekspor"]
    assert (check["task"], files["task"]) == ("tikor.tasks.periksa_pekerjaan", "tikor.tasks.rawat_pekerjaan")
    assert {check["task"], files["task"]} <= set(app.tasks)
    assert (check["schedule"], files["schedule"]) == (60, 3600)
