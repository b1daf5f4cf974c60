"""A bank's list of EDC terminals imported through the registry import engine: each terminal placed at its
e-warong or agen for a period, a moved terminal as a new registration, bad rows named; and the purchases of a
bank file then found at the right outlet by terminal id."""

import datetime

import pytest

from penyaluran.distribusi import bank_files
from penyaluran.distribusi.models import Transaksi
from penyaluran.registri.imports import import_file
from penyaluran.registri.models import TerminalEdc
from tests.factories import AgenFactory, EWarongFactory, KpmFactory, bni, periode
from tests.registry_files import write_xlsx

pytestmark = pytest.mark.django_db
HEADER = ["TID", "Bank", "Kode Outlet", "Tanggal Pasang", "Tanggal Cabut"]


@pytest.fixture
def outlets():
    return {
        "melati": EWarongFactory(kode="EW-1"),
        "mawar": EWarongFactory(kode="EW-2"),
        "agen": AgenFactory(kode="AG-1"),
        "agen_ewarong": EWarongFactory(kode="EW-3", agen=AgenFactory(kode="AG-2")),
    }


def test_terminal_list_is_imported_and_a_moved_terminal_is_a_new_registration(tmp_path, outlets):
    path = write_xlsx(
        tmp_path / "tid-bni.xlsx",
        [
            HEADER,
            ["10000001", "BNI", "EW-1", "01/01/2021", "14/06/2021"],
            ["10000001", "BNI", "EW-2", "15/06/2021", None],
            ["10000002", "bni", "AG-1", None, None],
        ],
    )

    result = import_file("terminal", path, dry_run=False)
    again = import_file("terminal", path, dry_run=False, complete=True)

    assert (result.errors, result.written) == ([], 3)
    assert (again.analysis.new, again.analysis.unchanged, again.written, again.analysis.missing) == (0, 3, 0, 0)
    rows = {
        (t.terminal, t.berlaku_dari): (t.ewarong and t.ewarong.kode, t.agen and t.agen.kode, t.berlaku_sampai)
        for t in TerminalEdc.objects.all()
    }
    assert rows == {
        ("10000001", datetime.date(2021, 1, 1)): ("EW-1", None, datetime.date(2021, 6, 14)),
        ("10000001", datetime.date(2021, 6, 15)): ("EW-2", None, None),
        ("10000002", datetime.date(2017, 1, 1)): (None, "AG-1", None),
    }
    assert all(t.bank == bni() for t in TerminalEdc.objects.all())


def test_bad_terminal_rows_are_named_and_nothing_is_written(tmp_path, outlets):
    path = write_xlsx(
        tmp_path / "tid.xlsx",
        [
            HEADER,
            ["10000001", "BNI", "EW-1", None, None],
            ["10000003", "BNI", "EW-TIDAK-ADA", None, None],
            ["10000004", "BANK X", "EW-1", None, None],
            ["10000005", "BNI", "EW-2", "10/06/2021", "01/06/2021"],
            ["10000001", "BNI", "EW-2", None, None],
        ],
    )

    result = import_file("terminal", path, dry_run=False)

    assert result.written == 0
    assert not TerminalEdc.objects.exists()
    messages = [str(e) for e in result.errors]
    assert any(
        m.startswith("Baris 3, kolom Kode Outlet “EW-TIDAK-ADA”: kode e-warong atau agen tidak dikenal")
        for m in messages
    )
    assert any(m.startswith("Baris 4, kolom Bank “BANK X”: kode bank tidak dikenal") for m in messages)
    assert any(m.startswith("Baris 5, kolom Tanggal Cabut") for m in messages)
    assert any(m.startswith("Baris 6, kolom TID") and "baris 2" in m for m in messages)  # the same key twice


def test_purchases_find_their_outlet_through_the_imported_terminals(tmp_path, outlets):
    juni = periode(2021, 6)
    kpm = KpmFactory(nomor_kks="6000910000000011")
    import_file(
        "terminal",
        write_xlsx(
            tmp_path / "tid.xlsx",
            [
                HEADER,
                ["10000001", "BNI", "EW-1", "01/01/2021", "14/06/2021"],
                ["10000001", "BNI", "EW-2", "15/06/2021", None],
                ["10000002", "BNI", "AG-2", None, None],
            ],
        ),
        dry_run=False,
    )
    purchases = tmp_path / "trx.csv"
    purchases.write_text(
        "Referensi;Waktu;Jumlah;Nomor KKS;TID\n"
        f"A;2021-06-14 20:00:00;10000;{kpm.nomor_kks};10000001\n"
        f"B;2021-06-15 08:00:00;10000;{kpm.nomor_kks};10000001\n"
        f"C;2021-06-15 09:00:00;10000;{kpm.nomor_kks};10000002\n"
    )

    result = bank_files.import_file(bni(), "transaksi", purchases, dry_run=False)

    assert (result.new, result.checks.rows_without_outlet) == (3, 0)
    placed = dict(Transaksi.objects.filter(periode=juni).values_list("referensi", "ewarong__kode"))
    assert placed == {"A": "EW-1", "B": "EW-2", "C": "EW-3"}  # C: the agen's terminal, at the e-warong it serves
