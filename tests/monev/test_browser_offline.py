"""On a phone, a pendamping fills a visit, loses the signal, reopens the form (service worker and draft),
submits, and the visit arrives once when the signal returns; another pendamping gets 404.

Drives Debian's chromium through Playwright at 390×844 with a fake position near the e-warong. Screenshots of each
step go to test-artifacts/monev-offline/ (git-ignored); the test prints the folder.
"""

import datetime
import io
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connections
from PIL import Image

from monev.models import Foto, Kunjungan, Temuan
from tests.browser import CHROMIUM, NEEDS_CHROMIUM

playwright_api = pytest.importorskip("playwright.sync_api")
ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts" / "monev-offline"
PASSWORD = "kata-sandi-uji-123"
NEAR_MONAS = {"latitude": -6.1760, "longitude": 106.8275, "accuracy": 15}


pytestmark = [
    pytest.mark.browser,
    NEEDS_CHROMIUM,
]

ANSWERS = [
    # (section, [(code, value)]): ya/tidak and choices by their label, numbers typed.
    ("Identitas dan lokasi", [("E1", "ya"), ("E3", "tidak"), ("E20", "120")]),
    ("Sarana dan informasi", [("E4", "ya"), ("E5", "ya"), ("E6", "ya"), ("E7", "ya"), ("E19", "ya")]),
    ("Stok dan kualitas", [("E2", "ya"), ("E15", "baik"), ("E16", "1000"), ("E21", "tidak pernah")]),
    ("Harga", [("E11", "9000"), ("E12", "23000"), ("E13", "34000")]),
    (
        "Praktik terlarang",
        [("E8", "tidak"), ("E9", "ya"), ("E10", "tidak"), ("E17", "e-warong sendiri"), ("E18", "tidak")],
    ),
]


def phone_photo(folder):
    """A 2000×1500 camera JPEG taken on 20 November 2026 at 09.15 Jakarta time (EXIF)."""
    image = Image.new("RGB", (2000, 1500), (180, 140, 60))
    exif = Image.Exif()
    exif.get_ifd(0x8769)[0x9003] = "2026:11:20 09:15:00"
    path = folder / "etalase.jpg"
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif, quality=85)
    path.write_bytes(buffer.getvalue())
    return path


def answer(page, kode, value):
    field = page.locator(f"[name='q_{kode}']")
    if field.first.get_attribute("type") == "radio":
        option_id = page.locator(f"input[name='q_{kode}'][value='{value}']").get_attribute("id")
        page.locator(f"label[for='{option_id}']").click()
    else:
        field.fill(value)


def phone(browser, **extra):
    return browser.new_context(
        viewport={"width": 390, "height": 844},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        locale="id-ID",
        timezone_id="Asia/Jakarta",
        **extra,
    )


def log_in(page, base_url, username, next_url="/monev/"):
    page.goto(f"{base_url}/akun/masuk/?next={next_url}")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_pendamping_submits_a_visit_offline_and_it_arrives_once(
    live_server, penugasan_gambir, pendamping_tanah_abang, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path / "media"
    shutil.rmtree(ARTIFACTS, ignore_errors=True)
    ARTIFACTS.mkdir(parents=True)
    print(f"\nScreenshots: {ARTIFACTS}")
    photo = phone_photo(tmp_path)
    base = live_server.url

    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        context = phone(browser, geolocation=NEAR_MONAS, permissions=["geolocation"])
        page = context.new_page()
        page.set_default_timeout(15_000)

        log_in(page, base, "pendamping.gambir")
        page.wait_for_url(f"{base}/monev/")
        page.screenshot(path=ARTIFACTS / "01-daftar-penugasan.png", full_page=True)

        page.click(f"[data-testid=penugasan-{penugasan_gambir.pk}]")
        page.wait_for_selector("[data-testid=isi-formulir]")
        page.screenshot(path=ARTIFACTS / "02-penugasan.png", full_page=True)
        page.click("[data-testid=isi-formulir]")

        for number, (section, answers) in enumerate(ANSWERS, start=1):
            page.wait_for_selector(f"section.form-step:not([hidden]) h2:text-is('{section}')")
            for kode, value in answers:
                answer(page, kode, value)
            if number == 1:
                page.click("[data-ambil-lokasi]")
                page.wait_for_selector("#hasil-lokasi:has-text('Lokasi tercatat')")
                page.set_input_files("#foto_F1", photo)
                page.wait_for_selector("[data-foto-info=F1]:has-text('1 foto tersimpan')")
                # The draft lives on the phone: a reload (or a dead battery) loses nothing.
                page.reload()
                page.wait_for_selector("#pesan-draf:has-text('dipulihkan')")
                assert page.input_value("[name=q_E20]") == "120"
                assert page.is_checked("#q_E1_ya")
                page.wait_for_selector("#hasil-lokasi:has-text('Lokasi tercatat')")
                page.wait_for_selector("[data-foto-info=F1]:has-text('1 foto tersimpan')")
            page.screenshot(path=ARTIFACTS / f"03-bagian-{number}.png", full_page=True)
            page.click("#berikutnya")

        page.wait_for_selector("#tombol-kirim")
        page.wait_for_function("navigator.serviceWorker.controller !== null")
        context.set_offline(True)
        # Without signal the form still opens (service worker) with every answer (draft on the phone).
        reloaded = page.reload()
        assert reloaded.from_service_worker
        page.wait_for_selector("#pesan-draf:has-text('dipulihkan')")
        assert page.is_checked("#q_E9_ya")
        page.screenshot(path=ARTIFACTS / "04-offline-dibuka-ulang.png", full_page=True)
        page.click("#tombol-kirim")
        page.wait_for_selector("#status-kirim[data-state=antre]")
        assert "akan dikirim otomatis saat sinyal kembali" in page.inner_text("#status-kirim")
        page.screenshot(path=ARTIFACTS / "05-offline-antre.png", full_page=True)
        assert not Kunjungan.objects.exists()

        context.set_offline(False)
        page.wait_for_selector("#status-kirim[data-state=terkirim]", timeout=20_000)
        page.screenshot(path=ARTIFACTS / "06-online-terkirim.png", full_page=True)

        kunjungan = Kunjungan.objects.get(penugasan=penugasan_gambir)
        assert kunjungan.petugas.username == "pendamping.gambir"
        assert kunjungan.akurasi_gps == 15
        assert kunjungan.jarak_ewarong < 500
        foto = Foto.objects.get(kunjungan=kunjungan)
        assert max(Image.open(foto.berkas.path).size) == 1600  # shrunk in the browser
        assert foto.diambil_pada == datetime.datetime(
            2026, 11, 20, 2, 15, tzinfo=datetime.UTC
        )  # EXIF, read on the phone
        assert list(Temuan.objects.values_list("pertanyaan__kode", flat=True)) == ["E9"]

        page.click("#status-kirim a")
        page.wait_for_selector("[data-testid=skor-total]")
        page.screenshot(path=ARTIFACTS / "07-detail-kunjungan.png", full_page=True)
        visit_url = page.url

        other = phone(browser).new_page()
        log_in(other, base, "pendamping.tanahabang")
        other.wait_for_url(f"{base}/monev/")
        response = other.goto(visit_url)
        assert response.status == 404
        other.screenshot(path=ARTIFACTS / "08-pendamping-lain-404.png", full_page=True)
        assert other.goto(f"{base}/monev/penugasan/{penugasan_gambir.pk}/isi/").status == 404
        browser.close()
        # Inside Playwright's loop Django opened a connection of its own; close it so the test database can go.
        connections.close_all()

    assert Kunjungan.objects.count() == 1
