"""PostgreSQL: Transaksi is partitioned by (period, bank); a bank's first file of a month becomes its partition.

The partition path must give exactly the rows the plain INSERT ... ON CONFLICT path gives.
"""

import pytest
from django.db import connection

from penyaluran.distribusi import bank_files, partitions
from penyaluran.distribusi.models import ProfilKolomBank, Transaksi
from tests.conftest import run_at_once
from tests.factories import EWarongFactory, KpmFactory, beli, bni, periode

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="partitions are PostgreSQL only"),
]
TRANSAKSI = ProfilKolomBank.Jenis.TRANSAKSI
COMPARED = ("periode__bulan", "bank__kode", "referensi", "kpm__nama", "ewarong__kode", "nomor_kks", "jumlah", "waktu")


@pytest.fixture
def registry():
    ewarong = EWarongFactory(kode="EW-317101-001")
    return ewarong, KpmFactory(nama="SITI", nomor_kks="6000910000000011", ewarong=ewarong)


def purchases(tmp_path, kpm, ewarong, lines, name="trx.csv"):
    path = tmp_path / name
    rows = [f"{ref};{when};{amount};{kpm.nomor_kks};;{ewarong.kode}" for ref, when, amount in lines]
    path.write_text("\n".join(["Referensi;Waktu;Jumlah;Nomor KKS;NIK;Terminal", *rows]) + "\n", encoding="utf-8")
    return path


def where(referensi):
    with connection.cursor() as cursor:
        cursor.execute("SELECT tableoid::regclass::text FROM penyaluran_transaksi WHERE referensi = %s", [referensi])
        return [row[0] for row in cursor.fetchall()]


def rows():
    return sorted(Transaksi.objects.values_list(*COMPARED))


def test_the_table_is_partitioned_and_orm_rows_land_in_the_default_partition(registry):
    ewarong, kpm = registry
    with connection.cursor() as cursor:
        assert partitions.is_partitioned(cursor)

    made = beli(periode(2021, 6), kpm, ewarong, referensi="ORM-1")

    assert where("ORM-1") == [partitions.DEFAULT_PARTITION]
    assert Transaksi.objects.get(pk=made.pk).referensi == "ORM-1"


def test_a_banks_first_file_of_a_month_becomes_its_partition_and_later_files_add_to_it(tmp_path, registry):
    ewarong, kpm = registry
    juni, juli = periode(2021, 6), periode(2021, 7)
    beli(juli, kpm, ewarong, referensi="ORM-JULI")  # July already has BNI rows (in the default partition)
    first = purchases(
        tmp_path,
        kpm,
        ewarong,
        [
            ("J-1", "2021-06-10 09:00:00", 50000),
            ("J-2", "2021-06-11 09:00:00", 70000),
            ("L-1", "2021-07-02 09:00:00", 80000),
        ],
    )

    result = bank_files.import_file(bni(), TRANSAKSI, first, dry_run=False, refresh=False)

    june = partitions.partition_name(juni.pk, bni().pk)
    assert result.new == 3
    assert where("J-1") == where("J-2") == [june]
    assert where("L-1") == [partitions.DEFAULT_PARTITION]  # July took the INSERT ... ON CONFLICT path
    got = Transaksi.objects.get(referensi="J-1")
    assert (got.kpm, got.ewarong, got.jumlah) == (kpm, ewarong, 50000)

    again = bank_files.import_file(bni(), TRANSAKSI, first, dry_run=False, refresh=False)
    later = purchases(
        tmp_path, kpm, ewarong, [("J-1", "2021-06-10 09:00:00", 50000), ("J-3", "2021-06-20 09:00:00", 90000)], "2.csv"
    )
    more = bank_files.import_file(bni(), TRANSAKSI, later, dry_run=False, refresh=False)

    assert (again.new, again.existing) == (0, 3)
    assert (more.new, more.existing) == (1, 1)
    assert where("J-3") == [june]
    assert Transaksi.objects.count() == 5


def test_the_partition_path_gives_the_rows_of_the_plain_path(tmp_path, registry, monkeypatch):
    ewarong, kpm = registry
    periode(2021, 6)
    periode(2021, 7)
    lines = [(f"R{i}", f"2021-0{6 + i % 2}-{1 + i % 28:02d} 10:{i % 60:02d}:00", 1000 * (i + 1)) for i in range(40)]
    path = purchases(tmp_path, kpm, ewarong, [*lines, lines[3]])  # the repeat is an invalid row on both paths

    bank_files.import_file(bni(), TRANSAKSI, path, dry_run=False, skip_invalid=True, refresh=False)
    partitioned = rows()
    Transaksi.objects.all().delete()
    monkeypatch.setattr(partitions, "can_bulk_load", lambda *args: False)
    bank_files.import_file(bni(), TRANSAKSI, path, dry_run=False, skip_invalid=True, refresh=False)

    assert rows() == partitioned
    assert len(partitioned) == 40  # the repeated row is not among them


@pytest.mark.django_db(transaction=True)
def test_two_files_of_one_bank_and_month_written_at_once_both_land(tmp_path, registry):
    ewarong, kpm = registry
    juni = periode(2021, 6)
    files = [
        purchases(
            tmp_path, kpm, ewarong, [(f"{tag}-{i}", "2021-06-10 09:00:00", 1000) for i in range(300)], f"{tag}.csv"
        )
        for tag in ("A", "B")
    ]

    def load(path):
        return bank_files.import_file(bni(), TRANSAKSI, path, dry_run=False, refresh=False).new

    outcomes = run_at_once(load, files)

    assert outcomes == [300, 300]
    assert Transaksi.objects.filter(periode=juni).count() == 600
    assert set(where("A-1") + where("B-1")) == {partitions.partition_name(juni.pk, bni().pk)}


def test_a_loaded_partition_has_exactly_the_indexes_of_the_table(tmp_path, registry):
    """ATTACH adopts a partition's index only when it matches the table's (columns in the same order);
    any other would stay as an extra index, built and kept up for nothing, beside one ATTACH builds."""
    ewarong, kpm = registry
    juni = periode(2021, 6)
    path = purchases(tmp_path, kpm, ewarong, [("J-1", "2021-06-10 09:00:00", 50000)])

    bank_files.import_file(bni(), TRANSAKSI, path, dry_run=False, refresh=False)

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT i.indexrelid::regclass::text, EXISTS (SELECT 1 FROM pg_inherits h WHERE h.inhrelid = i.indexrelid) "
            "FROM pg_index i WHERE i.indrelid = %s::regclass",
            [partitions.partition_name(juni.pk, bni().pk)],
        )
        indexes = cursor.fetchall()
        cursor.execute("SELECT count(*) FROM pg_index WHERE indrelid = %s::regclass", [partitions.TABLE])
        of_table = cursor.fetchone()[0]
    assert len(indexes) == of_table == 2 + len(partitions.PLAIN_INDEXES)  # primary key, unique reference
    assert all(adopted for _name, adopted in indexes), indexes
