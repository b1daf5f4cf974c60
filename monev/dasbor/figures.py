"""The figures of the dashboards and the map, each read through the gate (`for_user`) and the dashboard filter.

Realisation comes from the summary table Realisasi (penyaluran.distribusi.realisasi), registry counts from
RingkasanRegistri (penyaluran.registri.summary), risk from SkorRisiko (monev.risiko.scores): a dashboard never scans
credits, purchases or the KPM registry. Counts of the registry, visits, findings and
complaints are grouped queries on indexed columns.

Monev work belongs to a period from the day its distribution starts until the next period starts; the latest
period's window stays open, so it holds the work of the current month.
"""

import datetime
from collections import defaultdict

from django.db.models import Count, Exists, F, Max, OuterRef, Q, Subquery, Sum
from django.utils import timezone

from monev.dasbor.filters import PROVINSI, area_q
from monev.models import Kunjungan, Pengaduan, Penugasan, SkorRisiko, Temuan, TindakLanjut
from penyaluran.distribusi.models import Realisasi
from penyaluran.distribusi.parameters import parameters
from penyaluran.registri import summary
from penyaluran.registri.models import EWarong, RingkasanRegistri
from tikor.models import Tingkat, Wilayah

RISKIEST = 10
REALISASI_FIGURES = ("kpm_disalurkan", "jumlah_disalurkan", "jumlah_dibelanjakan", "jumlah_transaksi")
CHILD_LEVEL = {Tingkat.PROVINSI: Tingkat.KOTA, Tingkat.KOTA: Tingkat.KECAMATAN, Tingkat.KECAMATAN: Tingkat.KELURAHAN}
LEVEL_OF_CODE = {2: Tingkat.PROVINSI, 5: Tingkat.KOTA, 8: Tingkat.KECAMATAN, 13: Tingkat.KELURAHAN}


def batas_berisiko():
    """The risk score from which an e-warong counts as at risk (a parameter the secretariat tunes)."""
    return parameters()["batas_berisiko"]


def scoped(model, user, f):
    """`model`'s rows the user may see, inside the chosen region (f.codes) and of the chosen bank."""
    queryset = model.objects.for_user(user)
    paths = type(queryset).scope_paths
    # Without a chosen region the area is the user's own, to which for_user has already held the rows.
    if f.wilayah:
        inside = Q()
        for path in paths:
            inside |= area_q(path, f.codes)
        queryset = queryset.filter(inside)
    if f.bank and not f.bank_tetap:  # a bank's staff are already held to their bank by for_user
        bank_path = type(queryset).bank_path
        of_bank = Q()
        for path in (bank_path,) if isinstance(bank_path, str) else bank_path:
            of_bank |= Q(**{path: f.bank.pk})
        queryset = queryset.filter(of_bank)
    return queryset


def window(f):
    """(first day, first day of the next period or None): the days whose monev work belongs to the chosen period."""
    return f.periode.mulai, f.berikutnya.mulai if f.berikutnya else None


def _in_window(field, bounds):
    start, end = bounds
    q = Q(**{f"{field}__gte": start})
    return q & Q(**{f"{field}__lt": end}) if end else q


def _realisasi_rows(user, f):
    rows = Realisasi.objects.for_user(user)
    return rows.filter(bank=f.bank) if f.bank else rows.filter(bank__isnull=True)


def _with_shares(figures):
    disalurkan = figures["jumlah_disalurkan"]
    figures["persen"] = figures["jumlah_dibelanjakan"] / disalurkan if disalurkan else None
    figures["sisa_saldo"] = disalurkan - figures["jumlah_dibelanjakan"]
    return figures


def ringkasan(user, f, trend=None):
    """The headline figures of the filter: the cards at the top of every dashboard.

    Realisation of the period and the one before it are the last two rows of `trend` (tren(), read once per page).
    Counts that share a table come from one query with conditional aggregates.
    """
    trend = tren(user, f) if trend is None else trend
    now = trend[-1] if trend else None
    before = trend[-2] if len(trend) > 1 and trend[-2]["periode"] == f.sebelumnya else None
    batas = batas_berisiko()
    today_ = timezone.localdate()
    registri = summary.totals(scoped(RingkasanRegistri, user, f))
    temuan = scoped(Temuan, user, f).aggregate(
        terbuka=Count("id", filter=~Q(status=Temuan.Status.SELESAI)),
        terlambat=Count("id", filter=~Q(status=Temuan.Status.SELESAI) & Q(batas_waktu__lt=today_)),
    )
    figures = {
        "kpm_aktif": registri["kpm_aktif"],
        "realisasi": now,
        "realisasi_lalu": before,
        "ewarong_aktif": registri["ewarong_aktif"],
        "batas_berisiko": batas,
        "ewarong_berisiko": 0,
        "temuan_terbuka": temuan["terbuka"],
        "temuan_terlambat": temuan["terlambat"],
    }
    if now and before and now["persen"] is not None and before["persen"] is not None:
        figures["selisih_persen"] = now["persen"] - before["persen"]
        figures["selisih_sisa"] = now["sisa_saldo"] - before["sisa_saldo"]
    if f.periode is None:
        figures["pengaduan_terbuka"] = scoped(Pengaduan, user, f).terbuka().count()
        return figures
    bounds = window(f)
    figures["jendela"] = bounds
    figures["ewarong_berisiko"] = scoped(SkorRisiko, user, f).filter(periode=f.periode, skor__gte=batas).count()
    submitted = Kunjungan.objects.filter(penugasan=OuterRef("pk")).dinilai()
    visits = (
        scoped(Penugasan, user, f)
        .exclude(status=Penugasan.Status.BATAL)
        .filter(_in_window("batas_waktu", bounds))
        .aggregate(rencana=Count("id"), selesai=Count("id", filter=Q(Exists(submitted))))
    )
    figures["kunjungan_rencana"] = visits["rencana"]
    figures["kunjungan_selesai"] = visits["selesai"]
    in_window = _in_window("diterima_pada__date", bounds)
    complaints = scoped(Pengaduan, user, f).aggregate(
        terbuka=Count("id", filter=~Q(status=Pengaduan.Status.SELESAI)),
        **{status.value: Count("id", filter=in_window & Q(status=status.value)) for status in Pengaduan.Status},
    )
    figures["pengaduan_terbuka"] = complaints["terbuka"]
    figures["pengaduan_status"] = [
        {"status": status.label, "kode": status.value, "jumlah": complaints[status.value]}
        for status in Pengaduan.Status
    ]
    return figures


def tren(user, f):
    """Realisation of the regions month by month, up to the chosen period (at most filters.TREND_PERIODS)."""
    if f.periode is None:
        return []
    periods = f.riwayat
    rows = (
        _realisasi_rows(user, f)
        .filter(periode__in=periods, wilayah_id__in=f.codes)
        .order_by()
        .values("periode")
        .annotate(**{name: Sum(name) for name in REALISASI_FIGURES})
    )
    by_periode = {row["periode"]: row for row in rows}
    result = []
    for periode in periods:
        row = by_periode.get(periode.pk, {})
        figures = _with_shares({name: row.get(name) or 0 for name in REALISASI_FIGURES})
        result.append({"periode": periode, "label": str(periode), **figures})
    return result


def area_level(user, f):
    """The level of the figures' area: province, kota or kecamatan (a user with several regions: the highest)."""
    codes = f.codes
    order = list(LEVEL_OF_CODE.values())
    return min((LEVEL_OF_CODE.get(len(c), Tingkat.KELURAHAN) for c in codes), key=order.index)


def perbandingan(user, f, tingkat):
    """Realisation of every region at level `tingkat` inside the filter's area, in code order."""
    if f.periode is None:
        return []
    codes = f.codes
    rows = _realisasi_rows(user, f).filter(periode=f.periode, tingkat=tingkat)
    if codes != (PROVINSI,):
        rows = rows.filter(area_q("wilayah", codes))
    result = []
    for row in rows.select_related("wilayah").order_by("wilayah_id"):
        figures = _with_shares({name: getattr(row, name) for name in REALISASI_FIGURES})
        result.append({"kode": row.wilayah_id, "nama": row.wilayah.nama_singkat, **figures})
    return result


def comparison_levels(user, f):
    """Which comparisons the dashboard shows: kota and kecamatan for the province, the level below otherwise."""
    level = area_level(user, f)
    if level == Tingkat.PROVINSI:
        return [Tingkat.KOTA, Tingkat.KECAMATAN]
    return [CHILD_LEVEL[level]] if level in CHILD_LEVEL else []


def berisiko(user, f, limit=RISKIEST):
    """The riskiest e-warong of the period, with the reasons behind each score."""
    if f.periode is None:
        return []
    return list(
        scoped(SkorRisiko, user, f)
        .filter(periode=f.periode)
        .select_related("ewarong", "ewarong__kelurahan")
        .order_by("-skor", "ewarong__kode")[:limit]
    )


def tugas_pendamping(user, f):
    """A pendamping's worklists: open assignments by due date (overdue first), overdue actions, complaints routed
    to it, and its e-warong ranked by risk."""
    penugasan = (
        Penugasan.objects.for_user(user)
        .terbuka()
        .untuk_petugas(user)
        .select_related("ewarong", "ewarong__kelurahan", "instrumen")
        .order_by("batas_waktu", "id")
    )
    tindak_lanjut = (
        scoped(TindakLanjut, user, f)
        .terlambat()
        .select_related("temuan", "temuan__ewarong")
        .order_by("batas_waktu", "id")
    )
    pengaduan = (
        scoped(Pengaduan, user, f)
        .terbuka()
        .filter(ditugaskan_ke=user)
        .select_related("ewarong")
        .order_by("batas_selesai", "id")
    )
    skor = SkorRisiko.objects.filter(ewarong=OuterRef("pk"), periode=f.periode).values("skor")[:1]
    ewarong = (
        scoped(EWarong, user, f)
        .exclude(status=EWarong.Status.NONAKTIF)
        .annotate(
            skor=Subquery(skor),
            kunjungan_terakhir=Max("kunjungan__tanggal", filter=Q(kunjungan__status__in=_SUBMITTED)),
        )
        .select_related("kelurahan")
        .order_by(F("skor").desc(nulls_last=True), "kode")
    )
    return {
        "penugasan": list(penugasan[:50]),
        "penugasan_jumlah": penugasan.count(),
        "tindak_lanjut": list(tindak_lanjut[:20]),
        "tindak_lanjut_jumlah": tindak_lanjut.count(),
        "pengaduan": list(pengaduan[:20]),
        "pengaduan_jumlah": pengaduan.count(),
        "ewarong": list(ewarong[:50]),
    }


_SUBMITTED = (Kunjungan.Status.DIKIRIM, Kunjungan.Status.TERVERIFIKASI)


def peta(user, f):
    """Per kecamatan and kelurahan of the area: realisation, top risk, visit coverage, complaints per 1.000 KPM.

    Realisation and the KPM credited (the complaints' denominator) come from the summary rows of both levels; risk,
    e-warong, visits and complaints from a few grouped queries by kelurahan, rolled up to the kecamatan in Python
    (at most 267 rows). No query reads the KPM registry.
    """
    codes = f.codes
    values = {Tingkat.KECAMATAN: defaultdict(dict), Tingkat.KELURAHAN: defaultdict(dict)}
    if f.periode is None:
        return values
    for row in (
        _realisasi_rows(user, f)
        .filter(periode=f.periode, tingkat__in=[Tingkat.KECAMATAN, Tingkat.KELURAHAN])
        .filter(area_q("wilayah", codes))
        .values("tingkat", "wilayah_id", "kpm_disalurkan", "jumlah_disalurkan", "jumlah_dibelanjakan")
    ):
        region = values[row["tingkat"]][row["wilayah_id"]]
        region["kpm_disalurkan"] = row["kpm_disalurkan"]
        if row["jumlah_disalurkan"]:
            region["realisasi"] = row["jumlah_dibelanjakan"] / row["jumlah_disalurkan"]

    def by_kelurahan(queryset, path):
        rows = queryset.filter(**{f"{path}__isnull": False}).order_by().values_list(path).annotate(n=Count("id"))
        return dict(rows)

    risk = dict(
        scoped(SkorRisiko, user, f)
        .filter(periode=f.periode)
        .order_by()
        .values_list("ewarong__kelurahan")
        .annotate(skor=Max("skor"))
    )
    bounds = window(f)
    visit_start = bounds[0] - datetime.timedelta(days=60)  # coverage: visited in the period or the two months before
    active = by_kelurahan(scoped(EWarong, user, f).aktif(), "kelurahan")
    recent_visit = Kunjungan.objects.filter(ewarong=OuterRef("pk"), status__in=_SUBMITTED).filter(
        _in_window("tanggal", (visit_start, bounds[1]))
    )
    visited = by_kelurahan(scoped(EWarong, user, f).aktif().filter(Exists(recent_visit)), "kelurahan")
    complaints = by_kelurahan(scoped(Pengaduan, user, f).filter(_in_window("diterima_pada__date", bounds)), "kelurahan")
    sums = {level: defaultdict(lambda: defaultdict(float)) for level in values}
    for kelurahan in set(risk) | set(active) | set(complaints):
        for level, kode in ((Tingkat.KELURAHAN, kelurahan), (Tingkat.KECAMATAN, kelurahan[:8])):
            totals = sums[level][kode]
            totals["risiko"] = max(totals["risiko"], risk.get(kelurahan) or 0)
            totals["aktif"] += active.get(kelurahan, 0)
            totals["dikunjungi"] += visited.get(kelurahan, 0)
            totals["pengaduan"] += complaints.get(kelurahan, 0)
    for level, regions in sums.items():
        for kode, totals in regions.items():
            region = values[level][kode]
            region["risiko"] = totals["risiko"]
            region["ewarong_aktif"] = int(totals["aktif"])
            region["pengaduan"] = int(totals["pengaduan"])
            if totals["aktif"]:
                region["kunjungan"] = totals["dikunjungi"] / totals["aktif"]
    for regions in values.values():
        for region in regions.values():
            if region.get("kpm_disalurkan"):
                region["pengaduan_per_1000"] = region.get("pengaduan", 0) * 1000 / region["kpm_disalurkan"]
    return values


def penanda(user, f):
    """E-warong markers of the area: position (or None), risk score of the period, status."""
    skor = SkorRisiko.objects.filter(ewarong=OuterRef("pk"), periode=f.periode).values("skor")[:1]
    rows = (
        scoped(EWarong, user, f)
        .filter(kelurahan__isnull=False)
        .annotate(skor=Subquery(skor))
        .order_by("kode")
        .values("pk", "kode", "nama", "kelurahan_id", "latitude", "longitude", "status", "skor")
    )
    return [
        {
            "id": r["pk"],
            "kode": r["kode"],
            "nama": r["nama"],
            "kelurahan": r["kelurahan_id"],
            "lat": float(r["latitude"]) if r["latitude"] is not None else None,
            "lng": float(r["longitude"]) if r["longitude"] is not None else None,
            "status": r["status"],
            "skor": r["skor"] or 0,
        }
        for r in rows
    ]


def wilayah_names(codes):
    return dict(Wilayah.objects.filter(kode__in=codes).values_list("kode", "nama"))
