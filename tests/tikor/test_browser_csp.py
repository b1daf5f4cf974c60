"""The main pages in Debian's chromium under the content security policy: not one violation, not one console
error. Login, dashboard, map, the visit form (its service worker registered), an e-warong's profile, its public
page."""

import pytest
from django.db import connections

from monev.models import KodePublik
from tests.browser import CHROMIUM, NEEDS_CHROMIUM

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
        page.fill("#id_username", "pendamping.gambir")
        page.fill("#id_password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(f"{base}/")

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
