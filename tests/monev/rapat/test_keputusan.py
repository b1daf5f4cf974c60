"""A decision from open to done: its owner agency reports progress (its only write right), the secretariat closes
and reopens, late when past due, 404 outside the area, and a refused post changes nothing."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from monev.models import Keputusan, ProgresKeputusan
from monev.rapat.services import late_decisions, late_decisions_summary
from tests.conftest import client_for
from tikor.models import AuditLog

pytestmark = pytest.mark.django_db


def progres(client, keputusan, status, catatan="Sudah dibahas dengan bidang terkait.", tanggal=None):
    return client.post(
        reverse("monev:keputusan_progres", args=[keputusan.pk]),
        {"status": status, "catatan": catatan, "tanggal": (tanggal or timezone.localdate()).isoformat()},
    )


def test_owner_agency_moves_its_decision_from_open_to_done(client, anggota_bappeda, keputusan_bappeda):
    client_for(client, anggota_bappeda)
    assert progres(client, keputusan_bappeda, "berjalan", "Rapat internal Bappeda").status_code == 302
    keputusan_bappeda.refresh_from_db()
    assert keputusan_bappeda.status == Keputusan.Status.BERJALAN

    assert progres(client, keputusan_bappeda, "selesai", "Mekanisme disahkan").status_code == 302
    keputusan_bappeda.refresh_from_db()
    assert keputusan_bappeda.status == Keputusan.Status.SELESAI
    assert keputusan_bappeda.selesai_pada == timezone.localdate()
    log = list(keputusan_bappeda.progres.values_list("status", "catatan", "oleh__username"))
    assert log == [
        ("berjalan", "Rapat internal Bappeda", "anggota.tikor"),
        ("selesai", "Mekanisme disahkan", "anggota.tikor"),
    ]
    audits = AuditLog.objects.filter(objek="monev.keputusan", keterangan__id=keputusan_bappeda.pk)
    assert audits.count() == 2
    assert {a.keterangan["menjadi"] for a in audits} == {"berjalan", "selesai"}

    page = client.get(keputusan_bappeda.get_absolute_url())
    assert "Mekanisme disahkan" in page.content.decode()
    assert 'id="form-progres"' not in page.content.decode()  # done: the agency's part is over


def test_another_agency_cannot_record_progress_and_nothing_changes(client, anggota_bni, keputusan_bappeda):
    client_for(client, anggota_bni)
    page = client.get(keputusan_bappeda.get_absolute_url())
    assert page.status_code == 200
    assert 'id="form-progres"' not in page.content.decode()

    assert progres(client, keputusan_bappeda, "selesai").status_code == 403
    keputusan_bappeda.refresh_from_db()
    assert keputusan_bappeda.status == Keputusan.Status.TERBUKA
    assert not ProgresKeputusan.objects.exists()
    assert not AuditLog.objects.filter(objek="monev.keputusan").exists()


def test_owner_agency_cannot_reopen_a_done_decision_but_the_secretariat_can(
    client, anggota_bappeda, sekretariat, keputusan_bappeda
):
    client_for(client, anggota_bappeda)
    progres(client, keputusan_bappeda, "selesai")
    assert progres(client, keputusan_bappeda, "berjalan").status_code == 403
    keputusan_bappeda.refresh_from_db()
    assert keputusan_bappeda.status == Keputusan.Status.SELESAI

    client_for(client, sekretariat)
    assert progres(client, keputusan_bappeda, "berjalan", "Dibuka kembali: belum disahkan").status_code == 302
    keputusan_bappeda.refresh_from_db()
    assert keputusan_bappeda.status == Keputusan.Status.BERJALAN
    assert keputusan_bappeda.selesai_pada is None


def test_member_agency_cannot_set_a_decision_back_to_open(client, anggota_bappeda, keputusan_bappeda):
    client_for(client, anggota_bappeda)
    response = progres(client, keputusan_bappeda, "terbuka")
    assert response.status_code == 400
    assert not ProgresKeputusan.objects.exists()


def test_member_agency_cannot_record_decisions_or_edit_meetings(client, anggota_bappeda, rapat_provinsi, bappeda):
    client_for(client, anggota_bappeda)
    data = {"teks": "X", "instansi": bappeda.pk, "penanggung_jawab": "Y", "batas_waktu": "2030-01-01"}
    assert client.post(reverse("monev:keputusan_baru", args=[rapat_provinsi.pk]), data).status_code == 403
    assert client.post(reverse("monev:rapat_notulen", args=[rapat_provinsi.pk]), {"notulen": "x"}).status_code == 403
    assert client.get(reverse("monev:rapat_agenda", args=[rapat_provinsi.pk])).status_code == 403
    assert not Keputusan.objects.exists()
    rapat_provinsi.refresh_from_db()
    assert rapat_provinsi.notulen == ""


def test_decision_past_due_and_not_done_is_late_and_listed(client, sekretariat, keputusan_bappeda):
    keputusan_bappeda.batas_waktu = timezone.localdate() - datetime.timedelta(days=1)
    keputusan_bappeda.save()
    assert keputusan_bappeda.status_efektif == Keputusan.TERLAMBAT
    assert list(late_decisions(sekretariat)) == [keputusan_bappeda]
    assert late_decisions_summary(sekretariat)["jumlah"] == 1

    client_for(client, sekretariat)
    page = client.get(reverse("monev:keputusan_list") + "?filter=terlambat").content.decode()
    assert "Menyusun mekanisme evaluasi 2022" in page
    assert "Terlambat" in page

    progres(client, keputusan_bappeda, "selesai")
    assert not late_decisions(sekretariat).exists()  # done late is no longer late


def test_secretariat_records_a_decision_with_its_links(client, sekretariat, rapat_provinsi, bank_bni):
    client_for(client, sekretariat)
    response = client.post(
        reverse("monev:keputusan_baru", args=[rapat_provinsi.pk]),
        {
            "teks": "Bank menyerahkan data KKS belum tersalur",
            "instansi": bank_bni.pk,
            "penanggung_jawab": "Kepala cabang",
            "batas_waktu": "2030-01-31",
        },
    )
    assert response.status_code == 302
    keputusan = Keputusan.objects.get()
    assert (keputusan.instansi, keputusan.status, str(keputusan.batas_waktu)) == (bank_bni, "terbuka", "2030-01-31")
    assert AuditLog.objects.filter(objek="monev.keputusan", keterangan__aksi="catat_keputusan").count() == 1


def test_decision_without_due_date_is_refused_with_a_message(client, sekretariat, rapat_provinsi, bank_bni):
    client_for(client, sekretariat)
    response = client.post(
        reverse("monev:keputusan_baru", args=[rapat_provinsi.pk]),
        {"teks": "Tanpa batas", "instansi": bank_bni.pk, "penanggung_jawab": "X", "batas_waktu": ""},
    )
    assert response.status_code == 400
    assert "Periksa isian" in response.content.decode()
    assert not Keputusan.objects.exists()


def test_kota_tikor_sees_its_kota_meetings_only(client, tikor_jakpus, rapat_jaksel, rapat_provinsi, dinsos):
    keputusan = Keputusan.objects.create(
        rapat=rapat_jaksel,
        teks="Tertibkan e-warong",
        instansi=dinsos,
        penanggung_jawab="Sudin",
        batas_waktu=timezone.localdate(),
    )
    client_for(client, tikor_jakpus)
    assert client.get(rapat_jaksel.get_absolute_url()).status_code == 404
    assert client.get(keputusan.get_absolute_url()).status_code == 404
    assert client.get(reverse("monev:berita_acara", args=[rapat_jaksel.pk])).status_code == 404
    assert progres(client, keputusan, "selesai").status_code == 404
    keputusan.refresh_from_db()
    assert keputusan.status == Keputusan.Status.TERBUKA
    listing = client.get(reverse("monev:rapat_list")).content.decode()
    assert "Rapat Tikor Jakarta Selatan" not in listing
    assert "Rapat koordinasi Tikor BSP" not in listing  # a province meeting is not a kota's


def test_anggota_tikor_of_the_province_sees_every_meeting(client, anggota_bappeda, rapat_jaksel, rapat_provinsi):
    client_for(client, anggota_bappeda)
    listing = client.get(reverse("monev:rapat_list")).content.decode()
    assert "Rapat Tikor Jakarta Selatan" in listing
    assert "Rapat koordinasi Tikor BSP" in listing


def test_meeting_list_query_count_does_not_grow(
    client, sekretariat, rapat_provinsi, rapat_jaksel, django_assert_max_num_queries
):
    client_for(client, sekretariat)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("monev:rapat_list")).status_code == 200
