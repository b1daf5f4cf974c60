"""The one job runner (tikor.jobs.run_job): a job runs once, and whatever goes wrong ends it with a reason."""

import logging
import re

import pytest
from django.core.exceptions import ValidationError

from penyaluran.registri import imports
from penyaluran.registri.models import ExportJob, ImportJob
from tikor.jobs import JobStatus, Outcome, run_job

pytestmark = pytest.mark.django_db


@pytest.fixture
def waiting(sekretariat):
    return ImportJob.objects.create(jenis="kpm", nama_berkas="kpm.xlsx", dibuat_oleh=sekretariat)


def test_an_unexpected_error_fails_the_job_with_one_indonesian_sentence_and_is_logged(waiting, caplog):
    def work(job):
        raise ZeroDivisionError("division by zero")

    with caplog.at_level(logging.ERROR, logger="tikor.jobs"):
        assert run_job(ImportJob, waiting.pk, work) is None

    waiting.refresh_from_db()
    assert waiting.status == JobStatus.GAGAL
    incident = re.fullmatch(
        rf"Impor registri #{waiting.pk} berhenti karena kesalahan tak terduga "
        r"\(nomor insiden (\d{6}-[0-9A-F]{6})\); "
        r"coba jalankan ulang, atau sebutkan nomor insiden itu kepada admin\.",
        waiting.pesan,
    ).group(1)
    assert "division by zero" not in waiting.pesan
    assert waiting.selesai is not None
    # The details are for the log, with the traceback, under the number the user was given.
    assert f"Insiden {incident}" in caplog.text
    assert "division by zero" in caplog.text


def test_an_export_that_breaks_halfway_is_failed_the_same_way(sekretariat, monkeypatch):
    from penyaluran.registri import exports

    job = ExportJob.objects.create(jenis="kpm", format="xlsx", dibuat_oleh=sekretariat)
    monkeypatch.setattr(exports, "write_xlsx", lambda *args: 1 / 0)

    exports.run_export_job(job.pk)

    job.refresh_from_db()
    assert (job.status, job.berkas.name) == (JobStatus.GAGAL, "")
    assert job.pesan.startswith(f"Ekspor registri #{job.pk} berhenti karena kesalahan tak terduga (nomor insiden ")


def test_a_refusal_the_work_raises_is_the_message_as_it_is(waiting):
    def work(job):
        raise ValidationError("Baris judul kolom tidak ditemukan.")

    run_job(ImportJob, waiting.pk, work)

    waiting.refresh_from_db()
    assert (waiting.status, waiting.pesan) == (JobStatus.GAGAL, "Baris judul kolom tidak ditemukan.")


@pytest.mark.parametrize("status", [JobStatus.BERJALAN, JobStatus.SELESAI, JobStatus.GAGAL])
def test_a_job_that_is_not_waiting_is_not_run_again(waiting, status, caplog):
    ImportJob.objects.filter(pk=waiting.pk).update(status=status, pesan="sebelumnya")
    ran = []

    assert run_job(ImportJob, waiting.pk, ran.append) is None
    assert imports.run_job(waiting.pk) is None

    waiting.refresh_from_db()
    assert (ran, waiting.status, waiting.pesan) == ([], status, "sebelumnya")
    assert f"ImportJob {waiting.pk} is not waiting" in caplog.text


def test_the_outcome_is_recorded_with_its_rejected_rows_and_audit_then_the_work_after_it(
    waiting, sekretariat, settings, tmp_path
):
    from tikor.models import AuditLog

    settings.MEDIA_ROOT = tmp_path

    seen_after = []

    def work(job):
        job.save_progress(baris_dibaca=7)
        return Outcome(
            JobStatus.DITOLAK,
            "2 baris tidak valid; tidak ada data yang disimpan.",
            result="hasil",
            rejected_rows=b"xlsx",
            audit={"aksi": AuditLog.Aksi.IMPOR, "objek": "penyaluran.kpm", "jumlah_baris": 0},
            afterwards=lambda: seen_after.append(ImportJob.objects.get(pk=job.pk).status),
        )

    outcome = run_job(ImportJob, waiting.pk, work)

    waiting.refresh_from_db()
    assert (outcome.result, waiting.status, waiting.baris_dibaca) == ("hasil", JobStatus.DITOLAK, 7)
    assert waiting.berkas_kesalahan.name.endswith(f"/kpm-baris-ditolak-{waiting.pk}.xlsx")
    assert waiting.berkas_kesalahan.read() == b"xlsx"
    assert AuditLog.objects.get().pengguna == sekretariat
    assert seen_after == [JobStatus.DITOLAK]  # the work after the outcome sees it recorded
