"""The secretariat prints the A4 poster of one e-warong or of every e-warong of a kecamatan; the QR code, read back
from the rendered page, opens the e-warong's public page."""

import io
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from pypdf import PdfReader

from monev.models import KodePublik
from tests.conftest import GAMBIR, client_for
from tests.factories import EWarongFactory
from tikor.models import AuditLog

zxingcpp = pytest.importorskip("zxingcpp")
ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts" / "publik-poster"
pytestmark = pytest.mark.skipif(not shutil.which("pdftoppm"), reason="poppler's pdftoppm is not installed")


def pdf_body(response):
    return b"".join(response.streaming_content)


def render_png(pdf, name, dpi=100):
    """The first page of `pdf` as a PNG, kept in test-artifacts/publik-poster/ to look at."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    base = ARTIFACTS / name
    base.with_suffix(".pdf").write_bytes(pdf)
    subprocess.run(["pdftoppm", "-png", "-r", str(dpi), "-singlefile", base.with_suffix(".pdf"), base], check=True)
    return base.with_suffix(".png")


def qr_codes(png):
    from PIL import Image

    with Image.open(png) as image:
        return [barcode.text for barcode in zxingcpp.read_barcodes(image)]


def test_the_poster_qr_decodes_to_the_ewarong_page(client, sekretariat, ewarong_gambir, kode_gambir):
    response = client_for(client, sekretariat).get(reverse("publik:poster_ewarong", args=[ewarong_gambir.pk]))

    pdf = pdf_body(response)
    png = render_png(pdf, "poster-satu")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 1
    assert qr_codes(png) == [f"http://testserver/e-warong/{kode_gambir}/"]
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    for words in ("e-Warong KUBE Melati Gambir", "Jl. Batu Tulis No. 12", kode_gambir, "Rp200.000", "1708", "171",
                  "lapor.go.id", "Tidak ada paket", "Tidak ada uang tunai", "PIN tetap dipegang KPM"):  # fmt: skip
        assert words in text
    assert "Siti Rahmawati" not in text  # the owner's name is not the poster's business
    assert client.get(f"/e-warong/{kode_gambir}/").status_code == 200
    assert AuditLog.objects.filter(pengguna=sekretariat, objek="penyaluran.ewarong", jumlah_baris=1).exists()


def test_the_qr_carries_the_public_address_when_one_is_set(client, sekretariat, ewarong_gambir, kode_gambir, settings):
    settings.PUBLIC_BASE_URL = "https://monev-bsp.example.org/"

    response = client_for(client, sekretariat).get(reverse("publik:poster_ewarong", args=[ewarong_gambir.pk]))

    png = render_png(pdf_body(response), "poster-alamat-publik")
    assert qr_codes(png) == [f"https://monev-bsp.example.org/e-warong/{kode_gambir}/"]


def test_a_kecamatan_prints_in_one_pdf_a_page_per_ewarong(client, sekretariat, ewarong_gambir, ewarong_tanah_abang):
    from penyaluran.registri.models import EWarong

    # Written in bulk (an import): no code yet, issued when the poster is printed.
    EWarong.objects.bulk_create([EWarongFactory.build(nama="e-Warong Kenanga", kelurahan_id="31.71.01.1002")])

    response = client_for(client, sekretariat).get(reverse("publik:poster_kecamatan", args=[GAMBIR]))

    pdf = pdf_body(response)
    pages = PdfReader(io.BytesIO(pdf)).pages
    assert response.status_code == 200
    assert len(pages) == 2
    assert "e-Warong Mawar Tanah Abang" not in "".join(p.extract_text() for p in pages)
    kode = set(KodePublik.objects.aktif().filter(ewarong__kelurahan__induk=GAMBIR).values_list("kode", flat=True))
    assert len(kode) == 2
    render_png(pdf, "poster-kecamatan")
    assert {url.rsplit("/", 2)[-2] for url in qr_codes(ARTIFACTS / "poster-kecamatan.png")} <= kode


def test_the_poster_page_lists_the_kecamatan_ewarong_with_their_codes(client, sekretariat, ewarong_gambir, kode_gambir):
    response = client_for(client, sekretariat).get(reverse("publik:poster_index"), {"kecamatan": GAMBIR})

    html = response.content.decode()
    assert response.status_code == 200
    assert "e-Warong KUBE Melati Gambir" in html
    assert kode_gambir in html
    assert reverse("publik:poster_kecamatan", args=[GAMBIR]) in html


def test_only_the_secretariat_prints_posters(client, pendamping_gambir, tikor_jakpus, anggota_tikor, ewarong_gambir):
    url = reverse("publik:poster_ewarong", args=[ewarong_gambir.pk])

    assert client.get(url).status_code == 302  # to the login page
    for user in (pendamping_gambir, tikor_jakpus, anggota_tikor):
        client.force_login(user)
        assert client.get(url).status_code == 403
        assert client.get(reverse("publik:poster_kecamatan", args=[GAMBIR])).status_code == 403
        assert client.get(reverse("publik:poster_index")).status_code == 403


def test_replacing_a_code_retires_the_old_poster(client, sekretariat, ewarong_gambir, kode_gambir):
    response = client_for(client, sekretariat).post(reverse("publik:ganti_kode", args=[ewarong_gambir.pk]))

    baru = KodePublik.objects.aktif().get(ewarong=ewarong_gambir).kode
    assert response.status_code == 302
    assert baru != kode_gambir
    assert client.get(f"/e-warong/{kode_gambir}/").status_code == 404
    assert client.get(f"/e-warong/{baru}/").status_code == 200
    log = AuditLog.objects.get(objek="monev.kodepublik")
    assert log.keterangan == {"ewarong": ewarong_gambir.pk, "kode_lama": kode_gambir, "kode_baru": baru}


def test_the_complaint_list_links_the_secretariat_to_the_posters(client, sekretariat, pendamping_gambir):
    sekretariat_sees = client_for(client, sekretariat).get(reverse("monev:pengaduan_list")).content.decode()
    pendamping_sees = client_for(client, pendamping_gambir).get(reverse("monev:pengaduan_list")).content.decode()

    assert reverse("publik:poster_index") in sekretariat_sees
    assert reverse("publik:poster_index") not in pendamping_sees
