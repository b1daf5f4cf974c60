"""A visit sent from the phone: validated, idempotent by its uuid, with GPS distance, photos and verification."""

import io
import threading
import uuid

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.urls import reverse
from PIL import Image

from monev.models import Bagian, Foto, Instrumen, Jawaban, Kunjungan, Penugasan, Temuan
from monev.visits import haversine_m
from tests.conftest import visit_payload
from tests.factories import EWarongFactory, KpmFactory

NEAR_MONAS = {"lat": -6.1760, "lng": 106.8275, "akurasi": 12}
BUNDARAN_HI = {"lat": -6.1950, "lng": 106.8230, "akurasi": 30}


def post_visit(client, penugasan, payload):
    url = reverse("monev:kunjungan_kirim", args=[penugasan.pk])
    return client.post(url, payload, content_type="application/json")


def test_a_visit_sent_twice_with_the_same_uuid_is_stored_once(client, penugasan_gambir):
    client.force_login(penugasan_gambir.petugas)
    payload = visit_payload(E9="ya")

    first = post_visit(client, penugasan_gambir, payload)
    again = post_visit(client, penugasan_gambir, payload)

    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    assert again.json()["baru"] is False
    assert Kunjungan.objects.count() == 1
    assert Jawaban.objects.count() == len(payload["jawaban"])
    assert Temuan.objects.count() == 1


def test_the_submitted_visit_keeps_answers_position_and_distance(client, penugasan_gambir):
    client.force_login(penugasan_gambir.petugas)

    response = post_visit(client, penugasan_gambir, visit_payload(lokasi=NEAR_MONAS, E11="9500"))

    kunjungan = Kunjungan.objects.get()
    assert response.json()["jauh"] is False
    assert kunjungan.status == Kunjungan.Status.DIKIRIM
    assert kunjungan.petugas == penugasan_gambir.petugas
    assert kunjungan.akurasi_gps == 12
    assert 50 < kunjungan.jarak_ewarong < 100
    assert kunjungan.jawaban.get(pertanyaan__kode="E11").nilai == 9500


def test_a_visit_recorded_far_from_the_ewarong_is_flagged(client, penugasan_gambir):
    client.force_login(penugasan_gambir.petugas)

    response = post_visit(client, penugasan_gambir, visit_payload(lokasi=BUNDARAN_HI))

    assert response.json()["jauh"] is True
    assert Kunjungan.objects.get().jarak_ewarong > 2000
    page = client.get(reverse("monev:kunjungan", args=[response.json()["id"]]))
    assert "lebih dari 500 m" in page.content.decode()


def test_haversine_matches_a_known_distance():
    # Monas to Bundaran HI is about 2,2 km.
    assert 2100 < haversine_m(-6.1754, 106.8272, -6.1950, 106.8230) < 2300


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"E1": ""}, "E1", "Bidang ini tidak boleh kosong."),
        ({"E15": "lumayan"}, "E15", "Masukkan pilihan yang valid"),
        ({"E11": "-5"}, "E11", "lebih besar dari atau sama dengan 0"),
        ({"E11": "sepuluh ribu"}, "E11", "Isi harga dalam rupiah tanpa titik atau koma"),
    ],
)
def test_every_answer_is_validated_on_the_server(client, penugasan_gambir, change, field, message):
    client.force_login(penugasan_gambir.petugas)

    response = post_visit(client, penugasan_gambir, visit_payload(**change))

    assert response.status_code == 400
    assert response.json()["pesan"] == "Periksa kembali isian kunjungan."
    assert message in " ".join(response.json()["galat"][field])
    assert not Kunjungan.objects.exists()


def test_a_future_date_and_a_broken_body_are_refused(client, penugasan_gambir):
    import datetime

    client.force_login(penugasan_gambir.petugas)
    tomorrow = datetime.date.today() + datetime.timedelta(days=2)

    future = post_visit(client, penugasan_gambir, visit_payload(tanggal=tomorrow))
    broken = client.post(
        reverse("monev:kunjungan_kirim", args=[penugasan_gambir.pk]), "{bukan json", content_type="application/json"
    )

    assert future.json()["galat"]["tanggal"] == ["Tanggal kunjungan tidak boleh di masa depan."]
    assert broken.status_code == 400
    assert broken.json()["pesan"] == "Data kunjungan tidak dapat dibaca."
    junk = post_visit(client, penugasan_gambir, {"uuid": "bukan-uuid", "jawaban": "x", "lokasi": [1, 2]})
    assert junk.status_code == 400
    assert set(junk.json()["galat"]) >= {"uuid", "tanggal", "E1"}


def test_the_same_uuid_on_another_assignment_is_a_conflict(client, penugasan_gambir):
    client.force_login(penugasan_gambir.petugas)
    # Another e-warong of Gambir: one e-warong has one open assignment per instrument.
    other = Penugasan.objects.create(
        ewarong=EWarongFactory(kelurahan_id=penugasan_gambir.ewarong.kelurahan_id),
        instrumen=penugasan_gambir.instrumen,
        petugas=penugasan_gambir.petugas,
        batas_waktu=penugasan_gambir.batas_waktu,
    )
    payload = visit_payload()
    post_visit(client, penugasan_gambir, payload)

    response = post_visit(client, other, payload)

    assert response.status_code == 409
    assert Kunjungan.objects.count() == 1


def jpeg(size=(64, 48), taken="2026:11:20 09:15:00", quality=90):
    image = Image.new("RGB", size, (200, 120, 40))
    exif = Image.Exif()
    exif.get_ifd(0x8769)[0x9003] = taken
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif, quality=quality)
    return buffer.getvalue()


@pytest.fixture
def kunjungan(client, penugasan_gambir, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(penugasan_gambir.petugas)
    post_visit(client, penugasan_gambir, visit_payload())
    return Kunjungan.objects.get()


def post_photo(client, kunjungan, content, photo_uuid=None, **fields):
    url = reverse("monev:foto_unggah", args=[kunjungan.uuid])
    data = {"uuid": str(photo_uuid or uuid.uuid4()), "pertanyaan": "E6", **fields}
    data["berkas"] = SimpleUploadedFile("foto.jpg", content, content_type="image/jpeg")
    return client.post(url, data)


def test_a_photo_keeps_its_exif_time_and_is_stored_once(client, kunjungan):
    photo_uuid = uuid.uuid4()

    first = post_photo(client, kunjungan, jpeg(), photo_uuid)
    again = post_photo(client, kunjungan, jpeg(), photo_uuid)

    assert (first.status_code, again.status_code) == (201, 200)
    foto = Foto.objects.get()
    assert foto.pertanyaan.kode == "E6"
    assert foto.diambil_pada.astimezone(kunjungan.dibuat_pada.tzinfo).isoformat().startswith("2026-11-20T02:15")
    assert client.get(reverse("monev:foto", args=[foto.uuid])).status_code == 200


def test_without_exif_the_time_read_on_the_phone_is_kept(client, kunjungan):
    buffer = io.BytesIO()
    Image.new("RGB", (10, 10)).save(buffer, "JPEG")

    post_photo(client, kunjungan, buffer.getvalue(), diambil_pada="2026-11-21T10:00:00+07:00")

    assert Foto.objects.get().diambil_pada.isoformat() == "2026-11-21T03:00:00+00:00"


def test_a_photo_over_the_cap_is_refused_with_a_readable_message(client, kunjungan, settings):
    settings.MONEV_FOTO_MAKS_BYTE = 1024

    response = post_photo(client, kunjungan, jpeg(size=(400, 400), quality=100))

    assert response.status_code == 413
    assert "melebihi batas 0,0 MB" in response.json()["pesan"] or "melebihi batas" in response.json()["pesan"]
    assert not Foto.objects.exists()


def test_a_file_that_is_not_an_image_is_refused(client, kunjungan):
    response = post_photo(client, kunjungan, b"bukan gambar")

    assert response.status_code == 400
    assert "gambar" in response.json()["pesan"]


def test_sekretariat_verifies_or_returns_with_a_comment(client, kunjungan, sekretariat):
    url = reverse("monev:kunjungan_verifikasi", args=[kunjungan.pk])
    client.force_login(sekretariat)

    no_reason = client.post(url, {"keputusan": "kembalikan", "catatan": ""})
    kunjungan.refresh_from_db()
    assert no_reason.status_code == 302
    assert kunjungan.status == Kunjungan.Status.DIKIRIM

    client.post(url, {"keputusan": "kembalikan", "catatan": "Foto daftar harga kurang jelas"})
    kunjungan.refresh_from_db()
    assert (kunjungan.status, kunjungan.catatan_verifikasi) == ("dikembalikan", "Foto daftar harga kurang jelas")


def test_verifying_closes_the_assignment(kunjungan, sekretariat):
    kunjungan.verifikasi(sekretariat)

    assert kunjungan.status == Kunjungan.Status.TERVERIFIKASI
    assert kunjungan.penugasan.__class__.objects.get(pk=kunjungan.penugasan_id).status == "selesai"
    with pytest.raises(ValidationError):
        kunjungan.verifikasi(sekretariat)


def test_pendamping_cannot_verify(client, kunjungan):
    response = client.post(reverse("monev:kunjungan_verifikasi", args=[kunjungan.pk]), {"keputusan": "verifikasi"})

    assert response.status_code == 403


def test_a_published_instrument_is_frozen_and_a_new_version_is_a_copy(db):
    published = Instrumen.objects.terbaru(Instrumen.Jenis.EWARONG)
    question = published.pertanyaan.get(kode="E11")

    question.teks = "Diubah"
    with pytest.raises(ValidationError):
        question.save()

    draft = published.versi_baru()
    assert (draft.versi, draft.status) == (2, Instrumen.Status.DRAF)
    assert draft.pertanyaan.count() == published.pertanyaan.count() == 24
    assert draft.pertanyaan.get(kode="E11").aturan == question.aturan
    assert Bagian.objects.filter(instrumen=draft).count() == 5
    copy = draft.pertanyaan.get(kode="E11")
    copy.teks = "Harga beras premium per kg (Rp)"
    copy.save()
    assert published.pertanyaan.get(kode="E11").teks == "Harga beras medium per kg (Rp)"

    draft.terbitkan()
    published.refresh_from_db()
    assert published.status == Instrumen.Status.ARSIP
    assert Instrumen.objects.terbaru(Instrumen.Jenis.EWARONG) == draft


def test_the_kpm_sample_is_reproducible_and_seeded_by_the_assignment(penugasan_gambir):
    for _ in range(12):
        KpmFactory(ewarong=penugasan_gambir.ewarong)
    other = Penugasan.objects.create(
        ewarong=penugasan_gambir.ewarong,
        instrumen=penugasan_gambir.instrumen,
        batas_waktu=penugasan_gambir.batas_waktu,
        status=Penugasan.Status.SELESAI,  # one open assignment per e-warong and instrument
    )

    first = list(penugasan_gambir.sampel_kpm(penugasan_gambir.petugas))
    again = list(Penugasan.objects.get(pk=penugasan_gambir.pk).sampel_kpm(penugasan_gambir.petugas))

    assert len(first) == 5
    assert first == again
    assert set(first) != set(other.sampel_kpm(penugasan_gambir.petugas))


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"), reason="needs PostgreSQL for concurrent writes"
)
def test_two_concurrent_posts_of_one_visit_store_it_once(penugasan_gambir):
    payload = visit_payload(E9="ya")
    url = reverse("monev:kunjungan_kirim", args=[penugasan_gambir.pk])
    barrier = threading.Barrier(2)
    statuses = []

    def send():
        client = Client()
        client.force_login(penugasan_gambir.petugas)
        barrier.wait()
        try:
            statuses.append(client.post(url, payload, content_type="application/json").status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(statuses) == [200, 201]
    assert Kunjungan.objects.filter(uuid=payload["uuid"]).count() == 1
    assert Temuan.objects.count() == 1


def test_a_retry_after_the_assignment_closed_still_gets_the_stored_visit(client, penugasan_gambir, sekretariat):
    client.force_login(penugasan_gambir.petugas)
    payload = visit_payload()
    post_visit(client, penugasan_gambir, payload)
    Kunjungan.objects.get().verifikasi(sekretariat)

    retry = post_visit(client, penugasan_gambir, payload)
    fresh = post_visit(client, penugasan_gambir, visit_payload())

    assert retry.status_code == 200
    assert fresh.status_code == 400
    assert fresh.json()["pesan"] == "Penugasan ini sudah ditutup."
    assert client.get(reverse("monev:kunjungan_isi", args=[penugasan_gambir.pk])).status_code == 302
