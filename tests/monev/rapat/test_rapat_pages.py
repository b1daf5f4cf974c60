"""The secretariat records attendance, minutes and attachments of a meeting; each change is audited, a member
agency cannot make them, an attachment downloads through the audit log and not outside the area; the decision
list keeps its query count as it grows; the dashboard card lists late decisions."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from monev.models import Kehadiran, Keputusan, Lampiran
from monev.rapat.services import late_decisions_summary
from tests.conftest import client_for
from tikor.models import AuditLog

pytestmark = pytest.mark.django_db


def test_secretariat_records_attendance_minutes_and_an_attachment(client, sekretariat, rapat_provinsi, bappeda,
                                                                   settings, tmp_path):  # fmt: skip
    settings.MEDIA_ROOT = tmp_path
    client_for(client, sekretariat)
    url = lambda name: reverse(name, args=[rapat_provinsi.pk])  # noqa: E731
    data = {"instansi": bappeda.pk, "nama": "Bambang Prasetyo", "jabatan": "Kasubbid Sosial"}
    assert client.post(url("monev:rapat_kehadiran"), data).status_code == 302
    again = client.post(url("monev:rapat_kehadiran"), data)
    assert again.status_code == 400
    assert "sudah tercatat hadir" in again.content.decode()
    assert Kehadiran.objects.count() == 1

    assert client.post(url("monev:rapat_notulen"), {"notulen": "Rapat dibuka pukul 09.00."}).status_code == 302
    rapat_provinsi.refresh_from_db()
    assert rapat_provinsi.notulen == "Rapat dibuka pukul 09.00."

    upload = SimpleUploadedFile("paparan.pdf", b"%PDF-1.4 paparan", content_type="application/pdf")
    assert (
        client.post(url("monev:rapat_lampiran"), {"judul": "Paparan sekretariat", "berkas": upload}).status_code == 302
    )
    lampiran = Lampiran.objects.get()
    actions = sorted(AuditLog.objects.filter(aksi="ubah").values_list("keterangan__aksi", flat=True))
    assert actions == ["catat_hadir", "ubah_notulen", "unggah_lampiran"]

    download = client.get(reverse("monev:lampiran_unduh", args=[lampiran.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%PDF-1.4 paparan"
    assert AuditLog.objects.filter(aksi="ekspor", objek="monev.lampiran").count() == 1


def test_attachment_outside_the_area_is_404(client, tikor_jakpus, rapat_jaksel, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    lampiran = Lampiran.objects.create(
        rapat=rapat_jaksel, judul="Paparan", berkas=SimpleUploadedFile("p.pdf", b"%PDF-1.4 x")
    )
    client_for(client, tikor_jakpus)
    assert client.get(reverse("monev:lampiran_unduh", args=[lampiran.pk])).status_code == 404
    assert not AuditLog.objects.exists()


def test_member_agency_cannot_record_attendance(client, anggota_bappeda, rapat_provinsi, bappeda):
    client_for(client, anggota_bappeda)
    data = {"instansi": bappeda.pk, "nama": "Siapa saja"}
    assert client.post(reverse("monev:rapat_kehadiran", args=[rapat_provinsi.pk]), data).status_code == 403
    assert not Kehadiran.objects.exists()
    page = client.get(rapat_provinsi.get_absolute_url()).content.decode()
    assert 'id="form-kehadiran"' not in page
    assert 'id="form-keputusan"' not in page


def test_decision_list_query_count_does_not_grow(client, sekretariat, rapat_provinsi, bappeda,
                                                 django_assert_max_num_queries):  # fmt: skip
    for n in range(30):
        Keputusan.objects.create(rapat=rapat_provinsi, teks=f"Keputusan {n}", instansi=bappeda, penanggung_jawab="X",
                                 batas_waktu=timezone.localdate() + datetime.timedelta(days=n - 10))  # fmt: skip
    client_for(client, sekretariat)
    with django_assert_max_num_queries(10):
        page = client.get(reverse("monev:keputusan_list") + "?filter=semua")
    assert page.content.decode().count("list-group-item") >= 30


def test_dashboard_card_lists_late_decisions(sekretariat, keputusan_bappeda):
    keputusan_bappeda.batas_waktu = timezone.localdate() - datetime.timedelta(days=2)
    keputusan_bappeda.save()
    html = render_to_string(
        "monev/rapat/_keputusan_terlambat_kartu.html", {"terlambat": late_decisions_summary(sekretariat)}
    )
    assert "Keputusan rapat Tikor terlambat: 1" in html
    assert keputusan_bappeda.get_absolute_url() in html


def test_proposing_again_refreshes_data_items_and_keeps_hand_added_ones(client, sekretariat, rapat_provinsi):
    from monev.models import ButirAgenda

    ButirAgenda.objects.create(rapat=rapat_provinsi, urutan=99, judul="Persiapan juknis 2027")
    client_for(client, sekretariat)
    url = reverse("monev:rapat_agenda_usul", args=[rapat_provinsi.pk])
    assert client.post(url).status_code == 302
    assert client.post(url).status_code == 302
    kinds = list(rapat_provinsi.agenda.values_list("jenis", flat=True))
    assert kinds.count("realisasi") == 1
    assert "Persiapan juknis 2027" in rapat_provinsi.agenda.values_list("judul", flat=True)
    assert len(kinds) == 7


def test_member_sees_only_its_agencys_decisions_when_it_asks(client, anggota_bappeda, keputusan_bappeda, bank_bni):
    Keputusan.objects.create(rapat=keputusan_bappeda.rapat, teks="Tugas BNI", instansi=bank_bni, penanggung_jawab="X",
                             batas_waktu=keputusan_bappeda.batas_waktu)  # fmt: skip
    client_for(client, anggota_bappeda)
    everything = client.get(reverse("monev:keputusan_list")).content.decode()
    mine = client.get(reverse("monev:keputusan_list") + "?filter=terbuka&milik=saya").content.decode()
    assert "Tugas BNI" in everything
    assert "Tugas BNI" not in mine
    assert "Menyusun mekanisme evaluasi 2022" in mine
