"""The agenda proposed when a meeting is created, drawn from the data as of the meeting's date and inside its area.

Each item carries its figures (`ButirAgenda.data`: the total and the rows behind it, each with a link) so the
berita acara prints what the meeting saw, not what the data says later.
"""

import datetime
from dataclasses import dataclass

from django.db.models import FloatField, Q
from django.db.models.functions import Cast, NullIf
from django.urls import reverse

from monev import scoring
from monev.models import ButirAgenda, Keputusan, Pengaduan, Rapat, SkorRisiko, TindakLanjut
from penyaluran.distribusi.models import Periode, Realisasi
from tikor.formatting import angka, persen, tanggal
from tikor.models import Wilayah
from tikor.scoping import Scope

ROWS = 5  # rows shown per item; the total counts them all
SCORE_WINDOW_DAYS = 90  # visits scored in the 90 days before the meeting rank the penyedia


@dataclass(frozen=True)
class AreaViewer:
    """Stands for "anyone who sees exactly the meeting's area" so the scorecard ranking goes through the same
    gate (`for_user`) as every page, limited to the area rather than to a person."""

    scope: Scope
    is_authenticated: bool = True

    @classmethod
    def of(cls, wilayah):
        if wilayah.induk_id is None:
            return cls(Scope(everywhere=True))
        return cls(Scope(codes=frozenset(Wilayah.objects.under(wilayah.kode).values_list("kode", flat=True))))


def _row(label, nilai, teks, url=""):
    return {"label": str(label), "nilai": nilai, "teks": teks, "url": url}


def _periode_as_of(day, having):
    """The latest period not after `day`'s month that has rows in `having` (a queryset with a periode field)."""
    return (
        Periode.objects.filter(Q(tahun__lt=day.year) | Q(tahun=day.year, bulan__lte=day.month))
        .filter(pk__in=having.values("periode"))
        .order_by("-tahun", "-bulan")
        .first()
    )


def keputusan_lalu(rapat, day):
    """Decisions of earlier meetings of the area still not done: how many, how many late on the meeting's day."""
    earlier = Rapat.objects.sebelum(rapat)
    open_ = Keputusan.objects.filter(rapat__in=earlier).terbuka().select_related("instansi")
    late = open_.filter(batas_waktu__lt=day)
    rows = [
        _row(
            f"{k.teks[:90]} ({k.instansi})",
            k.batas_waktu.isoformat(),
            f"batas {tanggal(k.batas_waktu)}{' · terlambat' if k.batas_waktu < day else ''}",
            k.get_absolute_url(),
        )
        for k in late.order_by("batas_waktu", "id")[:ROWS]
    ]
    return {"jumlah": open_.count(), "terlambat": late.count(), "baris": rows}


def realisasi_terendah(rapat, day):
    """Kecamatan with the lowest share of the credit spent, in the latest period up to the meeting."""
    # Region rows come once for all banks (bank empty) and once per bank: the all-banks rows are the kecamatan's.
    kecamatan = Realisasi.objects.in_wilayah(rapat.wilayah_id).filter(
        tingkat=Realisasi.Tingkat.KECAMATAN, bank__isnull=True
    )
    periode = _periode_as_of(day, kecamatan)
    if periode is None:
        return {"jumlah": 0, "baris": []}
    rows = (
        kecamatan.filter(periode=periode, jumlah_disalurkan__gt=0)
        .annotate(
            persen=Cast("jumlah_dibelanjakan", FloatField()) / NullIf(Cast("jumlah_disalurkan", FloatField()), 0.0)
        )
        .order_by("persen", "nama")
    )
    url = reverse("distribusi:realisasi") + f"?periode={periode.pk}"
    return {
        "jumlah": rows.count(),
        "periode": str(periode),
        "baris": [_row(r.nama, round(r.persen, 4), persen(r.persen), url) for r in rows[:ROWS]],
    }


def ewarong_berisiko(rapat, day):
    """E-warong with the highest combined risk in the latest period up to the meeting."""
    scores = SkorRisiko.objects.in_wilayah(rapat.wilayah_id)
    periode = _periode_as_of(day, scores)
    if periode is None:
        return {"jumlah": 0, "baris": []}
    rows = scores.filter(periode=periode).select_related("ewarong").order_by("-skor", "ewarong__nama")
    return {
        "jumlah": rows.count(),
        "periode": str(periode),
        "baris": [
            _row(
                r.ewarong.nama,
                round(r.skor, 1),
                f"skor {angka(round(r.skor))}",
                reverse("monev:skor_ewarong", args=[r.ewarong_id]),
            )
            for r in rows[:ROWS]
        ],
    }


def tindak_lanjut_terlambat(rapat, day):
    """Corrective actions still open past their due date on the meeting's day."""
    rows = (
        TindakLanjut.objects.in_wilayah(rapat.wilayah_id)
        .terlambat(day)
        .select_related("temuan__ewarong")
        .order_by("batas_waktu", "id")
    )
    return {
        "jumlah": rows.count(),
        "baris": [
            _row(
                f"{r.temuan.ewarong.nama}: {r.uraian[:80]}",
                (day - r.batas_waktu).days,
                f"{angka((day - r.batas_waktu).days)} hari lewat batas",
                r.temuan.get_absolute_url(),
            )
            for r in rows[:ROWS]
        ],
    }


def penyedia_terendah(rapat, day):
    """Penyedia at the bottom of the scorecard over the visits of the 90 days before the meeting."""
    ranking = scoring.ranking(
        AreaViewer.of(rapat.wilayah), "penyedia", start=day - datetime.timedelta(days=SCORE_WINDOW_DAYS), end=day
    )
    scored = [r for r in ranking if r["skor_total"] is not None]
    return {
        "jumlah": len(scored),
        "baris": [
            _row(
                r["nama"],
                round(r["skor_total"], 1),
                f"skor {angka(round(r['skor_total'], 1))}",
                reverse("monev:skor_penyedia", args=[r["key_id"]]),
            )
            for r in scored[:ROWS]
        ],
    }


def pengaduan_lewat_sla(rapat, day):
    """Complaints still open past their resolution SLA on the meeting's day."""
    rows = Pengaduan.objects.in_wilayah(rapat.wilayah_id).terlambat(day).order_by("batas_selesai", "id")
    return {
        "jumlah": rows.count(),
        "baris": [
            _row(
                str(p),
                (day - p.batas_selesai).days,
                f"{angka((day - p.batas_selesai).days)} hari lewat SLA",
                p.get_absolute_url(),
            )
            for p in rows[:ROWS]
        ],
    }


# (kind, title, figures function, link to the full list)
SOURCES = (
    (
        ButirAgenda.Jenis.KEPUTUSAN_LALU,
        "Keputusan rapat sebelumnya yang belum selesai",
        keputusan_lalu,
        "monev:keputusan_list",
    ),
    (
        ButirAgenda.Jenis.REALISASI,
        "Kecamatan dengan realisasi belanja terendah",
        realisasi_terendah,
        "distribusi:realisasi",
    ),
    (ButirAgenda.Jenis.RISIKO, "E-warong dengan risiko gabungan tertinggi", ewarong_berisiko, "monev:risiko"),
    (
        ButirAgenda.Jenis.TINDAK_LANJUT,
        "Tindak lanjut temuan yang lewat batas waktu",
        tindak_lanjut_terlambat,
        "monev:tindak_lanjut_terlambat",
    ),
    (ButirAgenda.Jenis.PENYEDIA, "Penyedia dengan skor monev terendah", penyedia_terendah, "monev:skor"),
    (ButirAgenda.Jenis.PENGADUAN, "Pengaduan yang lewat SLA penyelesaian", pengaduan_lewat_sla, "monev:pengaduan_list"),
)


def figures(rapat):
    """[(kind, title, data, link)] for the meeting's date and area, one per source."""
    day = rapat.tanggal_lokal
    return [(jenis, judul, build(rapat, day), link) for jenis, judul, build, link in SOURCES]


def propose(rapat):
    """Replace the meeting's data-drawn items with fresh ones; items added by hand stay."""
    rapat.agenda.exclude(jenis=ButirAgenda.Jenis.LAIN).delete()
    items = []
    for order, (jenis, judul, data, link) in enumerate(figures(rapat), start=1):
        items.append(
            ButirAgenda(
                rapat=rapat,
                urutan=order * 10,
                jenis=jenis,
                judul=judul,
                uraian=_summary(jenis, data),
                data=data,
                tautan=reverse(link),
            )
        )
    ButirAgenda.objects.bulk_create(items)
    return items


def _summary(jenis, data):
    if jenis == ButirAgenda.Jenis.KEPUTUSAN_LALU:
        return f"{angka(data['jumlah'])} keputusan belum selesai, {angka(data['terlambat'])} di antaranya terlambat."
    if not data["jumlah"]:
        return "Tidak ada."
    periode = f" (periode {data['periode']})" if data.get("periode") else ""
    return f"{angka(data['jumlah'])} baris{periode}; {min(ROWS, data['jumlah'])} teratas dibahas."
