"""NIK, No KK and KKS in full: the secretariat wherever it works, the pendamping of the area on a KPM's page only,
nobody else; a full number shown on a page is logged, and logs never hold one (tikor.nik.may_see_full_numbers)."""

import io
import logging
import sys

import pytest
from django.core.files import File
from django.urls import reverse
from openpyxl import load_workbook

from monev.laporan.pembaca import pembaca
from monev.models import Pengaduan, Temuan
from penyaluran.distribusi import rekonsiliasi
from penyaluran.registri.imports import create_job, run_job
from penyaluran.registri.models import Kpm
from tests.conftest import KEL_GAMBIR, KEL_TANAH_ABANG, visible_text
from tests.factories import KpmFactory, kredit, make_nik, make_no_kk, periode
from tests.registry_files import write_xlsx
from tikor.logfilter import MaskPersonNumbers
from tikor.models import AuditLog
from tikor.nik import mask_nik, may_see_full_numbers
from tikor.scoping import SEMUA

pytestmark = pytest.mark.django_db

KKS = "5264221234567890"


@pytest.fixture
def siti(db):
    return KpmFactory(nama="SITI RAHMAWATI", kelurahan_id=KEL_GAMBIR, nomor_kks=KKS)


@pytest.fixture
def people(sekretariat, pendamping_gambir, pendamping_tanah_abang, tikor_jakpus, anggota_tikor):
    return {
        "sekretariat": sekretariat,
        "pendamping_gambir": pendamping_gambir,
        "pendamping_tanah_abang": pendamping_tanah_abang,
        "tikor_jakpus": tikor_jakpus,
        "anggota_tikor": anggota_tikor,
    }


def test_the_rule_gives_full_numbers_to_the_secretariat_and_on_a_kpm_page_to_its_pendamping(people, siti):
    other = KpmFactory(kelurahan_id=KEL_TANAH_ABANG)
    everywhere = {name: may_see_full_numbers(user) for name, user in people.items()}
    on_siti = {name: may_see_full_numbers(user, siti) for name, user in people.items()}

    assert everywhere == {
        "sekretariat": True,
        "pendamping_gambir": False,
        "pendamping_tanah_abang": False,
        "tikor_jakpus": False,
        "anggota_tikor": False,
    }
    assert on_siti == {**everywhere, "pendamping_gambir": True}
    assert not may_see_full_numbers(people["pendamping_gambir"], other)
    assert may_see_full_numbers(SEMUA)
    assert not may_see_full_numbers(None)
    # A report reads as its asker: full numbers for the secretariat's reports only.
    assert pembaca(people["sekretariat"], "31").full_numbers
    assert not pembaca(people["pendamping_gambir"], "31.71.01").full_numbers
    assert not pembaca(None, "31").full_numbers


def test_full_numbers_on_the_kpm_page_by_role_and_each_view_is_logged(client, people, siti):
    page = reverse("monev:kpm", args=[siti.pk])
    seen = {}
    for name, user in people.items():
        client.force_login(user)
        response = client.post(page)  # "Tampilkan lengkap"
        body = response.content.decode() if response.status_code == 200 else ""
        seen[name] = (response.status_code, siti.nik in body, KKS in body, siti.no_kk in body)
        if response.status_code == 200:
            assert siti.nik_tersamar in client.get(page).content.decode()  # masked until asked for

    full, masked = (200, True, True, True), (200, False, False, False)
    assert seen == {
        "sekretariat": full,
        "pendamping_gambir": full,
        "pendamping_tanah_abang": (404, False, False, False),
        "tikor_jakpus": masked,
        "anggota_tikor": masked,  # the KKS card number too, not only the NIK
    }
    logged = AuditLog.objects.filter(aksi=AuditLog.Aksi.LIHAT)
    assert sorted(log.pengguna.username for log in logged) == ["pendamping.gambir", "sekretariat"]
    assert all(log.keterangan["kpm"] == siti.pk for log in logged)


def test_search_admin_and_exports_show_full_numbers_to_the_secretariat_only(client, people, siti):
    results = {}
    for name in ("sekretariat", "pendamping_gambir", "tikor_jakpus", "anggota_tikor"):
        client.force_login(people[name])
        search = client.get(reverse("monev:kpm_cari"), {"q": "SITI"}).content.decode()
        admin_list = client.get(reverse("admin:penyaluran_kpm_changelist")).content.decode()
        export = client.get(reverse("penyaluran:ekspor", args=["kpm"]), {"format": "csv"})
        exported = b"".join(export.streaming_content).decode("utf-8-sig")
        results[name] = (
            "SITI RAHMAWATI" in search and siti.nik not in search and KKS not in search,
            siti.nik in admin_list,
            siti.nik in exported and KKS in exported,
            siti.nik_tersamar in exported,
        )

    assert results == {
        "sekretariat": (True, True, True, False),
        "pendamping_gambir": (True, False, False, True),
        "tikor_jakpus": (True, False, False, True),
        "anggota_tikor": (True, False, False, True),
    }


def test_reconciliation_lines_and_report_readers_are_masked_but_for_the_secretariat(people, siti):
    juni = periode(2021, 6)
    siti.status = Kpm.Status.MENINGGAL
    siti.save()
    kredit(juni, siti)
    rekonsiliasi.hitung(juni)
    aturan = rekonsiliasi.BY_KODE["tidak_aktif"]

    def niks(reader):
        stored = [line["baris_nik"] for line in rekonsiliasi.baris_tersimpan(aturan, juni, reader)]
        live = [line.nik for line in rekonsiliasi.lines(aturan, juni, reader)]
        assert stored == live
        return stored

    assert niks(people["sekretariat"]) == [siti.nik]
    for name in ("pendamping_gambir", "tikor_jakpus", "anggota_tikor"):
        assert niks(people[name]) == [mask_nik(siti.nik)], name
    # A report built for the pendamping (monev.laporan) reads the same lines.
    assert niks(pembaca(people["pendamping_gambir"], "31.71.01")) == [mask_nik(siti.nik)]


def test_the_missing_rows_file_of_an_import_is_masked_unless_the_importer_may_see_full_numbers(
    client, tmp_path, sekretariat, tikor_jakpus
):
    gone = KpmFactory(nama="TIDAK ADA LAGI")
    rows = [["NIK", "No KK", "Nama KPM", "Kelurahan", "Kecamatan", "Bank", "Status"]]
    rows.append([make_nik(serial=700), make_no_kk(serial=700), "KPM BARU", "Gambir", "Gambir", "BNI", "Aktif"])
    path = write_xlsx(tmp_path / "kpm.xlsx", rows)
    # A kota's staff given the import right, but not full numbers.
    tikor_jakpus.user_permissions.add(*_perm("impor_registri"))

    def missing_file(user):
        with path.open("rb") as f:
            job = create_job("kpm", File(f, name="kpm.xlsx"), user=user, dry_run=True, complete=True)
        run_job(job.pk)
        job.refresh_from_db()
        sheet = load_workbook(io.BytesIO(job.berkas_tidak_ada.read())).active
        return job, [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]

    job_kota, niks_kota = missing_file(tikor_jakpus)
    job_sekretariat, niks_sekretariat = missing_file(sekretariat)

    assert niks_kota == [mask_nik(gone.nik)]
    assert niks_sekretariat == [gone.nik]
    client.force_login(tikor_jakpus)
    assert client.get(reverse("penyaluran:impor_tidak_ada", args=[job_sekretariat.pk])).status_code == 403
    client.force_login(sekretariat)
    assert client.get(reverse("penyaluran:impor_tidak_ada", args=[job_sekretariat.pk])).status_code == 200


def _perm(codename):
    from django.contrib.auth.models import Permission

    return Permission.objects.filter(content_type__app_label="penyaluran", codename=codename)


def test_the_log_filter_masks_16_to_20_digit_numbers_in_messages_and_tracebacks():
    nik = "3171015505800011"
    try:
        raise ValueError(f"NIK {nik} ganda")
    except ValueError:
        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "baris %s: NIK %s, KKS %s", (7, nik, KKS), None)
        record.exc_info = sys.exc_info()

    assert MaskPersonNumbers().filter(record)
    assert record.getMessage() == f"baris 7: NIK {mask_nik(nik)}, KKS {mask_nik(KKS)}"
    assert nik not in record.exc_text
    assert mask_nik(nik) in record.exc_text


def test_the_site_log_handlers_mask_numbers():
    """settings.LOGGING puts the filter on its handlers: what reaches the console has no whole NIK."""
    handlers = [h for h in logging.getLogger().handlers if any(isinstance(f, MaskPersonNumbers) for f in h.filters)]
    assert handlers
    stream = io.StringIO()
    previous = handlers[0].setStream(stream)
    try:
        logging.getLogger("tikor.impor").warning("baris 3: NIK %s sudah terdaftar", "3171015505800011")
    finally:
        handlers[0].setStream(previous)

    assert "3171**********11" in stream.getvalue()
    assert "3171015505800011" not in stream.getvalue()


def test_numbers_typed_into_free_text_are_masked_for_roles_that_may_not_see_them(people, penugasan_gambir, client):
    """A complaint, a finding and its follow-up are free text: whoever reads them in the area sees a NIK or No KK
    typed into them masked, unless it may see full numbers anywhere (the secretariat)."""
    nik, no_kk = make_nik(KEL_GAMBIR), make_no_kk(KEL_GAMBIR)
    ewarong = penugasan_gambir.ewarong
    pengaduan = Pengaduan.objects.create(
        kanal="sms1708", ewarong=ewarong, kategori="jumlah", isi=f"NIK saya {nik}, saldo terpotong.", anonim=True
    )
    temuan = Temuan.objects.create(
        ewarong=ewarong, judul="Kartu ditahan", uraian=f"KK {no_kk} dititipkan di agen.", aspek="jumlah",
        keparahan="tinggi", dibuat_oleh=people["sekretariat"],
    )  # fmt: skip
    temuan.tindak_lanjut.create(
        uraian=f"Kembalikan kartu KK {no_kk}", penanggung_jawab="Agen", batas_waktu=temuan.batas_waktu
    )
    pages = [reverse("monev:pengaduan", args=[pengaduan.pk]), reverse("monev:temuan", args=[temuan.pk])]

    shown = {}
    for name in ("sekretariat", "pendamping_gambir", "tikor_jakpus"):
        client.force_login(people[name])
        text = "".join(visible_text(client.get(page)) for page in pages)
        shown[name] = {
            "nik": nik in text, "nik_tersamar": mask_nik(nik) in text,
            "kk": text.count(no_kk), "kk_tersamar": text.count(mask_nik(no_kk)),
        }  # fmt: skip

    assert shown["sekretariat"] == {"nik": True, "nik_tersamar": False, "kk": 2, "kk_tersamar": 0}
    masked = {"nik": False, "nik_tersamar": True, "kk": 0, "kk_tersamar": 2}
    assert shown["pendamping_gambir"] == masked
    assert shown["tikor_jakpus"] == masked

    # The admin: masked in lists and on the pages a role may only view; as typed where it may change the record.
    admin_pages = [
        reverse("admin:monev_pengaduan_change", args=[pengaduan.pk]),
        reverse("admin:monev_temuan_change", args=[temuan.pk]),
        reverse("admin:monev_tindaklanjut_changelist"),
    ]
    in_admin = {}
    for name in ("sekretariat", "pendamping_gambir", "tikor_jakpus"):
        client.force_login(people[name])
        responses = [client.get(page) for page in admin_pages]
        assert [r.status_code for r in responses] == [200, 200, 200], name
        text = "".join(r.content.decode() for r in responses)
        in_admin[name] = (nik in text, mask_nik(nik) in text, no_kk in text, mask_nik(no_kk) in text)

    assert in_admin["sekretariat"] == (True, False, True, False)
    assert in_admin["tikor_jakpus"] == (False, True, False, True)
    # The pendamping may change the complaint and the finding (its field work): their text stays editable as typed;
    # the list of follow-ups is masked.
    assert in_admin["pendamping_gambir"] == (True, False, True, True)
