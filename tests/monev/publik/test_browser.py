"""On a cheap phone (360×640) with JavaScript off, a KPM opens the e-warong's page from the poster's code, sends a
complaint with a photo, and reads its status by tracking code; the complaint reaches the Gambir pendamping, not the
Tanah Abang one. The public pages are then shot at 360, 390, 820, 1280 and 1366 px without sideways scroll.

Screenshots go to test-artifacts/publik/ (git-ignored); the test prints the folder.
"""

import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connections

from monev.models import Pengaduan
from tests.browser import CHROMIUM, NEEDS_CHROMIUM
from tests.monev.publik.conftest import foto_dengan_gps

playwright_api = pytest.importorskip("playwright.sync_api")
ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts" / "publik"
PASSWORD = "kata-sandi-uji-123"
WIDTHS = (360, 390, 820, 1280, 1366)

pytestmark = [
    pytest.mark.browser,
    NEEDS_CHROMIUM,
]


def launch(p):
    return p.chromium.launch(
        executable_path=CHROMIUM,
        headless=True,
        args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
              "--disable-sync", "--no-first-run"],
    )  # fmt: skip


def shoot(page, name):
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def log_in(page, base_url, username):
    page.goto(f"{base_url}/akun/masuk/?next=/monev/pengaduan/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_kpm_complains_from_a_cheap_phone_without_javascript(
    live_server, kode_gambir, pendamping_gambir, pendamping_tanah_abang, tmp_path
):
    shutil.rmtree(ARTIFACTS, ignore_errors=True)
    ARTIFACTS.mkdir(parents=True)
    print(f"\nScreenshots: {ARTIFACTS}")
    photo = tmp_path / "IMG_20261130_0915.jpg"
    photo.write_bytes(foto_dengan_gps())
    base = live_server.url

    with playwright_api.sync_playwright() as p:
        browser = launch(p)
        phone = browser.new_context(
            viewport={"width": 360, "height": 640},
            device_scale_factor=2,
            is_mobile=True,
            has_touch=True,
            java_script_enabled=False,
            locale="id-ID",
            timezone_id="Asia/Jakarta",
        )
        page = phone.new_page()
        page.set_default_timeout(15_000)

        # The KPM scans the poster and reads what it is owed.
        page.goto(f"{base}/e-warong/{kode_gambir}/")
        assert page.locator("h1").inner_text() == "e-Warong KUBE Melati Gambir"
        assert page.get_by_text("Rp200.000").is_visible()
        shoot(page, "01-halaman-360-tanpa-js")

        # … and sends a complaint with a photo, without login and without NIK.
        page.get_by_role("link", name="Sampaikan pengaduan").first.click()
        page.get_by_label("Kartu KKS atau PIN dipegang e-warong atau orang lain").check()
        page.get_by_label("Ceritakan kejadiannya").fill("Kartu KKS ibu saya ditahan di warung sejak bulan lalu.")
        page.set_input_files("input[name=foto]", str(photo))
        page.get_by_label("Nomor HP untuk jawaban (boleh dikosongkan)").fill("0812 3456 7890")
        honeypot = page.locator("input[name=situs]").bounding_box()
        assert honeypot["x"] + honeypot["width"] < 0  # off screen: people never see it, bots fill it
        shoot(page, "02-formulir-360-tanpa-js")
        page.get_by_role("button", name="Kirim pengaduan").click()

        page.wait_for_url("**/e-warong/lacak/*/?baru=1")
        kode_lacak = page.locator(".kode").inner_text()
        assert "sudah kami terima" in page.content()
        shoot(page, "03-terkirim-360-tanpa-js")

        # Later, from the tracking form, the KPM reads the status by the code.
        page.goto(f"{base}/e-warong/lacak/")
        page.get_by_label("Kode lacak").fill(kode_lacak.lower())
        page.get_by_role("button", name="Cek status").click()
        page.wait_for_url(f"**/e-warong/lacak/{kode_lacak}/")
        assert page.locator(".status").inner_text() == "Baru"
        shoot(page, "04-status-360-tanpa-js")
        phone.close()

        pengaduan = Pengaduan.objects.get(kode_lacak=kode_lacak)
        assert pengaduan.kanal == Pengaduan.Kanal.QR_EWARONG
        assert pengaduan.ditugaskan_ke == pendamping_gambir
        assert pengaduan.foto

        # The Gambir pendamping finds it in the list; the Tanah Abang one neither sees nor opens it.
        staff = browser.new_context(viewport={"width": 390, "height": 844})
        page = staff.new_page()
        log_in(page, base, "pendamping.gambir")
        page.wait_for_url("**/monev/pengaduan/")
        assert pengaduan.nomor in page.content()
        page.goto(f"{base}/monev/pengaduan/{pengaduan.pk}/")
        assert page.locator("img[alt='Foto dari pelapor']").evaluate("img => img.naturalWidth") == 1600
        shoot(page, "05-pendamping-gambir")
        staff.close()

        staff = browser.new_context(viewport={"width": 390, "height": 844})
        page = staff.new_page()
        log_in(page, base, "pendamping.tanahabang")
        page.wait_for_url("**/monev/pengaduan/")
        assert pengaduan.nomor not in page.content()
        assert page.goto(f"{base}/monev/pengaduan/{pengaduan.pk}/").status == 404
        staff.close()

        # Every public page fits every width without sideways scroll.
        for width in WIDTHS:
            context = browser.new_context(viewport={"width": width, "height": 800})
            page = context.new_page()
            for name, url in (
                ("halaman", f"/e-warong/{kode_gambir}/"),
                ("formulir", f"/e-warong/{kode_gambir}/pengaduan/"),
                ("status", f"/e-warong/lacak/{kode_lacak}/"),
            ):
                page.goto(f"{base}{url}")
                overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
                assert overflow <= 0, (width, name, overflow)
                shoot(page, f"lebar-{width}-{name}")
            context.close()
        browser.close()
        # Inside Playwright's loop Django opened a connection of its own; close it so the test database can go.
        connections.close_all()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_secretariats_poster_page_fits_every_width(live_server, sekretariat, ewarong_gambir, kode_gambir):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    base = live_server.url
    with playwright_api.sync_playwright() as p:
        browser = launch(p)
        for width in (390, 820, 1280, 1366):
            context = browser.new_context(viewport={"width": width, "height": 800})
            page = context.new_page()
            page.goto(f"{base}/akun/masuk/?next=/e-warong/poster/")
            page.fill("#id_username", "sekretariat")
            page.fill("#id_password", PASSWORD)
            page.click("button[type=submit]")
            page.wait_for_url("**/e-warong/poster/")
            page.select_option("#kecamatan", "31.71.01")
            page.get_by_role("button", name="Tampilkan").click()
            page.wait_for_url("**/e-warong/poster/?kecamatan=31.71.01")
            assert kode_gambir in page.content()
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 0, (width, overflow)
            shoot(page, f"poster-index-{width}")
            context.close()
        browser.close()
        connections.close_all()
