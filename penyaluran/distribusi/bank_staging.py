"""The staging table of a bank-file import and the SQL that moves its rows in.

Each checked row is written to a staging table made for the run (COPY on PostgreSQL), and one
INSERT ... SELECT ... ON CONFLICT (bank, referensi[, periode]) DO NOTHING moves the rows in, resolving KPM
by KKS or NIK and e-warong by code or agen terminal with joins: re-importing a file writes nothing new.
On PostgreSQL a month of purchases a bank has sent nothing for yet is loaded as a new partition of
penyaluran_transaksi instead (partitions.py): a third of the time.
"""

import uuid

from django.core.exceptions import ValidationError
from django.db import connection

from penyaluran.distribusi import partitions
from penyaluran.distribusi.models import Periode, ProfilKolomBank

# The first column is the row's number in the file, so a reference given twice can be named by its rows.
STAGE_COLUMNS = {
    ProfilKolomBank.Jenis.TRANSAKSI: (
        "baris", "periode_id", "referensi", "nomor_kks", "nik", "terminal", "kode", "waktu", "jumlah",
    ),
    ProfilKolomBank.Jenis.PENYALURAN: (
        "baris", "periode_id", "referensi", "nomor_kks", "nik", "tanggal", "jumlah", "status", "kanal",
        "kartu_dibagikan_pada",
    ),
}  # fmt: skip
STAGE_PREFIX = "impor_bank_stage_"
STAGE_TYPES = {
    "baris": "integer",
    "periode_id": "bigint",
    "referensi": "varchar(40)",
    "nomor_kks": "varchar(20)",
    "nik": "varchar(16)",
    "terminal": "varchar(30)",
    "kode": "varchar(30)",
    "waktu": "timestamp with time zone",
    "tanggal": "date",
    "jumlah": "integer",
    "status": "varchar(12)",
    "kanal": "varchar(3)",
    "kartu_dibagikan_pada": "date",
}


def create_stage(cursor, jenis):
    """A staging table for this run, created inside the import's transaction, so a rollback removes it.

    On PostgreSQL UNLOGGED rather than TEMPORARY: a temporary table lives in temp_buffers (8 MB by
    default) and a million rows would spill to disk; an unlogged one uses shared buffers and writes no WAL.
    """
    stage = f"{STAGE_PREFIX}{uuid.uuid4().hex[:12]}"
    columns = ", ".join(f"{c} {STAGE_TYPES[c]}" for c in STAGE_COLUMNS[jenis])
    kind = "UNLOGGED" if connection.vendor == "postgresql" else "TEMPORARY"
    cursor.execute(f"CREATE {kind} TABLE {stage} ({columns})")
    return stage


def _kpm_by(column):
    # One KPM per card or NIK even if the registry had a duplicate: the lowest id.
    return f"(SELECT {column} AS kunci, MIN(id) AS id FROM penyaluran_kpm WHERE {column} <> '' GROUP BY {column})"


TRANSAKSI_INSERT_COLUMNS = (
    "periode_id, bank_id, referensi, kpm_id, nomor_kks, nik, ewarong_id, terminal, waktu, jumlah, impor_id"
)


def _kpm_joins():
    return f"""
        LEFT JOIN {_kpm_by("nomor_kks")} k1 ON k1.kunci = s.nomor_kks AND s.nomor_kks <> ''
        LEFT JOIN {_kpm_by("nik")} k2 ON k2.kunci = s.nik AND s.nik <> ''"""


# The e-warong an agen serves as (the first, if several); an agen's terminal counts for it.
_AGEN_EWARONG = "(SELECT agen_id, MIN(id) AS id FROM penyaluran_ewarong WHERE agen_id IS NOT NULL GROUP BY agen_id)"


def _local_date(column):
    """The Jakarta date of a timestamp column, which decides which terminal registration applies."""
    if connection.vendor == "postgresql":
        return f"({column} AT TIME ZONE 'Asia/Jakarta')::date"
    return f"date({column}, '+7 hours')"  # Django keeps SQLite timestamps as UTC text


def outlet_joins(bank_id, row="s", day=None):
    """Joins that find a staged purchase's e-warong, and the expression that picks it, in this order: the file's
    e-warong or agen code, the bank's terminal registry for the purchase's date (by terminal id, else by the
    code), the terminal id read as an e-warong or agen code (files that name outlets by code in a terminal
    column). `row` is the alias of the staged rows, `day` their Jakarta date (by default from their time)."""
    day = day or _local_date(f"{row}.waktu")
    outlet = f"COALESCE(NULLIF({row}.terminal, ''), {row}.kode)"
    joins = f"""
        LEFT JOIN penyaluran_ewarong ek ON ek.kode = {row}.kode AND {row}.kode <> ''
        LEFT JOIN penyaluran_agen ak ON ak.kode = {row}.kode AND {row}.kode <> '' AND ek.id IS NULL
        LEFT JOIN {_AGEN_EWARONG} eak ON eak.agen_id = ak.id
        LEFT JOIN penyaluran_terminaledc tm ON tm.bank_id = {int(bank_id)} AND tm.terminal = {outlet}
             AND ek.id IS NULL AND ak.id IS NULL AND tm.berlaku_dari <= {day}
             AND (tm.berlaku_sampai IS NULL OR {day} <= tm.berlaku_sampai)
        LEFT JOIN {_AGEN_EWARONG} tma ON tma.agen_id = tm.agen_id
        LEFT JOIN penyaluran_ewarong e ON e.kode = {row}.terminal AND {row}.terminal <> '' AND tm.id IS NULL
        LEFT JOIN penyaluran_agen a ON a.kode = {row}.terminal AND {row}.terminal <> '' AND tm.id IS NULL
             AND e.id IS NULL
        LEFT JOIN {_AGEN_EWARONG} ea ON ea.agen_id = a.id"""
    ewarong = "COALESCE(ek.id, eak.id, tm.ewarong_id, tma.id, e.id, ea.id)"
    # An outlet is known when some registry row matched, even an agen serving as no e-warong.
    known = "COALESCE(ek.id, ak.id, tm.id, e.id, a.id) IS NOT NULL"
    return joins, ewarong, known


def rows_without_outlet(cursor, bank_id, stage):
    """How many staged purchases match no outlet. Resolved per distinct (terminal, code, day) rather than per
    row: a month of a million purchases names a few thousand, so the write pays one grouping pass for it."""
    joins, _ewarong, known = outlet_joins(bank_id, row="d", day="d.hari")
    cursor.execute(
        f"""SELECT COALESCE(SUM(d.n), 0) FROM (
                SELECT terminal, kode, {_local_date("waktu")} AS hari, COUNT(*) AS n FROM {stage} GROUP BY 1, 2, 3
            ) d {joins} WHERE NOT ({known})"""
    )
    return int(cursor.fetchone()[0])


def _transaksi_select(bank_id, stage, where="1 = 1", impor_id=None):
    """Staged purchases as rows of penyaluran_transaksi: KPM by card or NIK, e-warong by outlet_joins."""
    joins, ewarong, _known = outlet_joins(bank_id)
    impor = int(impor_id) if impor_id else "NULL"
    return f"""
        SELECT s.periode_id, {int(bank_id)}, s.referensi, COALESCE(k1.id, k2.id), s.nomor_kks, s.nik,
               {ewarong}, COALESCE(NULLIF(s.terminal, ''), s.kode), s.waktu, s.jumlah, {impor}
        FROM {stage} s {_kpm_joins()} {joins}
        WHERE {where}"""


def _insert_sql(jenis, bank_id, stage, periods=None, impor_id=None):
    if jenis == ProfilKolomBank.Jenis.TRANSAKSI:
        # Rows already in are left out by one anti-join first: a re-imported file would otherwise take the
        # speculative-insert path of ON CONFLICT for every row. ON CONFLICT stays for a concurrent import.
        # The periods and the bank are written as constants so PostgreSQL reads only their partitions.
        months = ", ".join(str(int(p)) for p in sorted(periods)) if periods else "NULL"
        where = f"""s.periode_id IN ({months}) AND NOT EXISTS (SELECT 1 FROM penyaluran_transaksi t
                    WHERE t.periode_id IN ({months}) AND t.bank_id = {int(bank_id)}
                    AND t.periode_id = s.periode_id AND t.referensi = s.referensi)"""
        return f"""
            INSERT INTO penyaluran_transaksi ({TRANSAKSI_INSERT_COLUMNS})
            {_transaksi_select(bank_id, stage, where, impor_id)}
            ON CONFLICT (bank_id, referensi, periode_id) DO NOTHING"""
    return f"""
        INSERT INTO penyaluran_penyaluran
            (periode_id, bank_id, referensi, kpm_id, nik, nomor_kks, jumlah, tanggal, kanal, status,
             kartu_dibagikan_pada, impor_id)
        SELECT s.periode_id, {int(bank_id)}, s.referensi, COALESCE(k1.id, k2.id),
               COALESCE(NULLIF(s.nik, ''), k.nik, ''), s.nomor_kks, s.jumlah, s.tanggal, s.kanal, s.status,
               s.kartu_dibagikan_pada, {int(impor_id) if impor_id else "NULL"}
        FROM {stage} s {_kpm_joins()}
        LEFT JOIN penyaluran_kpm k ON k.id = COALESCE(k1.id, k2.id)
        ON CONFLICT (bank_id, referensi) DO NOTHING"""


def write_staged(cursor, jenis, bank_id, stage, periods, impor_id=None):
    """Move the staged rows in; returns how many were new.

    Purchases of a month this bank has no rows for yet are loaded as a new partition (partitions.py);
    the rest go through INSERT ... ON CONFLICT.
    """
    if jenis != ProfilKolomBank.Jenis.TRANSAKSI or not partitions.is_partitioned(cursor):
        cursor.execute(_insert_sql(jenis, bank_id, stage, periods, impor_id))
        return cursor.rowcount
    # Purchase files are written one at a time. Two files of one bank and month would both build its
    # partition; two banks' new months would deadlock, each reading the default partition (can_bulk_load)
    # and then waiting to ATTACH, which locks it exclusively. The second file waits here until the first
    # commits, then finds what the first made.
    cursor.execute("SELECT pg_advisory_xact_lock(%s)", [partitions.WRITE_LOCK])
    new, rest = 0, []
    for periode_id in sorted(periods):
        if partitions.can_bulk_load(cursor, periode_id, bank_id):
            select = _transaksi_select(bank_id, stage, f"s.periode_id = {int(periode_id)}", impor_id)
            new += partitions.bulk_load(cursor, periode_id, bank_id, TRANSAKSI_INSERT_COLUMNS, select)
        else:
            rest.append(int(periode_id))
    if rest:
        cursor.execute(_insert_sql(jenis, bank_id, stage, rest, impor_id))
        new += cursor.rowcount
    return new


def count_existing(cursor, jenis, bank_id, stage, periods):
    if jenis == ProfilKolomBank.Jenis.TRANSAKSI:
        # Months and bank as constants, as in _insert_sql: only their partitions are read.
        months = ", ".join(str(int(p)) for p in sorted(periods)) if periods else "NULL"
        same = f"t.periode_id IN ({months}) AND t.periode_id = s.periode_id AND t.bank_id = %s"
        table = "penyaluran_transaksi"
    else:
        same, table = "t.bank_id = %s", "penyaluran_penyaluran"
    cursor.execute(
        f"SELECT COUNT(*) FROM {stage} s WHERE EXISTS "
        f"(SELECT 1 FROM {table} t WHERE {same} AND t.referensi = s.referensi)",
        [bank_id],
    )
    return cursor.fetchone()[0]


CANDIDATES_LISTED = 500  # up to this many candidate references are named in the query; more: every row is grouped


def repeated_rows_sql(jenis, stage, candidates):
    """SQL and parameters for (row, reference, first row) of every staged row whose reference an earlier row
    of the file already has: in the same month for purchases (a bank's reference is unique per month), at all
    for credits. A few candidates (bank_files.HasilImpor.repeat_candidates) are looked up by name; a file with many
    (one sent twice) is grouped whole, in one pass."""
    key = "periode_id, referensi" if jenis == ProfilKolomBank.Jenis.TRANSAKSI else "referensi"
    listed = sorted(candidates) if len(candidates) <= CANDIDATES_LISTED else []
    where = f"WHERE referensi IN ({', '.join(['%s'] * len(listed))})" if listed else ""
    sql = f"""SELECT s.baris, s.referensi, d.pertama FROM {stage} s
              JOIN (SELECT {key}, MIN(baris) AS pertama FROM {stage} {where}
                    GROUP BY {key} HAVING COUNT(*) > 1) d USING ({key})
              WHERE s.baris <> d.pertama"""
    return sql, listed


def lock_open_periods(cursor, periods):
    """Hold the periods written to against closing until this import commits, and refuse a period closed
    since the file was checked (closing takes the row's lock, so it waits for the import instead)."""
    suffix = " FOR SHARE" if connection.vendor == "postgresql" else ""
    cursor.execute(
        f"SELECT tahun, bulan, status FROM penyaluran_periode WHERE id IN ({', '.join(['%s'] * len(periods))}){suffix}",
        list(periods),
    )
    closed = [f"{bulan:02d}/{tahun}" for tahun, bulan, status in cursor.fetchall() if status == Periode.Status.TUTUP]
    if closed:
        raise ValidationError(
            f"Periode {', '.join(sorted(closed))} ditutup saat berkas ini diperiksa; tidak ada data yang disimpan."
        )
