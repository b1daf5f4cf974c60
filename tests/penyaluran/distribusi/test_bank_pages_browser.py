"""The bank-file pages in a real browser, as the secretariat uses them: a profile made from a sample file
(pipe-delimited, date and time in two columns, outlets by terminal id), a purchase file whose unknown terminal
is mapped on the preview, the warning read, the file saved and rolled back. Each page is then looked at
1366, 1280, 820 and 390 px wide: no sideways scroll, no console error.

Drives Debian's chromium through Playwright; screenshots go to test-artifacts/berkas-bank/ (git-ignored), and
the test prints the folder.
"""

import shutil
from pathlib import Path

import pytest
from django.conf import settings

from penyaluran.distribusi.models import ImporBank, ProfilKolomBank, Transaksi
from penyaluran.registri.models import TerminalEdc
from tests.browser import CHROMIUM, NEEDS_CHROMIUM
from tests.factories import EWarongFactory, KpmFactory, UserFactory, bni, eager_tasks, periode
from tikor.models import Role

playwright_api = pytest.importorskip("playwright.sync_api")
ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts" / "berkas-bank"
PASSWORD = "kata-sandi-uji-123"
WIDTHS = ((1366, 768), (1280, 800), (820, 1180), (390, 844))

pytestmark = [
    pytest.mark.browser,
    NEEDS_CHROMIUM,
]


def sample(kks, outlets):
    lines = ["NO REFERENSI|TGL TRX|JAM TRX|JUMLAH (RP)|NO KARTU|TID"]
    for i in range(24):
        lines.append(
            f"B-{i:03d}|{10 + i % 10:02d}/06/2021|{8 + i % 9:02d}:{i:02d}:00|{50 + i}.000|{kks[i % 3]}|{outlets[i % 3]}"
        )
    return ("\n".join(lines) + "\n").encode()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_secretariat_configures_a_layout_maps_a_terminal_saves_and_rolls_back(live_server, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    shutil.rmtree(ARTIFACTS, ignore_errors=True)
    ARTIFACTS.mkdir(parents=True)
    print(f"\nScreenshots: {ARTIFACTS}")
    UserFactory(username="sekretariat", role=Role.SEKRETARIAT, password=PASSWORD)
    periode(2021, 6)
    melati, mawar = EWarongFactory(kode="EW-1", nama="e-Warong Melati"), EWarongFactory(kode="EW-2", nama="Mawar")
    kpm = [KpmFactory(nomor_kks=f"600091000000{i:04d}", ewarong=melati) for i in range(1, 4)]
    TerminalEdc.objects.create(bank=bni(), terminal="TID-1", ewarong=melati)
    TerminalEdc.objects.create(bank=bni(), terminal="TID-2", ewarong=mawar)
    path = tmp_path / "bni-juni.txt"
    path.write_bytes(sample([k.nomor_kks for k in kpm], ["TID-1", "TID-2", "TID-BARU"]))
    base = live_server.url
    errors = []

    with eager_tasks(), playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"],
        )
        page = browser.new_page(viewport={"width": 1366, "height": 768}, locale="id-ID")
        page.set_default_timeout(20_000)
        page.on("console", lambda m: m.type == "error" and errors.append(m.text))
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("response", lambda r: r.status >= 400 and errors.append(f"{r.status} {r.url}"))
        page.goto(f"{base}/akun/masuk/?next=/distribusi/profil/baru/")
        page.fill("#id_username", "sekretariat")
        page.fill("#id_password", PASSWORD)
        page.click("button[type=submit]")

        # 1. The profile, from the sample.
        page.select_option("#id_bank", str(bni().pk))
        page.select_option("#id_jenis", "transaksi")
        page.select_option("#id_pemisah", "|")
        page.set_input_files("#id_contoh", path)
        page.click("button[value=baca]")
        page.wait_for_selector("#id_kolom_jam")
        for field, header in {"referensi": "NO REFERENSI", "waktu": "TGL TRX", "jam": "JAM TRX",
                              "jumlah": "JUMLAH (RP)", "nomor_kks": "NO KARTU", "terminal": "TID"}.items():  # fmt: skip
            page.select_option(f"#id_kolom_{field}", header)
        page.fill("#id_format_waktu", "%d/%m/%Y")
        page.select_option("#id_notasi_jumlah", "id")
        page.click("button[value=baca]")
        page.wait_for_selector("text=20 baris pertama seperti yang akan dibaca impor")
        assert page.locator("table.small tbody tr").count() == 20
        assert page.locator("tr.table-danger").count() == 0
        page.screenshot(path=ARTIFACTS / "01-profil-dibaca.png", full_page=True)
        page.click("button[value=simpan]")
        page.wait_for_url(f"{base}/distribusi/profil/")
        profile = ProfilKolomBank.objects.get(bank=bni(), jenis="transaksi")
        assert (profile.kolom["jam"], profile.pemisah, profile.format_waktu) == ("JAM TRX", "|", "%d/%m/%Y")

        # 2. The file: one unknown terminal, mapped on the preview; the missing credits warned of.
        page.goto(f"{base}/distribusi/impor/")
        page.select_option("#id_bank", str(bni().pk))
        page.select_option("#id_jenis", "transaksi")
        page.set_input_files("#id_berkas", path)
        page.click("text=Unggah dan pratinjau")
        page.wait_for_selector("text=8 transaksi tidak cocok")
        page.screenshot(path=ARTIFACTS / "02-pratinjau-terminal-tak-dikenal.png", full_page=True)
        page.fill("input[name=outlet_0]", "EW-2 · Mawar")
        page.click("text=Petakan dan periksa ulang")
        page.wait_for_selector("text=1 terminal dipetakan")
        page.wait_for_selector("button:has-text('Simpan 24 baris baru')")
        assert page.locator("text=tidak cocok dengan e-warong").count() == 0
        page.screenshot(path=ARTIFACTS / "03-pratinjau-dengan-peringatan.png", full_page=True)
        page.check("input[name=peringatan_diterima]")
        page.click("button:has-text('Simpan 24 baris baru')")
        page.wait_for_selector("text=24 baris baru disimpan")
        assert Transaksi.objects.filter(ewarong=mawar).count() == 16
        write = ImporBank.objects.get(uji_coba=False)

        # 3. Rolled back.
        page.click("summary:has-text('Batalkan impor ini')")
        page.check("input[name=yakin]")
        page.click("button:has-text('Batalkan impor')")
        page.wait_for_selector("text=Impor dibatalkan: 24 baris dihapus")
        assert not Transaksi.objects.exists()
        page.screenshot(path=ARTIFACTS / "04-impor-dibatalkan.png", full_page=True)

        pages = {
            "profil-daftar": "/distribusi/profil/",
            "profil-ubah": f"/distribusi/profil/{profile.pk}/",
            "impor": "/distribusi/impor/",
            "pratinjau": f"/distribusi/impor/{write.pratinjau_id}/",
            "dibatalkan": f"/distribusi/impor/{write.pk}/",
            "realisasi": "/distribusi/",
        }
        for width, height in WIDTHS:
            page.set_viewport_size({"width": width, "height": height})
            for name, url in pages.items():
                page.goto(base + url)
                overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
                assert overflow <= 0, f"{url} at {width} px scrolls sideways by {overflow} px"
                page.screenshot(path=ARTIFACTS / f"{width}-{name}.png", full_page=True)
        browser.close()

    assert errors == []
