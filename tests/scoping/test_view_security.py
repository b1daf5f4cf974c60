"""What the security review found in the pages: every download leaves an audit row, a bank's staff sees only
monitoring rows about its own bank's e-warong, an assignment's KPM sample stays inside the area, and a photo
upload neither changes a verified visit nor tells anything about another visit's photo."""

import datetime
import io
import uuid

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from PIL import Image

from monev.complaints import record_complaint
from monev.models import Dokumen, Foto, Instrumen, Pengaduan, Penugasan, Temuan, TindakLanjut
from penyaluran.distribusi import rekonsiliasi
from penyaluran.registri.models import ExportJob, Kpm
from tests.conftest import JAKPUS, KEL_GAMBIR, KEL_TEBET, client_for
from tests.factories import EWarongFactory, KpmFactory, PenyediaFactory, UserFactory, kredit, periode
from tests.scoping.conftest import detail_pages, monev_rows, submitted_visit
from tikor.jobs import JobStatus
from tikor.models import AuditLog, Bank, Role

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def jpeg():
    buffer = io.BytesIO()
    Image.new("RGB", (16, 12), (200, 120, 40)).save(buffer, "JPEG")
    return buffer.getvalue()


def post_photo(client, kunjungan, photo_uuid=None):
    return client.post(
        reverse("monev:foto_unggah", args=[kunjungan.uuid]),
        {
            "uuid": str(photo_uuid or uuid.uuid4()),
            "pertanyaan": "E6",
            "berkas": SimpleUploadedFile("foto.jpg", jpeg(), content_type="image/jpeg"),
        },
    )


def bank_staff(kode):
    return UserFactory(role=Role.ANGGOTA, area=[JAKPUS], bank=Bank.objects.get(kode=kode))


# --- 1. the reconciliation XLSX is audited ---------------------------------------------------------------------


@pytest.fixture
def juni():
    juni = periode(2021, 6)
    kredit(juni, KpmFactory(nama="ALM. GAMBIR", kelurahan_id=KEL_GAMBIR, status=Kpm.Status.MENINGGAL))
    kredit(juni, KpmFactory(nama="AKTIF GAMBIR", kelurahan_id=KEL_GAMBIR), jumlah=150_000)
    rekonsiliasi.hitung(juni)  # what an import does after writing
    return juni


def download_rekonsiliasi(client, user, juni):
    response = client_for(client, user).get(reverse("distribusi:rekonsiliasi_xlsx"), {"periode": juni.pk})
    assert response.status_code == 200
    return list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))[1:]


def test_pendamping_downloading_the_reconciliation_leaves_an_audit_row_masked(client, pendamping_gambir, juni):
    lines = download_rekonsiliasi(client, pendamping_gambir, juni)

    audit = AuditLog.objects.get()
    assert (audit.pengguna, audit.aksi, audit.objek) == (pendamping_gambir, "ekspor", "penyaluran.rekonsiliasi")
    assert audit.jumlah_baris == len(lines) == sum(audit.keterangan["aturan"].values())
    assert audit.keterangan["filter"] == {"periode": "2021-06", "saldo_hari": 30}
    assert audit.keterangan["aturan"]["tidak_aktif"] == 1
    assert audit.keterangan["aturan"]["jumlah_berbeda"] == 1
    assert audit.keterangan["nik"] == "disamarkan"


def test_anggota_downloading_the_reconciliation_is_audited_as_masked(client, anggota_tikor, juni):
    lines = download_rekonsiliasi(client, anggota_tikor, juni)

    audit = AuditLog.objects.get()
    assert (audit.pengguna, audit.jumlah_baris, audit.keterangan["nik"]) == (anggota_tikor, len(lines), "disamarkan")


# --- 2. a bank's staff sees monitoring rows of its own bank only -----------------------------------------------


@pytest.fixture
def monev_bni(client, penugasan_gambir, sekretariat):
    """An assignment at a BNI e-warong in Gambir, its visit with a photo and a finding, an action and a complaint."""
    rows = monev_rows(client, penugasan_gambir, sekretariat, "gambir")
    client_for(client, penugasan_gambir.petugas)
    assert post_photo(client, rows["kunjungan"]).status_code == 201
    client.logout()
    return {**rows, "foto": Foto.objects.get()}


def monev_pages(rows):
    return [*detail_pages(rows), reverse("monev:foto", args=[rows["foto"].uuid])]


def test_bank_staff_gets_404_for_monitoring_rows_of_another_banks_ewarong(client, monev_bni):
    client_for(client, bank_staff("BRI"))

    for url in monev_pages(monev_bni):
        assert client.get(url).status_code == 404, url
    closing = reverse("monev:tindak_lanjut_tutup", args=[monev_bni["tindaklanjut"].pk])
    assert client.post(closing, {"catatan": "x"}).status_code == 404


def test_bank_staff_sees_monitoring_rows_of_its_own_bank(client, monev_bni):
    client_for(client, bank_staff("BNI"))

    for url in monev_pages(monev_bni):
        assert client.get(url).status_code == 200, url


def test_bank_staff_lists_and_counts_leave_out_other_banks(client, monev_bni):
    ewarong = monev_bni["penugasan"].ewarong.nama
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    Temuan.objects.update(batas_waktu=yesterday)
    TindakLanjut.objects.update(batas_waktu=yesterday)
    lists = [
        reverse("monev:penugasan_list") + "?status=",
        reverse("monev:kunjungan_list"),
        reverse("monev:temuan_list"),
        reverse("monev:pengaduan_list"),
        reverse("monev:tindak_lanjut_terlambat"),
    ]

    client_for(client, bank_staff("BNI"))
    assert all(ewarong in client.get(url).content.decode() for url in lists)
    client_for(client, bank_staff("BRI"))
    assert not any(ewarong in client.get(url).content.decode() for url in lists)
    counts = client.get(reverse("monev:beranda")).context["jumlah"]
    assert set(counts.values()) == {0}


def complaint(sekretariat, **about):
    return record_complaint(
        Pengaduan(kanal="sms1708", kategori="kks", isi="Kartu ditahan", anonim=True, **about), sekretariat
    )


def test_a_complaint_about_a_kpm_reaches_the_staff_of_the_kpms_bank(client, sekretariat):
    pengaduan = complaint(sekretariat, kpm=KpmFactory(bank=Bank.objects.get(kode="BRI")))
    url = reverse("monev:pengaduan", args=[pengaduan.pk])

    page = client_for(client, bank_staff("BRI")).get(url)
    assert page.status_code == 200
    assert "belum ada pendamping" in page.content.decode()  # nobody in Gambir to route it to
    assert client_for(client, bank_staff("BNI")).get(url).status_code == 404


def test_a_complaint_about_neither_an_ewarong_nor_a_kpm_is_hidden_from_bank_staff(client, sekretariat, tikor_jakpus):
    pengaduan = complaint(sekretariat, penyedia=PenyediaFactory())
    url = reverse("monev:pengaduan", args=[pengaduan.pk])

    assert client_for(client, tikor_jakpus).get(url).status_code == 200
    for kode in ("BNI", "BRI"):
        assert client_for(client, bank_staff(kode)).get(url).status_code == 404
        assert not Pengaduan.objects.for_user(bank_staff(kode)).exists()


# --- 3. an assignment's KPM sample stays inside the area -------------------------------------------------------


def test_the_kpm_sample_of_an_assignment_leaves_out_kpm_living_outside_the_area(client, pendamping_gambir):
    ewarong = EWarongFactory(nama="EW Gambir", kelurahan_id=KEL_GAMBIR)
    KpmFactory(nama="Ibu Dalam Area", alamat="Jl. Gambir 1", kelurahan_id=KEL_GAMBIR, ewarong=ewarong)
    KpmFactory(nama="Bapak Luar Area Tebet", alamat="Jl. Rahasia 9", kelurahan_id=KEL_TEBET, ewarong=ewarong)
    penugasan = Penugasan.objects.create(
        ewarong=ewarong,
        instrumen=Instrumen.objects.terbaru(Instrumen.Jenis.KPM),
        petugas=pendamping_gambir,
        batas_waktu=timezone.localdate() + datetime.timedelta(days=7),
    )
    client_for(client, pendamping_gambir)

    for name in ("monev:penugasan", "monev:kunjungan_isi"):
        page = client.get(reverse(name, args=[penugasan.pk])).content.decode()
        assert "Ibu Dalam Area" in page
        assert "Bapak Luar Area Tebet" not in page
        assert "Jl. Rahasia 9" not in page


# --- 4. downloading a background export is audited -------------------------------------------------------------


def test_downloading_a_finished_background_export_leaves_an_audit_row(client, tikor_jakpus):
    job = ExportJob.objects.create(
        jenis="kpm", format="csv", filter={"wilayah": JAKPUS}, dibuat_oleh=tikor_jakpus, jumlah_baris=1
    )
    job.berkas.save("kpm.csv", ContentFile(b"NIK;\n3171011705800001;\n"), save=False)
    job.finish(JobStatus.SELESAI, "1 baris siap diunduh.")
    client_for(client, tikor_jakpus)

    response = client.get(reverse("penyaluran:ekspor_unduh", args=[job.pk]))

    assert b"".join(response.streaming_content) == b"NIK;\n3171011705800001;\n"
    audit = AuditLog.objects.get()
    assert (audit.pengguna, audit.objek, audit.jumlah_baris) == (tikor_jakpus, "penyaluran.kpm", 1)
    assert audit.keterangan["ekspor"] == job.pk
    assert audit.keterangan["filter"] == {"wilayah": JAKPUS, "wilayah_nama": "Jakarta Pusat"}


# --- 5. photos and documents -----------------------------------------------------------------------------------


def test_viewing_a_visit_photo_leaves_an_audit_row(client, monev_bni, sekretariat):
    foto = monev_bni["foto"]

    response = client_for(client, sekretariat).get(reverse("monev:foto", args=[foto.uuid]))

    assert b"".join(response.streaming_content) == foto.berkas.open("rb").read()
    audit = AuditLog.objects.get()
    assert (audit.pengguna, audit.objek, audit.jumlah_baris) == (sekretariat, "monev.foto", 1)
    assert audit.keterangan == {"foto": str(foto.uuid), "kunjungan": foto.kunjungan_id}


def test_downloading_a_guideline_document_leaves_an_audit_row(client, pendamping_gambir, sekretariat):
    dokumen = Dokumen.objects.create(
        jenis="juknis", judul="Juknis Sembako", berlaku_mulai=datetime.date(2021, 1, 1), diunggah_oleh=sekretariat
    )
    dokumen.berkas.save("juknis.pdf", ContentFile(b"%PDF-1.4 uji"))

    response = client_for(client, pendamping_gambir).get(reverse("monev:dokumen_unduh", args=[dokumen.pk]))

    assert b"".join(response.streaming_content) == b"%PDF-1.4 uji"
    audit = AuditLog.objects.get()
    assert (audit.pengguna, audit.objek, audit.keterangan["dokumen"]) == (
        pendamping_gambir,
        "monev.dokumen",
        dokumen.pk,
    )


def test_a_photo_is_not_added_to_a_verified_visit_but_a_retry_still_gets_its_answer(
    client, penugasan_gambir, sekretariat
):
    kunjungan = submitted_visit(client, penugasan_gambir)
    client_for(client, penugasan_gambir.petugas)
    sent = uuid.uuid4()
    assert post_photo(client, kunjungan, sent).status_code == 201
    kunjungan.verifikasi(sekretariat)

    late = post_photo(client, kunjungan)
    retry = post_photo(client, kunjungan, sent)

    assert late.status_code == 409
    assert late.json()["pesan"] == "Kunjungan ini sudah diverifikasi; foto tidak dapat ditambahkan lagi."
    assert (retry.status_code, retry.json()["baru"]) == (200, False)
    assert Foto.objects.count() == 1


def test_a_photo_uuid_of_a_visit_outside_the_area_tells_nothing(client, penugasan_gambir, penugasan_tanah_abang):
    theirs = submitted_visit(client, penugasan_tanah_abang)
    client_for(client, penugasan_tanah_abang.petugas)
    hidden = uuid.uuid4()
    assert post_photo(client, theirs, hidden).status_code == 201
    ours = submitted_visit(client, penugasan_gambir)
    client_for(client, penugasan_gambir.petugas)

    response = post_photo(client, ours, hidden)

    assert response.status_code == 409
    assert response.json() == {"pesan": "Kode foto sudah dipakai untuk kunjungan lain."}
    assert list(Foto.objects.values_list("kunjungan", flat=True)) == [theirs.pk]
