"""A report as plain data: a title, its parameters, and tables with their totals and a chart. The XLSX and
the PDF are two renderings of the same Dokumen, so they always hold the same figures."""

import datetime
from dataclasses import dataclass, field

from tikor.formatting import angka, persen, rupiah

# How a column is written: text as it is (NIK, codes), a count, rupiah, a share (0..1), a 0-100 score, a date.
TEKS, ANGKA, RUPIAH, PERSEN, SKOR, TANGGAL = "teks", "angka", "rupiah", "persen", "skor", "tanggal"


@dataclass(frozen=True)
class Kolom:
    judul: str
    jenis: str = TEKS
    lebar: int = 14  # characters, for the XLSX column

    @property
    def kanan(self):
        return self.jenis in (ANGKA, RUPIAH, PERSEN, SKOR)

    def tampil(self, value):
        """The value as a person reads it in the PDF."""
        if value is None or value == "":
            return "–" if self.kanan else ""
        if self.jenis == ANGKA:
            return angka(value)
        if self.jenis == RUPIAH:
            return rupiah(value)
        if self.jenis == PERSEN:
            return persen(value)
        if self.jenis == SKOR:
            return angka(value, 1)
        if self.jenis == TANGGAL:
            return f"{value:%d-%m-%Y}" if isinstance(value, datetime.date) else str(value)
        return str(value)


@dataclass
class Grafik:
    """Horizontal bars drawn as SVG in the PDF: one bar per table row, from one column."""

    judul: str
    label: int  # index of the column naming the bar
    nilai: int  # index of the column with the value
    maks: float | None = None  # the axis end (100 for scores, 1 for shares); None: the largest value


@dataclass
class Tabel:
    judul: str  # the sheet's name (31 characters at most) and the PDF section's heading
    kolom: list
    baris: list
    total: list | None = None
    grafik: Grafik | None = None
    catatan: str = ""
    di_pdf: bool = True  # long detail (every reconciliation line) stays in the XLSX only
    kolom_beku: int = 1  # columns frozen beside the header row

    def tampil(self, row):
        return [(k.tampil(v), k.kanan) for k, v in zip(self.kolom, row, strict=True)]


@dataclass
class Dokumen:
    judul: str
    subjudul: str
    parameter: list  # [(label, value)] for the cover sheet and the PDF header
    tabel: list = field(default_factory=list)
    ringkasan: dict = field(default_factory=dict)  # headline figures, kept on the job (JSON)
    uraian: str = ""


def jumlahkan(rows, kolom, label="Jumlah", label_index=0):
    """A totals row: counts and rupiah summed; other columns blank (a share is set by the caller)."""
    total = [None] * len(kolom)
    for i, k in enumerate(kolom):
        if k.jenis in (ANGKA, RUPIAH):
            total[i] = sum(r[i] or 0 for r in rows)
    total[label_index] = label
    return total


def bagi(a, b):
    """a / b as a share, None when b is 0."""
    return a / b if b else None
