"""Bank files as banks really write them: amounts in every notation, times with offsets or at midnight, a
reference given twice, spaces, encodings; and imports that overlap with each other or with closing a period.

Each case here once imported a wrong value silently or failed without naming the row.
"""

import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, connections
from openpyxl import Workbook, load_workbook

from penyaluran.distribusi import bank_files, bank_staging
from penyaluran.distribusi.models import Periode, ProfilKolomBank, Transaksi
from penyaluran.distribusi.periode import tutup_periode
from tests.conftest import run_at_once
from tests.factories import EWarongFactory, KpmFactory, bni, periode
from tikor.jobs import JobStatus
from tikor.models import AuditLog, Bank

pytestmark = pytest.mark.django_db
TRANSAKSI = ProfilKolomBank.Jenis.TRANSAKSI
HEADER = "Referensi;Waktu;Jumlah;Nomor KKS;NIK;Terminal"
JAKARTA = datetime.timezone(datetime.timedelta(hours=7))


@pytest.fixture
def kpm():
    return KpmFactory(nama="SITI", nomor_kks="6000910000000011", ewarong=EWarongFactory(kode="EW-317101-001"))


def purchases(tmp_path, rows, name="trx.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(("\n".join([HEADER, *rows]) + "\n").encode(encoding))
    return path


def line(ref, amount, when="2021-06-10 09:00:00"):
    return f"{ref};{when};{amount};6000910000000011;;EW-317101-001"


def stored():
    return dict(Transaksi.objects.values_list("referensi", "jumlah"))


def test_amounts_are_read_in_every_notation_and_a_fraction_of_a_rupiah_is_refused(tmp_path, kpm):
    periode(2021, 6)
    path = purchases(
        tmp_path,
        [
            line("A1", "200000.0"),
            line("A2", "Rp 200.000,00"),
            line("A3", "200,000"),
            line("A4", "1.500.000"),
            line("A5", "150000.5"),
            line("A6", "3000000000"),
            line("A7", "²"),
        ],
    )

    result = bank_files.import_file(bni(), TRANSAKSI, path, dry_run=False, skip_invalid=True, refresh=False)

    assert stored() == {"A1": 200_000, "A2": 200_000, "A3": 200_000, "A4": 1_500_000}
    assert [(e.row, e.column, e.value) for e in result.errors] == [
        (6, "Jumlah", "150000.5"),
        (7, "Jumlah", "3000000000"),
        (8, "Jumlah", "²"),
    ]
    assert "terlalu besar" in result.errors[1].message


def test_times_with_an_offset_count_in_jakarta_and_midnight_from_excel_is_read(tmp_path, kpm):
    periode(2021, 6)
    periode(2021, 7)
    path = purchases(
        tmp_path,
        [
            line("T1", "1000", "2021-06-10 09:15+07"),
            line("T2", "1000", "2021-06-30T20:00:00+00:00"),  # 1 July, 03:00 in Jakarta
        ],
    )
    workbook = Workbook()
    workbook.active.append(HEADER.split(";"))
    workbook.active.append(["T3", datetime.datetime(2021, 6, 12, 0, 0), 1000, "6000910000000011", "", "EW-317101-001"])
    workbook.save(tmp_path / "trx.xlsx")

    first = bank_files.import_file(bni(), TRANSAKSI, path, dry_run=False, refresh=False)
    second = bank_files.import_file(bni(), TRANSAKSI, tmp_path / "trx.xlsx", dry_run=False, refresh=False)

    assert (first.new, first.errors, second.new, second.errors) == (2, [], 1, [])
    rows = {t.referensi: t for t in Transaksi.objects.select_related("periode")}
    assert rows["T1"].waktu == datetime.datetime(2021, 6, 10, 9, 15, tzinfo=JAKARTA)
    assert (rows["T2"].periode.bulan, rows["T2"].waktu.astimezone(JAKARTA).hour) == (7, 3)
    assert rows["T3"].waktu == datetime.datetime(2021, 6, 12, 0, 0, tzinfo=JAKARTA)


def test_a_reference_given_twice_is_an_invalid_row_in_the_preview_and_in_the_write(tmp_path, kpm):
    periode(2021, 6)
    path = purchases(tmp_path, [line("D1", "1000"), line("D1", "5000"), line("D2", "1000")])

    preview = bank_files.import_file(bni(), TRANSAKSI, path, dry_run=True, refresh=False)
    refused = bank_files.import_file(bni(), TRANSAKSI, path, dry_run=False, refresh=False)
    skipped = bank_files.import_file(bni(), TRANSAKSI, path, dry_run=False, skip_invalid=True, refresh=False)

    assert [str(e) for e in preview.errors] == [
        "Baris 3, kolom Referensi “D1”: referensi ini sudah dipakai baris 2 di berkas ini; satu referensi bank "
        "hanya untuk satu transaksi."
    ]
    assert (preview.refused, refused.refused, refused.new) == (True, True, 0)
    assert (skipped.new, skipped.existing, skipped.invalid) == (2, 0, 1)
    assert stored() == {"D1": 1000, "D2": 1000}
    rejected = list(load_workbook(__import__("io").BytesIO(skipped.rejected_file)).active.values)
    assert [row[:4] for row in rejected[1:]] == [(3, "D1", "2021-06-10 09:00:00", "5000")]


def test_inner_spaces_of_a_reference_are_read_alike_on_every_path(tmp_path, kpm):
    periode(2021, 6)
    plain = purchases(tmp_path, [line("A  1", "120000")], "a.csv")
    formatted = purchases(tmp_path, [line("A  1", "120.000")], "b.csv")  # the full check's path

    bank_files.import_file(bni(), TRANSAKSI, plain, dry_run=False, refresh=False)
    again = bank_files.import_file(bni(), TRANSAKSI, formatted, dry_run=False, refresh=False)

    assert (again.new, again.existing) == (0, 1)
    assert stored() == {"A 1": 120_000}


def test_a_windows_1252_file_is_recognised_by_a_character_far_down(tmp_path, kpm):
    periode(2021, 6)
    rows = [line(f"R{i:05d}", "1000") for i in range(2000)]  # about 110 KB of ASCII first
    rows.append("RX;2021-06-10 09:00:00;1000;6000910000000011;;EDC-PASAR-SENÉN")
    path = purchases(tmp_path, rows, encoding="cp1252")

    result = bank_files.import_file(bni(), TRANSAKSI, path, dry_run=False, refresh=False, allow_without_outlet=True)

    assert (result.new, result.errors) == (2001, [])
    assert Transaksi.objects.get(referensi="RX").terminal == "EDC-PASAR-SENÉN"


@pytest.mark.parametrize("delimiter", ["|", "\t"])
def test_a_file_delimited_by_a_bar_or_a_tab_is_read_like_one_with_semicolons(tmp_path, kpm, delimiter):
    periode(2021, 6)
    rows = [line("B1", "120.000"), line("B2", "80000", "10/06/2021 14:00:00"), line("B3", "Rp 5.000,00")]
    path = purchases(tmp_path, rows)
    path.write_text(path.read_text().replace(";", delimiter))

    result = bank_files.import_file(bni(), TRANSAKSI, path, dry_run=False, refresh=False)

    assert (result.rows_read, result.new, result.errors) == (3, 3, [])
    assert stored() == {"B1": 120_000, "B2": 80_000, "B3": 5_000}
    assert Transaksi.objects.filter(kpm=kpm, ewarong__kode="EW-317101-001").count() == 3


def test_a_write_job_is_audited_and_a_failed_refresh_keeps_the_rows_and_says_what_to_run(
    tmp_path, kpm, sekretariat, monkeypatch
):
    periode(2021, 6)
    content = purchases(tmp_path, [line("J1", "1000")]).read_bytes()
    job = bank_files.create_job(
        bni(), TRANSAKSI, SimpleUploadedFile("trx.csv", content), user=sekretariat, dry_run=False
    )

    def broken(periode):
        raise RuntimeError("redis down")

    monkeypatch.setattr(bank_files, "refresh_after_import", broken)
    bank_files.run_job(job.pk)

    job.refresh_from_db()
    assert (job.status, job.baris_baru, stored()) == (JobStatus.SELESAI, 1, {"J1": 1000})
    assert "perbarui_ringkasan 2021 6" in job.pesan
    audit = AuditLog.objects.get(aksi=AuditLog.Aksi.IMPOR)
    assert (audit.pengguna, audit.objek, audit.jumlah_baris) == (sekretariat, "penyaluran.transaksi", 1)


postgres_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks and partitions")


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_period_closed_while_its_file_is_checked_gets_nothing(tmp_path, kpm, monkeypatch):
    juni = periode(2021, 6)
    path = purchases(tmp_path, [line("C1", "1000"), line("C2", "1000")])

    def close_elsewhere(result):
        if result.rows_read == 1:
            thread = threading.Thread(
                target=lambda: (tutup_periode(Periode.objects.get(pk=juni.pk)), connections.close_all())
            )
            thread.start()
            thread.join()

    monkeypatch.setattr(bank_files, "PROGRESS_EVERY", 1)
    with pytest.raises(ValidationError, match="06/2021 ditutup saat berkas ini diperiksa"):
        bank_files.import_file(bni(), TRANSAKSI, path, dry_run=False, progress=close_elsewhere, refresh=False)
    assert not Transaksi.objects.exists()


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_banks_loading_a_new_month_at_once_both_land(tmp_path, kpm):
    periode(2021, 6)
    bri = Bank.objects.get(kode="BRI")
    files = {
        bank: purchases(tmp_path, [line(f"{bank.kode}-{i}", "1000") for i in range(200)], f"{bank.kode}.csv")
        for bank in (bni(), bri)
    }

    def load(bank):
        return bank_files.import_file(bank, TRANSAKSI, files[bank], dry_run=False, refresh=False).new

    outcomes = dict(zip([bank.kode for bank in files], run_at_once(load, files), strict=True))

    assert outcomes == {"BNI": 200, "BRI": 200}


def test_a_file_sent_twice_in_one_has_every_second_row_refused(tmp_path, kpm, monkeypatch):
    periode(2021, 6)
    monkeypatch.setattr(bank_staging, "CANDIDATES_LISTED", 2)  # more repeats than that: the whole stage is grouped
    once = [line(f"R{i}", "1000") for i in range(5)]
    path = purchases(tmp_path, [*once, *once])

    result = bank_files.import_file(bni(), TRANSAKSI, path, dry_run=False, skip_invalid=True, refresh=False)

    assert (result.new, result.invalid) == (5, 5)
    assert [(e.row, e.value) for e in result.errors] == [(7 + i, f"R{i}") for i in range(5)]
    assert all(f"baris {2 + i} " in e.message for i, e in enumerate(result.errors))
    assert sorted(stored()) == [f"R{i}" for i in range(5)]
