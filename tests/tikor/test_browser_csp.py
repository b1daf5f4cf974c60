"""The main pages in Debian's chromium under the content security policy: not one violation, not one console
error. Login, dashboard, map, the visit form (its service worker registered), an e-warong's profile, its public
page."""

import datetime

import pytest
from django.db import connections
from django.urls import reverse

from monev.models import KodePublik, Laporan
from tests.browser import CHROMIUM, NEEDS_CHROMIUM
from tests.factories import EWarongFactory, KpmFactory

playwright_api = pytest.importorskip("playwright.sync_api")
PASSWORD = "kata-sandi-uji-123"

pytestmark = [
    pytest.mark.browser,
    NEEDS_CHROMIUM,
]

# The page reports every violation to itself before any script of the site runs.
WATCH_VIOLATIONS = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) =>
  window.cspViolations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`));
"""


def signed_in_page(p, base, username):
    """A chromium page that records every violation and console error, signed in as `username`; the login page
    itself must load without a violation."""
    browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
    context = browser.new_context(locale="id-ID", timezone_id="Asia/Jakarta")
    context.add_init_script(WATCH_VIOLATIONS)
    page = context.new_page()
    page.set_default_timeout(10_000)
    errors = []
    page.on("console", lambda m: errors.append(f"{page.url}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(f"{page.url}: {e}"))
    page.goto(f"{base}/akun/masuk/")
    assert page.evaluate("window.cspViolations") == []
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")
    return browser, page, errors


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_main_pages_load_without_csp_violation_or_console_error(live_server, penugasan_gambir):
    base = live_server.url
    ewarong = penugasan_gambir.ewarong
    kode = KodePublik.untuk(ewarong).kode
    pages = [
        ("/", "#dasbor, main"),
        ("/peta/", "#peta .leaflet-pane"),
        (f"/monev/penugasan/{penugasan_gambir.pk}/isi/", "#kunjungan-app"),
        (f"/monev/ewarong/{ewarong.pk}/", "main h1"),
        (f"/e-warong/{kode}/", "main h1"),
    ]

    with playwright_api.sync_playwright() as p:
        browser, page, errors = signed_in_page(p, base, "pendamping.gambir")

        seen = {}
        for path, selector in pages:
            response = page.goto(f"{base}{path}")
            assert response.status == 200, path
            assert "default-src 'self'" in response.headers["content-security-policy"], path
            page.wait_for_selector(selector, state="attached")
            page.wait_for_load_state("networkidle")
            if "/isi/" in path:
                # The offline form: its service worker registers under the policy.
                page.wait_for_function("navigator.serviceWorker.controller !== null")
            seen[path] = page.evaluate("window.cspViolations")
        browser.close()
        connections.close_all()

    assert seen == {path: [] for path, _ in pages}
    assert errors == []


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_style_attributes_are_refused_and_the_sizes_they_carried_still_apply(live_server, sekretariat):
    """The policy has no 'unsafe-inline' for styles: progress bars and chart boxes take their sizes from data
    attributes, the map's legend colours through the DOM (its tooltips take an e-warong's name as text), and the
    admin's export page (django-import-export) and history page (django-simple-history) run without a violation,
    the export page's "Select all" box included."""
    kpm = KpmFactory()
    # A name from an imported file, markup included: the map's tooltip must show it as text.
    EWarongFactory(nama='Warung <b id="suntik">Tebal</b>', latitude="-6.175400", longitude="106.827200")
    Laporan.objects.create(
        jenis="monev", bulan=datetime.date(2026, 10, 1), wilayah_id="31", dibuat_oleh=sekretariat,
        status="berjalan", persen=45, tahap="Menghitung skor 6T",
    )  # fmt: skip
    base = live_server.url
    pages = [
        "/",
        "/peta/",
        "/monev/laporan/",
        reverse("admin:penyaluran_kpm_export"),
        reverse("admin:penyaluran_kpm_history", args=[kpm.pk]),
    ]

    with playwright_api.sync_playwright() as p:
        browser, page, errors = signed_in_page(p, base, sekretariat.username)

        seen, measured = {}, {}
        for path in pages:
            response = page.goto(f"{base}{path}")
            assert response.status == 200, path
            assert "unsafe-inline" not in response.headers["content-security-policy"], path
            page.wait_for_load_state("networkidle")
            if path == "/":
                box = page.locator(".grafik-kanvas").first
                measured["grafik"] = (box.get_attribute("data-tinggi"), box.evaluate("e => e.offsetHeight"))
            elif path == "/peta/":
                page.wait_for_selector(".peta-legenda i")
                page.locator(".penanda-ewarong").first.hover()
                measured["tooltip"] = page.locator(".leaflet-tooltip").inner_text()
                measured["suntik"] = page.locator("#suntik").count()
                measured["legenda"] = page.eval_on_selector_all(
                    ".peta-legenda i", "els => els.map(e => getComputedStyle(e).backgroundColor)"
                )
            elif path == "/monev/laporan/":
                measured["kemajuan"] = page.eval_on_selector(
                    ".progress-bar", "e => Math.round(100 * e.offsetWidth / e.parentElement.offsetWidth)"
                )
            elif path.endswith("/export/"):
                fields = page.locator(".selectable-field-export-row input[type=checkbox]")
                assert fields.count() > 1
                page.uncheck("input.select-toggle")
                measured["pilih_semua"] = fields.evaluate_all("els => els.filter(e => e.checked).length")
            seen[path] = page.evaluate("window.cspViolations")
        browser.close()
        connections.close_all()

    assert seen == {path: [] for path in pages}
    assert errors == []
    tinggi, offset = measured["grafik"]
    assert int(tinggi) == offset
    # Each swatch of the legend is coloured, none transparent, and not all alike.
    assert "rgba(0, 0, 0, 0)" not in measured["legenda"]
    assert len(set(measured["legenda"])) > 1
    assert measured["tooltip"].startswith('Warung <b id="suntik">Tebal</b> (EW-')
    assert measured["suntik"] == 0
    assert 43 <= measured["kemajuan"] <= 47
    assert measured["pilih_semua"] == 0
