"""Periods, and what is rebuilt after their bank data changes; shared by the bank-file import and seed_demo.

Rows are written in bulk by penyaluran.distribusi.bulk.
"""

from penyaluran.distribusi import realisasi, rekonsiliasi
from penyaluran.distribusi.hooks import periode_diperbarui
from penyaluran.distribusi.models import Periode


def manfaat_bawaan(tahun, bulan):
    """The monthly benefit by the Pedum: Rp110.000 to 2019, Rp150.000 in Jan–Feb 2020, Rp200.000 from March 2020."""
    if tahun < 2020:
        return 110_000
    if tahun == 2020 and bulan < 3:
        return 150_000
    return 200_000


def ensure_periode(tahun, bulan, manfaat=None):
    periode, _created = Periode.objects.get_or_create(
        tahun=tahun, bulan=bulan, defaults={"manfaat_per_kpm": manfaat or manfaat_bawaan(tahun, bulan)}
    )
    return periode


def tutup_periode(periode):
    """Close a period: its credits and transactions become read-only."""
    Periode.objects.filter(pk=periode.pk).update(status=Periode.Status.TUTUP)
    periode.status = Periode.Status.TUTUP


def buka_periode(periode):
    Periode.objects.filter(pk=periode.pk).update(status=Periode.Status.BUKA)
    periode.status = Periode.Status.BUKA


def refresh_after_import(periode):
    """Everything derived from a period's bank data: the realisation summary and the reconciliation here, then
    through the `periode_diperbarui` hook what the layers above build on it (risiko's signals, monev's risk)."""
    realisasi.refresh_summary(periode)
    rekonsiliasi.hitung(periode)
    periode_diperbarui.send(sender=Periode, periode=periode)
