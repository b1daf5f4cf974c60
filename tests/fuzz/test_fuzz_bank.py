"""Bank files (purchases and credits) with fuzzed rows and damaged bytes, through the bank import.

Whatever the file holds: only an Indonesian refusal of the whole file or a result; a refused import writes no
purchase or credit; every invalid row is named by its row and column, in Indonesian.
"""

import datetime

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from penyaluran.distribusi import bank_files
from penyaluran.distribusi.bank_kolom import KOLOM
from penyaluran.distribusi.models import Penyaluran, ProfilKolomBank, Transaksi
from tests.factories import EWarongFactory, KpmFactory, bni, periode
from tests.fuzz.conftest import assert_wrote_nothing_if_refused, outcome
from tests.fuzz.files import broken_bytes, forms, table, write_file

pytestmark = pytest.mark.django_db
KKS = "6000910000000011"

SAMPLES = {
    "referensi": st.one_of(st.sampled_from(["A1", "A1 ", "REF-2", "a  1"]), st.integers(1, 10**12)),
    "waktu": st.sampled_from(
        ["2021-06-10 09:00:00", "10/06/2021 09:00", "2021-06-30T20:00:00+00:00", datetime.datetime(2021, 6, 12, 0, 0)]
    ),
    "tanggal": st.sampled_from(["2021-06-05", "05/06/2021", "20210605", datetime.date(2021, 6, 5), "31/06/2021"]),
    "jam": st.sampled_from(["09:15", "09.15.00", "25:00", datetime.time(9, 15)]),
    "jumlah": st.sampled_from(["200000", "Rp 200.000,00", "200,000", "1.500.000", "150000.5", "3000000000", 200000]),
    "nomor_kks": st.sampled_from([KKS, f"'{KKS}", "6000 9100 0000 0011", "123"]),
    "nik": st.sampled_from(["", "3171014505800001", "31710145058000"]),
    "terminal": st.sampled_from(["EW-317101-001", "EDC-X", ""]),
    "kode_ewarong": st.sampled_from(["EW-317101-001", "EW-TIDAK-ADA"]),
    "status": st.sampled_from(["sukses", "gagal", "retur", "KKS belum dibagikan", "entah"]),
    "kanal": st.sampled_from(["KKS", "PT Pos", "tunai", "drone"]),
    "kartu_dibagikan_pada": st.sampled_from(["2021-01-05", "", "kemarin"]),
}
JENIS = sorted(ProfilKolomBank.Jenis.values)


def counts():
    return (Transaksi.objects.count(), Penyaluran.objects.count())


@pytest.fixture
def bank_world(db):
    periode(2021, 6)
    KpmFactory(nama="SITI", nomor_kks=KKS, ewarong=EWarongFactory(kode="EW-317101-001"))
    return bni()


@st.composite
def bank_files_(draw):
    jenis = draw(st.sampled_from(JENIS))
    # The required columns, one of each group a file needs (bank_kolom.ONE_OF), some of the others.
    needed = {"nomor_kks", "terminal"}
    columns = [c for c in KOLOM[jenis] if c.required or c.name in needed or draw(st.booleans())]
    rows = draw(table([c.name for c in columns], SAMPLES))
    rows[0] = [c.header for c in columns]
    return jenis, rows, draw(forms), draw(st.booleans()), draw(st.booleans())


CONTROL_CHARACTER_ROW = [
    ["Referensi", "Tanggal/Waktu", "Jumlah", "Nomor KKS", "Terminal"],
    ["R\x1b1", "2021-06-10 09:00:00", "nol", KKS, "EW-317101-001"],
]


@given(case=bank_files_())
# Found by the registry's test: a control character in a CSV cell of an invalid row broke the rejected-rows XLSX.
@example(case=("transaksi", CONTROL_CHARACTER_ROW, "csv", False, False))
def test_fuzzed_bank_rows_are_written_whole_or_not_at_all(tmp_path_factory, bank_world, case):
    jenis, rows, form, skip_invalid, allow_without_outlet = case
    path = write_file(tmp_path_factory.mktemp("bank"), jenis, rows, form)
    before = counts()

    result, refusal = outcome(
        lambda: bank_files.import_file(
            bank_world, jenis, path, filename=path.name, dry_run=False, skip_invalid=skip_invalid,
            allow_without_outlet=allow_without_outlet, refresh=False,
        )
    )  # fmt: skip

    if not assert_wrote_nothing_if_refused(result, refusal, before, counts, rows):
        assert sum(counts()) == sum(before) + result.new


@given(data=st.data(), jenis=st.sampled_from(JENIS), form=st.sampled_from(["csv", "xlsx"]))
def test_a_damaged_bank_file_is_refused_whole_in_indonesian(tmp_path_factory, bank_world, data, jenis, form):
    folder = tmp_path_factory.mktemp("rusak")
    header = [c.header for c in KOLOM[jenis] if c.required] + ["Nomor KKS"]
    valid = write_file(folder, "asli", [header, ["1"] * len(header)], form).read_bytes()
    path = folder / f"{jenis}.{form}"
    path.write_bytes(data.draw(broken_bytes(valid)))
    before = counts()

    result, refusal = outcome(
        lambda: bank_files.import_file(bank_world, jenis, path, filename=path.name, dry_run=False, refresh=False)
    )

    assert_wrote_nothing_if_refused(result, refusal, before, counts)
