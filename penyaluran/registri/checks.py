"""Checking one registry row: codes and names resolved against the registry and the regions of DKI Jakarta.

Nothing is guessed: a value that cannot be read exactly is an error naming the row, the column and the
value. NIK and No KK go through tikor.nik, the one validator of the site.
"""

import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError

from penyaluran.importing.cells import (
    RowError,
    code_text,
    count,
    date,
    digits,
    optional_text,
    place_key,
    required_text,
    text,
    unnumber,
    year,
    yes_no,
)
from penyaluran.importing.checks import RowChecker
from penyaluran.registri.models import Agen, EWarong, Kpm, Penyedia, TerminalEdc
from tikor.models import Bank, Wilayah
from tikor.nik import normalize_no_kk, parse_nik

COORDINATE = Decimal("0.000001")


class Lookups:
    """Reference data an import resolves codes and names against, read once per import."""

    def __init__(self):
        self.kelurahan_by_code = {}
        self.kelurahan_by_name = {}
        self.kecamatan_by_code = {}
        self.kecamatan_by_name = {}
        self.names = {}
        for kode, nama, tingkat, induk in Wilayah.objects.filter(tingkat__in=["kecamatan", "kelurahan"]).values_list(
            "kode", "nama", "tingkat", "induk_id"
        ):
            self.names[kode] = nama
            if tingkat == "kelurahan":
                self.kelurahan_by_code[kode.replace(".", "")] = kode
                self.kelurahan_by_name.setdefault(place_key(nama), []).append((kode, induk))
            else:
                self.kecamatan_by_code[kode.replace(".", "")] = kode
                self.kecamatan_by_name.setdefault(place_key(nama), []).append(kode)
        self.banks = {}
        self.bank_codes = {}
        for pk, kode, nama in Bank.objects.values_list("pk", "kode", "nama"):
            self.bank_codes[pk] = kode
            for name in (kode, nama, f"bank {kode}"):
                self.banks[place_key(name)] = pk
        self.codes = {
            model: {kode.upper(): pk for pk, kode in model.objects.values_list("pk", "kode")}
            for model in (EWarong, Agen, Penyedia)
        }


class RegistryChecker(RowChecker):
    """A registry row: its own columns, then its kelurahan from code, name and kecamatan, as given."""

    repeated = frozenset(
        ["jenis_kelamin", "rt", "rw", "bank_id", "ewarong_id", "agen_id", "penyedia_id", "status", "aktif"]
        + ["sumber_data", "tahun_data", "kapasitas_kpm"]
    )
    kelurahan_required = False

    def __init__(self, kind, header):
        self.lookups = Lookups()
        super().__init__(kind, header)
        self.place_columns = [header.index.get(n) for n in ("kode_kelurahan", "kelurahan", "kecamatan")]
        self.has_place = self.place_columns[0] is not None or self.place_columns[1] is not None

    def derive(self, values):
        if not self.has_place:
            return
        row, width = self.cells, len(self.cells)
        # (kode kelurahan, kelurahan, kecamatan) as written; None for an absent column or an empty cell
        cells = tuple(None if p is None or p >= width or row[p] == "" else row[p] for p in self.place_columns)
        # A file names a few hundred places over and over: resolve each combination once.
        outcome = self.memo.get(cells)
        if outcome is None:
            errors, self.errors = self.errors, []
            resolved = {}
            self._resolve_kelurahan(resolved, *cells)
            outcome = self.memo[cells] = (resolved.get("kelurahan_id"), self.errors)
            self.errors = errors
        values["kelurahan_id"] = outcome[0]
        self.errors.extend(RowError(self.row_number, e.column, e.value, e.message) for e in outcome[1])

    def _resolve_kelurahan(self, values, kode_cell, name_cell, kec_cell):
        if kode_cell is not None:
            kode = self.lookups.kelurahan_by_code.get(digits(kode_cell)) if digits(kode_cell) else None
            if kode is None:
                self.error("kode_kelurahan", kode_cell, "kode kelurahan tidak dikenal di DKI Jakarta.")
            values["kelurahan_id"] = kode
            return
        if name_cell is None:
            if self.kelurahan_required:
                self.error("kelurahan", name_cell, "kelurahan wajib diisi.")
            values["kelurahan_id"] = None
            return
        values["kelurahan_id"] = self._kelurahan_by_name(name_cell, kec_cell)

    def _kelurahan_by_name(self, name_cell, kec_cell):
        lookups = self.lookups
        by_code = (
            lookups.kelurahan_by_code.get(digits(name_cell))
            if digits(name_cell) == text(name_cell).replace(".", "")
            else None
        )
        if by_code:
            return by_code
        candidates = lookups.kelurahan_by_name.get(place_key(name_cell), [])
        if not candidates:
            self.error("kelurahan", name_cell, "kelurahan tidak dikenal di DKI Jakarta.")
            return None
        kecamatan = None
        if kec_cell is not None:
            kecamatan = lookups.kecamatan_by_code.get(digits(kec_cell)) if digits(kec_cell) else None
            if kecamatan is None:
                found = lookups.kecamatan_by_name.get(place_key(kec_cell), [])
                if len(found) != 1:
                    self.error("kecamatan", kec_cell, "kecamatan tidak dikenal di DKI Jakarta.")
                    return None
                kecamatan = found[0]
        if kecamatan:
            inside = [kode for kode, induk in candidates if induk == kecamatan]
            if not inside:
                self.error(
                    "kelurahan",
                    name_cell,
                    f"kelurahan ini tidak berada di Kecamatan {lookups.names[kecamatan]}.",
                )
                return None
            return inside[0]
        if len(candidates) > 1:
            places = ", ".join(f"Kec. {lookups.names[induk]}" for _kode, induk in candidates)
            self.error(
                "kelurahan",
                name_cell,
                f"nama kelurahan ini ada di lebih dari satu kecamatan ({places}); isi kolom Kecamatan.",
            )
            return None
        return candidates[0][0]

    def bank(self, value, required=False):
        if value is None:
            if required:
                raise ValidationError("bank wajib diisi.")
            return None
        pk = self.lookups.banks.get(place_key(value))
        if pk is None:
            raise ValidationError("kode bank tidak dikenal (gunakan BNI, BRI, MANDIRI, BTN, BSI atau BANKDKI).")
        return pk

    def code(self, value, model, label):
        if value is None:
            return None
        pk = self.lookups.codes[model].get(text(value).upper())
        if pk is None:
            raise ValidationError(f"kode {label} tidak dikenal; impor data {label} terlebih dahulu.")
        return pk


class KpmChecker(RegistryChecker):
    kelurahan_required = True

    def parsers(self):
        return [
            ("nik", nik_value),
            ("no_kk", no_kk_value),
            ("nama", required_text, 150),
            ("jenis_kelamin", jenis_kelamin),
            ("tanggal_lahir", date),
            ("alamat", optional_text, 255),
            ("rt", rt_rw, "RT"),
            ("rw", rt_rw, "RW"),
            ("nomor_kks", kks),
            ("bank_id", self.bank),
            ("ewarong_id", self.code, EWarong, "e-warong"),
            ("status", choice, Kpm.Status),
            ("sumber_data", optional_text, 100),
            ("tahun_data", year),
        ]

    def derive(self, values):
        # The NIK carries the birth date and sex: jenis kelamin comes from it when the file leaves it out.
        parsed = values["nik"]
        values["nik"] = parsed[0] if parsed else None
        if not values.get("jenis_kelamin"):
            values["jenis_kelamin"] = parsed[2] if parsed else None
        super().derive(values)


class EWarongChecker(RegistryChecker):
    kelurahan_required = True

    def parsers(self):
        return [
            ("kode", code_text, 30),
            ("nama", required_text, 200),
            ("pemilik", optional_text, 150),
            ("alamat", optional_text, 255),
            ("bank_id", self.bank, True),
            ("agen_id", self.code, Agen, "agen"),
            ("penyedia_id", self.code, Penyedia, "penyedia"),
            ("latitude", coordinate, Decimal("-6.5"), Decimal("-5.1")),
            ("longitude", coordinate, Decimal("106.3"), Decimal("107.1")),
            ("kapasitas_kpm", count, 250),
            ("status", choice, EWarong.Status),
        ]


class AgenChecker(RegistryChecker):
    def parsers(self):
        return [
            ("kode", code_text, 30),
            ("nama", required_text, 200),
            ("pemilik", optional_text, 150),
            ("bank_id", self.bank, True),
            ("alamat", optional_text, 255),
            ("telepon", optional_text, 20),
            ("status", choice, Agen.Status),
        ]


class PenyediaChecker(RegistryChecker):
    def parsers(self):
        return [
            ("kode", code_text, 20),
            ("nama", required_text, 200),
            ("penanggung_jawab", optional_text, 150),
            ("npwp", optional_text, 20),
            ("alamat", optional_text, 255),
            ("telepon", optional_text, 20),
            ("aktif", yes_no),
        ]


class TerminalChecker(RegistryChecker):
    """A bank's terminal list: terminal id, bank, the e-warong or agen code it stands at, and its validity.

    The row's key (`kunci`) is the bank, terminal and start date: a terminal that moves to another outlet is a
    new row from the day it moved, and its old row gets an end date."""

    repeated = frozenset(["bank_id"])
    kelurahan_required = False

    def parsers(self):
        return [
            ("kunci", code_text, 30),
            ("bank_id", self.bank, True),
            ("outlet", optional_text, 30),
            ("berlaku_dari", date),
            ("berlaku_sampai", date),
            ("keterangan", optional_text, 255),
        ]

    def derive(self, values):
        terminal, bank_id = values.get("kunci"), values.get("bank_id")
        values["terminal"] = terminal
        start = values.get("berlaku_dari") or TerminalEdc._meta.get_field("berlaku_dari").default
        values["berlaku_dari"] = start
        end = values.get("berlaku_sampai")
        if end and end < start:
            self.error("berlaku_sampai", end, "tanggal akhir sebelum tanggal mulai.")
        outlet = (values.pop("outlet", None) or "").upper()
        values["ewarong_id"] = self.lookups.codes[EWarong].get(outlet)
        values["agen_id"] = None if values["ewarong_id"] else self.lookups.codes[Agen].get(outlet)
        if "outlet" in self.header.index and not (values["ewarong_id"] or values["agen_id"]):
            self.error(
                "outlet",
                outlet,
                "kode e-warong atau agen tidak dikenal; impor data e-warong dan agen terlebih dahulu."
                if outlet
                else "kode e-warong atau agen wajib diisi.",
            )
        values["kunci"] = (
            TerminalEdc.key_of(self.lookups.bank_codes[bank_id], terminal, start) if terminal and bank_id else None
        )


# -- registry value parsers: take a cell (None when empty), return the model value or raise ValidationError ---


def nik_value(value):
    """(nik, birth date, sex) through tikor.nik, the one NIK validator."""
    return parse_nik(unnumber(value))


def no_kk_value(value):
    return normalize_no_kk(unnumber(value))


def kks(value):
    if value.__class__ is str and len(value) <= 20 and value.isascii() and value.isdigit():
        return value  # the usual case: digits in a text cell
    if isinstance(value, (int, float)):
        raise ValidationError(
            "Nomor KKS tersimpan sebagai angka di Excel; digit terakhir bisa hilang. "
            "Format kolom sebagai Teks lalu ketik ulang nilainya."
        )
    result = re.sub(r"[\s\-]", "", text(value).lstrip("'"))
    if result and not result.isdigit():
        raise ValidationError("Nomor KKS hanya boleh berisi angka.")
    if len(result) > 20:
        raise ValidationError(f"Nomor KKS terlalu panjang: {len(result)} digit, paling banyak 20.")
    return result


def rt_rw(value, label):
    result = text(value)
    if result and not re.fullmatch(r"\d{1,3}", result):
        raise ValidationError(f"{label} berupa angka 1 sampai 3 digit.")
    return result


def jenis_kelamin(value):
    if value is None:
        return None
    key = place_key(value)
    if key in ("l", "lk", "laki", "lakilaki", "pria"):
        return "L"
    if key in ("p", "pr", "perempuan", "wanita"):
        return "P"
    raise ValidationError("jenis kelamin harus L (laki-laki) atau P (perempuan).")


def choice(value, choices):
    if value is None:
        return choices.values[0]
    key = place_key(value)
    for stored, label in choices.choices:
        if key in (place_key(stored), place_key(label)):
            return stored
    allowed = ", ".join(str(label) for label in choices.labels)
    raise ValidationError(f"status tidak dikenal; pilih salah satu: {allowed}.")


def coordinate(value, low, high):
    if value is None:
        return None
    try:
        number = Decimal(text(value).replace(",", ".")).quantize(COORDINATE)
    except InvalidOperation:
        raise ValidationError("koordinat harus angka desimal, misalnya -6.175392.") from None
    if not low <= number <= high:
        raise ValidationError(f"koordinat di luar DKI Jakarta (antara {low} dan {high}).")
    return number
