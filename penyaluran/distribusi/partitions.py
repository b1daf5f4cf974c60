"""Transaksi on PostgreSQL: one partition per period and bank, and a bulk load path for a new one.

A bank sends a month of EDC purchases in one file, a million rows at full scale. Inserting them into one
table of several million rows maintains its B-tree indexes row by row (about 28 s for a million rows on
the 2-core reference machine); loading them into a new table and building the indexes afterwards takes a
third of that. So penyaluran_transaksi is partitioned by RANGE (periode_id, bank_id), one partition per
(period, bank), with a DEFAULT partition for rows no partition was made for (rows made through the ORM,
as the tests do). A bank file whose (period, bank) has no rows yet is loaded into a new table, indexed,
and attached as that partition (PostgreSQL's "Populating a Database" advice applied to one partition);
a later file for the same month and bank goes through INSERT ... ON CONFLICT into that partition, whose
indexes are a month of one bank's rows, not the whole table.

Migration 0011 converts the table. Elsewhere (SQLite) the table is plain and nothing here is used.
"""

from django.db import connection

TABLE = "penyaluran_transaksi"
DEFAULT_PARTITION = f"{TABLE}_lain"
WRITE_LOCK = 5150  # the advisory lock a bank file's Transaksi write holds until it commits (bank_staging.write_staged)
# Besides the primary key and the unique reference, the indexes of the partitioned table (migrations 0011, 0022);
# a partition built with the same ones has them adopted by ATTACH PARTITION, not built again.
PLAIN_INDEXES = ("(kpm_id, periode_id)", "(periode_id, ewarong_id, waktu)", "(nomor_kks)")


def partition_name(periode_id, bank_id):
    return f"{TABLE}_{int(periode_id)}_{int(bank_id)}"


def is_partitioned(cursor):
    if connection.vendor != "postgresql":
        return False
    cursor.execute("SELECT EXISTS (SELECT 1 FROM pg_partitioned_table WHERE partrelid = %s::regclass)", [TABLE])
    return cursor.fetchone()[0]


def _bounds(periode_id, bank_id):
    return f"FROM ({int(periode_id)}, {int(bank_id)}) TO ({int(periode_id)}, {int(bank_id) + 1})"


def _exists(cursor, name):
    cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [name])
    return cursor.fetchone()[0]


def _default_has_rows(cursor, periode_id, bank_id):
    cursor.execute(
        f"SELECT EXISTS (SELECT 1 FROM {DEFAULT_PARTITION} WHERE periode_id = %s AND bank_id = %s)",
        [periode_id, bank_id],
    )
    return cursor.fetchone()[0]


def ensure(cursor, pairs):
    """Make the partitions of these (periode_id, bank_id) pairs where none exists; rows of a pair already
    in the default partition stay there (a partition for them would have to move them first)."""
    made = 0
    for periode_id, bank_id in pairs:
        name = partition_name(periode_id, bank_id)
        if _exists(cursor, name) or _default_has_rows(cursor, periode_id, bank_id):
            continue
        cursor.execute(f"CREATE TABLE {name} PARTITION OF {TABLE} FOR VALUES {_bounds(periode_id, bank_id)}")
        made += 1
    return made


def can_bulk_load(cursor, periode_id, bank_id):
    """True when no row of this period and bank exists: its partition can be built from scratch."""
    name = partition_name(periode_id, bank_id)
    if _exists(cursor, name):
        cursor.execute(f"SELECT NOT EXISTS (SELECT 1 FROM {name})")
        return cursor.fetchone()[0]
    return not _default_has_rows(cursor, periode_id, bank_id)


def bulk_load(cursor, periode_id, bank_id, columns, select_sql):
    """Load `select_sql` (rows of this period and bank only) as the partition of (periode_id, bank_id).

    Into a new table without indexes, then each index is built in one pass, and the table is attached.
    The caller hands over each reference once (bank_files refuses a file's repeated references as invalid
    rows); a repeat would fail the unique index and, with it, the caller's transaction: nothing is left
    behind. Returns the number of rows loaded.
    """
    name = partition_name(periode_id, bank_id)
    if _exists(cursor, name):  # an empty partition made ahead (seed_demo, an earlier dry run)
        cursor.execute(f"DROP TABLE {name}")
    cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
    cursor.execute(f"CREATE TABLE {name} (LIKE {TABLE} INCLUDING DEFAULTS INCLUDING CONSTRAINTS)")
    cursor.execute(f"INSERT INTO {name} ({columns}) {select_sql}")
    loaded = cursor.rowcount
    cursor.execute(f"ALTER TABLE {name} ADD UNIQUE (referensi, bank_id, periode_id)")
    cursor.execute(f"ALTER TABLE {name} ADD PRIMARY KEY (id, periode_id, bank_id)")
    for index in PLAIN_INDEXES:
        cursor.execute(f"CREATE INDEX ON {name} {index}")
    # The bound as a constraint lets ATTACH skip scanning the rows to prove it.
    cursor.execute(
        f"ALTER TABLE {name} ADD CONSTRAINT {name}_batas CHECK (periode_id = {int(periode_id)} "
        f"AND bank_id = {int(bank_id)})"
    )
    cursor.execute(f"ALTER TABLE {TABLE} ATTACH PARTITION {name} FOR VALUES {_bounds(periode_id, bank_id)}")
    cursor.execute(f"ALTER TABLE {name} DROP CONSTRAINT {name}_batas")
    cursor.execute(f"ANALYZE {name}")
    return loaded
