"""Import of bank files: monthly credits (penyaluran) and EDC purchases (transaksi), CSV or XLSX.

Built for a million purchase rows in seconds with flat memory: the file is read as a stream, each row is
checked in Python and written to a temporary staging table (COPY on PostgreSQL), and one
INSERT ... SELECT ... ON CONFLICT (bank, referensi[, periode]) DO NOTHING moves the rows in, resolving KPM
by KKS or NIK and e-warong by code or agen terminal with joins. Re-importing a file therefore writes
nothing new. On PostgreSQL a month of purchases a bank has sent nothing for yet is loaded as a new
partition of penyaluran_transaksi instead (penyaluran.partitions): a third of the time.

Bad rows are handled as in the registry import (penyaluran.imports): every error names the Excel row, the
column and the value, in Indonesian; nothing is written when a row is invalid unless the user chose to skip
invalid rows, and the invalid rows come back as an XLSX with their reasons, ready to fix. Rows of a closed
or unknown period are invalid, and so is a row repeating a reference an earlier row of the file has (the
bank's reference is the purchase's identity: the second one would otherwise vanish without a word).
Amounts are whole rupiah in any usual notation; times are Jakarta's, or converted to it when they carry
an offset. A period closed while its file is being checked receives nothing.

It shares the registry engine's XLSX reader, header spelling (header_key) and RowError; the CSV reader
here streams, where the registry's reads the file whole. When the engine grows a streaming reader
and a staging writer for appends, this module can become two Kind definitions on top of it.
"""

import codecs
import csv
import datetime
import io
import logging
import re
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import connection, transaction

from penyaluran.distribusi import partitions
from penyaluran.distribusi.models import ImporBank, Penyaluran, Periode, ProfilKolomBank
from penyaluran.distribusi.periode import bulk_insert, refresh_after_import
from penyaluran.importing.columns import header_key
from penyaluran.importing.readers import XLSX_SUFFIXES
from penyaluran.importing.readers import iter_rows as iter_xlsx_rows
from penyaluran.importing.rejected import RejectedRows
from penyaluran.importing.validation import RowError, display, text
from tikor.jobs import JobStatus
from tikor.models import AuditLog

logger = logging.getLogger(__name__)

ERRORS_KEPT = 1000  # the first errors are shown; the count is always exact
PROGRESS_EVERY = 50_000
JAKARTA = datetime.timezone(datetime.timedelta(hours=7))


@dataclass(frozen=True)
class Kolom:
    name: str
    header: str  # as exports write it and messages name it
    aliases: tuple = ()
    required: bool = False


# What each file holds; a bank's ProfilKolomBank row adds its own header for any field.
KOLOM = {
    ProfilKolomBank.Jenis.TRANSAKSI: (
        Kolom("referensi", "Referensi", ("no ref", "ref", "no referensi", "reference", "trx id", "rrn"), True),
        Kolom("waktu", "Waktu", ("tanggal transaksi", "tgl trx", "waktu transaksi", "datetime", "tanggal"), True),
        Kolom("jumlah", "Jumlah", ("nominal", "amount", "jumlah transaksi", "nilai"), True),
        Kolom("nomor_kks", "Nomor KKS", ("kks", "no kks", "no kartu", "nomor kartu", "card no")),
        Kolom("nik", "NIK", ("nik kpm",)),
        Kolom(
            "terminal", "Terminal", ("tid", "terminal id", "kode e-warong", "kode ewarong", "kode agen", "mid"), True
        ),
    ),
    ProfilKolomBank.Jenis.PENYALURAN: (
        Kolom("referensi", "Referensi", ("no ref", "ref", "no referensi", "reference"), True),
        Kolom("tanggal", "Tanggal", ("tanggal kredit", "tgl kredit", "tgl salur", "tanggal salur"), True),
        Kolom("jumlah", "Jumlah", ("nominal", "amount", "jumlah kredit", "nilai"), True),
        Kolom("nomor_kks", "Nomor KKS", ("kks", "no kks", "no kartu", "nomor kartu")),
        Kolom("nik", "NIK", ("nik kpm",)),
        Kolom("status", "Status", ("status salur", "keterangan")),
        Kolom("kanal", "Kanal", ("channel", "saluran")),
        Kolom("kartu_dibagikan_pada", "KKS Dibagikan", ("tgl distribusi kks", "tanggal kks dibagikan")),
    ),
}
STATUS_BANK = {
    "tersalur": Penyaluran.Status.TERSALUR,
    "sukses": Penyaluran.Status.TERSALUR,
    "berhasil": Penyaluran.Status.TERSALUR,
    "": Penyaluran.Status.TERSALUR,
    "gagal": Penyaluran.Status.GAGAL,
    "kartubelumdibagikan": Penyaluran.Status.KARTU_BELUM_DIBAGIKAN,
    "kksbelumdibagikan": Penyaluran.Status.KARTU_BELUM_DIBAGIKAN,
    "belumdistribusikks": Penyaluran.Status.KARTU_BELUM_DIBAGIKAN,
    "dikembalikan": Penyaluran.Status.DIKEMBALIKAN,
    "retur": Penyaluran.Status.DIKEMBALIKAN,
}
KANAL_BANK = {"": "kks", "kks": "kks", "bank": "kks", "pos": "pos", "ptpos": "pos", "tunai": "pos"}
DATETIME_FORMATS = (
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M:%S",
    "%d/%m/%Y %H:%M:%S",
    "%d-%m-%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
)
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y")
# The first column is the row's number in the file, so a reference given twice can be named by its rows.
STAGE_COLUMNS = {
    ProfilKolomBank.Jenis.TRANSAKSI: (
        "baris", "periode_id", "referensi", "nomor_kks", "nik", "terminal", "waktu", "jumlah",
    ),
    ProfilKolomBank.Jenis.PENYALURAN: (
        "baris", "periode_id", "referensi", "nomor_kks", "nik", "tanggal", "jumlah", "status", "kanal",
        "kartu_dibagikan_pada",
    ),
}  # fmt: skip
MAX_JUMLAH = 2_147_483_647  # the integer column; far above any benefit, so a larger amount is a typo


@dataclass
class HasilImpor:
    rows_read: int = 0
    valid: int = 0
    invalid: int = 0
    new: int = 0
    existing: int = 0
    errors: list = field(default_factory=list)
    periods: set = field(default_factory=set)
    refused: bool = False
    seconds_staged: float = 0.0  # reading, checking and staging
    seconds_written: float = 0.0  # the INSERT ... SELECT ... ON CONFLICT
    rejected: RejectedRows | None = None  # every invalid row with its reasons, made at the first one
    # References that may repeat an earlier row's: staged rows whose (period, reference) hash was seen before.
    # Hashes, not the references, keep a million rows in about 60 MB; the staging table then tells for sure.
    seen: set = field(default_factory=set, repr=False)
    repeat_candidates: set = field(default_factory=set)
    rejected_file: bytes | None = None  # ... as XLSX


# --- reading -------------------------------------------------------------------------------------------------


def _is_utf8(path):
    """True when the whole file decodes as UTF-8 (read in blocks: flat memory, about 0,1 s for 70 MB)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    with open(path, "rb") as raw:
        try:
            for block in iter(lambda: raw.read(1 << 20), b""):
                decoder.decode(block)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return False
    return True


def iter_csv(path):
    """Stream (excel_row_number, cells) from a CSV: UTF-8 (with or without BOM), else cp1252; ";" or ","."""
    # Every byte counts: a Windows-1252 file may hold its first accented name a million rows down.
    encoding = "utf-8-sig" if _is_utf8(path) else "cp1252"
    with open(path, "rb") as raw:
        head = raw.read(65536)
    sample = head.decode(encoding, errors="ignore")
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    with open(path, encoding=encoding, newline="") as stream:
        reader = csv.reader(stream, delimiter=delimiter)
        for cells in reader:
            yield reader.line_num, cells


def iter_file(path, filename):
    name = (filename or str(path)).lower()
    if name.endswith(XLSX_SUFFIXES):
        return iter_xlsx_rows(path, filename)
    if name.endswith((".csv", ".txt")):
        return iter_csv(path)
    raise ValidationError(
        f"Jenis berkas {Path(name).suffix or '(tanpa ekstensi)'} tidak didukung: gunakan XLSX atau CSV."
    )


def column_map(jenis, bank, header_cells):
    """{field: column index} from the header row, the bank's profile first, then the usual spellings."""
    profile = ProfilKolomBank.objects.filter(bank=bank, jenis=jenis).first()
    custom = {name: header_key(header) for name, header in (profile.kolom if profile else {}).items() if header}
    keys = [header_key(text(c)) for c in header_cells]
    found, missing = {}, []
    for kolom in KOLOM[jenis]:
        wanted = [custom[kolom.name]] if kolom.name in custom else []
        wanted += [header_key(kolom.header), *(header_key(a) for a in kolom.aliases)]
        index = next((keys.index(w) for w in wanted if w in keys), None)
        if index is not None:
            found[kolom.name] = index
        elif kolom.required:
            missing.append(profile.kolom.get(kolom.name) if profile and kolom.name in custom else kolom.header)
    if missing:
        raise ValidationError(
            f"Kolom wajib tidak ditemukan di baris judul: {', '.join(missing)}. "
            "Periksa profil kolom bank di menu Data › Profil kolom bank."
        )
    if "nomor_kks" not in found and "nik" not in found:
        raise ValidationError("Berkas harus punya kolom Nomor KKS atau NIK.")
    return found, profile.format_waktu if profile else ""


# --- checking one row ----------------------------------------------------------------------------------------


class RowCheck:
    """Parses one data row into staging values, or collects RowErrors naming row, column and value."""

    def __init__(self, jenis, header_cells, columns, time_format, periods):
        self.jenis = jenis
        self.headers = {name: text(header_cells[i]) or name for name, i in columns.items()}
        self.columns = columns
        self.time_format = time_format
        self.periods = periods  # {(year, month): Periode}
        self.open_periods = {key: p.pk for key, p in periods.items() if not p.tertutup}
        self.postgres = connection.vendor == "postgresql"
        index = [columns.get(n, -1) for n in ("referensi", "waktu", "jumlah", "nomor_kks", "nik", "terminal")]
        self.fast_index = index if jenis == ProfilKolomBank.Jenis.TRANSAKSI and not time_format else None

    def __call__(self, row_number, cells):
        if self.fast_index is not None:
            values = self._transaksi_fast(row_number, cells)
            if values is not None:
                return values, []
        self.row, self.cells, self.errors = row_number, cells, []
        values = self._transaksi() if self.jenis == ProfilKolomBank.Jenis.TRANSAKSI else self._penyaluran()
        return values, self.errors

    def _transaksi_fast(self, row_number, cells):
        """The common row (plain text, ISO time, digits) in a few microseconds; None sends it to the full check,
        which names every problem. A million rows a file make this the import's hot loop."""
        try:
            ref, moment, amount, kks, nik, terminal = (cells[i].strip() if i >= 0 else "" for i in self.fast_index)
        except (AttributeError, IndexError):
            return None  # not text (XLSX numbers, dates) or a short row
        if not ref or len(ref) > 40 or not terminal or len(terminal) > 30:
            return None
        if not (amount.isascii() and amount.isdigit() and len(amount) <= 9) or "  " in ref or "  " in terminal:
            return None  # the full check writes the amount's message or collapses the spaces
        if not (kks.isascii() and nik.isascii()):
            return None
        if not (
            (kks.isdigit() and len(kks) <= 20 and (not nik or (nik.isdigit() and len(nik) == 16)))
            or (not kks and nik.isdigit() and len(nik) == 16)
        ):
            return None
        if len(moment) != 19 or moment[10] != " ":
            return None
        try:
            parsed = datetime.datetime.fromisoformat(moment)
        except ValueError:
            return None
        if parsed.tzinfo is not None:  # "2021-06-10 09:15+07" is 19 characters too
            return None
        periode_id = self.open_periods.get((parsed.year, parsed.month))
        jumlah = int(amount)
        if periode_id is None or jumlah <= 0:
            return None
        waktu = f"{moment}+07" if self.postgres else _db_moment(parsed.replace(tzinfo=JAKARTA))
        return (row_number, periode_id, ref, kks, nik, terminal, waktu, jumlah)

    def raw(self, name):
        i = self.columns.get(name)
        return self.cells[i] if i is not None and i < len(self.cells) else ""

    def error(self, name, message):
        self.errors.append(RowError(self.row, self.headers.get(name, name), display(self.raw(name)), message))

    def _identity(self):
        kks = re.sub(r"\s", "", text(self.raw("nomor_kks")))
        nik = re.sub(r"\s", "", text(self.raw("nik")))
        if kks and (not (kks.isascii() and kks.isdigit()) or len(kks) > 20):
            self.error("nomor_kks", "Nomor KKS harus berupa angka, paling banyak 20 digit.")
        if nik and (not (nik.isascii() and nik.isdigit()) or len(nik) != 16):
            message = "NIK harus 16 digit angka."
            if isinstance(self.raw("nik"), float) or "e+" in nik.lower():
                message += " Nilai ini tampaknya diubah Excel menjadi angka; format kolom sebagai teks."
            self.error("nik", message)
        if not kks and not nik:
            self.error("nomor_kks" if "nomor_kks" in self.columns else "nik", "Nomor KKS atau NIK wajib diisi.")
        return kks, nik

    def _referensi(self):
        ref = text(self.raw("referensi"))
        if not ref:
            self.error("referensi", "Referensi bank wajib diisi.")
        elif len(ref) > 40:
            self.error("referensi", "Referensi bank paling panjang 40 karakter.")
        return ref

    def _jumlah(self):
        value = self.raw("jumlah")
        amount = parse_rupiah(value)
        if amount is None:
            self.error("jumlah", "Jumlah harus bilangan bulat rupiah lebih dari 0, mis. 200000 atau 200.000.")
        elif amount > MAX_JUMLAH:
            self.error("jumlah", "Jumlah terlalu besar untuk satu transaksi; periksa nilainya.")
            return None
        return amount

    def _moment(self, name, with_time):
        value = self.raw(name)
        if isinstance(value, datetime.datetime):
            return _jakarta(value) if with_time else value.date()
        if isinstance(value, datetime.date):
            # Excel and calamine give a time of exactly midnight as a date.
            return datetime.datetime.combine(value, datetime.time()) if with_time else value
        raw = text(value)
        if with_time and not self.time_format and raw[:4].isdigit():
            try:
                return _jakarta(datetime.datetime.fromisoformat(raw))  # ISO 8601, with an offset or not
            except ValueError:
                pass
        formats = ((self.time_format,) if self.time_format else ()) + (DATETIME_FORMATS if with_time else DATE_FORMATS)
        for fmt in formats:
            try:
                parsed = datetime.datetime.strptime(raw, fmt)
            except ValueError:
                continue
            return _jakarta(parsed) if with_time else parsed.date()
        if raw or name != "kartu_dibagikan_pada":
            example = "2021-06-15 09:30:00" if with_time else "15/06/2021"
            self.error(name, f"Tanggal tidak dapat dibaca; tulis seperti {example}.")
        return None

    def _periode(self, name, moment):
        if moment is None:
            return None
        periode = self.periods.get((moment.year, moment.month))
        if periode is None:
            self.error(name, f"Periode {moment.month:02d}/{moment.year} belum dibuat di aplikasi.")
        elif periode.tertutup:
            self.error(name, f"Periode {periode} sudah ditutup; datanya tidak dapat diubah lewat impor.")
        return periode

    def _transaksi(self):
        ref = self._referensi()
        kks, nik = self._identity()
        waktu = self._moment("waktu", with_time=True)
        periode = self._periode("waktu", waktu)
        jumlah = self._jumlah()
        terminal = text(self.raw("terminal"))
        if not terminal:
            self.error("terminal", "Terminal atau kode e-warong wajib diisi.")
        elif len(terminal) > 30:
            self.error("terminal", "Terminal paling panjang 30 karakter.")
        if self.errors:
            return None
        if waktu.tzinfo is None:
            waktu = waktu.replace(tzinfo=JAKARTA)  # banks in Indonesia write local time
        return (self.row, periode.pk, ref, kks, nik, terminal, _db_moment(waktu), jumlah)

    def _penyaluran(self):
        ref = self._referensi()
        kks, nik = self._identity()
        tanggal = self._moment("tanggal", with_time=False)
        periode = self._periode("tanggal", tanggal)
        jumlah = self._jumlah()
        status = STATUS_BANK.get(header_key(text(self.raw("status"))))
        if status is None:
            self.error(
                "status", "Status tidak dikenal; gunakan Tersalur, Gagal, Kartu belum dibagikan atau Dikembalikan."
            )
        kanal = KANAL_BANK.get(header_key(text(self.raw("kanal"))))
        if kanal is None:
            self.error("kanal", "Kanal tidak dikenal; gunakan KKS atau Pos.")
        dibagikan = (
            self._moment("kartu_dibagikan_pada", with_time=False) if "kartu_dibagikan_pada" in self.columns else None
        )
        if self.errors:
            return None
        return (
            self.row,
            periode.pk,
            ref,
            kks,
            nik,
            tanggal.isoformat(),
            jumlah,
            status,
            kanal,
            dibagikan and dibagikan.isoformat(),
        )


def _jakarta(moment):
    """A time with an offset, as Jakarta's local time (which decides its period); a naive one as it is."""
    return moment.astimezone(JAKARTA) if moment.tzinfo is not None else moment


_RUPIAH = re.compile(r"(\d{1,3}(?:([.,])\d{3})?(?:\2\d{3})*|\d+)(?:[.,](\d{1,2}))?")


def parse_rupiah(value):
    """A whole rupiah amount as written in a bank file: 200000, 200.000, 200,000, Rp 200.000,00, 200000.0.

    None for anything else, a fraction of a rupiah included ("150000.5" is not 1.500.005)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return int(value) if value == int(value) and value > 0 else None
    written = re.sub(r"^rp\.?\s*", "", text(value).lower()).replace(" ", "")
    found = _RUPIAH.fullmatch(written)
    if found is None or (found.group(3) and int(found.group(3))):
        return None
    whole, separator = found.group(1), found.group(2)
    if separator and found.group(3) is not None and written[len(whole)] == separator:
        return None  # "200.000.00": the same mark cannot group thousands and start cents
    amount = int(re.sub(r"[.,]", "", whole))
    return amount if amount > 0 else None


def _db_moment(aware):
    """How the timestamp column takes it in raw SQL: with its offset on PostgreSQL, naive UTC on SQLite."""
    if connection.vendor == "postgresql":
        return aware.isoformat(sep=" ")
    return aware.astimezone(datetime.UTC).strftime("%Y-%m-%d %H:%M:%S")


# --- staging and writing -------------------------------------------------------------------------------------

STAGE_PREFIX = "impor_bank_stage_"
STAGE_TYPES = {
    "baris": "integer",
    "periode_id": "bigint",
    "referensi": "varchar(40)",
    "nomor_kks": "varchar(20)",
    "nik": "varchar(16)",
    "terminal": "varchar(30)",
    "waktu": "timestamp with time zone",
    "tanggal": "date",
    "jumlah": "integer",
    "status": "varchar(12)",
    "kanal": "varchar(3)",
    "kartu_dibagikan_pada": "date",
}


def _create_stage(cursor, jenis):
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


TRANSAKSI_INSERT_COLUMNS = "periode_id, bank_id, referensi, kpm_id, nomor_kks, nik, ewarong_id, terminal, waktu, jumlah"


def _kpm_joins():
    return f"""
        LEFT JOIN {_kpm_by("nomor_kks")} k1 ON k1.kunci = s.nomor_kks AND s.nomor_kks <> ''
        LEFT JOIN {_kpm_by("nik")} k2 ON k2.kunci = s.nik AND s.nik <> ''"""


def _transaksi_select(bank_id, stage, where="1 = 1"):
    """Staged purchases as rows of penyaluran_transaksi: KPM by card or NIK, e-warong by code or agen terminal."""
    return f"""
        SELECT s.periode_id, {int(bank_id)}, s.referensi, COALESCE(k1.id, k2.id), s.nomor_kks, s.nik,
               COALESCE(e.id, ea.id), s.terminal, s.waktu, s.jumlah
        FROM {stage} s {_kpm_joins()}
        LEFT JOIN penyaluran_ewarong e ON e.kode = s.terminal
        LEFT JOIN penyaluran_agen a ON a.kode = s.terminal
        LEFT JOIN (SELECT agen_id, MIN(id) AS id FROM penyaluran_ewarong
                   WHERE agen_id IS NOT NULL GROUP BY agen_id) ea ON ea.agen_id = a.id AND e.id IS NULL
        WHERE {where}"""


def _insert_sql(jenis, bank_id, stage, periods=None):
    if jenis == ProfilKolomBank.Jenis.TRANSAKSI:
        # Rows already in are left out by one anti-join first: a re-imported file would otherwise take the
        # speculative-insert path of ON CONFLICT for every row. ON CONFLICT stays for a concurrent import.
        # The periods and the bank are written as constants so PostgreSQL reads only their partitions.
        months = ", ".join(str(int(p)) for p in sorted(periods)) if periods else "NULL"
        where = f"""s.periode_id IN ({months}) AND NOT EXISTS (SELECT 1 FROM penyaluran_transaksi t
                    WHERE t.periode_id IN ({months}) AND t.bank_id = {int(bank_id)}
                    AND t.periode_id = s.periode_id AND t.referensi = s.referensi)"""
        return f"""
            INSERT INTO penyaluran_transaksi ({TRANSAKSI_INSERT_COLUMNS}) {_transaksi_select(bank_id, stage, where)}
            ON CONFLICT (bank_id, referensi, periode_id) DO NOTHING"""
    return f"""
        INSERT INTO penyaluran_penyaluran
            (periode_id, bank_id, referensi, kpm_id, nik, nomor_kks, jumlah, tanggal, kanal, status,
             kartu_dibagikan_pada)
        SELECT s.periode_id, {int(bank_id)}, s.referensi, COALESCE(k1.id, k2.id),
               COALESCE(NULLIF(s.nik, ''), k.nik, ''), s.nomor_kks, s.jumlah, s.tanggal, s.kanal, s.status,
               s.kartu_dibagikan_pada
        FROM {stage} s {_kpm_joins()}
        LEFT JOIN penyaluran_kpm k ON k.id = COALESCE(k1.id, k2.id)
        ON CONFLICT (bank_id, referensi) DO NOTHING"""


def _write(cursor, jenis, bank_id, stage, periods):
    """Move the staged rows in; returns how many were new.

    Purchases of a month this bank has no rows for yet are loaded as a new partition (partitions.py);
    the rest go through INSERT ... ON CONFLICT.
    """
    if jenis != ProfilKolomBank.Jenis.TRANSAKSI or not partitions.is_partitioned(cursor):
        cursor.execute(_insert_sql(jenis, bank_id, stage, periods))
        return cursor.rowcount
    # Purchase files are written one at a time. Two files of one bank and month would both build its
    # partition; two banks' new months would deadlock, each reading the default partition (can_bulk_load)
    # and then waiting to ATTACH, which locks it exclusively. The second file waits here until the first
    # commits, then finds what the first made.
    cursor.execute("SELECT pg_advisory_xact_lock(%s)", [partitions.WRITE_LOCK])
    new, rest = 0, []
    for periode_id in sorted(periods):
        if partitions.can_bulk_load(cursor, periode_id, bank_id):
            select = _transaksi_select(bank_id, stage, f"s.periode_id = {int(periode_id)}")
            new += partitions.bulk_load(cursor, periode_id, bank_id, TRANSAKSI_INSERT_COLUMNS, select)
        else:
            rest.append(int(periode_id))
    if rest:
        cursor.execute(_insert_sql(jenis, bank_id, stage, rest))
        new += cursor.rowcount
    return new


def _existing_count(cursor, jenis, bank_id, stage, periods):
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


def _valid_rows(rows, check, result, skip_invalid, progress, header_cells):
    per_period = check.jenis == ProfilKolomBank.Jenis.TRANSAKSI  # a purchase reference is unique per month
    for row_number, cells in rows:
        if not any(text(c) for c in cells):
            continue
        result.rows_read += 1
        values, errors = check(row_number, cells)
        if errors:
            result.invalid += 1
            if len(result.errors) < ERRORS_KEPT:
                result.errors.extend(errors)
            if result.rejected is None:
                result.rejected = RejectedRows(header_cells, display=display)
            result.rejected.add(cells, errors)
        else:
            result.valid += 1
            result.periods.add(values[1])
            if result.invalid == 0 or skip_invalid:
                key = hash((values[1], values[2]) if per_period else values[2])
                if key in result.seen:
                    result.repeat_candidates.add(values[2])
                else:
                    result.seen.add(key)
                yield values
        if progress and result.rows_read % PROGRESS_EVERY == 0:
            progress(result)


CANDIDATES_LISTED = 500  # up to this many candidate references are named in the query; more: every row is grouped


def _repeated_rows_sql(jenis, stage, candidates):
    """SQL and parameters for (row, reference, first row) of every staged row whose reference an earlier row
    of the file already has: in the same month for purchases (a bank's reference is unique per month), at all
    for credits. A few candidates (HasilImpor.repeat_candidates) are looked up by name; a file with many
    (one sent twice) is grouped whole, in one pass."""
    key = "periode_id, referensi" if jenis == ProfilKolomBank.Jenis.TRANSAKSI else "referensi"
    listed = sorted(candidates) if len(candidates) <= CANDIDATES_LISTED else []
    where = f"WHERE referensi IN ({', '.join(['%s'] * len(listed))})" if listed else ""
    sql = f"""SELECT s.baris, s.referensi, d.pertama FROM {stage} s
              JOIN (SELECT {key}, MIN(baris) AS pertama FROM {stage} {where}
                    GROUP BY {key} HAVING COUNT(*) > 1) d USING ({key})
              WHERE s.baris <> d.pertama"""
    return sql, listed


def _refuse_repeated(cursor, jenis, stage, result, check, path, filename, header_cells):
    """Make the rows that repeat a reference invalid, as the registry import does with a repeated NIK:
    named by row, column and value, taken out of the staging table, and returned in the rejected rows."""
    if not result.repeat_candidates:
        return
    repeated_sql, params = _repeated_rows_sql(jenis, stage, result.repeat_candidates)
    cursor.execute(f"{repeated_sql} ORDER BY s.baris", params)
    repeated = cursor.fetchall()
    if not repeated:
        return
    column = check.headers.get("referensi", "Referensi")
    errors = {
        row: RowError(row, column, ref, f"referensi ini sudah dipakai baris {first} di berkas ini; satu referensi "
                      "bank hanya untuk satu transaksi.")
        for row, ref, first in repeated
    }  # fmt: skip
    cursor.execute(f"DELETE FROM {stage} WHERE baris IN (SELECT baris FROM ({repeated_sql}) r)", params)
    result.valid -= len(errors)
    result.invalid += len(errors)
    result.errors = sorted([*result.errors, *errors.values()], key=lambda e: e.row)[:ERRORS_KEPT]
    if result.rejected is None:
        result.rejected = RejectedRows(header_cells, display=display)
    # The rows' cells are read again from the file: repeats are rare, and the staging table holds parsed values.
    for row_number, cells in iter_file(path, filename):
        if row_number in errors:
            result.rejected.add(cells, [errors[row_number]])


def _lock_open_periods(cursor, periods):
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


def import_file(bank, jenis, path, *, filename=None, dry_run=True, skip_invalid=False, progress=None, refresh=True):
    """Check a bank file and, unless dry_run or refused, append its new rows. Returns a HasilImpor.

    Raises ValidationError for a file that cannot be read at all (type, header).
    """
    jenis = ProfilKolomBank.Jenis(jenis)
    rows = iter_file(path, filename)
    header_cells = None
    for _row_number, cells in rows:
        if any(text(c) for c in cells):
            header_cells = cells
            break
    if header_cells is None:
        raise ValidationError("Berkas kosong: tidak ada baris judul.")
    columns, time_format = column_map(jenis, bank, header_cells)
    periods = {(p.tahun, p.bulan): p for p in Periode.objects.all()}
    check = RowCheck(jenis, header_cells, columns, time_format, periods)
    result = HasilImpor()
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        stage = _create_stage(cursor, jenis)
        staged = _valid_rows(rows, check, result, skip_invalid, progress, header_cells)
        nullable = [c for c in STAGE_COLUMNS[jenis] if c == "kartu_dibagikan_pada"]
        bulk_insert(None, STAGE_COLUMNS[jenis], staged, table=stage, null_columns=nullable)
        result.seen = set()  # the hashes served their purpose: free them before the write
        if connection.vendor == "postgresql":
            # A million staged rows: real row counts for the planner, no JIT compile (half a second).
            cursor.execute(f"ANALYZE {stage}")
            cursor.execute("SET LOCAL jit = off")
            cursor.execute("SET LOCAL work_mem = '64MB'")  # the KPM lookups and the repeat check hash in memory
            # A month's partition holding few rows (or none, after a delete) is estimated as tiny, and the
            # "already in?" anti-join would become a nested loop scanning it once per staged row, while
            # the INSERT fills it: minutes. Every join here is between whole sets: hash them.
            cursor.execute("SET LOCAL enable_nestloop = off")
        _refuse_repeated(cursor, jenis, stage, result, check, path, filename, header_cells)
        result.seconds_staged = time.perf_counter() - started
        result.refused = bool(result.invalid) and not skip_invalid
        if not result.refused and not dry_run and result.periods:
            _lock_open_periods(cursor, result.periods)
        if not result.refused and dry_run:
            result.existing = _existing_count(cursor, jenis, bank.pk, stage, result.periods)
            result.new = result.valid - result.existing
        elif not result.refused:
            result.new = _write(cursor, jenis, bank.pk, stage, result.periods)
            result.existing = result.valid - result.new
        cursor.execute(f"DROP TABLE {stage}")
    result.seconds_written = time.perf_counter() - started - result.seconds_staged
    if result.rejected is not None:
        result.rejected_file = result.rejected.content()
    if progress:
        progress(result)
    if refresh and not dry_run and result.new:
        for periode in Periode.objects.filter(pk__in=result.periods):
            refresh_after_import(periode)
    return result


# --- jobs ----------------------------------------------------------------------------------------------------


def create_job(bank, jenis, uploaded, *, user, dry_run=True, skip_invalid=False):
    job = ImporBank(
        bank=bank,
        jenis=jenis,
        nama_berkas=uploaded.name,
        uji_coba=dry_run,
        lewati_tidak_valid=skip_invalid,
        dibuat_oleh=user,
    )
    job.berkas.save(uploaded.name, uploaded, save=False)
    job.save()
    return job


def run_job(job_id):
    """Run an ImporBank job once (a job no longer waiting is left alone), recording progress and outcome."""
    if not ImporBank.claim(job_id):
        logger.warning("ImporBank %s is not waiting; not running it again.", job_id)
        return None
    job = ImporBank.objects.select_related("bank").get(pk=job_id)

    def progress(result):
        # Not the job row: the rows stream through one COPY on this connection, inside the import's
        # transaction, so a row update could neither run nor be seen. The cache is shared with the web.
        cache.set(_progress_key(job_id), {"baris_dibaca": result.rows_read, "baris_valid": result.valid}, 3600)

    try:
        result = import_file(
            job.bank,
            job.jenis,
            job.berkas.path,
            filename=job.nama_berkas,
            dry_run=job.uji_coba,
            skip_invalid=job.lewati_tidak_valid,
            progress=progress,
            refresh=False,  # below, once the outcome is recorded: the rows are in whatever happens there
        )
    except ValidationError as exc:
        return _finish(job, JobStatus.GAGAL, " ".join(exc.messages))
    except Exception as exc:
        logger.exception("ImporBank %s failed", job_id)
        return _finish(job, JobStatus.GAGAL, f"Kesalahan tak terduga: {exc.__class__.__name__}: {exc}")
    job.baris_dibaca, job.baris_valid = result.rows_read, result.valid
    job.baris_baru, job.baris_sudah_ada, job.jumlah_tidak_valid = result.new, result.existing, result.invalid
    job.kesalahan = [str(e) for e in result.errors[:200]]
    if result.rejected_file:
        stem = job.nama_berkas.rsplit(".", 1)[0]
        job.berkas_kesalahan.save(f"{stem}-baris-ditolak-{job.pk}.xlsx", ContentFile(result.rejected_file), save=False)
    if result.refused:
        status, message = JobStatus.DITOLAK, f"{result.invalid} baris tidak valid; tidak ada data yang disimpan."
    elif job.uji_coba:
        status, message = JobStatus.SELESAI, f"Pratinjau: {result.new} baris baru, {result.existing} sudah ada."
    else:
        status, message = JobStatus.SELESAI, f"{result.new} baris baru disimpan, {result.existing} sudah ada."
        AuditLog.objects.create(
            pengguna=job.dibuat_oleh,
            aksi=AuditLog.Aksi.IMPOR,
            objek=f"penyaluran.{job.jenis}",
            jumlah_baris=result.new,
            keterangan={
                "impor_bank": job.pk,
                "bank": job.bank.kode,
                "berkas": job.nama_berkas,
                "sudah_ada": result.existing,
                "tidak_valid": result.invalid,
            },
        )
    _finish(job, status, message)
    if not job.uji_coba and not result.refused and result.new:
        _refresh(job, result.periods)
    return result


def _refresh(job, period_ids):
    """Rebuild what is derived from the periods written to; a failure is said on the job, whose rows stay in."""
    for periode in Periode.objects.filter(pk__in=period_ids).order_by("tahun", "bulan"):
        try:
            refresh_after_import(periode)
        except Exception as exc:
            logger.exception("ImporBank %s: refreshing %s failed", job.pk, periode)
            job.pesan += (
                f" Ringkasan realisasi dan sinyal risiko {periode} belum diperbarui ({exc.__class__.__name__}); "
                f"jalankan python manage.py perbarui_ringkasan {periode.tahun} {periode.bulan}."
            )
            job.save(update_fields=["pesan"])


def _finish(job, status, message):
    job.finish(status, message)
    cache.delete(_progress_key(job.pk))


def _progress_key(job_id):
    return f"impor-bank:{job_id}:progres"


def live_progress(job):
    """Rows read and valid so far: from the cache while the job runs, from the job row after."""
    live = cache.get(_progress_key(job.pk)) if job.status == JobStatus.BERJALAN else None
    return live or {"baris_dibaca": job.baris_dibaca, "baris_valid": job.baris_valid}


def sample_file(rows, jenis=ProfilKolomBank.Jenis.TRANSAKSI):
    """A CSV (bytes) with the standard headers, for tests and the admin's example download."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow([k.header for k in KOLOM[jenis] if k.name in rows[0]] if rows else [])
    for row in rows:
        writer.writerow([row[k.name] for k in KOLOM[jenis] if k.name in row])
    return out.getvalue().encode("utf-8")
