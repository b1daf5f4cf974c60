"""The set-based PostgreSQL path and the portable batched path build the same registry from the same files."""

import datetime

import pytest
from django.db import connection

from penyaluran.importing import engine, writers
from penyaluran.importing.writers import PortableWriter, PostgresWriter
from penyaluran.registri import imports
from penyaluran.registri.models import Kpm
from tests.factories import EWarongFactory, make_nik, make_no_kk
from tests.registry_files import write_xlsx

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

HEADER = ["NIK", "NO. KK", "NAMA KPM", "TGL LAHIR", "ALAMAT", "RT", "RW", "KELURAHAN", "KEC.", "NOMOR KKS", "BANK",
          "KODE E-WARONG", "STATUS", "TAHUN DATA"]  # fmt: skip
KELURAHAN = ["Gambir", "Cideng", "Petojo Utara", "Gelora", "Tebet Timur"]
HISTORY = ("nik", "no_kk", "nama", "jenis_kelamin", "tanggal_lahir", "alamat", "rt", "rw", "kelurahan_id",
           "nomor_kks", "bank_id", "ewarong_id", "status", "tahun_data",
           "history_type", "history_change_reason")  # fmt: skip


def rows(count, changed=()):
    out = []
    for i in range(count):
        name = f"KPM {i}" + (" (ubah)" if i in changed else "")
        out.append([
            make_nik(born=datetime.date(1960 + i % 40, 1 + i % 12, 1 + i % 28), female=i % 2 == 1, serial=1 + i),
            make_no_kk(serial=1 + i // 3),
            name, datetime.date(1960 + i % 40, 1 + i % 12, 1 + i % 28) if i % 3 else "",
            f"Jl. Melati {i}", str(i % 20), str(i % 9 + 1), KELURAHAN[i % 5], "", f"53{i:014d}",
            ["BNI", "BRI", "mandiri"][i % 3], "EW-0001" if i % 4 == 0 else "", "Aktif", 2021,
        ])  # fmt: skip
    out.append(["123", "", "Tidak valid", "", "", "", "", "Gambir", "", "", "BNI", "", "", ""])
    return out


def registry():
    kpm = Kpm.objects.order_by("nik").values_list(*HISTORY[:14])
    history = Kpm.history.order_by("nik", "history_type").values_list(*HISTORY)
    return list(kpm), list(history)


def run(tmp_path, writer_class, monkeypatch):
    monkeypatch.setattr(engine, "writer_for", writer_class)
    results = []
    for version, data in enumerate([rows(300), rows(300, changed={5, 77, 299}), rows(300, changed={5, 77, 299})]):
        path = write_xlsx(tmp_path / f"kpm-{version}.xlsx", [["DATA KPM"], HEADER, *data])
        result = imports.import_file("kpm", path, dry_run=False, skip_invalid=True, reason=f"versi {version}")
        a = result.analysis
        results.append((a.new, a.changed, a.unchanged, a.missing, result.invalid, result.written, a.samples))
    return results, registry()


def schema():
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'penyaluran_kpm' ORDER BY 1")
        indexes = cursor.fetchall()
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = 'penyaluran_kpm'::regclass ORDER BY 1"
        )
        return indexes, cursor.fetchall()


def test_postgres_and_portable_paths_build_the_same_registry(tmp_path, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL)")
    EWarongFactory(kode="EW-0001")
    before = schema()
    # The first version goes into an empty table: take the first-load path, as 206.000 rows would.
    monkeypatch.setattr(writers, "BULK_LOAD_ROWS", 100)

    portable = run(tmp_path, PortableWriter, monkeypatch)
    Kpm.objects.all().delete()
    Kpm.history.all().delete()
    fast = run(tmp_path, PostgresWriter, monkeypatch)

    assert portable[0] == fast[0]
    assert portable[1][0] == fast[1][0]
    assert portable[1][1] == fast[1][1]
    counts = [r[:6] for r in fast[0]]
    assert counts == [(300, 0, 0, 0, 1, 300), (0, 3, 297, 0, 1, 3), (0, 0, 300, 0, 1, 0)]
    assert len(fast[1][0]) == 300
    assert len(fast[1][1]) == 6  # a creation state and a change for each of the 3 changed rows
    assert schema() == before  # indexes and foreign keys set aside for the first load are back
