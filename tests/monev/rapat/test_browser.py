"""In the browser: the secretariat creates a meeting, keeps the agenda proposed from the data, records two
decisions; Bappeda's member marks its decision done; every page fits 1366, 1280, 820 and 390 px without sideways
scroll. Screenshots go to test-artifacts/rapat/ (git-ignored); the test prints the folder."""

import datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from monev.models import Keputusan, Rapat
from tests.browser import CHROMIUM, NEEDS_CHROMIUM

playwright_api = pytest.importorskip("playwright.sync_api")
ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts" / "rapat"
PASSWORD = "kata-sandi-uji-123"
WIDTHS = (1366, 1280, 820, 390)

pytestmark = [
    pytest.mark.browser,
    NEEDS_CHROMIUM,
]


def log_in(page, base_url, username, next_url):
    page.goto(f"{base_url}/akun/masuk/?next={next_url}")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()


def fits(page, name):
    """Screenshot `page` at every width and assert nothing scrolls sideways."""
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.wait_for_timeout(50)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        page.screenshot(path=str(ARTIFACTS / f"{name}-{width}.png"), full_page=True)
        assert overflow <= 0, f"{name} at {width} px scrolls sideways by {overflow} px"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_secretariat_runs_a_meeting_and_member_agency_marks_its_decision_done(
    live_server, sekretariat, anggota_bappeda, anggota_bni, rapat_provinsi, bappeda, bank_bni, dinsos
):
    # Last meeting left a decision late: the new agenda must bring it up.
    Keputusan.objects.create(
        rapat=rapat_provinsi, teks="Verifikasi KPM dengan NIK ganda", instansi=dinsos, penanggung_jawab="Kasi Bansos",
        batas_waktu=timezone.localdate() - datetime.timedelta(days=3),
    )  # fmt: skip
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for old in ARTIFACTS.glob("langkah-*.png"):
        old.unlink()
    print(f"\nScreenshots: {ARTIFACTS}")
    base = live_server.url
    day = timezone.localdate() + datetime.timedelta(days=7)

    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu"])
        context = browser.new_context(
            viewport={"width": 1366, "height": 900}, locale="id-ID", timezone_id="Asia/Jakarta"
        )
        page = context.new_page()
        page.set_default_timeout(15_000)

        log_in(page, base, "sekretariat", "/monev/rapat/baru/")
        page.fill("#id_judul", "Rapat koordinasi Tikor BSP Desember")
        page.select_option("#id_wilayah", "31")
        page.fill("#id_tanggal", f"{day.isoformat()}T09:00")
        page.fill("#id_tempat", "Ruang rapat Dinas Sosial")
        page.get_by_label("Bappeda").check()
        page.get_by_label("BNI").check()
        page.screenshot(path=str(ARTIFACTS / "langkah-1-rapat-baru.png"), full_page=True)
        page.click("text=Buat rapat dan usulkan agenda")
        page.wait_for_url("**/agenda/")
        rapat = Rapat.objects.get(judul="Rapat koordinasi Tikor BSP Desember")
        assert "Verifikasi KPM dengan NIK ganda" in page.content()  # last meeting's late decision, with its link
        fits(page, "agenda")

        page.set_viewport_size({"width": 1366, "height": 900})
        page.fill("#id_agenda-0-uraian", "Dibahas pertama: keputusan yang terlambat.")
        page.click("text=Simpan agenda")
        page.wait_for_url(f"**/monev/rapat/{rapat.pk}/")
        assert rapat.agenda.first().uraian == "Dibahas pertama: keputusan yang terlambat."

        for teks, instansi, orang in (
            ("Menyusun mekanisme evaluasi tahun depan", "Bappeda", "Bambang Prasetyo"),
            ("Menyerahkan daftar KKS belum tersalur", "BNI", "Siti Rahmawati"),
        ):
            page.click("summary:has-text('Catat keputusan')")
            page.fill("#id_teks", teks)
            page.select_option("#id_instansi", label=instansi)
            page.fill("#id_penanggung_jawab", orang)
            page.fill("#id_batas_waktu", (day + datetime.timedelta(days=30)).isoformat())
            page.click("#form-keputusan button[type=submit]")
            page.wait_for_url(f"**/monev/rapat/{rapat.pk}/")
        assert list(rapat.keputusan.order_by("id").values_list("instansi__singkatan", "status")) == [
            ("Bappeda", "terbuka"),
            ("BNI", "terbuka"),
        ]
        page.screenshot(path=str(ARTIFACTS / "langkah-2-dua-keputusan.png"), full_page=True)
        fits(page, "rapat")
        page.goto(f"{base}/monev/rapat/")
        fits(page, "daftar-rapat")
        context.close()

        context = browser.new_context(
            viewport={"width": 390, "height": 844}, locale="id-ID", timezone_id="Asia/Jakarta", is_mobile=True,
            has_touch=True,
        )  # fmt: skip
        page = context.new_page()
        page.set_default_timeout(15_000)
        bappeda_decision = rapat.keputusan.get(instansi=bappeda)
        bni_decision = rapat.keputusan.get(instansi=bank_bni)
        log_in(page, base, "anggota.tikor", f"/monev/rapat/keputusan/{bni_decision.pk}/")
        assert page.locator("#form-progres").count() == 0  # not its agency's decision
        page.goto(f"{base}/monev/rapat/keputusan/{bappeda_decision.pk}/")
        page.select_option("#id_status", "selesai")
        page.fill("#id_catatan", "Rancangan mekanisme evaluasi disahkan Kepala Bappeda.")
        page.screenshot(path=str(ARTIFACTS / "langkah-3-anggota-isi-progres.png"), full_page=True)
        page.click("#form-progres button[type=submit]")
        page.wait_for_selector("text=Perkembangan keputusan dicatat.")
        bappeda_decision.refresh_from_db()
        bni_decision.refresh_from_db()
        assert (bappeda_decision.status, bni_decision.status) == ("selesai", "terbuka")
        page.screenshot(path=str(ARTIFACTS / "langkah-4-keputusan-selesai.png"), full_page=True)
        fits(page, "keputusan")
        page.goto(f"{base}/monev/rapat/keputusan/?filter=semua")
        fits(page, "daftar-keputusan")
        context.close()
        browser.close()
