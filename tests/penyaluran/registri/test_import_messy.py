"""Messy registry files: what can be read is read exactly, what cannot is named by row, column and value."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from penyaluran.registri.imports import import_file
from penyaluran.registri.models import EWarong, ImportJob, Kpm
from tests.conftest import GAMBIR, KEL_GAMBIR
from tests.factories import EWarongFactory, KpmFactory
from tests.registry_files import read_xlsx, write_csv, write_excel_style_xlsx, write_xlsx
from tikor.models import Wilayah

pytestmark = pytest.mark.django_db

NIK_1 = "3171014505800001"  # woman born 5 May 1980, Gambir
NIK_2 = "3171011707750002"
NIK_3 = "3171016012900003"
KK_1 = "3171011503100001"
KK_2 = "3171011503100002"
KK_3 = "3171011503100003"

TITLE = [["DAFTAR KPM PROGRAM SEMBAKO TAHAP II"], ["PROVINSI DKI JAKARTA TAHUN 2021"], []]
HEADER = ["NO", "NIK", "NO. KK", "NAMA PENERIMA", "TGL LAHIR", "DESA/KELURAHAN", "KEC.", "NOMOR KKS", "BANK", "KET"]


def row(no, nik, kk, nama, lahir="", kel="Gambir", kec="Gambir", kks="", bank="BNI"):
    return [no, nik, kk, nama, lahir, kel, kec, kks, bank, "catatan petugas"]


def import_kpm(path, **kwargs):
    return import_file("kpm", path, filename=path.name, dry_run=False, **kwargs)


def test_a_messy_but_readable_file_is_imported_exactly(tmp_path, xlsx_reader):
    path = write_xlsx(
        tmp_path / "kpm.xlsx",
        [
            *TITLE,
            HEADER,
            row(1, "3171 0145 0580 0001", KK_1, "  SITI   AMINAH ", datetime.datetime(1980, 5, 5), "kel.  gambir"),
            row(2, f"'{NIK_2}", f"{KK_2}.0", "Budi Santoso", "17/07/1975", "31.71.01.1002", "", "5301 2345 6789 0001"),
            row(3, f"{NIK_3}.0", f"'{KK_3}", "Rina", "1990-12-20", "CIDENG", "kec. gambir", bank="bri"),
        ],
    )

    result = import_kpm(path)

    assert result.errors == []
    assert result.header_row == 4
    assert result.extra_columns == ["NO", "KET"]
    assert (result.analysis.new, result.written) == (3, 3)
    siti = Kpm.objects.get(nik=NIK_1)
    assert (siti.nama, siti.no_kk, siti.jenis_kelamin, siti.kelurahan_id) == ("SITI AMINAH", KK_1, "P", KEL_GAMBIR)
    assert siti.tanggal_lahir == datetime.date(1980, 5, 5)
    budi = Kpm.objects.get(nik=NIK_2)
    assert (budi.no_kk, budi.kelurahan_id, budi.nomor_kks) == (KK_2, "31.71.01.1002", "5301234567890001")
    assert budi.tanggal_lahir == datetime.date(1975, 7, 17)
    rina = Kpm.objects.get(nik=NIK_3)
    assert (rina.no_kk, rina.kelurahan_id, rina.bank.kode) == (KK_3, "31.71.01.1002", "BRI")


@pytest.mark.parametrize(
    ("written", "expected"),
    [("17-07-1975", datetime.date(1975, 7, 17)), ("1975-07-17", datetime.date(1975, 7, 17)), (27592, None)],
)
def test_dates_are_read_as_text_or_excel_serial(tmp_path, written, expected):
    path = write_xlsx(tmp_path / "kpm.xlsx", [HEADER, row(1, NIK_2, KK_2, "Budi", written)])

    import_kpm(path)

    assert Kpm.objects.get().tanggal_lahir == (expected or datetime.date(1975, 7, 17))


def test_every_problem_is_named_with_row_column_and_value(tmp_path, xlsx_reader):
    EWarongFactory(kode="EW-0001")
    header = [*HEADER, "KODE E-WARONG"]
    path = write_xlsx(
        tmp_path / "kpm.xlsx",
        [
            *TITLE,
            header,
            [*row(1, 3171014505800000, KK_1, "Excel angka"), ""],
            [*row(2, "3.17101E+15", KK_1, "Notasi ilmiah"), ""],
            [*row(3, "317101170775000", KK_1, "Kurang digit"), ""],
            [*row(4, NIK_2, KK_2, "Kelurahan salah", kel="Kebon Jeruk Raya"), ""],
            [*row(5, NIK_3, KK_3, "Ganda pertama"), ""],
            [*row(6, NIK_3, KK_3, "Ganda kedua"), ""],
            [*row(7, "3171011707750009", KK_1, "KK pertama"), ""],
            [*row(8, "3171011707750009", KK_2, "KK kedua"), ""],
            [*row(9, "3171011707750010", KK_1, "Bank salah", bank="BANK XYZ"), ""],
            [*row(10, "3171011707750011", KK_1, "E-warong salah"), "EW-9999"],
            [*row(11, "3171011707750012", KK_1, "Baris baik"), "ew-0001"],
        ],
    )

    result = import_kpm(path)

    assert [str(e) for e in result.errors] == [
        "Baris 5, kolom NIK “3171014505800000”: NIK tersimpan sebagai angka di Excel (3171014505800000); "
        "digit terakhir bisa hilang. Format kolom NIK sebagai Teks lalu ketik ulang nilainya.",
        "Baris 6, kolom NIK “3.17101E+15”: NIK tertulis dalam notasi ilmiah (3.17101E+15): Excel menyimpannya "
        "sebagai angka sehingga digitnya hilang. Format kolom NIK sebagai Teks lalu ketik ulang nilainya.",
        "Baris 7, kolom NIK “317101170775000”: NIK harus 16 digit, yang tertulis 15 digit: 317101170775000.",
        "Baris 8, kolom DESA/KELURAHAN “Kebon Jeruk Raya”: kelurahan tidak dikenal di DKI Jakarta.",
        f"Baris 9, kolom NIK “{NIK_3}”: NIK ganda di dalam file: ada lagi di baris 10.",
        f"Baris 10, kolom NIK “{NIK_3}”: NIK ganda di dalam file: sudah ada di baris 9.",
        f"Baris 11, kolom NO. KK “{KK_1}”: NIK 3171011707750009 tercatat dengan dua No KK berbeda: "
        f"{KK_1} di baris 11 dan {KK_2} di baris 12.",
        f"Baris 12, kolom NO. KK “{KK_2}”: NIK 3171011707750009 tercatat dengan dua No KK berbeda: "
        f"{KK_1} di baris 11 dan {KK_2} di baris 12.",
        "Baris 13, kolom BANK “BANK XYZ”: kode bank tidak dikenal (gunakan BNI, BRI, MANDIRI, BTN, BSI atau BANKDKI).",
        "Baris 14, kolom KODE E-WARONG “EW-9999”: kode e-warong tidak dikenal; impor data e-warong terlebih dahulu.",
    ]
    assert (result.rows_read, result.invalid, result.analysis.new) == (11, 10, 1)


def test_with_an_invalid_row_nothing_is_written_by_default(tmp_path):
    kept = KpmFactory(nik=NIK_1, no_kk=KK_1, nama="Nama Lama")
    path = write_xlsx(
        tmp_path / "kpm.xlsx",
        [HEADER, row(1, NIK_1, KK_1, "Nama Baru"), row(2, NIK_2, KK_2, "Baru"), row(3, "123", KK_3, "Salah")],
    )

    result = import_kpm(path)

    assert result.refused
    assert result.written == 0
    assert list(Kpm.objects.values_list("nik", "nama")) == [(NIK_1, "Nama Lama")]
    assert Kpm.history.filter(id=kept.pk).count() == 1


def test_skip_invalid_writes_the_valid_rows_and_returns_the_others_with_reasons(tmp_path, xlsx_reader):
    path = write_xlsx(
        tmp_path / "kpm.xlsx",
        [
            *TITLE,
            HEADER,
            row(1, NIK_1, KK_1, "Siti"),
            row(2, 3171011707750002, KK_2, "Angka"),
            row(3, NIK_3, KK_3, "Rina", kel="Antah Berantah"),
            row(4, "3171011707750004", KK_1, "Joko", lahir="31/02/1975"),
        ],
    )

    result = import_kpm(path, skip_invalid=True)

    assert list(Kpm.objects.values_list("nik", flat=True)) == [NIK_1]
    rejected = read_xlsx(io.BytesIO(result.rejected_file))
    assert rejected[0] == ["BARIS DI BERKAS ASAL", *HEADER, "KETERANGAN KESALAHAN"]
    # Each row keeps the number the messages cite: the title rows and the header are above them.
    assert [r[0] for r in rejected[1:]] == [len(TITLE) + 3, len(TITLE) + 4, len(TITLE) + 5]
    assert [e.row for e in result.errors] == [r[0] for r in rejected[1:]]
    assert [r[4] for r in rejected[1:]] == ["Angka", "Rina", "Joko"]
    assert rejected[1][2] == 3171011707750002
    assert [r[-1] for r in rejected[1:]] == [
        "NIK: NIK tersimpan sebagai angka di Excel (3171011707750002); digit terakhir bisa hilang. "
        "Format kolom NIK sebagai Teks lalu ketik ulang nilainya.",
        "DESA/KELURAHAN: kelurahan tidak dikenal di DKI Jakarta.",
        "TGL LAHIR: tanggal tidak terbaca; tulis sebagai dd/mm/yyyy, dd-mm-yyyy atau yyyy-mm-dd.",
    ]


def test_fixed_rejected_rows_file_imports_cleanly(tmp_path):
    path = write_xlsx(tmp_path / "kpm.xlsx", [HEADER, row(1, NIK_1, KK_1, "Siti"), row(2, NIK_2, KK_2, "X", kel="?")])
    rejected = tmp_path / "ditolak.xlsx"
    rejected.write_bytes(import_kpm(path, skip_invalid=True).rejected_file)
    rows = read_xlsx(rejected)
    rows[1][6] = "Cideng"
    fixed = write_xlsx(tmp_path / "diperbaiki.xlsx", rows)

    result = import_kpm(fixed)

    assert (result.errors, result.written) == ([], 1)
    assert "KETERANGAN KESALAHAN" in result.extra_columns
    assert "BARIS DI BERKAS ASAL" in result.extra_columns
    assert Kpm.objects.get(nik=NIK_2).kelurahan_id == "31.71.01.1002"


def test_a_kelurahan_name_in_two_kecamatan_needs_the_kecamatan(tmp_path):
    Wilayah.objects.create(
        kode="31.74.01.1099", nama="Gambir", nama_singkat="Gambir", tingkat="kelurahan", induk_id="31.74.01"
    )
    path = write_xlsx(
        tmp_path / "kpm.xlsx",
        [
            HEADER,
            row(1, NIK_1, KK_1, "Tanpa kecamatan", kel="GAMBIR", kec=""),
            row(2, NIK_2, KK_2, "Kecamatan Tebet", kel="Kel. Gambir", kec="Kec. Tebet"),
            row(3, NIK_3, KK_3, "Kecamatan Gambir", kel="gambir ", kec=GAMBIR),
            row(4, "3171011707750004", KK_1, "Salah kecamatan", kel="Cideng", kec="Tebet"),
        ],
    )

    result = import_kpm(path, skip_invalid=True)

    assert [str(e) for e in result.errors] == [
        "Baris 2, kolom DESA/KELURAHAN “GAMBIR”: nama kelurahan ini ada di lebih dari satu kecamatan "
        "(Kec. Gambir, Kec. Tebet); isi kolom Kecamatan.",
        "Baris 5, kolom DESA/KELURAHAN “Cideng”: kelurahan ini tidak berada di Kecamatan Tebet.",
    ]
    assert dict(Kpm.objects.values_list("nik", "kelurahan_id")) == {NIK_2: "31.74.01.1099", NIK_3: KEL_GAMBIR}


@pytest.mark.parametrize(("encoding", "delimiter"), [("utf-8-sig", ","), ("utf-8", ";"), ("cp1252", ";")])
def test_csv_in_utf8_or_windows_1252_with_comma_or_semicolon(tmp_path, encoding, delimiter):
    path = write_csv(
        tmp_path / "kpm.csv",
        [["Daftar KPM"], HEADER, row(1, NIK_1, KK_1, "Désirée Ñoñó", "05/05/1980", "Petojo Utara")],
        encoding=encoding,
        delimiter=delimiter,
    )

    result = import_kpm(path)

    assert (result.errors, result.header_row) == ([], 2)
    assert Kpm.objects.get().nama == "Désirée Ñoñó"


@pytest.mark.parametrize("delimiter", ["|", "\t"])
def test_csv_delimited_by_a_bar_or_a_tab_under_a_title_with_a_comma(tmp_path, delimiter):
    path = write_csv(
        tmp_path / "kpm.csv",
        [["Daftar KPM, Tahap II"], HEADER, row(1, NIK_1, KK_1, "Siti, Aminah", "05/05/1980", "Petojo Utara")],
        delimiter=delimiter,
    )

    result = import_kpm(path)

    assert (result.errors, result.header_row, result.extra_columns) == ([], 2, ["NO", "KET"])
    assert Kpm.objects.get().nama == "Siti, Aminah"


def test_a_file_without_the_key_column_fails_with_a_reason(tmp_path):
    path = write_xlsx(tmp_path / "kpm.xlsx", [["NAMA", "ALAMAT"], ["Siti", "Jl. Kenari"]])

    with pytest.raises(
        CommandError, match="Baris judul kolom tidak ditemukan di 30 baris pertama: harus ada kolom NIK"
    ):
        call_command("import_registry", "kpm", str(path))

    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.GAGAL
    assert "harus ada kolom NIK" in job.pesan


def test_the_command_previews_without_writing_and_refuses_invalid_files(tmp_path, capsys):
    good = write_xlsx(tmp_path / "baik.xlsx", [HEADER, row(1, NIK_1, KK_1, "Siti")])
    bad = write_xlsx(tmp_path / "buruk.xlsx", [HEADER, row(1, NIK_2, KK_2, "Budi"), row(2, "1", KK_1, "X")])

    call_command("import_registry", "kpm", str(good), "--dry-run")
    assert not Kpm.objects.exists()
    assert "baru 1" in capsys.readouterr().out

    with pytest.raises(CommandError, match="1 baris tidak valid; tidak ada data yang disimpan."):
        call_command("import_registry", "kpm", str(bad))
    assert not Kpm.objects.exists()

    call_command("import_registry", "kpm", str(bad), "--skip-invalid")
    output = capsys.readouterr().out
    assert "Baris 3, kolom NIK “1”: NIK harus 16 digit, yang tertulis 1 digit: 1." in output
    assert "Baris yang ditolak:" in output
    assert list(Kpm.objects.values_list("nik", flat=True)) == [NIK_2]


def test_ewarong_file_resolves_bank_penyedia_and_names_unknown_codes(tmp_path):
    path = write_xlsx(
        tmp_path / "ewarong.xlsx",
        [
            ["KODE E-WARONG", "NAMA E-WARONG", "KELURAHAN", "BANK", "KODE PENYEDIA", "LATITUDE", "LONGITUDE"],
            ["ew-0101", "e-Warong Melati", "Gambir", "Bank BNI", "", -6.175392, 106.827153],
            ["EW-0102", "e-Warong Mawar", "Gambir", "BNI", "PNY-999", "", ""],
            ["EW-0103", "e-Warong Anggrek", "Gambir", "", "", "-7.5", ""],
        ],
    )

    result = import_file("ewarong", path, dry_run=False, skip_invalid=True)

    assert [str(e) for e in result.errors] == [
        "Baris 3, kolom KODE PENYEDIA “PNY-999”: kode penyedia tidak dikenal; impor data penyedia terlebih dahulu.",
        "Baris 4, kolom BANK “”: bank wajib diisi.",
        "Baris 4, kolom LATITUDE “-7.5”: koordinat di luar DKI Jakarta (antara -6.5 dan -5.1).",
    ]
    ewarong = EWarong.objects.get()
    assert (ewarong.kode, ewarong.bank.kode, str(ewarong.latitude)) == ("EW-0101", "BNI", "-6.175392")


@pytest.fixture(params=["calamine", "streaming"])
def xlsx_reader(request, monkeypatch):
    """Small sheets are read by python-calamine, big ones by the streaming reader: both must agree."""
    from penyaluran.importing import xlsx

    if request.param == "streaming":
        monkeypatch.setattr(xlsx, "STREAM_ABOVE_BYTES", 0)
    return request.param


@pytest.mark.parametrize("writer", [write_xlsx, write_excel_style_xlsx])
def test_both_xlsx_readers_read_inline_and_shared_strings_dates_and_numbers_alike(tmp_path, xlsx_reader, writer):
    path = writer(
        tmp_path / "kpm.xlsx",
        [
            ["DAFTAR KPM & E-WARONG <2021>"],
            [],
            HEADER,
            row(1, NIK_1, KK_1, "Siti & Aminah", datetime.date(1980, 5, 5), "Kel. Gambir"),
            row(2, 3171011707750002, KK_2, "Angka", "17/07/1975", "Cideng"),
        ],
    )

    result = import_kpm(path, skip_invalid=True)

    assert result.header_row == 3
    assert [(e.row, e.column) for e in result.errors] == [(5, "NIK")]
    siti = Kpm.objects.get()
    assert (siti.nama, siti.tanggal_lahir, siti.kelurahan_id) == (
        "Siti & Aminah",
        datetime.date(1980, 5, 5),
        KEL_GAMBIR,
    )
