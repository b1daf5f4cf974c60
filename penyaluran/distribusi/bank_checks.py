"""What a preview of a bank file must tell before anything is saved: outlets that match nothing (blocking), and
warnings the user acknowledges: purchases at another bank's e-warong, a month without credits, every time at
midnight, many unknown cards or NIKs, amounts that are all the whole monthly benefit.

All of it comes from one grouped pass over the staged rows (a million rows: one hash join per registry table),
so the preview costs about what the write costs.
"""

from dataclasses import dataclass, field

from django.db import connection

from penyaluran.distribusi.bank_staging import _kpm_joins, outlet_joins
from penyaluran.distribusi.models import Penyaluran, Periode, ProfilKolomBank
from tikor.formatting import angka, persen

UNKNOWN_LISTED = 50  # unknown outlet ids listed in the preview, most rows first
MIDNIGHT_SHARE = 0.9  # this share of purchases at exactly 00:00 means the time column was not read
UNKNOWN_KPM_SHARE = 0.05  # more purchases or credits than this with no KPM found: wrong column or wrong file
FULL_BENEFIT_SHARE = 0.9  # this share of purchases spending the whole benefit at once: packages or cash-out
MIN_ROWS = 20  # shares of fewer rows say nothing


@dataclass
class Temuan:
    warnings: list = field(default_factory=list)  # [{"kode", "pesan"}]
    unknown_outlets: list = field(default_factory=list)  # [[outlet id, rows], ...]
    rows_without_outlet: int = 0

    def warn(self, kode, pesan):
        self.warnings.append({"kode": kode, "pesan": pesan})


def _midnight(column):
    if connection.vendor == "postgresql":
        return f"({column} AT TIME ZONE 'Asia/Jakarta')::time = '00:00'"
    return f"time({column}, '+7 hours') = '00:00:00'"


def check_staged(cursor, jenis, bank, stage, period_ids):
    """The blocking errors and warnings of the staged rows of `bank`'s file."""
    found = Temuan()
    if jenis == ProfilKolomBank.Jenis.TRANSAKSI:
        _purchases(cursor, bank, stage, found)
        _periods_without_credits(bank, period_ids, found)
    else:
        cursor.execute(
            f"SELECT COUNT(*), SUM(CASE WHEN k1.id IS NULL AND k2.id IS NULL THEN 1 ELSE 0 END) "
            f"FROM {stage} s {_kpm_joins()}"
        )
        total, no_kpm = cursor.fetchone()
        _unknown_kpm(total or 0, no_kpm or 0, "penyaluran", found)
    return found


def _purchases(cursor, bank, stage, found):
    joins, ewarong, known = outlet_joins(bank.pk)
    cursor.execute(
        f"""SELECT COALESCE(NULLIF(s.terminal, ''), s.kode), {ewarong}, CASE WHEN {known} THEN 1 ELSE 0 END,
                   COUNT(*),
                   SUM(CASE WHEN {_midnight("s.waktu")} THEN 1 ELSE 0 END),
                   SUM(CASE WHEN k1.id IS NULL AND k2.id IS NULL THEN 1 ELSE 0 END),
                   SUM(CASE WHEN s.jumlah = p.manfaat_per_kpm THEN 1 ELSE 0 END)
            FROM {stage} s {_kpm_joins()} {joins}
            JOIN penyaluran_periode p ON p.id = s.periode_id
            GROUP BY 1, 2, 3"""
    )
    total = midnight = no_kpm = full = 0
    unknown = []
    per_ewarong = {}
    for outlet, ewarong_id, is_known, rows, at_midnight, without_kpm, whole in cursor.fetchall():
        total += rows
        midnight += at_midnight or 0
        no_kpm += without_kpm or 0
        full += whole or 0
        if not is_known:
            unknown.append([outlet, rows])
        elif ewarong_id is not None:
            per_ewarong[ewarong_id] = per_ewarong.get(ewarong_id, 0) + rows
    unknown.sort(key=lambda pair: (-pair[1], pair[0]))
    found.rows_without_outlet = sum(rows for _outlet, rows in unknown)
    found.unknown_outlets = unknown[:UNKNOWN_LISTED]
    _other_bank(bank, per_ewarong, found)
    if total >= MIN_ROWS and midnight >= MIDNIGHT_SHARE * total:
        found.warn(
            "tengah_malam",
            f"{angka(midnight)} dari {angka(total)} transaksi tercatat pukul 00.00: jam transaksi tampaknya tidak "
            "terbaca (mis. tanggal dan jam ada di dua kolom). Aturan jam di luar operasional dan gesek kolektif "
            "akan salah; periksa kolom Jam di profil berkas bank.",
        )
    _unknown_kpm(total, no_kpm, "transaksi", found)
    if total >= MIN_ROWS and full >= FULL_BENEFIT_SHARE * total:
        found.warn(
            "manfaat_penuh",
            f"{angka(full)} dari {angka(total)} transaksi ({persen(full / total)}) menghabiskan seluruh manfaat "
            "bulanan sekaligus. Periksa berkasnya; bila benar, ini tanda paket atau tarik tunai.",
        )


def _other_bank(bank, per_ewarong, found):
    from penyaluran.registri.models import EWarong

    others = EWarong.objects.filter(pk__in=per_ewarong).exclude(bank=bank).select_related("bank")
    by_bank = {}
    for ewarong in others:
        rows, outlets = by_bank.get(ewarong.bank.kode, (0, 0))
        by_bank[ewarong.bank.kode] = (rows + per_ewarong[ewarong.pk], outlets + 1)
    for kode, (rows, outlets) in sorted(by_bank.items()):
        found.warn(
            "bank_lain",
            f"{angka(rows)} transaksi di {angka(outlets)} e-warong yang dilayani bank {kode}, bukan {bank.kode}. "
            "Pastikan bank yang dipilih benar: berkas ini akan disimpan sebagai transaksi "
            f"{bank.kode}.",
        )


def _periods_without_credits(bank, period_ids, found):
    credited = set(
        Penyaluran.objects.filter(bank=bank, periode_id__in=period_ids).values_list("periode_id", flat=True).distinct()
    )
    for periode in Periode.objects.filter(pk__in=set(period_ids) - credited).order_by("tahun", "bulan"):
        found.warn(
            "tanpa_kredit",
            f"Periode {periode} belum punya data penyaluran (kredit) dari bank {bank.kode}: realisasinya akan "
            "menunjukkan belanja tanpa dana tersalur. Impor berkas penyaluran bulan itu lebih dulu bila ada.",
        )


def _unknown_kpm(total, no_kpm, what, found):
    if total >= MIN_ROWS and no_kpm > UNKNOWN_KPM_SHARE * total:
        found.warn(
            "kpm_tak_dikenal",
            f"{angka(no_kpm)} dari {angka(total)} baris {what} ({persen(no_kpm / total)}) memakai nomor KKS atau NIK "
            "yang tidak ada di registri KPM. Periksa kolom KKS/NIK di profil berkas bank, atau perbarui registri.",
        )
