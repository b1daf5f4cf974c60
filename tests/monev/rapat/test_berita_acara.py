"""The berita acara of a meeting: a PDF in the Dinas Sosial letterhead with the attendance, the agenda with the
figures the meeting saw, and the decisions with owners and due dates; downloading it leaves an audit row.
A PNG of its first page goes to test-artifacts/rapat/ to be looked at."""

import datetime
import io
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from monev.models import ButirAgenda, Kehadiran, Keputusan
from tests.conftest import client_for
from tikor.models import AuditLog

pypdf = pytest.importorskip("pypdf")
pytestmark = pytest.mark.django_db
ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts" / "rapat"


def text_of(data):
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages)


@pytest.fixture
def rapat_lengkap(rapat_provinsi, dinsos, bappeda, bank_bni):
    rapat = rapat_provinsi
    rapat.pimpinan = "Sekretaris Daerah Provinsi DKI Jakarta"
    rapat.notulen = "Rapat membahas realisasi triwulan IV dan tindak lanjut temuan."
    rapat.save()
    for instansi, nama, jabatan in (
        (dinsos, "Rina Marlina", "Kepala Bidang Penanganan Fakir Miskin"),
        (bappeda, "Bambang Prasetyo", "Kepala Subbidang Sosial"),
        (bank_bni, "Siti Rahmawati", "Pemimpin Cabang"),
    ):
        Kehadiran.objects.create(rapat=rapat, instansi=instansi, nama=nama, jabatan=jabatan)
    ButirAgenda.objects.create(
        rapat=rapat, urutan=10, jenis="realisasi", judul="Kecamatan dengan realisasi belanja terendah",
        uraian="3 baris (periode November 2026)",
        data={"jumlah": 1, "baris": [{"label": "Tanah Abang", "nilai": 0.25, "teks": "25,0%", "url": ""}]},
    )  # fmt: skip
    Keputusan.objects.create(
        rapat=rapat, teks="Bank menyerahkan daftar KKS yang belum tersalur", instansi=bank_bni,
        penanggung_jawab="Pemimpin Cabang", batas_waktu=datetime.date(2026, 12, 15),
    )  # fmt: skip
    Keputusan.objects.create(
        rapat=rapat, teks="Menyusun mekanisme evaluasi 2027", instansi=bappeda, penanggung_jawab="Kasubbid Sosial",
        batas_waktu=datetime.date(2027, 1, 31), status="berjalan",
    )  # fmt: skip
    return rapat


def test_berita_acara_has_letterhead_attendance_agenda_figures_and_decisions(client, anggota_bappeda, rapat_lengkap):
    client_for(client, anggota_bappeda)
    response = client.get(reverse("monev:berita_acara", args=[rapat_lengkap.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = text_of(response.content)
    flat = " ".join(text.split())
    for expected in (
        "DINAS SOSIAL",
        "PEMERINTAH PROVINSI DAERAH KHUSUS IBUKOTA JAKARTA",
        "BERITA ACARA RAPAT",
        "Rina Marlina",
        "Bambang Prasetyo",
        "Siti Rahmawati",
        "Tanah Abang: 25,0%",
        "Bank menyerahkan daftar KKS yang belum tersalur",
        "15 Desember 2026",
        "Menyusun mekanisme evaluasi 2027",
        "31 Januari 2027",
        "Pemimpin Cabang",
        "Keadaan per",
    ):
        assert expected in flat, (expected, flat)
    audit = AuditLog.objects.get(aksi="ekspor", objek="monev.rapat")
    assert audit.pengguna == anggota_bappeda
    assert audit.keterangan["id"] == rapat_lengkap.pk

    if shutil.which("pdftoppm"):
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        pdf = ARTIFACTS / "berita-acara.pdf"
        pdf.write_bytes(response.content)
        subprocess.run(["pdftoppm", "-png", "-r", "80", str(pdf), str(ARTIFACTS / "berita-acara")], check=True)
        assert list(ARTIFACTS.glob("berita-acara-*.png"))
        print(f"\nBerita acara: {ARTIFACTS}")


def test_berita_acara_outside_the_area_is_404(client, tikor_jakpus, rapat_lengkap):
    client_for(client, tikor_jakpus)
    assert client.get(reverse("monev:berita_acara", args=[rapat_lengkap.pk])).status_code == 404
    assert not AuditLog.objects.filter(aksi="ekspor").exists()
