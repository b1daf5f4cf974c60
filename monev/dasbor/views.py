"""The home page as each role's dashboard, the DKI map, and the boundaries the map draws."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import cache_control
from django.views.decorators.http import condition, require_safe

from monev.dasbor import batas, figures
from monev.dasbor.filters import choices, filter_from
from monev.rapat.services import late_decisions_summary
from tikor.formatting import angka, persen, rupiah
from tikor.models import Role, Tingkat
from tikor.replica import replica_reads

LEVEL_LABEL = {Tingkat.KOTA: "kota", Tingkat.KECAMATAN: "kecamatan", Tingkat.KELURAHAN: "kelurahan"}


def _chart(key, kind, title, labels, datasets, text, table_head, table_rows, **options):
    """One chart: what Chart.js draws, a sentence for screen readers and a data table shown on demand."""
    return {
        "id": f"grafik-{key}",
        "data_id": f"grafik-{key}-data",
        "title": title,
        "config": {"type": kind, "labels": labels, "datasets": datasets, **options},
        "text": text,
        "head": table_head,
        "rows": table_rows,
        "height": options.get("height"),
    }


def _tren_chart(rows):
    labels = [r["label"] for r in rows]
    last = rows[-1] if rows else None
    text = "Belum ada data realisasi."
    if last and last["persen"] is not None:
        text = (
            f"Realisasi {last['label']}: {persen(last['persen'])} dari {rupiah(last['jumlah_disalurkan'])} disalurkan; "
            f"{len(rows)} periode ditampilkan."
        )
    return _chart(
        "tren",
        "bar",
        "Tren bulanan penyaluran dan belanja",
        labels,
        [
            {"label": "Disalurkan (Rp)", "data": [r["jumlah_disalurkan"] for r in rows], "yAxisID": "rp"},
            {"label": "Dibelanjakan (Rp)", "data": [r["jumlah_dibelanjakan"] for r in rows], "yAxisID": "rp"},
            {
                "label": "Realisasi (%)",
                "type": "line",
                "data": [round(r["persen"] * 100, 1) if r["persen"] is not None else None for r in rows],
                "yAxisID": "persen",
            },
        ],
        text,
        ["Periode", "KPM disalurkan", "Disalurkan", "Dibelanjakan", "Realisasi"],
        [
            [
                r["label"],
                angka(r["kpm_disalurkan"]),
                rupiah(r["jumlah_disalurkan"]),
                rupiah(r["jumlah_dibelanjakan"]),
                persen(r["persen"]) if r["persen"] is not None else "–",
            ]
            for r in rows
        ],
        axes="rupiah_persen",
    )


def _perbandingan_chart(tingkat, rows):
    label = LEVEL_LABEL[tingkat]
    ranked = sorted(rows, key=lambda r: (r["persen"] is None, r["persen"] or 0))
    text = f"Belum ada data realisasi per {label}."
    if ranked and ranked[0]["persen"] is not None:
        highest = max((r for r in ranked if r["persen"] is not None), key=lambda r: r["persen"])
        text = (
            f"Realisasi per {label}: terendah {ranked[0]['nama']} ({persen(ranked[0]['persen'])}), "
            f"tertinggi {highest['nama']} ({persen(highest['persen'])}), {len(rows)} {label}."
        )
    return _chart(
        f"per-{label}",
        "bar",
        f"Realisasi per {label}",
        [r["nama"] for r in ranked],
        [
            {
                "label": "Realisasi (%)",
                "data": [round(r["persen"] * 100, 1) if r["persen"] is not None else None for r in ranked],
            }
        ],
        text,
        [label.capitalize(), "KPM disalurkan", "Disalurkan", "Dibelanjakan", "Sisa saldo", "Realisasi"],
        [
            [
                r["nama"],
                angka(r["kpm_disalurkan"]),
                rupiah(r["jumlah_disalurkan"]),
                rupiah(r["jumlah_dibelanjakan"]),
                rupiah(r["sisa_saldo"]),
                persen(r["persen"]) if r["persen"] is not None else "–",
            ]
            for r in ranked
        ],
        axes="persen_horizontal",
        height=max(160, 26 * len(ranked) + 60),
    )


def _pengaduan_chart(rows):
    total = sum(r["jumlah"] for r in rows)
    text = ", ".join(f"{r['status'].lower()} {angka(r['jumlah'])}" for r in rows)
    return _chart(
        "pengaduan",
        "bar",
        "Pengaduan periode ini menurut status",
        [r["status"] for r in rows],
        [{"label": "Pengaduan", "data": [r["jumlah"] for r in rows]}],
        f"{angka(total)} pengaduan diterima: {text}.",
        ["Status", "Jumlah"],
        [[r["status"], angka(r["jumlah"])] for r in rows],
        axes="jumlah",
    )


def _selisih(ringkasan, f):
    """The change against the previous period, as words: "naik 2,1 poin dari Februari 2021"."""
    if "selisih_persen" not in ringkasan:
        return {"persen": "belum ada periode sebelumnya untuk dibandingkan" if not f.sebelumnya else "", "sisa": ""}
    points = ringkasan["selisih_persen"] * 100
    change = ringkasan["selisih_sisa"]
    return {
        "persen": f"{'naik' if points >= 0 else 'turun'} {angka(abs(points), 1)} poin dari {f.sebelumnya}",
        "sisa": f"{'bertambah' if change >= 0 else 'berkurang'} {rupiah(abs(change))} dari {f.sebelumnya}",
    }


def _filter_context(request, **extra):
    f = filter_from(request)
    return f, {"f": f, "pilihan": choices(request.user, f), **extra}


@login_required
@require_safe
@replica_reads
def beranda(request):
    user = request.user
    f, context = _filter_context(request)
    trend = figures.tren(user, f)
    ringkasan = figures.ringkasan(user, f, trend)
    charts = [_tren_chart(trend)]
    charts += [_perbandingan_chart(t, figures.perbandingan(user, f, t)) for t in figures.comparison_levels(user, f)]
    if "pengaduan_status" in ringkasan:
        charts.append(_pengaduan_chart(ringkasan["pengaduan_status"]))
    context.update(
        ringkasan=ringkasan,
        selisih=_selisih(ringkasan, f),
        charts=charts,
        berisiko=figures.berisiko(user, f),
        is_pendamping=user.role == Role.PENDAMPING,
        read_only=user.role == Role.ANGGOTA,
    )
    if context["is_pendamping"]:
        context["tugas"] = figures.tugas_pendamping(user, f)
    else:
        context["keputusan_terlambat"] = late_decisions_summary(user)
    template = "dasbor/_isi.html" if request.htmx else "dasbor/beranda.html"
    return render(request, template, context)


METRIC = {
    "realisasi": "Realisasi (%)",
    "risiko": "Skor risiko e-warong tertinggi",
    "kunjungan": "Cakupan kunjungan (% e-warong aktif)",
    "pengaduan_per_1000": "Pengaduan per 1.000 KPM disalurkan",
}


def _tabel_peta(regions):
    names = figures.wilayah_names(regions)
    rows = [{"kode": kode, "nama": names.get(kode, kode), **values} for kode, values in regions.items()]
    for row in rows:
        for key in ("realisasi", "kunjungan", "pengaduan_per_1000"):
            row.setdefault(key, None)
    return sorted(rows, key=lambda row: row["kode"])


@login_required
@require_safe
@replica_reads
def peta(request):
    user = request.user
    metric = request.GET.get("ukuran", "realisasi")
    if metric not in METRIC:
        raise Http404("Ukuran peta tidak dikenal.")
    tingkat = request.GET.get("tingkat", Tingkat.KECAMATAN)
    if tingkat not in (Tingkat.KECAMATAN, Tingkat.KELURAHAN):
        raise Http404("Tingkat peta tidak dikenal.")
    f, context = _filter_context(request)
    values = figures.peta(user, f)
    markers = figures.penanda(user, f)
    centre = batas.centroids()
    for marker in markers:
        if marker["lat"] is None and marker["kelurahan"] in centre:
            # No position in the registry: the kelurahan's centre, and the popup says so.
            marker["lat"], marker["lng"] = centre[marker["kelurahan"]]
            marker["perkiraan"] = True
    context.update(
        ukuran=metric,
        ukuran_list=METRIC.items(),
        tingkat=tingkat,
        peta_data={
            "ukuran": metric,
            "ukuranLabel": METRIC[metric],
            "tingkat": tingkat,
            "nilai": {level: dict(regions) for level, regions in values.items()},
            "penanda": markers,
            "batasBerisiko": figures.batas_berisiko(),
            "ubin": settings.PETA_TILE_URL,
            "ubinAtribusi": settings.PETA_TILE_ATTRIBUTION,
        },
        tabel=_tabel_peta(values[tingkat]),
        tanpa_koordinat=sum(1 for m in markers if m.get("perkiraan")),
        atribusi_batas=batas.ATTRIBUTION,
        jumlah_penanda=len(markers),
    )
    return render(request, "dasbor/peta.html", context)


@login_required
@cache_control(max_age=86400, private=True)
@condition(etag_func=lambda request, tingkat: batas.etag(tingkat))
@require_safe
def batas_wilayah(request, tingkat):
    """The kecamatan or kelurahan boundaries, simplified once per process; public data, cached by the browser."""
    if tingkat not in batas.LEVELS:
        raise Http404("Tingkat batas wilayah tidak dikenal.")
    return HttpResponse(batas.geojson(tingkat), content_type="application/geo+json")
