"""What a bank file holds and the check of one of its rows: the bank-file kinds of the import engine.

Purchases (transaksi) and credits (penyaluran) each name their columns with the engine's Column, so the
engine's header matching finds them however a bank spells them, a bank's ProfilKolomBank first. A row
becomes the tuple the staging table takes (bank_staging.STAGE_COLUMNS), or RowErrors naming the Excel row,
the column and the value, in Indonesian. Amounts are whole rupiah in any usual notation; times are
Jakarta's, or converted to it when they carry an offset.
"""

import datetime
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import connection

from penyaluran.distribusi.models import Penyaluran, ProfilKolomBank
from penyaluran.importing.cells import RowError, display, text
from penyaluran.importing.columns import HEADER_SEARCH_ROWS, Column, header_key, match_columns
from tikor.formatting import JAKARTA, db_moment

# What each file holds; a bank's ProfilKolomBank names its own header for any field.
KOLOM = {
    ProfilKolomBank.Jenis.TRANSAKSI: (
        Column("referensi", "Referensi", ("no ref", "ref", "no referensi", "reference", "trx id", "rrn"), True),
        Column(
            "waktu",
            "Tanggal/Waktu",
            ("waktu", "tanggal transaksi", "tgl trx", "waktu transaksi", "datetime", "tanggal", "tgl", "date"),
            True,
        ),
        Column("jam", "Jam", ("jam transaksi", "jam trx", "time", "pukul")),
        Column("jumlah", "Jumlah", ("nominal", "amount", "jumlah transaksi", "nilai", "jumlah rp"), True),
        Column("nomor_kks", "Nomor KKS", ("kks", "no kks", "no kartu", "nomor kartu", "card no")),
        Column("nik", "NIK", ("nik kpm",)),
        Column("terminal", "Terminal", ("tid", "terminal id", "id terminal", "mid", "terminal edc")),
        Column("kode_ewarong", "Kode E-Warong", ("kode ewarong", "kode e-warung", "id e-warong", "e-warong")),
        Column("kode_agen", "Kode Agen", ("id agen", "agen")),
    ),
    ProfilKolomBank.Jenis.PENYALURAN: (
        Column("referensi", "Referensi", ("no ref", "ref", "no referensi", "reference"), True),
        Column("tanggal", "Tanggal", ("tanggal kredit", "tgl kredit", "tgl salur", "tanggal salur"), True),
        Column("jumlah", "Jumlah", ("nominal", "amount", "jumlah kredit", "nilai", "jumlah rp"), True),
        Column("nomor_kks", "Nomor KKS", ("kks", "no kks", "no kartu", "nomor kartu")),
        Column("nik", "NIK", ("nik kpm",)),
        Column("status", "Status", ("status salur", "keterangan")),
        Column("kanal", "Kanal", ("channel", "saluran")),
        Column("kartu_dibagikan_pada", "KKS Dibagikan", ("tgl distribusi kks", "tanggal kks dibagikan")),
    ),
}
# Fields of which a file needs at least one, with how a message names the group.
ONE_OF = {
    ProfilKolomBank.Jenis.TRANSAKSI: (
        (("nomor_kks", "nik"), "Nomor KKS atau NIK"),
        (("terminal", "kode_ewarong", "kode_agen"), "Terminal, Kode E-Warong atau Kode Agen"),
    ),
    ProfilKolomBank.Jenis.PENYALURAN: ((("nomor_kks", "nik"), "Nomor KKS atau NIK"),),
}


def field_names(jenis):
    return [column.name for column in KOLOM[ProfilKolomBank.Jenis(jenis)]]


def field_labels(jenis):
    return {column.name: column.header for column in KOLOM[ProfilKolomBank.Jenis(jenis)]}


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
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y%m%d")
CLOCK_FORMATS = ("%H:%M:%S", "%H:%M", "%H.%M.%S", "%H.%M", "%H%M%S")
MAX_JUMLAH = 2_147_483_647  # the integer column; far above any benefit, so a larger amount is a typo


def profile_of(bank, jenis):
    """The bank's profile for this kind of file, or an unsaved default (usual spellings, detection)."""
    return ProfilKolomBank.objects.filter(bank=bank, jenis=jenis).first() or ProfilKolomBank(bank=bank, jenis=jenis)


@dataclass
class BankHeader:
    row: int  # the header's row number in the file
    cells: list
    columns: dict  # field -> cell index


def _missing(jenis, found, custom):
    missing = [custom.get(c.name) or c.header for c in KOLOM[jenis] if c.required and c.name not in found]
    for names, label in ONE_OF[jenis]:
        if not any(name in found for name in names):
            missing.append(label)
    return missing


def find_bank_header(profile, rows):
    """Consume `rows` up to the header row and map its columns: the profile's row if it names one, else the first
    of the first rows holding every required column (title rows above it are skipped)."""
    jenis = ProfilKolomBank.Jenis(profile.jenis)
    custom = {name: header for name, header in (profile.kolom or {}).items() if header}
    nearest = None  # the non-empty row that found the most columns, for the message
    for row_number, cells in rows:
        if profile.baris_judul and row_number < profile.baris_judul:
            continue
        if not any(text(c) for c in cells):
            continue
        found, _headers, _extra = match_columns(KOLOM[jenis], [text(c) for c in cells], preferred=custom)
        missing = _missing(jenis, found, custom)
        if not missing:
            return BankHeader(row_number, cells, found)
        if nearest is None or len(found) > len(nearest[2]):
            nearest = (row_number, cells, found, missing)
        if profile.baris_judul or row_number >= HEADER_SEARCH_ROWS:
            break
    if nearest is None:
        raise ValidationError("Berkas kosong: tidak ada baris judul.")
    row_number, cells, _found, missing = nearest
    written = ", ".join(t for c in cells if (t := text(c))) or "(kosong)"
    raise ValidationError(
        f"Kolom wajib tidak ditemukan: {', '.join(missing)}. Baris judul yang paling mendekati (baris {row_number}) "
        f"berisi: {written[:300]}. Atur kolom ini di profil berkas bank (menu Distribusi › Profil berkas bank)."
    )


class RowCheck:
    """Parses one data row into staging values, or collects RowErrors naming row, column and value."""

    def __init__(self, profile, header_cells, columns, periods):
        self.jenis = ProfilKolomBank.Jenis(profile.jenis)
        self.headers = {name: text(header_cells[i]) or name for name, i in columns.items()}
        self.columns = columns
        self.time_format = profile.format_waktu
        self.clock_format = profile.format_jam
        self.notation = profile.notasi_jumlah
        self.split_time = "jam" in columns
        self.periods = periods  # {(year, month): Periode}
        self.open_periods = {key: p.pk for key, p in periods.items() if not p.tertutup}
        self.postgres = connection.vendor == "postgresql"
        index = [
            columns.get(n, -1)
            for n in ("referensi", "waktu", "jumlah", "nomor_kks", "nik", "terminal", "kode_ewarong", "kode_agen")
        ]
        plain = not (self.time_format or self.notation or self.split_time)
        self.fast_index = index if self.jenis == ProfilKolomBank.Jenis.TRANSAKSI and plain else None

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
            ref, moment, amount, kks, nik, terminal, kode_ewarong, kode_agen = (
                cells[i].strip() if i >= 0 else "" for i in self.fast_index
            )
        except (AttributeError, IndexError):
            return None  # not text (XLSX numbers, dates) or a short row
        kode = kode_ewarong or kode_agen
        if not ref or len(ref) > 40 or not (terminal or kode) or len(terminal) > 30 or len(kode) > 30:
            return None
        if not (amount.isascii() and amount.isdigit() and len(amount) <= 9) or "  " in ref + terminal + kode:
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
        return (row_number, periode_id, ref, kks, nik, terminal, kode, waktu, jumlah)

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
        amount = parse_rupiah(value, self.notation)
        if amount is None:
            self.error("jumlah", "Jumlah harus bilangan bulat rupiah lebih dari 0, mis. 200000 atau 200.000.")
        elif amount > MAX_JUMLAH:
            self.error("jumlah", "Jumlah terlalu besar untuk satu transaksi; periksa nilainya.")
            return None
        return amount

    def _moment(self, name, with_time):
        if with_time and self.split_time:
            day = self._moment(name, with_time=False)
            clock = self._clock()
            return datetime.datetime.combine(day, clock) if day and clock else None
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
        # A date column may hold a time too (a date-time column mapped as the date of a split file): its date.
        formats = (self.time_format,) if self.time_format else ()
        formats += DATETIME_FORMATS if with_time else DATE_FORMATS + DATETIME_FORMATS
        for fmt in formats:
            try:
                parsed = datetime.datetime.strptime(raw, fmt)
            except ValueError:
                continue
            return _jakarta(parsed) if with_time else parsed.date()
        if raw or name != "kartu_dibagikan_pada":
            example = self.time_format or ("2021-06-15 09:30:00" if with_time else "15/06/2021")
            self.error(name, f"Tanggal tidak dapat dibaca; tulis seperti {example}.")
        return None

    def _clock(self):
        """The time of day from a separate time column: an Excel time, or text in the profile's or a usual format."""
        value = self.raw("jam")
        if isinstance(value, datetime.datetime):
            return value.time()
        if isinstance(value, datetime.time):
            return value
        if isinstance(value, float) and 0 <= value < 1:  # a time Excel kept as a fraction of the day
            return (datetime.datetime.min + datetime.timedelta(seconds=round(value * 86400))).time()
        raw = text(value)
        formats = ((self.clock_format,) if self.clock_format else ()) + CLOCK_FORMATS
        for fmt in formats:
            try:
                return datetime.datetime.strptime(raw, fmt).time()
            except ValueError:
                continue
        self.error("jam", f"Jam tidak dapat dibaca; tulis seperti {self.clock_format or '09:30:00'}.")
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
        terminal = self._outlet("terminal")
        kode = self._outlet("kode_ewarong") or self._outlet("kode_agen")
        if not terminal and not kode:
            name = next(n for n in ("terminal", "kode_ewarong", "kode_agen") if n in self.columns)
            self.error(name, "Terminal atau kode e-warong/agen wajib diisi.")
        if self.errors:
            return None
        # A time without an offset is Jakarta's: banks in Indonesia write local time.
        return (self.row, periode.pk, ref, kks, nik, terminal, kode, db_moment(waktu), jumlah)

    def _outlet(self, name):
        value = text(self.raw(name))
        if len(value) > 30:
            self.error(name, "Kode outlet atau terminal paling panjang 30 karakter.")
            return ""
        return value

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


def parse_rupiah(value, notation=""):
    """A whole rupiah amount as written in a bank file: 200000, 200.000, 200,000, Rp 200.000,00, 200000.0.

    With a notation ("id": 1.234.567,00; "en": 1,234,567.00) the marks mean only that. None for anything else,
    a fraction of a rupiah included ("150000.5" is not 1.500.005)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return int(value) if value == int(value) and value > 0 else None
    written = re.sub(r"^rp\.?\s*", "", text(value).lower()).replace(" ", "")
    if notation:
        group, decimal = (".", ",") if notation == "id" else (",", ".")
        found = re.fullmatch(rf"(\d{{1,3}}(?:\{group}\d{{3}})*|\d+)(?:\{decimal}(\d{{1,2}}))?", written)
        if found is None or (found.group(2) and int(found.group(2))):
            return None
        amount = int(found.group(1).replace(group, ""))
        return amount if amount > 0 else None
    found = _RUPIAH.fullmatch(written)
    if found is None or (found.group(3) and int(found.group(3))):
        return None
    whole, separator = found.group(1), found.group(2)
    if separator and found.group(3) is not None and written[len(whole)] == separator:
        return None  # "200.000.00": the same mark cannot group thousands and start cents
    amount = int(re.sub(r"[.,]", "", whole))
    return amount if amount > 0 else None
