"""The e-warong list, an e-warong profile, the KPM search and a KPM page in a real browser, on the demo data, at
1366x768, 1280x800, 820x1180 and 390x844: no console error and no sideways scroll.

Drives Debian's chromium through Playwright. Screenshots go to test-artifacts/registri-halaman/ (git-ignored);
the test prints the folder.
"""

import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connections
from django.db.models import Count

from monev.models import Pengaduan
from penyaluran.registri.models import EWarong, Kpm
from tests.browser import CHROMIUM, NEEDS_CHROMIUM

playwright_api = pytest.importorskip("playwright.sync_api")
ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts" / "registri-halaman"
VIEWPORTS = [(1366, 768), (1280, 800), (820, 1180), (390, 844)]


pytestmark = [
    pytest.mark.browser,
    NEEDS_CHROMIUM,
]


def log_in(page, base_url, username, password):
    page.goto(f"{base_url}/akun/masuk/?next=/monev/ewarong/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base_url}/monev/ewarong/")


def demo_subjects():
    """The e-warong with the most complaints and findings, and a KPM complained about, from seed_demo's data."""
    ewarong = EWarong.objects.annotate(n=Count("pengaduan") + Count("temuan", distinct=True)).order_by("-n").first()
    kpm = Kpm.objects.get(pk=Pengaduan.objects.filter(kpm__isnull=False).values_list("kpm", flat=True)[0])
    return ewarong, kpm


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_registry_pages_fit_every_width_without_console_errors(live_server, demo_password):
    call_command("seed_demo", "--scale", "0.02", "--periode", "2", stdout=open("/dev/null", "w"))  # noqa: SIM115
    ewarong, kpm = demo_subjects()
    name_part = kpm.nama.split()[0][:4].lower()
    pages = {
        "daftar-ewarong": "/monev/ewarong/",
        "profil-ewarong": f"/monev/ewarong/{ewarong.pk}/",
        "cari-kpm": f"/monev/kpm/?q={name_part}",
        "halaman-kpm": f"/monev/kpm/{kpm.pk}/",
    }
    shutil.rmtree(ARTIFACTS, ignore_errors=True)
    ARTIFACTS.mkdir(parents=True)
    print(f"\nScreenshots: {ARTIFACTS}")
    problems = []

    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"],
        )
        for username in ("sekretariat", "anggota.tikor"):
            for width, height in VIEWPORTS:
                if username == "anggota.tikor" and width != 390:
                    continue  # the read-only role on a phone: masked numbers, no action buttons
                context = browser.new_context(
                    viewport={"width": width, "height": height},
                    is_mobile=width < 500,
                    has_touch=width < 1000,
                    locale="id-ID",
                    timezone_id="Asia/Jakarta",
                )
                # The site has no icon yet (templates/base.html, another change's); the browser's own request for
                # one is not an error of these pages.
                context.route("**/favicon.ico", lambda route: route.fulfill(status=204))
                page = context.new_page()
                page.set_default_timeout(20_000)
                errors = []
                page.on("console", lambda m, errors=errors: errors.append(m.text) if m.type == "error" else None)
                page.on("pageerror", lambda e, errors=errors: errors.append(str(e)))
                log_in(page, live_server.url, username, demo_password)
                for name, path in pages.items():
                    response = page.goto(f"{live_server.url}{path}")
                    assert response.status == 200, (username, path, response.status)
                    page.wait_for_load_state("networkidle")
                    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
                    if overflow > 0:
                        problems.append(f"{username} {width}px {name}: {overflow}px sideways scroll")
                    page.screenshot(path=ARTIFACTS / f"{username}-{width}-{name}.png", full_page=True)
                if width == 390 and username == "sekretariat":
                    page.goto(f"{live_server.url}/monev/ewarong/")
                    page.click("[data-bs-target='#filter-ewarong']")
                    page.wait_for_selector("#filter-ewarong.show")
                    page.screenshot(path=ARTIFACTS / f"{username}-{width}-daftar-ewarong-filter.png", full_page=True)
                if username == "anggota.tikor":
                    page.goto(f"{live_server.url}{pages['halaman-kpm']}")
                    identitas = page.inner_text("[data-testid=identitas]")
                    assert kpm.nik not in identitas
                    assert kpm.no_kk not in identitas
                    assert not kpm.nomor_kks or kpm.nomor_kks not in identitas
                problems += [f"{username} {width}px console: {e}" for e in errors]
                context.close()
        browser.close()
        connections.close_all()

    assert problems == []
