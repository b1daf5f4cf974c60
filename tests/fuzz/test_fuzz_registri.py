"""Registry files (KPM, e-warong, agen, penyedia) with fuzzed rows and damaged bytes, through the import.

Whatever the file holds: the import never fails with anything but an Indonesian refusal of the whole file; a
refused import writes nothing; every invalid row is named by its row and column, in Indonesian.
"""

import datetime

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from penyaluran.registri.imports import import_file
from penyaluran.registri.kinds import KINDS
from tests.factories import EWarongFactory, make_nik, make_no_kk
from tests.fuzz.conftest import assert_wrote_nothing_if_refused, outcome
from tests.fuzz.files import broken_bytes, forms, table, write_file

pytestmark = pytest.mark.django_db

# Plausible values per column name (a kind's Column.name); anything else is drawn as junk.
SAMPLES = {
    "nik": st.builds(lambda s, f: make_nik(serial=s, female=f), st.integers(1, 9999), st.booleans()),
    "no_kk": st.builds(lambda s: make_no_kk(serial=s), st.integers(1, 9999)),
    "nama": st.sampled_from(["SITI AMINAH", "Budi Santoso", "e-Warong Melati", "PT Beras Jaya"]),
    "jenis_kelamin": st.sampled_from(["L", "P", "laki-laki", "perempuan"]),
    "tanggal_lahir": st.sampled_from(["17/07/1975", "1980-05-05", datetime.date(1980, 5, 17), "31/02/1980"]),
    "kode_kelurahan": st.sampled_from(["31.71.01.1001", "3171011002", "31.99.99.9999"]),
    "kelurahan": st.sampled_from(["Gambir", "kel. gambir", "CIDENG", "Atlantis"]),
    "kecamatan": st.sampled_from(["Gambir", "Tanah Abang", ""]),
    "bank_id": st.sampled_from(["BNI", "bri", "Bank Mandiri", "BANK X"]),
    "ewarong_id": st.sampled_from(["EW-FUZZ-1", "EW-TIDAK-ADA"]),
    "kode": st.sampled_from(["EW-FUZZ-1", "AG-1", "PNY-1", "kode spasi"]),
    "latitude": st.sampled_from(["-6.1754", "-6,1754", "91", "abc"]),
    "longitude": st.sampled_from(["106.8272", "181", ""]),
    "status": st.sampled_from(["aktif", "nonaktif", "meninggal", "???"]),
    "aktif": st.sampled_from(["ya", "tidak", "1", "0", "mungkin"]),
    "kapasitas_kpm": st.sampled_from(["250", "-1", "1.000", "2,5"]),
    "tahun_data": st.sampled_from(["2021", "21", "abad"]),
}


def counts():
    return {name: kind.model.objects.count() for name, kind in KINDS.items()}


def header_of(kind, draw):
    """The kind's headers as exports write them, some columns left out (never all of the required ones)."""
    columns = [column for column in kind.columns if column.required or draw(st.booleans())]
    return [column.header for column in columns], [column.name for column in columns]


@st.composite
def registry_files(draw):
    kind_name = draw(st.sampled_from(sorted(KINDS)))
    kind = KINDS[kind_name]
    headers, names = header_of(kind, draw)
    rows = draw(table(names, SAMPLES))
    rows[0] = headers
    return kind_name, rows, draw(forms), draw(st.booleans())


@pytest.fixture
def registry(db):
    EWarongFactory(kode="EW-FUZZ-1")


@given(case=registry_files())
# Found by this test: a control character in a CSV cell of an invalid row broke the rejected-rows XLSX.
@example(case=("kpm", [["NIK", "No KK", "Nama KPM"], ["3171\x1b", "", "SITI"]], "csv", False))
def test_fuzzed_registry_rows_are_written_whole_or_not_at_all(tmp_path_factory, registry, case):
    kind, rows, form, skip_invalid = case
    path = write_file(tmp_path_factory.mktemp("registri"), kind, rows, form)
    before = counts()

    result, refusal = outcome(
        lambda: import_file(kind, path, filename=path.name, dry_run=False, skip_invalid=skip_invalid)
    )

    if assert_wrote_nothing_if_refused(result, refusal, before, counts, rows):
        assert refusal is not None or result.written == 0
    else:
        assert counts()[kind] == before[kind] + result.analysis.new
        assert result.written == result.analysis.new + result.analysis.changed


@given(data=st.data(), kind=st.sampled_from(sorted(KINDS)), form=st.sampled_from(["csv", "xlsx"]))
def test_a_damaged_registry_file_is_refused_whole_in_indonesian(tmp_path_factory, registry, data, kind, form):
    folder = tmp_path_factory.mktemp("rusak")
    header = [column.header for column in KINDS[kind].columns if column.required]
    valid = write_file(folder, "asli", [header, ["1"] * len(header)], form).read_bytes()
    path = folder / f"{kind}.{form}"
    path.write_bytes(data.draw(broken_bytes(valid)))
    before = counts()

    result, refusal = outcome(lambda: import_file(kind, path, filename=path.name, dry_run=False))

    assert_wrote_nothing_if_refused(result, refusal, before, counts)
