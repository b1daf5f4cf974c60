"""What a bank file holds and the check of one of its rows: the bank-file kinds of the import engine.

Purchases (transaksi) and credits (penyaluran) each name their columns with the engine's Column, so the
engine's header matching finds them however a bank spells them, a bank's ProfilKolomBank first. A row
becomes the tuple the staging table takes (bank_staging.STAGE_COLUMNS), or RowErrors naming the Excel row,
the column and the value, in Indonesian. Amounts are whole rupiah in any usual notation; times are
Jakarta's, or converted to it when they carry an offset.
"""

import datetime
import re

from django.core.exceptions import ValidationError
from django.db import connection

from penyaluran.distribusi.models import Penyaluran, ProfilKolomBank
from penyaluran.importing.cells import RowError, display, text
from penyaluran.importing.columns import Column, header_key, match_columns
from tikor.formatting import JAKARTA, db_moment

# What each file holds; a bank's ProfilKolomBank row adds its own header for any field.
KOLOM = {
    ProfilKolomBank.Jenis.TRANSAKSI: (
        Column("referensi", "Referensi", ("no ref", "ref", "no referensi", "reference", "trx id", "rrn"), True),
        Column("waktu", "Waktu", ("tanggal transaksi", "tgl trx", "waktu transaksi", "datetime", "tanggal"), True),
        Column("jumlah", "Jumlah", ("nominal", "amount", "jumlah transaksi", "nilai"), True),
        Column("nomor_kks", "Nomor KKS", ("kks", "no kks", "no kartu", "nomor kartu", "card no")),
        Column("nik", "NIK", ("nik kpm",)),
        Column(
            "terminal", "Terminal", ("tid", "terminal id", "kode e-warong", "kode ewarong", "kode agen", "mid"), True
        ),
    ),
    ProfilKolomBank.Jenis.PENYALURAN: (
        Column("referensi", "Referensi", ("no ref", "ref", "no referensi", "reference"), True),
        Column("tanggal", "Tanggal", ("tanggal kredit", "tgl kredit", "tgl salur", "tanggal salur"), True),
        Column("jumlah", "Jumlah", ("nominal", "amount", "jumlah kredit", "nilai"), True),
        Column("nomor_kks", "Nomor KKS", ("kks", "no kks", "no kartu", "nomor kartu")),
        Column("nik", "NIK", ("nik kpm",)),
        Column("status", "Status", ("status salur", "keterangan")),
        Column("kanal", "Kanal", ("channel", "saluran")),
        Column("kartu_dibagikan_pada", "KKS Dibagikan", ("tgl distribusi kks", "tanggal kks dibagikan")),
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
MAX_JUMLAH = 2_147_483_647  # the integer column; far above any benefit, so a larger amount is a typo


def column_map(jenis, bank, header_cells):
    """{field: column index} from the header row: the bank's own header first (its ProfilKolomBank), then
    the usual spellings. Also the bank's time format, "" when it has none."""
    profile = ProfilKolomBank.objects.filter(bank=bank, jenis=jenis).first()
    custom = {name: header for name, header in (profile.kolom if profile else {}).items() if header}
    found, _headers, _extra = match_columns(KOLOM[jenis], [text(c) for c in header_cells], preferred=custom)
    missing = [custom.get(k.name, k.header) for k in KOLOM[jenis] if k.required and k.name not in found]
    if missing:
        raise ValidationError(
            f"Kolom wajib tidak ditemukan di baris judul: {', '.join(missing)}. "
            "Periksa profil kolom bank di menu Data › Profil kolom bank."
        )
    if "nomor_kks" not in found and "nik" not in found:
        raise ValidationError("Berkas harus punya kolom Nomor KKS atau NIK.")
    return found, profile.format_waktu if profile else ""


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
        waktu = f"{moment}+07" if self.postgres else db_moment(parsed)
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

    def _shared(self, moment_column, with_time):
        """What both kinds of file hold: the reference, card or NIK, the moment and its period, and the amount."""
        ref = self._referensi()
        kks, nik = self._identity()
        moment = self._moment(moment_column, with_time=with_time)
        periode = self._periode(moment_column, moment)
        return ref, kks, nik, moment, periode, self._jumlah()

    def _transaksi(self):
        ref, kks, nik, waktu, periode, jumlah = self._shared("waktu", with_time=True)
        terminal = text(self.raw("terminal"))
        if not terminal:
            self.error("terminal", "Terminal atau kode e-warong wajib diisi.")
        elif len(terminal) > 30:
            self.error("terminal", "Terminal paling panjang 30 karakter.")
        if self.errors:
            return None
        # A time without an offset is Jakarta's: banks in Indonesia write local time.
        return (self.row, periode.pk, ref, kks, nik, terminal, db_moment(waktu), jumlah)

    def _penyaluran(self):
        ref, kks, nik, tanggal, periode, jumlah = self._shared("tanggal", with_time=False)
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
