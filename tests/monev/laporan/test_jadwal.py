"""Schedules: in the database after migrate, editable in the admin; the monthly report on the 5th; the daily
digest of overdue actions, one e-mail per pendamping; a report stuck past its time limit is failed."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from monev.laporan import jadwal
from monev.models import Laporan, Temuan, TindakLanjut
from tests.conftest import KEL_GAMBIR, client_for
from tests.factories import EWarongFactory
from tikor import housekeeping
from tikor.models import Notifikasi

pytestmark = pytest.mark.django_db


def test_report_schedules_exist_after_migrate_and_name_registered_tasks():
    from tikor.celery import app

    app.loader.import_default_modules()
    tasks = {t.task: t for t in PeriodicTask.objects.filter(task__startswith="monev.laporan.")}

    monthly = tasks["monev.laporan.tasks.laporan_bulanan"]
    assert (monthly.crontab.day_of_month, monthly.crontab.hour, str(monthly.crontab.timezone)) == (
        "5",
        "6",
        "Asia/Jakarta",
    )
    assert monthly.enabled
    digest = tasks["monev.laporan.tasks.ringkasan_tindak_lanjut"]
    assert (digest.crontab.day_of_month, digest.crontab.hour) == ("*", "7")
    assert set(tasks) <= set(app.tasks)


def test_the_secretariat_edits_schedules_in_the_admin(client, sekretariat):
    client_for(client, sekretariat)
    task = PeriodicTask.objects.get(task="monev.laporan.tasks.laporan_bulanan")

    response = client.get(reverse("admin:django_celery_beat_periodictask_change", args=[task.pk]))

    assert response.status_code == 200


def test_the_monthly_report_covers_the_previous_month_once(
    distribusi, celery_eager, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        laporan = jadwal.laporan_bulanan(pada=datetime.date(2021, 7, 5))
    again = jadwal.laporan_bulanan(pada=datetime.date(2021, 7, 5))

    laporan.refresh_from_db()
    assert (laporan.jenis, laporan.bulan, laporan.wilayah_id, laporan.terjadwal) == (
        "realisasi",
        datetime.date(2021, 6, 1),
        "31",
        True,
    )
    assert laporan.status == "selesai"
    assert again is None
    assert jadwal.laporan_bulanan(pada=datetime.date(2021, 9, 5)) is None  # no August 2021 distribution


def test_digest_sends_one_email_to_each_pendamping_with_overdue_actions(
    pendamping_gambir, pendamping_tanah_abang, settings
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    pendamping_gambir.email, pendamping_tanah_abang.email = "gambir@example.org", "tanahabang@example.org"
    pendamping_gambir.save()
    pendamping_tanah_abang.save()
    melati = EWarongFactory(nama="e-Warong Melati", kelurahan_id=KEL_GAMBIR)
    temuan = Temuan.objects.create(ewarong=melati, judul="Paket dijual", aspek="harga", keparahan="tinggi")
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    for uraian in ("Pembinaan e-warong", "Teguran tertulis"):
        TindakLanjut.objects.create(temuan=temuan, uraian=uraian, penanggung_jawab="Pendamping", batas_waktu=yesterday)
    TindakLanjut.objects.create(
        temuan=temuan, uraian="Belum jatuh tempo", penanggung_jawab="Pendamping", batas_waktu=timezone.localdate()
    )

    told = jadwal.ringkasan_tindak_lanjut()

    assert told == 1
    assert [m.to for m in mail.outbox] == [["gambir@example.org"]]
    assert mail.outbox[0].subject == "2 tindak lanjut lewat batas waktu di wilayah Anda"
    assert "Pembinaan e-warong" in mail.outbox[0].body
    assert "Belum jatuh tempo" not in mail.outbox[0].body
    assert list(Notifikasi.objects.values_list("pengguna__username", flat=True)) == ["pendamping.gambir"]


def test_the_bell_counts_unread_notifications_and_the_page_marks_them_read(client, rf, pendamping_gambir):
    from django.template.loader import render_to_string

    Notifikasi.objects.create(pengguna=pendamping_gambir, judul="2 tindak lanjut lewat batas waktu")
    request = rf.get("/")
    request.user = pendamping_gambir
    assert "1 belum dibaca" in render_to_string("_notifikasi_lonceng.html", request=request)
    client_for(client, pendamping_gambir)

    response = client.get(reverse("notifikasi"))

    assert "2 tindak lanjut lewat batas waktu" in response.content.decode()
    assert not Notifikasi.objects.belum_dibaca().exists()
    assert "belum dibaca" not in render_to_string("_notifikasi_lonceng.html", request=request)


def test_a_report_stuck_past_its_time_limit_is_failed_by_the_minute_check(sekretariat, settings):
    from tikor.models import Wilayah

    settings.LAPORAN_TIME_LIMIT = 600
    start = timezone.now() - datetime.timedelta(seconds=700)
    stuck = Laporan.objects.create(
        jenis="monev", bulan=datetime.date(2026, 10, 1), wilayah=Wilayah.objects.get(kode="31"),
        dibuat_oleh=sekretariat, status="berjalan", mulai=start, detak=timezone.now(),
    )  # fmt: skip
    young = Laporan.objects.create(
        jenis="monev", bulan=datetime.date(2026, 10, 1), wilayah=Wilayah.objects.get(kode="31"),
        dibuat_oleh=sekretariat, status="berjalan", mulai=timezone.now(), detak=timezone.now(),
    )  # fmt: skip

    housekeeping.check_jobs()

    stuck.refresh_from_db()
    young.refresh_from_db()
    assert stuck.status == "gagal"
    assert stuck.pesan.startswith("Dihentikan: berjalan lebih dari batas waktu 10 menit.")
    assert young.status == "berjalan"
