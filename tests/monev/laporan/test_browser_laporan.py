"""The reports page in a browser at 1366, 1280, 820 and 390 px: the secretariat asks for a report, it is built,
and the list shows it with its downloads beside one still running with its progress; nothing scrolls sideways.

Screenshots go to test-artifacts/laporan/ (git-ignored).
"""

import datetime
from pathlib import Path

import pytest
from django.conf import settings

from monev.models import Laporan
from tests.browser import CHROMIUM, NEEDS_CHROMIUM

playwright_api = pytest.importorskip("playwright.sync_api")
ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts" / "laporan"
PASSWORD = "kata-sandi-uji-123"
WIDTHS = (1366, 1280, 820, 390)

pytestmark = [
    pytest.mark.browser,
    NEEDS_CHROMIUM,
]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_sekretariat_asks_for_a_report_and_sees_it_at_every_width(
    live_server, sekretariat, distribusi, celery_eager, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path / "media"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    print(f"\nScreenshots: {ARTIFACTS}")
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page(viewport={"width": 1366, "height": 900}, locale="id-ID")
        page.goto(f"{live_server.url}/akun/masuk/?next=/monev/laporan/")
        page.fill("#id_username", sekretariat.username)
        page.fill("#id_password", PASSWORD)
        page.click("button[type=submit]")
        page.select_option("#id_jenis", "realisasi")
        page.select_option("#id_bulan", "2021-06-01")
        page.select_option("#id_wilayah", "31")
        page.click("[data-testid=form-laporan] button[type=submit]")
        page.wait_for_selector("text=Unduh PDF")
        page.screenshot(path=str(ARTIFACTS / "detail-1366.png"), full_page=True)
        laporan = Laporan.objects.get()
        assert laporan.status == "selesai"

        Laporan.objects.create(
            jenis="monev", bulan=datetime.date(2026, 10, 1), wilayah_id="31", dibuat_oleh=sekretariat,
            status="berjalan", persen=45, tahap="Menghitung skor 6T",
        )  # fmt: skip
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            page.goto(f"{live_server.url}/monev/laporan/")
            assert page.locator("[data-testid=laporan]").count() == 2
            assert page.locator(".progress-bar").first.inner_text() == "45%"
            page.screenshot(path=str(ARTIFACTS / f"daftar-{width}.png"), full_page=True)
            assert page.evaluate("document.documentElement.scrollWidth <= innerWidth"), width
        browser.close()
