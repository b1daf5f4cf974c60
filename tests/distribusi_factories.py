"""Periods, credits and purchases for the distribution tests (issue 5)."""

import contextlib
import datetime
import itertools
from zoneinfo import ZoneInfo

from penyaluran.distribusi.models import Penyaluran, Periode, Transaksi
from tikor.models import Bank

JAKARTA = ZoneInfo("Asia/Jakarta")
_ref = itertools.count(1)


def periode(tahun=2021, bulan=6, manfaat=200_000, **kwargs):
    return Periode.objects.get_or_create(tahun=tahun, bulan=bulan, defaults={"manfaat_per_kpm": manfaat, **kwargs})[0]


def bni():
    return Bank.objects.get(kode="BNI")


def kredit(periode, kpm=None, jumlah=None, status=Penyaluran.Status.TERSALUR, tanggal=None, **kwargs):
    """One credit; without a KPM give nik= for a credit outside the registry."""
    fields = {
        "periode": periode,
        "bank": kpm.bank if kpm and kpm.bank_id else bni(),
        "referensi": f"KR{next(_ref):08d}",
        "kpm": kpm,
        "nik": kpm.nik if kpm else "",
        "nomor_kks": kpm.nomor_kks if kpm else "",
        "jumlah": periode.manfaat_per_kpm if jumlah is None else jumlah,
        "tanggal": tanggal or datetime.date(periode.tahun, periode.bulan, 5),
        "status": status,
    }
    fields.update(kwargs)
    return Penyaluran.objects.create(**fields)


def waktu(periode, day=10, hour=10, minute=0, second=0):
    """A Jakarta time in the period; seconds may run past 59 (a burst written as start + i x 20 s)."""
    start = datetime.datetime(periode.tahun, periode.bulan, day, hour, minute, tzinfo=JAKARTA)
    return start + datetime.timedelta(seconds=second)


def beli(periode, kpm, ewarong, jumlah=100_000, when=None, **kwargs):
    """One purchase at an e-warong's EDC machine."""
    fields = {
        "periode": periode,
        "bank": ewarong.bank if ewarong else bni(),
        "referensi": f"TRX{next(_ref):010d}",
        "kpm": kpm,
        "nomor_kks": kpm.nomor_kks if kpm else "",
        "ewarong": ewarong,
        "terminal": ewarong.kode if ewarong else "EDC-X",
        "waktu": when or waktu(periode),
        "jumlah": jumlah,
    }
    fields.update(kwargs)
    return Transaksi.objects.create(**fields)


@contextlib.contextmanager
def eager_tasks():
    """Run Celery tasks in the request: with REDIS_URL set (CI) they would wait for a worker."""
    from tikor.celery import app

    previous, app.conf.task_always_eager = app.conf.task_always_eager, True
    try:
        yield
    finally:
        app.conf.task_always_eager = previous
