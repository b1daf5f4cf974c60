"""The combined e-warong risk of a period (SkorRisiko): what the bank data says and what people saw in the field.

Score = sum over the e-warong's signals of the period of weight x intensity (penyaluran.risiko.detectors.points)
      + bobot_temuan for each open finding (at most COUNTED_AT_MOST)
      + bobot_pengaduan for each open complaint (at most COUNTED_AT_MOST)
      + bobot_kunjungan x intensity when the latest verified visit scored below kunjungan_skor_batas
        (1 just below it, up to 2 at half of it or less).
An e-warong whose score is 0 has no row. Findings, complaints and visits count as they stand now, whatever the
period: a period is recomputed whole when its signals are refreshed, and the latest period per e-warong whenever
a finding, complaint or visit changes (monev.risiko.receivers).
"""

import threading
from collections import defaultdict

from django.db import transaction
from django.db.models import Count, OuterRef, Subquery

from monev.models import Kunjungan, Pengaduan, SkorRisiko, Temuan
from penyaluran.distribusi.models import Periode
from penyaluran.distribusi.parameters import parameters
from penyaluran.risiko.detectors import LABEL, intensity, points
from penyaluran.risiko.models import SinyalRisiko
from tikor.formatting import angka, tanggal

COUNTED_AT_MOST = 3

# Registered into penyaluran.risiko.parameters by MonevConfig.ready, so the secretariat tunes them in one list.
PARAMETER = {
    "bobot_temuan": (10, "Bobot skor per temuan monev terbuka (paling banyak 3)"),
    "bobot_pengaduan": (5, "Bobot skor per pengaduan terbuka (paling banyak 3)"),
    "kunjungan_skor_batas": (70, "Skor kunjungan terverifikasi terakhir di bawah angka ini menambah skor risiko"),
    "bobot_kunjungan": (20, "Bobot skor: skor kunjungan terverifikasi terakhir rendah (dikali 1–2)"),
    "batas_berisiko": (50, "Dasbor dan peta: e-warong dengan skor risiko sekian atau lebih dihitung berisiko"),
}


def latest_periode():
    return Periode.objects.order_by("-tahun", "-bulan").first()


def _per_ewarong(queryset, ewarong_ids):
    if ewarong_ids is not None:
        queryset = queryset.filter(ewarong__in=ewarong_ids)
    rows = queryset.filter(ewarong__isnull=False).order_by().values("ewarong").annotate(n=Count("id"))
    return dict(rows.values_list("ewarong", "n"))


def latest_visit_scores(ewarong_ids=None):
    """{ewarong_id: (score, date)} of each e-warong's latest verified visit that has a score."""
    verified = Kunjungan.objects.filter(status=Kunjungan.Status.TERVERIFIKASI, skor_total__isnull=False)
    if ewarong_ids is not None:
        verified = verified.filter(ewarong__in=ewarong_ids)
    newest = verified.filter(ewarong=OuterRef("ewarong")).order_by("-tanggal", "-pk").values("pk")[:1]
    rows = verified.filter(pk=Subquery(newest)).values_list("ewarong", "skor_total", "tanggal")
    return {ewarong: (float(skor), tgl) for ewarong, skor, tgl in rows}


def combine(signals, p, temuan=None, pengaduan=None, kunjungan=None):
    """{ewarong_id: (score, reasons)}; reasons are what the risk list shows, most weighty first.

    `signals` are SinyalRisiko rows; `temuan` and `pengaduan` count open ones per e-warong; `kunjungan` is
    latest_visit_scores().
    """
    reasons = defaultdict(list)
    for sinyal in signals:
        reasons[sinyal.ewarong_id].append(
            {
                "jenis": sinyal.jenis,
                "label": LABEL.get(sinyal.jenis, sinyal.jenis),
                "uraian": sinyal.uraian,
                "poin": round(points(sinyal, p), 1),
            }
        )
    for counts, kode, label in (
        (temuan or {}, "temuan", "Temuan monev terbuka"),
        (pengaduan or {}, "pengaduan", "Pengaduan terbuka"),
    ):
        for ewarong, n in counts.items():
            poin = p[f"bobot_{kode}"] * min(n, COUNTED_AT_MOST)
            reasons[ewarong].append({"jenis": kode, "label": label, "uraian": f"{n} {label.lower()}", "poin": poin})
    batas = p["kunjungan_skor_batas"]
    for ewarong, (skor, tgl) in (kunjungan or {}).items():
        if skor < batas:
            reasons[ewarong].append(
                {
                    "jenis": "kunjungan",
                    "label": "Skor kunjungan rendah",
                    "uraian": f"kunjungan terverifikasi terakhir {tanggal(tgl)}: skor {angka(skor, 1)}, "
                    f"di bawah {angka(batas)}",
                    "poin": round(p["bobot_kunjungan"] * intensity(skor, batas, lower_is_worse=True), 1),
                }
            )
    return {
        ewarong: (sum(r["poin"] for r in rs), sorted(rs, key=lambda r: -r["poin"])) for ewarong, rs in reasons.items()
    }


def recompute(periode, ewarong_ids=None):
    """Recompute and store a period's combined risk: every e-warong, or only `ewarong_ids`; returns the rows kept.

    A handful of grouped queries whatever the number of e-warong; rows are upserted, so two recomputes that
    cross (a visit verified while the period is refreshed) never collide on the one row per e-warong and period.
    """
    p = parameters()
    signals = SinyalRisiko.objects.filter(periode=periode).only("ewarong_id", "jenis", "nilai", "ambang", "uraian")
    if ewarong_ids is not None:
        signals = signals.filter(ewarong__in=ewarong_ids)
    scores = combine(
        signals,
        p,
        temuan=_per_ewarong(Temuan.objects.terbuka(), ewarong_ids),
        pengaduan=_per_ewarong(Pengaduan.objects.terbuka(), ewarong_ids),
        kunjungan=latest_visit_scores(ewarong_ids),
    )
    rows = [
        SkorRisiko(ewarong_id=ewarong, periode=periode, skor=skor, alasan=alasan)
        for ewarong, (skor, alasan) in scores.items()
        if skor > 0
    ]
    stale = SkorRisiko.objects.filter(periode=periode).exclude(ewarong__in=[row.ewarong_id for row in rows])
    if ewarong_ids is not None:
        stale = stale.filter(ewarong__in=ewarong_ids)
    with transaction.atomic():
        stale.delete()
        SkorRisiko.objects.bulk_create(
            rows,
            batch_size=1000,
            update_conflicts=True,
            unique_fields=["ewarong", "periode"],
            update_fields=["skor", "alasan", "dihitung_pada"],
        )
    return len(rows)


_pending = threading.local()


def schedule(ewarong_id):
    """Recompute this e-warong's row of the latest period once the current transaction commits.

    Every change registers a callback, but the first one to run recomputes every e-warong waiting, in one pass:
    a visit raising seven findings is one recompute. Ids left by a rolled-back transaction are recomputed with
    the next ones, which is harmless.
    """
    if not hasattr(_pending, "ids"):
        _pending.ids = set()
    _pending.ids.add(ewarong_id)
    transaction.on_commit(_recompute_pending, robust=True)


def _recompute_pending():
    ids, _pending.ids = getattr(_pending, "ids", set()), set()
    periode = latest_periode() if ids else None
    if periode is not None:
        recompute(periode, ids)
