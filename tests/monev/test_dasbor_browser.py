"""Each role's dashboard and the DKI map in Debian's chromium at four screen sizes: no console error, no sideways
scroll, the navbar on one line when wide, every kecamatan drawn, and the charts follow the filter.

The data is seed_demo's. Screenshots of every page and size go to test-artifacts/dasbor/ (git-ignored); the test
prints the folder.
"""

import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connections

from tests.browser import CHROMIUM, NEEDS_CHROMIUM

playwright_api = pytest.importorskip("playwright.sync_api")
ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts" / "dasbor"
SIZES = [(1366, 768), (1280, 800), (820, 1180), (390, 844)]
USERS = ["sekretariat", "tikor.jakpus", "pendamping.gambir", "anggota.tikor", "anggota.bni"]

pytestmark = [
    pytest.mark.browser,
    NEEDS_CHROMIUM,
]


@pytest.fixture
def demo(demo_password):
    call_command("seed_demo", "--scale", "0.02", "--periode", "2", stdout=io.StringIO())
    return demo_password


@pytest.fixture
def browser():
    with playwright_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def artifacts():
    ARTIFACTS.mkdir(parents=True, exist_ok=True)  # each screenshot is rewritten under its own name
    yield ARTIFACTS
    print(f"\nScreenshots: {ARTIFACTS}")


def open_as(browser, base, username, password, width, height):
    context = browser.new_context(
        viewport={"width": width, "height": height}, locale="id-ID", timezone_id="Asia/Jakarta"
    )
    page = context.new_page()
    page.errors = []
    page.on("console", lambda m: page.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    page.goto(f"{base}/akun/masuk/")
    page.fill("[name=username]", username)
    page.fill("[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")
    return context, page


def overflow(page):
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_every_dashboard_and_map_loads_clean_at_four_sizes(live_server, demo, browser, artifacts):
    for username in USERS:
        for width, height in SIZES:
            context, page = open_as(browser, live_server.url, username, demo, width, height)
            page.wait_for_load_state("networkidle")
            charts = page.evaluate("Object.keys(window.dasborCharts).length")
            nav = page.locator("nav.navbar").bounding_box()
            page.screenshot(path=artifacts / f"{username}-dasbor-{width}.png", full_page=True)

            assert charts >= 2, (username, width)
            assert overflow(page) <= 0, (username, width, "dashboard")
            if width >= 1280:
                assert nav["height"] < 70, (username, width, "the navbar wraps")
                page.get_by_test_id("menu-pengguna").click()
                assert page.get_by_role("button", name="Keluar").is_visible()
            if username == "pendamping.gambir":
                page.wait_for_function("document.getElementById('antrean-dasbor').dataset.jumlah !== undefined")
                assert "0 kunjungan" in page.get_by_test_id("antrean-dasbor").inner_text()

            page.goto(
                f"{live_server.url}/peta/?tingkat=kelurahan&ukuran=risiko"
                if width == 390
                else f"{live_server.url}/peta/"
            )
            page.wait_for_selector("#peta[data-siap='1']")
            page.screenshot(path=artifacts / f"{username}-peta-{width}.png", full_page=True)

            assert page.locator("#peta svg path.batas-kecamatan").count() == 44, (username, width)
            assert overflow(page) <= 0, (username, width, "map")
            assert page.errors == [], (username, width)
            context.close()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_filter_change_redraws_the_charts_and_the_address_can_be_shared(live_server, demo, browser, artifacts):
    context, page = open_as(browser, live_server.url, "sekretariat", demo, 1366, 768)
    page.wait_for_load_state("networkidle")
    before = page.evaluate("window.dasborCharts['grafik-tren'].data.datasets[0].data")
    assert page.locator("#grafik-per-kota").count() == 1

    page.select_option("#f-kota", "31.71")
    page.wait_for_url("**/?*kota=31.71*")
    page.wait_for_function("document.getElementById('grafik-per-kota') === null")
    after = page.evaluate("window.dasborCharts['grafik-tren'].data.datasets[0].data")
    page.screenshot(path=artifacts / "sekretariat-dasbor-jakarta-pusat-1366.png", full_page=True)

    assert after != before
    assert sum(after) < sum(before)
    assert page.locator("#grafik-per-kecamatan").count() == 1
    kecamatan = page.evaluate("window.dasborCharts['grafik-per-kecamatan'].data.labels")
    assert "Gambir" in kecamatan
    assert "Tebet" not in kecamatan
    assert "Jakarta Pusat" in page.get_by_test_id("filter-label").inner_text()

    shared = page.url  # the same address opened afresh shows the same figures
    page.goto(shared)
    page.wait_for_load_state("networkidle")
    assert page.evaluate("window.dasborCharts['grafik-tren'].data.datasets[0].data") == after
    assert page.errors == []
    context.close()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_click_on_an_ewarong_dot_opens_its_profile(live_server, demo, browser, artifacts):
    from penyaluran.registri.models import EWarong

    context, page = open_as(browser, live_server.url, "sekretariat", demo, 1366, 768)
    page.goto(f"{live_server.url}/peta/")
    page.wait_for_selector("#peta[data-siap='1']")
    dots = page.locator("#peta svg path.penanda-ewarong")

    assert dots.count() == EWarong.objects.filter(kelurahan__isnull=False).count()
    dots.first.dispatch_event("click")
    page.wait_for_url("**/monev/ewarong/*/")
    page.wait_for_load_state("networkidle")  # the page answered: the live server holds no request open
    pk = int(page.url.rstrip("/").rsplit("/", 1)[1])
    assert EWarong.objects.filter(pk=pk).exists()
    context.close()
    # Inside Playwright's loop Django opened a connection of its own; close it so the test database can go.
    connections.close_all()
