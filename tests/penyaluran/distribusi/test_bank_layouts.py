"""Bank files as banks send them, imported as a new user would: the profile made in its form from a sample of
the bank's file, then the file uploaded, previewed and saved through the pages. Five layouts written by hand:
pipe-delimited with the e-warong code in a name column, tab-delimited with English amounts, date and time in
two columns with outlets by EDC terminal id, an XLSX with title rows, and outlets by unknown terminal ids mapped
on the preview page."""

import contextlib
import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from penyaluran.distribusi.models import ImporBank, ProfilKolomBank, Transaksi
from penyaluran.registri.models import TerminalEdc
from tests.conftest import client_for
from tests.factories import EWarongFactory, KpmFactory, bni, eager_tasks, kredit, periode
from tikor.formatting import JAKARTA
from tikor.models import AuditLog, Bank

pytestmark = pytest.mark.django_db


@pytest.fixture
def juni():
    return periode(2021, 6)


@pytest.fixture
def world(juni):
    """Two BNI e-warong, three KPM with BNI cards, credited for June."""
    melati = EWarongFactory(kode="EW-317101-001", nama="e-Warong Melati")
    mawar = EWarongFactory(kode="EW-317101-002", nama="e-Warong Mawar")
    kpm = [KpmFactory(nomor_kks=f"600091000000{i:04d}", bank=bni(), ewarong=melati) for i in range(1, 4)]
    for one in kpm:
        kredit(juni, one)
    return {"melati": melati, "mawar": mawar, "kpm": kpm}


@pytest.fixture
def staff(client, sekretariat, django_capture_on_commit_callbacks):
    """The secretariat's browser; jobs sent on commit run at once, in the request (Celery eager)."""
    client = client_for(client, sekretariat)
    client.run_jobs = lambda: _running(django_capture_on_commit_callbacks)
    return client


@contextlib.contextmanager
def _running(capture):
    with eager_tasks(), capture(execute=True):
        yield


def jakarta(day, hour, minute, second=0):
    return datetime.datetime(2021, 6, day, hour, minute, second, tzinfo=JAKARTA)


def configure_profile(staff, bank, name, content, columns, **settings):
    """Make the bank's purchase profile as a user does: upload the sample and read it, pick the columns and
    formats and read again, then save. Returns the saved profile."""
    url = reverse("distribusi:profil_baru")
    base = {"bank": bank.pk, "jenis": "transaksi", "baris_judul": settings.pop("baris_judul", 0), **settings}
    read = staff.post(url, {**base, "contoh": SimpleUploadedFile(name, content), "aksi": "baca"})
    assert read.status_code == 200
    offered = read.context["headers"]
    assert set(columns.values()) <= set(offered), offered  # the form offers the file's own headers
    token = read.context["form"]["token"].value()
    chosen = {f"kolom_{field}": header for field, header in columns.items()}
    again = staff.post(url, {**base, **chosen, "token": token, "aksi": "baca"})
    assert again.context["problem"] == ""
    assert again.context["sample"], "the first rows are shown as the import reads them"
    assert all(not errors for _row, _values, errors in again.context["sample"])
    saved = staff.post(url, {**base, **chosen, "token": token, "aksi": "simpan"})
    assert saved.status_code == 302, saved.context and saved.context["problem"]
    return ProfilKolomBank.objects.get(bank=bank, jenis="transaksi")


def import_through_pages(staff, bank, name, content, **acknowledge):
    """Upload, preview and save a purchase file; returns (preview, write job)."""
    with staff.run_jobs():
        staff.post(
            reverse("distribusi:impor_bank"),
            {"bank": bank.pk, "jenis": "transaksi", "berkas": SimpleUploadedFile(name, content)},
        )
    preview = ImporBank.objects.filter(uji_coba=True).latest("pk")
    with staff.run_jobs():
        staff.post(reverse("distribusi:impor_bank_simpan", args=[preview.pk]), acknowledge)
    return preview, ImporBank.objects.filter(pratinjau=preview).first()


def stored():
    return {
        t.referensi: (t.ewarong.kode if t.ewarong else None, t.kpm_id is not None, t.waktu, t.jumlah)
        for t in Transaksi.objects.select_related("ewarong")
    }


def test_pipe_delimited_file_with_the_ewarong_code_in_a_name_column(staff, world):
    kks = [k.nomor_kks for k in world["kpm"]]
    content = "\n".join(
        [
            "NO REFERENSI|TGL TRX|JUMLAH (RP)|NO KARTU|NAMA E-WARONG|KETERANGAN",
            f"P-001|10/06/2021 09:15|120.000|{kks[0]}|EW-317101-001|belanja",
            f"P-002|10/06/2021 14:30|80.000|{kks[1]}|EW-317101-002|",
            f"P-003|11/06/2021 07:05|50.500|{kks[2]}|EW-317101-001|",
        ]
    ).encode()
    configure_profile(
        staff,
        bni(),
        "bni-juni.txt",
        content,
        {
            "referensi": "NO REFERENSI",
            "waktu": "TGL TRX",
            "jumlah": "JUMLAH (RP)",
            "nomor_kks": "NO KARTU",
            "kode_ewarong": "NAMA E-WARONG",
        },
        pemisah="|",
        format_waktu="%d/%m/%Y %H:%M",
        notasi_jumlah="id",
    )

    preview, write = import_through_pages(staff, bni(), "bni-juni.csv", content)

    assert (preview.baris_baru, preview.jumlah_tanpa_outlet, preview.peringatan) == (3, 0, [])
    assert stored() == {
        "P-001": ("EW-317101-001", True, jakarta(10, 9, 15), 120_000),
        "P-002": ("EW-317101-002", True, jakarta(10, 14, 30), 80_000),
        "P-003": ("EW-317101-001", True, jakarta(11, 7, 5), 50_500),
    }
    assert set(Transaksi.objects.values_list("impor_id", flat=True)) == {write.pk}


def test_tab_delimited_file_with_english_amounts(staff, world):
    kks = [k.nomor_kks for k in world["kpm"]]
    content = "\n".join(
        [
            "RRN\tTRX DATETIME\tAMOUNT\tCARD NO\tMERCHANT CODE",
            f"T-1\t2021-06-12 10:00:00\t1,250.00\t{kks[0]}\tEW-317101-002",
            f"T-2\t2021-06-12 10:05:00\t99,000.00\t{kks[1]}\tEW-317101-002",
        ]
    ).encode()
    configure_profile(
        staff,
        bni(),
        "bni.tsv.csv",
        content,
        {
            "referensi": "RRN",
            "waktu": "TRX DATETIME",
            "jumlah": "AMOUNT",
            "nomor_kks": "CARD NO",
            "kode_ewarong": "MERCHANT CODE",
        },
        pemisah="tab",
        notasi_jumlah="en",
    )

    import_through_pages(staff, bni(), "bni.csv", content)

    assert stored() == {
        "T-1": ("EW-317101-002", True, jakarta(12, 10, 0), 1_250),
        "T-2": ("EW-317101-002", True, jakarta(12, 10, 5), 99_000),
    }


def test_date_and_time_in_two_columns_with_outlets_by_terminal_id(staff, world):
    bank = bni()
    TerminalEdc.objects.create(bank=bank, terminal="TID00417", ewarong=world["melati"])
    # The terminal moved from Melati to Mawar on 15 June: each purchase goes where the terminal stood that day.
    TerminalEdc.objects.create(
        bank=bank, terminal="TID00999", ewarong=world["melati"], berlaku_sampai=datetime.date(2021, 6, 14)
    )
    TerminalEdc.objects.create(
        bank=bank, terminal="TID00999", ewarong=world["mawar"], berlaku_dari=datetime.date(2021, 6, 15)
    )
    kks = [k.nomor_kks for k in world["kpm"]]
    content = "\n".join(
        [
            "Ref;Tanggal;Jam;Nominal;KKS;TID",
            f"S1;10-06-2021;09.15;100000;{kks[0]};TID00417",
            f"S2;14-06-2021;23.59;60000;{kks[1]};TID00999",
            f"S3;15-06-2021;00.01;40000;{kks[2]};TID00999",
        ]
    ).encode()
    configure_profile(
        staff,
        bank,
        "bni-split.csv",
        content,
        {"referensi": "Ref", "waktu": "Tanggal", "jam": "Jam", "jumlah": "Nominal", "nomor_kks": "KKS",
         "terminal": "TID"},
        format_waktu="%d-%m-%Y",
        format_jam="%H.%M",
    )  # fmt: skip

    preview, _write = import_through_pages(staff, bank, "bni-split.csv", content)

    assert preview.peringatan == []  # real times: no "every purchase at midnight"
    assert stored() == {
        "S1": ("EW-317101-001", True, jakarta(10, 9, 15), 100_000),
        "S2": ("EW-317101-001", True, jakarta(14, 23, 59), 60_000),
        "S3": ("EW-317101-002", True, jakarta(15, 0, 1), 40_000),
    }
    assert Transaksi.objects.get(referensi="S1").terminal == "TID00417"


def test_xlsx_with_title_rows_above_the_header(staff, world):
    kks = [k.nomor_kks for k in world["kpm"]]
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["LAPORAN TRANSAKSI PROGRAM SEMBAKO"])
    sheet.append(["Periode: Juni 2021", None, "Dicetak: 01/07/2021"])
    sheet.append([])
    sheet.append(["No", "ID Transaksi", "Waktu Transaksi", "Nilai", "Nomor Kartu", "Kode Outlet"])
    sheet.append([1, "X-01", datetime.datetime(2021, 6, 20, 8, 30), 75000, kks[0], "EW-317101-001"])
    sheet.append([2, "X-02", datetime.datetime(2021, 6, 20, 16, 45, 10), 125000, kks[1], "EW-317101-002"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    content = buffer.getvalue()
    profile = configure_profile(
        staff,
        bni(),
        "bni.xlsx",
        content,
        {"referensi": "ID Transaksi", "waktu": "Waktu Transaksi", "jumlah": "Nilai", "nomor_kks": "Nomor Kartu",
         "kode_ewarong": "Kode Outlet"},
        baris_judul=4,
    )  # fmt: skip
    assert profile.baris_judul == 4

    import_through_pages(staff, bni(), "bni.xlsx", content)

    assert stored() == {
        "X-01": ("EW-317101-001", True, jakarta(20, 8, 30), 75_000),
        "X-02": ("EW-317101-002", True, jakarta(20, 16, 45, 10), 125_000),
    }


def test_outlets_by_unknown_terminal_ids_are_blocking_until_mapped_on_the_preview(staff, world):
    bank = bni()
    kks = [k.nomor_kks for k in world["kpm"]]
    content = "\n".join(
        [
            "reference,datetime,amount,card no,terminal id",
            f"U1,2021-06-21 10:00:00,30000,{kks[0]},EDC-A1",
            f"U2,2021-06-21 10:01:00,30000,{kks[1]},EDC-A1",
            f"U3,2021-06-21 11:00:00,45000,{kks[2]},EDC-B2",
        ]
    ).encode()
    configure_profile(
        staff,
        bank,
        "edc.csv",
        content,
        {"referensi": "reference", "waktu": "datetime", "jumlah": "amount", "nomor_kks": "card no",
         "terminal": "terminal id"},
    )  # fmt: skip

    preview, write = import_through_pages(staff, bank, "edc.csv", content)

    assert write is None  # refused: rows without an outlet were not allowed
    assert not Transaksi.objects.exists()
    assert (preview.jumlah_tanpa_outlet, preview.outlet_tak_dikenal) == (3, [["EDC-A1", 2], ["EDC-B2", 1]])
    page = staff.get(reverse("distribusi:impor_bank_detail", args=[preview.pk])).content.decode()
    assert "3 transaksi tidak cocok dengan e-warong" in page
    assert "EW-317101-002 · e-Warong Mawar" in page  # the bank's outlets offered for the mapping

    # A code of another bank's e-warong is refused, and nothing is registered.
    EWarongFactory(kode="EW-BRI-1", bank=Bank.objects.get(kode="BRI"))
    refused = staff.post(
        reverse("distribusi:impor_bank_terminal", args=[preview.pk]),
        {"terminal_0": "EDC-A1", "outlet_0": "EW-BRI-1", "terminal_1": "EDC-B2", "outlet_1": "EW-317101-002"},
        follow=True,
    )
    assert "EW-BRI-1 bukan kode e-warong atau agen bank BNI" in refused.content.decode()
    assert not TerminalEdc.objects.exists()

    with staff.run_jobs():
        staff.post(
            reverse("distribusi:impor_bank_terminal", args=[preview.pk]),
            {"terminal_0": "EDC-A1", "outlet_0": "EW-317101-001 · e-Warong Melati", "terminal_1": "EDC-B2",
             "outlet_1": "EW-317101-002"},
        )  # fmt: skip
    checked_again = ImporBank.objects.filter(uji_coba=True).latest("pk")
    assert checked_again.pk != preview.pk
    assert (checked_again.jumlah_tanpa_outlet, checked_again.baris_baru) == (0, 3)
    assert AuditLog.objects.filter(objek="penyaluran.terminaledc", jumlah_baris=2).exists()
    with staff.run_jobs():
        staff.post(reverse("distribusi:impor_bank_simpan", args=[checked_again.pk]))

    assert {ref: row[0] for ref, row in stored().items()} == {
        "U1": "EW-317101-001",
        "U2": "EW-317101-001",
        "U3": "EW-317101-002",
    }


def test_rows_without_an_outlet_are_saved_only_when_the_user_allows_it(staff, world):
    kks = world["kpm"][0].nomor_kks
    content = f"Referensi;Waktu;Jumlah;Nomor KKS;Terminal\nW1;2021-06-21 10:00:00;30000;{kks};EDC-NOWHERE\n".encode()

    preview, write = import_through_pages(staff, bni(), "w.csv", content)
    assert write is None
    assert not Transaksi.objects.exists()

    with staff.run_jobs():
        staff.post(reverse("distribusi:impor_bank_simpan", args=[preview.pk]), {"izinkan_tanpa_outlet": "1"})
    write = ImporBank.objects.get(pratinjau=preview)
    assert write.izinkan_tanpa_outlet
    assert stored()["W1"][0] is None


def test_the_profile_is_not_saved_when_the_sample_does_not_read(staff, world):
    content = b"Ref;Tanggal;Total Bayar;KKS;TID\nS1;10-06-2021 09:15;100000;6000910000000001;TID1\n"
    url = reverse("distribusi:profil_baru")
    base = {"bank": bni().pk, "jenis": "transaksi", "baris_judul": 0}
    read = staff.post(url, {**base, "contoh": SimpleUploadedFile("s.csv", content), "aksi": "baca"})
    token = read.context["form"]["token"].value()
    columns = {"kolom_referensi": "Ref", "kolom_waktu": "Tanggal", "kolom_jumlah": "Total Bayar",
               "kolom_nomor_kks": "KKS", "kolom_terminal": "TID"}  # fmt: skip

    wrong_format = staff.post(url, {**base, **columns, "token": token, "format_waktu": "%Y/%m/%d", "aksi": "simpan"})
    missing_column = staff.post(url, {**base, "kolom_referensi": "Ref", "token": token, "aksi": "simpan"})

    assert "1 dari 1 baris pertama tidak terbaca" in wrong_format.context["problem"]
    assert "Tanggal tidak dapat dibaca; tulis seperti %Y/%m/%d" in wrong_format.content.decode()
    assert "Kolom wajib tidak ditemukan: Jumlah" in missing_column.context["problem"]
    assert not ProfilKolomBank.objects.exists()


def test_unknown_profile_keys_are_refused():
    from django.core.exceptions import ValidationError

    profile = ProfilKolomBank(bank=bni(), jenis="transaksi", kolom={"referensi": "REF", "tgl": "TGL"})
    with pytest.raises(ValidationError, match="Isian tidak dikenal: tgl"):
        profile.full_clean()


def test_the_profile_knows_every_field_the_import_reads():
    from penyaluran.distribusi.bank_kolom import field_names

    for jenis in ProfilKolomBank.Jenis:
        assert tuple(field_names(jenis)) == ProfilKolomBank.FIELDS[jenis]


def test_only_the_secretariat_edits_profiles(client, tikor_jakpus):
    assert client_for(client, tikor_jakpus).get(reverse("distribusi:profil_list")).status_code == 403
    assert client.get(reverse("distribusi:profil_baru")).status_code == 403


def test_an_unknown_outlet_code_mapped_on_the_preview_places_its_purchases(staff, world, sekretariat):
    kks = world["kpm"][0].nomor_kks
    content = (
        "Referensi;Waktu;Jumlah;Nomor KKS;Kode E-Warong\n"
        f"K1;2021-06-21 10:00:00;30000;{kks};EWRG-LAMA-7\n"
        f"K2;2021-06-22 10:00:00;30000;{kks};EW-317101-002\n"
    ).encode()
    preview, _write = import_through_pages(staff, bni(), "k.csv", content)
    assert preview.outlet_tak_dikenal == [["EWRG-LAMA-7", 1]]

    with staff.run_jobs():
        staff.post(
            reverse("distribusi:impor_bank_terminal", args=[preview.pk]),
            {"terminal_0": "EWRG-LAMA-7", "outlet_0": "EW-317101-001"},
        )
    again = ImporBank.objects.filter(uji_coba=True).latest("pk")
    with staff.run_jobs():
        staff.post(reverse("distribusi:impor_bank_simpan", args=[again.pk]))

    assert again.jumlah_tanpa_outlet == 0
    assert {ref: row[0] for ref, row in stored().items()} == {"K1": "EW-317101-001", "K2": "EW-317101-002"}


def test_samples_of_profiles_never_saved_are_removed_a_day_later(staff, world, settings, tmp_path):
    import os
    import time

    from penyaluran.distribusi import profil

    settings.MEDIA_ROOT = tmp_path
    url = reverse("distribusi:profil_baru")
    base = {"bank": bni().pk, "jenis": "transaksi", "baris_judul": 0, "aksi": "baca"}
    content = b"Referensi;Waktu;Jumlah;Nomor KKS;Terminal\nA;2021-06-10 09:00:00;1000;6000910000000001;T\n"
    first = staff.post(url, {**base, "contoh": SimpleUploadedFile("a.csv", content)}).context["form"]["token"].value()
    folder = tmp_path / profil.PROFILE_SAMPLES / str(staff.session["_auth_user_id"])
    old = time.time() - profil.SAMPLE_KEPT_SECONDS - 60
    os.utime(folder / first, (old, old))

    second = staff.post(url, {**base, "contoh": SimpleUploadedFile("b.csv", content)}).context["form"]["token"].value()

    assert sorted(p.name for p in folder.iterdir()) == [second]
