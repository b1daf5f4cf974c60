"""A KPM sends a complaint from the e-warong's page: it enters the monev workflow as channel "QR e-warong", goes to
the kecamatan's pendamping only, counts as a repeat and in the risk score, and the KPM reads its status by code."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from monev.complaints import respond
from monev.models import Pengaduan, SkorRisiko
from tests.conftest import client_for
from tests.factories import periode
from tests.monev.publik.conftest import GPS_IFD, foto_dengan_gps


def kirim(client, kode, foto=None, **fields):
    data = {
        "pola": "paket",
        "isi": "Disuruh ambil paket beras dan telur, tidak boleh pilih sendiri.",
        "tanggal_kejadian": str(timezone.localdate()),
        "kontak": "",
        "situs": "",
        **fields,
    }
    if foto is not None:
        data["foto"] = SimpleUploadedFile("IMG_20261130_0915.jpg", foto, content_type="image/jpeg")
    return client.post(f"/e-warong/{kode}/pengaduan/", data)


def test_a_complaint_enters_the_workflow_routed_to_the_kecamatans_pendamping(
    client, kode_gambir, ewarong_gambir, pendamping_gambir, pendamping_tanah_abang
):
    response = kirim(client, kode_gambir, foto=foto_dengan_gps(), kontak="0812-3456-7890", pola="kartu_ditahan")

    pengaduan = Pengaduan.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/e-warong/lacak/{pengaduan.kode_lacak}/?baru=1"
    assert pengaduan.kanal == Pengaduan.Kanal.QR_EWARONG
    assert pengaduan.ewarong == ewarong_gambir
    assert pengaduan.kelurahan_id == ewarong_gambir.kelurahan_id
    assert pengaduan.ditugaskan_ke == pendamping_gambir
    assert pengaduan.dicatat_oleh is None
    assert pengaduan.anonim
    assert pengaduan.nama_pelapor == ""
    assert pengaduan.kontak_pelapor == "081234567890"
    # Cards held: filed under tepat sasaran, and it needs someone at the counter.
    assert (pengaduan.pola, pengaduan.kategori, pengaduan.penanganan) == ("kartu_ditahan", "sasaran", "cek_lapangan")
    assert pengaduan.batas_selesai == timezone.localdate() + datetime.timedelta(days=60)
    assert len(pengaduan.kode_lacak) == 8
    assert pengaduan.kode_lacak not in pengaduan.nomor


def test_the_photo_is_kept_without_its_position_and_smaller(client, kode_gambir):
    kirim(client, kode_gambir, foto=foto_dengan_gps())

    pengaduan = Pengaduan.objects.get()
    with Image.open(pengaduan.foto.path) as stored:
        exif = stored.getexif()
        assert stored.format == "JPEG"
        assert max(stored.size) == 1600
        assert not exif.get_ifd(GPS_IFD)
        assert not dict(exif)
    assert "IMG_20261130" not in pengaduan.foto.name


def test_the_complaint_appears_for_the_right_pendamping_only(
    client, kode_gambir, pendamping_gambir, pendamping_tanah_abang
):
    kirim(client, kode_gambir, foto=foto_dengan_gps())
    pengaduan = Pengaduan.objects.get()

    gambir = client_for(Client(), pendamping_gambir)
    tanah_abang = client_for(Client(), pendamping_tanah_abang)

    assert pengaduan.nomor in gambir.get(reverse("monev:pengaduan_list")).content.decode()
    detail = gambir.get(reverse("monev:pengaduan", args=[pengaduan.pk]))
    assert "QR e-warong" in detail.content.decode()
    assert pengaduan.kode_lacak in detail.content.decode()
    assert gambir.get(reverse("monev:pengaduan_foto", args=[pengaduan.pk])).status_code == 200
    assert pengaduan.nomor not in tanah_abang.get(reverse("monev:pengaduan_list")).content.decode()
    assert tanah_abang.get(reverse("monev:pengaduan", args=[pengaduan.pk])).status_code == 404
    assert tanah_abang.get(reverse("monev:pengaduan_foto", args=[pengaduan.pk])).status_code == 404


def test_the_third_qr_complaint_in_a_month_flags_the_ewarong_as_repeated(client, kode_gambir):
    for _n in range(3):
        assert kirim(client, kode_gambir).status_code == 302

    assert Pengaduan.objects.berulang().count() == 3


def test_an_open_qr_complaint_counts_in_the_risk_score(
    client, kode_gambir, ewarong_gambir, django_capture_on_commit_callbacks
):
    juni = periode(2021, 6)

    with django_capture_on_commit_callbacks(execute=True):
        kirim(client, kode_gambir)

    skor = SkorRisiko.objects.get(ewarong=ewarong_gambir, periode=juni)
    assert skor.skor == 5
    assert skor.alasan[0]["label"] == "Pengaduan terbuka"


@pytest.mark.parametrize(
    ("fields", "pesan"),
    [
        ({"isi": "NIK saya 3171015705800001 tidak bisa belanja"}, "jangan tulis NIK"),
        ({"isi": "kartu 3171 0157 0580 0001 ditahan warung"}, "jangan tulis NIK"),
        ({"tanggal_kejadian": "2099-01-01"}, "tidak boleh setelah hari ini"),
        ({"pola": ""}, "Pilih apa yang terjadi."),
        ({"isi": "paket"}, "paling sedikit 10 huruf"),
        ({"kontak": "12345"}, "Nomor HP tidak dikenali"),
    ],
)
def test_a_bad_form_says_what_to_fix_and_stores_nothing(client, kode_gambir, fields, pesan):
    response = kirim(client, kode_gambir, **fields)

    assert response.status_code == 400
    assert pesan in response.content.decode()
    assert not Pengaduan.objects.exists()


def test_a_file_that_is_not_a_photo_is_refused(client, kode_gambir):
    response = kirim(client, kode_gambir, foto=b"%PDF-1.4 bukan foto")

    assert response.status_code == 400
    assert "Berkas bukan foto yang dapat dibaca." in response.content.decode()
    assert not Pengaduan.objects.exists()


def test_a_gif_is_refused_by_type(client, kode_gambir):
    buffer = io.BytesIO()
    Image.new("RGB", (50, 50)).save(buffer, "GIF")

    response = kirim(client, kode_gambir, foto=buffer.getvalue())

    assert response.status_code == 400
    assert "JPEG, PNG, atau WebP" in response.content.decode()
    assert not Pengaduan.objects.exists()


def test_a_photo_over_the_size_limit_is_refused(client, kode_gambir, settings):
    settings.MONEV_FOTO_MAKS_BYTE = 50_000

    response = kirim(client, kode_gambir, foto=foto_dengan_gps() + b"\0" * 60_000)

    assert response.status_code == 400
    assert "melebihi batas" in response.content.decode()
    assert not Pengaduan.objects.exists()


def test_a_post_without_the_csrf_token_is_refused(kode_gambir):
    response = kirim(Client(enforce_csrf_checks=True), kode_gambir)

    assert response.status_code == 403
    assert not Pengaduan.objects.exists()


def test_the_kpm_reads_the_status_and_the_public_reply_by_tracking_code(client, kode_gambir, pendamping_gambir):
    kirim(client, kode_gambir)
    pengaduan = Pengaduan.objects.get()

    first = client.get(f"/e-warong/lacak/{pengaduan.kode_lacak}/?baru=1").content.decode()
    respond(pengaduan, "Sudah dicek, pengelola dibina.", Pengaduan.Status.SELESAI, publik=True)
    later = client.get(f"/e-warong/lacak/{pengaduan.kode_lacak.lower()}/").content.decode()

    assert "sudah kami terima" in first
    assert pengaduan.kode_lacak in first
    assert "Baru" in first
    assert "Selesai" in later
    assert "Sudah dicek, pengelola dibina." in later
    # Only the status and the public reply: not the complaint's text, its number, or who handles it.
    for hidden in (pengaduan.isi, pengaduan.nomor, pendamping_gambir.username, pendamping_gambir.first_name):
        assert hidden not in later


def test_a_reply_staff_did_not_mark_public_stays_inside(client, kode_gambir):
    kirim(client, kode_gambir)
    pengaduan = Pengaduan.objects.get()
    respond(pengaduan, "Cek silang dengan transaksi bank dulu.", Pengaduan.Status.DIPROSES)

    html = client.get(f"/e-warong/lacak/{pengaduan.kode_lacak}/").content.decode()

    assert "Diproses" in html
    assert "Cek silang" not in html
    assert "Belum ada jawaban" in html


def test_the_pendamping_marks_a_reply_public_on_the_complaint_page(client, kode_gambir, pendamping_gambir):
    kirim(client, kode_gambir)
    pengaduan = Pengaduan.objects.get()
    staff = client_for(Client(), pendamping_gambir)
    url = reverse("monev:pengaduan", args=[pengaduan.pk])

    refused = staff.post(url, {"tanggapan": "NIK 3171015705800001 sudah dicek", "status": "diproses", "publik": "on"})
    staff.post(url, {"tanggapan": "Akan dicek minggu ini.", "status": "diproses", "publik": "on"})

    assert "tidak boleh memuat NIK" in refused.content.decode()
    pengaduan.refresh_from_db()
    assert pengaduan.tanggapan_publik
    assert pengaduan.status == "diproses"
    assert "Akan dicek minggu ini." in client.get(f"/e-warong/lacak/{pengaduan.kode_lacak}/").content.decode()


def test_a_complaint_of_another_channel_has_no_public_reply_choice(client, pendamping_gambir, ewarong_gambir):
    from monev.complaints import record_complaint

    pengaduan = record_complaint(
        Pengaduan(kanal="sms1708", kategori="harga", isi="Harga beras mahal", ewarong=ewarong_gambir), None
    )

    html = client_for(client, pendamping_gambir).get(reverse("monev:pengaduan", args=[pengaduan.pk])).content.decode()

    assert pengaduan.kode_lacak is None
    assert 'name="publik"' not in html


def test_the_tracking_form_leads_to_the_status_and_unknown_codes_answer_404(client, kode_gambir):
    kirim(client, kode_gambir)
    kode_lacak = Pengaduan.objects.get().kode_lacak

    response = client.get("/e-warong/lacak/", {"kode": f" {kode_lacak[:4]}-{kode_lacak[4:].lower()} "})

    assert response.status_code == 302
    assert response["Location"] == f"/e-warong/lacak/{kode_lacak}/"
    assert client.get("/e-warong/lacak/ZZZZZZZZ/").status_code == 404


def test_the_admin_shows_the_photo_through_the_audited_view(client, kode_gambir, sekretariat):
    kirim(client, kode_gambir, foto=foto_dengan_gps())
    pengaduan = Pengaduan.objects.get()

    html = client_for(Client(), sekretariat).get(f"/admin/monev/pengaduan/{pengaduan.pk}/change/").content.decode()

    assert reverse("monev:pengaduan_foto", args=[pengaduan.pk]) in html
    assert pengaduan.foto.name not in html  # never a direct media address
    assert pengaduan.kode_lacak in html
