"""The report builders: a report's parameters in, a Dokumen out.

Each reads only through the gate, as the report's reader (monev.laporan.pembaca: the asker cut to the report's
area and bank), and aggregates in the database: summary rows (Realisasi), grouped counts and sums, never a loop
over KPM. `progress(percent, stage)` is told how far it is.
"""

from django.core.exceptions import ValidationError
from django.db.models import Count, F, Q, Sum
from django.db.models.functions import Substr
from django.utils import timezone

from monev import scoring
from monev.laporan.dokumen import ANGKA, PERSEN, RUPIAH, SKOR, TANGGAL, Dokumen, Grafik, Kolom, Tabel, bagi, jumlahkan
from monev.models import (
    Aspek,
    Keparahan,
    Kunjungan,
    LangkahSanksi,
    Laporan,
    Pengaduan,
    Penugasan,
    SkorAspek,
    Temuan,
    TindakLanjut,
)
from penyaluran.distribusi import rekonsiliasi
from penyaluran.distribusi.models import Realisasi
from penyaluran.distribusi.realisasi import rows_for
from penyaluran.registri.models import EWarong, Penyedia
from penyaluran.risiko.models import SinyalRisiko
from tikor.formatting import rupiah, tanggal
from tikor.models import Tingkat, Wilayah

# The levels under a region, top down, and the length of their codes (a code prefix is a subtree).
BAWAH = {
    Tingkat.PROVINSI: (Tingkat.KOTA, Tingkat.KECAMATAN, Tingkat.KELURAHAN),
    Tingkat.KOTA: (Tingkat.KECAMATAN, Tingkat.KELURAHAN),
    Tingkat.KECAMATAN: (Tingkat.KELURAHAN,),
    Tingkat.KELURAHAN: (),
}
PANJANG_KODE = {Tingkat.KOTA: 5, Tingkat.KECAMATAN: 8, Tingkat.KELURAHAN: 13}
NAMA_TINGKAT = {Tingkat.KOTA: "Kota", Tingkat.KECAMATAN: "Kecamatan", Tingkat.KELURAHAN: "Kelurahan"}


def _no_progress(percent, stage):
    pass


def build(laporan, reader, progress=_no_progress):
    """The Dokumen of `laporan` as `reader` sees it."""
    builder = BUILDERS[laporan.jenis]
    dokumen = builder(laporan, reader, progress)
    dokumen.parameter = _parameters(laporan) + dokumen.parameter
    return dokumen


def _parameters(laporan):
    rows = [
        ("Jenis laporan", laporan.get_jenis_display()),
        ("Periode", f"{laporan.label_bulan} ({tanggal(laporan.awal_bulan)} – {tanggal(laporan.akhir_bulan)})"),
        ("Wilayah", str(laporan.wilayah)),
        ("Bank", laporan.bank.kode if laporan.bank_id else "Semua bank"),
    ]
    if laporan.ewarong_id:
        rows.append(("E-warong", f"{laporan.ewarong.kode} · {laporan.ewarong.nama}"))
    asker = laporan.dibuat_oleh
    rows.append(("Diminta oleh", "Jadwal otomatis" if asker is None else f"{asker.get_full_name() or asker.username}"))
    return rows


def _levels(laporan):
    return BAWAH[laporan.wilayah.tingkat]


def _region_names(kode_list):
    return {w.kode: str(w) for w in Wilayah.objects.filter(kode__in=kode_list)}


# --- realisasi bulanan ----------------------------------------------------------------------------------------

REALISASI_KOLOM = [
    Kolom("KPM disalurkan", ANGKA, 14),
    Kolom("Jumlah disalurkan (Rp)", RUPIAH, 20),
    Kolom("Jumlah dibelanjakan (Rp)", RUPIAH, 20),
    Kolom("Realisasi belanja", PERSEN, 12),
    Kolom("Sisa saldo (Rp)", RUPIAH, 18),
    Kolom("Jumlah transaksi", ANGKA, 14),
]


def _figures(row):
    """The realisation columns of a Realisasi row (or a dict of the same figures)."""
    get = row.get if isinstance(row, dict) else lambda name: getattr(row, name)
    disalurkan, dibelanjakan = get("jumlah_disalurkan"), get("jumlah_dibelanjakan")
    return [
        get("kpm_disalurkan"),
        disalurkan,
        dibelanjakan,
        bagi(dibelanjakan, disalurkan),
        disalurkan - dibelanjakan,
        get("jumlah_transaksi"),
    ]


def _realisation_total(rows, kolom, label="Jumlah"):
    total = jumlahkan(rows, kolom, label)
    first = len(kolom) - len(REALISASI_KOLOM)
    total[first + 3] = bagi(total[first + 2], total[first + 1])
    return total


def _periode(laporan):
    """The distribution period a report of credits and purchases reads; refused when the month has none."""
    if laporan.periode is None:
        raise ValidationError(f"Belum ada data penyaluran untuk {laporan.label_bulan}.")
    return laporan.periode


def realisasi(laporan, reader, progress):
    periode, area = _periode(laporan), laporan.wilayah
    progress(10, "Membaca ringkasan realisasi")
    own = rows_for(reader, periode, area.tingkat).filter(wilayah=area).first()
    headline = dict.fromkeys(("kpm_disalurkan", "jumlah_disalurkan", "jumlah_dibelanjakan", "jumlah_transaksi"), 0)
    levels = _levels(laporan)
    if own is not None:
        headline = {name: getattr(own, name) for name in headline}
    elif levels:
        # The region's own row lies outside the reader's area (a pendamping asking for its kota): the area is
        # what the reader sees of it, the sum of the rows one level down.
        for row in rows_for(reader, periode, levels[0]):
            for name in headline:
                headline[name] += getattr(row, name)
    tables = []
    for step, level in enumerate(levels):
        kolom = [Kolom("Kode", lebar=14), Kolom(NAMA_TINGKAT[level], lebar=28), *REALISASI_KOLOM]
        rows = [[r.wilayah_id, r.nama, *_figures(r)] for r in rows_for(reader, periode, level).order_by("wilayah")]
        # What the region's own row counts beyond its parts: credits for NIKs outside the registry.
        rest = {
            name: headline[name] - sum(getattr(r, name) for r in rows_for(reader, periode, level)) for name in headline
        }
        if rows and any(rest.values()):
            rows.append(["", "Di luar registri (tanpa wilayah)", *_figures(rest)])
        grafik = Grafik("Realisasi belanja per " + NAMA_TINGKAT[level].lower(), 1, 5, maks=1) if step == 0 else None
        tables.append(
            Tabel(
                NAMA_TINGKAT[level],
                kolom,
                rows,
                _realisation_total(rows, kolom) if rows else None,
                grafik=grafik,
                kolom_beku=2,
            )
        )
        progress(20 + 15 * step, f"Tingkat {NAMA_TINGKAT[level].lower()} selesai")
    ewarong_rows = [
        [r.ewarong.kode, r.nama, str(r.ewarong.kelurahan), r.bank.kode if r.bank_id else "", *_figures(r)]
        for r in rows_for(reader, periode, Realisasi.Tingkat.EWARONG).select_related("ewarong__kelurahan")
    ]
    kolom = [
        Kolom("Kode e-warong", lebar=16),
        Kolom("E-warong", lebar=28),
        Kolom("Kelurahan", lebar=22),
        Kolom("Bank", lebar=8),
        *REALISASI_KOLOM,
    ]
    tables.append(
        Tabel(
            "E-warong",
            kolom,
            ewarong_rows,
            _realisation_total(ewarong_rows, kolom) if ewarong_rows else None,
            catatan="Kredit KPM yang terdaftar di e-warong dan belanja yang terjadi di e-warong itu.",
            kolom_beku=2,
        )
    )
    progress(80, "Semua tingkat selesai")
    return Dokumen(
        judul=f"Laporan Realisasi Program Sembako {periode}",
        subjudul=str(area),
        parameter=[("Manfaat per KPM", rupiah(periode.manfaat_per_kpm))],
        tabel=tables,
        ringkasan={**headline, "baris_ewarong": len(ewarong_rows)},
        uraian=(
            "Realisasi belanja adalah jumlah dibelanjakan dibagi jumlah disalurkan. Wilayah dihitung dari "
            "kelurahan tempat KPM terdaftar; angka diambil dari ringkasan realisasi yang diperbarui setiap impor."
        ),
    )


# --- rekap monev ----------------------------------------------------------------------------------------------


def _group_level(laporan):
    levels = _levels(laporan)
    return levels[0] if levels else Tingkat.KELURAHAN


def _by_region(queryset, path, level):
    return queryset.annotate(kode=Substr(path, 1, PANJANG_KODE[level]))


def monev(laporan, reader, progress):
    start, end = laporan.awal_bulan, laporan.akhir_bulan
    level = _group_level(laporan)
    progress(10, "Menghitung penugasan dan kunjungan")
    planned = (
        Penugasan.objects.for_user(reader)
        .filter(batas_waktu__range=(start, end))
        .exclude(status=Penugasan.Status.BATAL)
    )
    visits = Kunjungan.objects.for_user(reader).filter(tanggal__range=(start, end))
    counts = {}

    def add(rows, name):
        for row in rows:
            counts.setdefault(row["kode"], dict.fromkeys(("rencana", "selesai", "kunjungan", "verifikasi"), 0))
            counts[row["kode"]][name] = row["n"]

    path = "ewarong__kelurahan_id"
    add(_by_region(planned, path, level).values("kode").annotate(n=Count("id")), "rencana")
    add(
        _by_region(planned.filter(status=Penugasan.Status.SELESAI), path, level).values("kode").annotate(n=Count("id")),
        "selesai",
    )
    add(_by_region(visits.dinilai(), path, level).values("kode").annotate(n=Count("id")), "kunjungan")
    add(
        _by_region(visits.filter(status=Kunjungan.Status.TERVERIFIKASI), path, level)
        .values("kode")
        .annotate(n=Count("id")),
        "verifikasi",
    )
    names = _region_names(counts)
    kolom = [
        Kolom("Kode", lebar=14),
        Kolom(NAMA_TINGKAT[level], lebar=28),
        Kolom("Kunjungan direncanakan", ANGKA, 14),
        Kolom("Penugasan selesai", ANGKA, 14),
        Kolom("Capaian", PERSEN, 10),
        Kolom("Kunjungan dinilai", ANGKA, 14),
        Kolom("Terverifikasi", ANGKA, 14),
    ]
    rows = [
        [
            kode,
            names.get(kode, kode),
            c["rencana"],
            c["selesai"],
            bagi(c["selesai"], c["rencana"]),
            c["kunjungan"],
            c["verifikasi"],
        ]
        for kode, c in sorted(counts.items())
    ]
    total = jumlahkan(rows, kolom)
    total[4] = bagi(total[3], total[2])
    tables = [
        Tabel(
            "Kunjungan",
            kolom,
            rows,
            total,
            grafik=Grafik("Capaian penugasan per " + NAMA_TINGKAT[level].lower(), 1, 4, maks=1),
            catatan="Direncanakan: penugasan (tidak batal) dengan batas waktu dalam periode. Dinilai: kunjungan "
            "terkirim atau terverifikasi bertanggal dalam periode.",
            kolom_beku=2,
        )
    ]
    progress(30, "Menghitung skor 6T")
    skor = SkorAspek.objects.filter(kunjungan__in=visits.dinilai())
    per_aspect = {
        row["aspek"]: row
        for row in skor.values("aspek").annotate(
            patuh=Sum("bobot_patuh"), bobot=Sum("bobot_total"), n=Count("kunjungan", distinct=True)
        )
    }
    kolom = [Kolom("Aspek 6T", lebar=24), Kolom("Kunjungan dinilai", ANGKA, 14), Kolom("Skor (0–100)", SKOR, 12)]
    aspect_rows = []
    for aspek in Aspek:
        row = per_aspect.get(aspek.value)
        aspect_rows.append(
            [
                str(aspek.label),
                row["n"] if row else 0,
                100 * bagi(row["patuh"], row["bobot"]) if row and row["bobot"] else None,
            ]
        )
    patuh = sum(r["patuh"] for r in per_aspect.values())
    bobot = sum(r["bobot"] for r in per_aspect.values())
    tables.append(
        Tabel(
            "Skor 6T",
            kolom,
            aspect_rows,
            ["Semua aspek", None, 100 * patuh / bobot if bobot else None],
            grafik=Grafik("Skor per aspek 6T", 0, 2, maks=100),
            catatan="Skor = 100 × bobot jawaban yang sesuai aturan / bobot jawaban yang dinilai.",
        )
    )
    progress(50, "Menghitung temuan")
    findings = Temuan.objects.for_user(reader).filter(dibuat_pada__date__range=(start, end))
    grid = {
        (r["keparahan"], r["status"]): r["n"] for r in findings.values("keparahan", "status").annotate(n=Count("id"))
    }
    statuses = list(Temuan.Status)
    kolom = [
        Kolom("Keparahan", lebar=14),
        *(Kolom(str(s.label), ANGKA, 14) for s in statuses),
        Kolom("Jumlah", ANGKA, 12),
    ]
    finding_rows = []
    for keparahan in Keparahan:
        values = [grid.get((keparahan.value, s.value), 0) for s in statuses]
        finding_rows.append([str(keparahan.label), *values, sum(values)])
    tables.append(
        Tabel("Temuan", kolom, finding_rows, jumlahkan(finding_rows, kolom), catatan="Temuan dicatat dalam periode.")
    )
    progress(70, "Menghitung tindak lanjut")
    actions = TindakLanjut.objects.for_user(reader).filter(batas_waktu__range=(start, end))
    figures = actions.aggregate(
        jatuh_tempo=Count("id"),
        tepat=Count("id", filter=Q(status=TindakLanjut.Status.SELESAI, ditutup_pada__date__lte=F("batas_waktu"))),
        selesai=Count("id", filter=Q(status=TindakLanjut.Status.SELESAI)),
    )
    figures["terlambat"] = figures["selesai"] - figures["tepat"]
    figures["terbuka"] = figures["jatuh_tempo"] - figures["selesai"]
    kolom = [Kolom("Tindak lanjut", lebar=36), Kolom("Jumlah", ANGKA, 12), Kolom("Bagian", PERSEN, 10)]
    action_rows = [
        ["Jatuh tempo dalam periode", figures["jatuh_tempo"], None],
        ["Ditutup tepat waktu", figures["tepat"], bagi(figures["tepat"], figures["jatuh_tempo"])],
        ["Ditutup terlambat", figures["terlambat"], bagi(figures["terlambat"], figures["jatuh_tempo"])],
        ["Belum ditutup", figures["terbuka"], bagi(figures["terbuka"], figures["jatuh_tempo"])],
    ]
    tables.append(Tabel("Tindak lanjut", kolom, action_rows))
    progress(80, "Rekap selesai")
    return Dokumen(
        judul=f"Rekap Monev Program Sembako {laporan.label_bulan}",
        subjudul=str(laporan.wilayah),
        parameter=[],
        tabel=tables,
        ringkasan={
            "direncanakan": total[2],
            "penugasan_selesai": total[3],
            "kunjungan_dinilai": total[5],
            "temuan": sum(r[-1] for r in finding_rows),
            "skor_total": round(100 * patuh / bobot, 4) if bobot else None,
            **{f"tindak_lanjut_{k}": v for k, v in figures.items()},
        },
    )


# --- evaluasi penyedia ----------------------------------------------------------------------------------------


def _score_columns():
    return [Kolom(str(a.label).replace("Tepat ", "T. "), SKOR, 11) for a in Aspek]


def penyedia(laporan, reader, progress):
    start, end = laporan.awal_bulan, laporan.akhir_bulan
    progress(10, "Menghitung skor penyedia")
    ranked = {r["key_id"]: r for r in scoring.ranking(reader, "penyedia", start=start, end=end)}
    visits = (
        Kunjungan.objects.for_user(reader)
        .dinilai()
        .filter(tanggal__range=(start, end), ewarong__penyedia__isnull=False)
        .values("ewarong__penyedia")
        .annotate(n=Count("id"), ewarong=Count("ewarong", distinct=True))
    )
    visit_counts = {r["ewarong__penyedia"]: r for r in visits}
    outlets = dict(
        EWarong.objects.for_user(reader).values("penyedia").annotate(n=Count("id")).values_list("penyedia", "n")
    )
    everyone = list(Penyedia.objects.for_user(reader).order_by("kode").values("id", "kode", "nama"))
    # Ranked lowest total first (who needs coaching most), then those without a scored visit.
    everyone.sort(key=lambda p: (p["id"] not in ranked, (ranked.get(p["id"]) or {}).get("skor_total") or 0, p["kode"]))
    kolom = [
        Kolom("Peringkat", ANGKA, 10),
        Kolom("Kode", lebar=12),
        Kolom("Penyedia", lebar=32),
        Kolom("E-warong dipasok", ANGKA, 12),
        Kolom("Kunjungan dinilai", ANGKA, 12),
        *_score_columns(),
        Kolom("Skor total", SKOR, 11),
    ]
    rows = []
    for rank, p in enumerate(everyone, start=1):
        entry = ranked.get(p["id"])
        rows.append(
            [
                rank,
                p["kode"],
                p["nama"],
                outlets.get(p["id"], 0),
                visit_counts.get(p["id"], {}).get("n", 0),
                *(entry["kolom"] if entry else [None] * len(Aspek)),
                entry["skor_total"] if entry else None,
            ]
        )
    progress(50, "Menyusun kartu skor per e-warong")
    per_outlet = scoring.ranking(reader, "ewarong", start=start, end=end)
    supplier = {
        e["id"]: (e["penyedia__kode"] or "", e["kode"])
        for e in EWarong.objects.for_user(reader).values("id", "kode", "penyedia__kode")
    }
    card_rows = sorted(
        (
            [
                supplier.get(r["key_id"], ("", ""))[0],
                supplier.get(r["key_id"], ("", ""))[1],
                r["nama"],
                *r["kolom"],
                r["skor_total"],
            ]
            for r in per_outlet
        ),
        key=lambda r: (r[0], r[1]),
    )
    card_kolom = [
        Kolom("Kode penyedia", lebar=14),
        Kolom("Kode e-warong", lebar=16),
        Kolom("E-warong", lebar=28),
        *_score_columns(),
        Kolom("Skor total", SKOR, 11),
    ]
    return Dokumen(
        judul=f"Evaluasi Penyedia Program Sembako {laporan.label_bulan}",
        subjudul=str(laporan.wilayah),
        parameter=[],
        tabel=[
            Tabel(
                "Peringkat penyedia",
                kolom,
                rows,
                grafik=Grafik("Skor total per penyedia (terendah di atas)", 2, len(kolom) - 1, maks=100),
                catatan="Skor kunjungan monev yang dinilai dalam periode, di semua e-warong yang dipasok penyedia.",
                kolom_beku=3,
            ),
            Tabel("Kartu skor e-warong", card_kolom, card_rows, kolom_beku=3),
        ],
        ringkasan={"penyedia": len(rows), "penyedia_dinilai": len(ranked), "ewarong_dinilai": len(card_rows)},
    )


# --- rekonsiliasi ---------------------------------------------------------------------------------------------


def rekonsiliasi_bank(laporan, reader, progress):
    periode = _periode(laporan)
    summary = []
    for step, aturan in enumerate(rekonsiliasi.ATURAN):
        summary.append([aturan.judul, aturan.penjelasan, aturan.rows(periode, reader).count()])
        progress(5 + 4 * step, f"Aturan: {aturan.judul}")
    kolom = [Kolom("Aturan", lebar=40), Kolom("Penjelasan", lebar=60), Kolom("Jumlah baris", ANGKA, 14)]
    detail = []
    for aturan in rekonsiliasi.ATURAN:
        for line in rekonsiliasi.lines(aturan, periode, reader):
            detail.append([aturan.judul, line.subjek, line.nik, line.wilayah, line.alasan])
    progress(70, "Rincian selesai")
    return Dokumen(
        judul=f"Rekonsiliasi Penyaluran Bank dan Registri KPM {periode}",
        subjudul=str(laporan.wilayah),
        parameter=[],
        tabel=[
            Tabel("Ringkasan", kolom, summary, jumlahkan(summary, kolom), grafik=Grafik("Baris per aturan", 0, 2)),
            Tabel(
                "Rincian",
                [
                    Kolom("Aturan", lebar=36),
                    Kolom("KPM / e-warong", lebar=30),
                    Kolom("NIK", lebar=18),
                    Kolom("Kelurahan", lebar=22),
                    Kolom("Alasan", lebar=60),
                ],
                detail,
                di_pdf=False,
                catatan="Rincian setiap baris ada di berkas XLSX.",
            ),
        ],
        ringkasan={a.kode: row[2] for a, row in zip(rekonsiliasi.ATURAN, summary, strict=True)},
    )


# --- rekap pengaduan ------------------------------------------------------------------------------------------


def pengaduan(laporan, reader, progress):
    progress(10, "Menghitung pengaduan")
    complaints = Pengaduan.objects.for_user(reader).filter(
        diterima_pada__date__range=(laporan.awal_bulan, laporan.akhir_bulan)
    )
    done = Q(status=Pengaduan.Status.SELESAI)
    on_time = done & Q(selesai_pada__date__lte=F("batas_selesai"))
    today = timezone.localdate()

    def grouped(field, choices, label):
        figures = {
            r[field]: r
            for r in complaints.values(field).annotate(
                n=Count("id"),
                selesai=Count("id", filter=done),
                tepat=Count("id", filter=on_time),
                terlambat_terbuka=Count("id", filter=~done & Q(batas_selesai__lt=today)),
            )
        }
        kolom = [
            Kolom(label, lebar=28),
            Kolom("Diterima", ANGKA, 12),
            Kolom("Selesai", ANGKA, 12),
            Kolom("Selesai sesuai SLA", ANGKA, 14),
            Kolom("SLA terpenuhi", PERSEN, 12),
            Kolom("Terbuka lewat batas", ANGKA, 14),
        ]
        rows = []
        for value, name in choices:
            f = figures.get(value) or {"n": 0, "selesai": 0, "tepat": 0, "terlambat_terbuka": 0}
            rows.append(
                [str(name), f["n"], f["selesai"], f["tepat"], bagi(f["tepat"], f["selesai"]), f["terlambat_terbuka"]]
            )
        total = jumlahkan(rows, kolom)
        total[4] = bagi(total[3], total[2])
        return kolom, rows, total

    by_channel = grouped("kanal", Pengaduan.Kanal.choices, "Kanal")
    by_category = grouped("kategori", Pengaduan.Kategori.choices, "Kategori")
    progress(60, "Rekap per kanal dan kategori selesai")
    return Dokumen(
        judul=f"Rekap Pengaduan Program Sembako {laporan.label_bulan}",
        subjudul=str(laporan.wilayah),
        parameter=[],
        tabel=[
            Tabel("Per kanal", *by_channel, grafik=Grafik("Pengaduan per kanal", 0, 1)),
            Tabel("Per kategori", *by_category, grafik=Grafik("Pengaduan per kategori", 0, 1)),
        ],
        ringkasan={"diterima": by_channel[2][1], "selesai": by_channel[2][2], "sesuai_sla": by_channel[2][3]},
        uraian="SLA terpenuhi: pengaduan selesai paling lambat pada batas penyelesaian menurut jenis penanganannya.",
    )


# --- profil e-warong ------------------------------------------------------------------------------------------


def ewarong(laporan, reader, progress):
    outlet = (
        EWarong.objects.for_user(reader)
        .select_related("kelurahan", "bank", "penyedia", "agen")
        .filter(pk=laporan.ewarong_id)
        .first()
    )
    if outlet is None:
        raise ValidationError("E-warong laporan ini tidak ada di wilayah Anda.")
    bulan = laporan.bulan
    progress(10, "Membaca transaksi per periode")
    history = (
        Realisasi.objects.for_user(reader)
        .filter(tingkat=Realisasi.Tingkat.EWARONG, ewarong=outlet, periode__tahun__lte=bulan.year)
        .exclude(periode__tahun=bulan.year, periode__bulan__gt=bulan.month)
        .select_related("periode")
        .order_by("periode__tahun", "periode__bulan")
    )
    kolom = [Kolom("Periode", lebar=16), *REALISASI_KOLOM]
    rows = [[str(r.periode), *_figures(r)] for r in history][-12:]
    tables = [
        Tabel(
            "Transaksi",
            kolom,
            rows,
            _realisation_total(rows, kolom) if rows else None,
            grafik=Grafik("Jumlah dibelanjakan per periode", 0, 3),
        )
    ]
    progress(40, "Membaca kunjungan dan temuan")
    visits = (
        Kunjungan.objects.for_user(reader).filter(ewarong=outlet).select_related("petugas").order_by("-tanggal")[:50]
    )
    tables.append(
        Tabel(
            "Kunjungan",
            [
                Kolom("Tanggal", TANGGAL, 12),
                Kolom("Petugas", lebar=24),
                Kolom("Status", lebar=14),
                Kolom("Skor total", SKOR, 10),
            ],
            [
                [
                    v.tanggal,
                    (v.petugas.get_full_name() or v.petugas.username) if v.petugas else "",
                    v.get_status_display(),
                    v.skor_total,
                ]
                for v in visits
            ],
        )
    )
    findings = Temuan.objects.for_user(reader).filter(ewarong=outlet).order_by("-dibuat_pada")[:100]
    tables.append(
        Tabel(
            "Temuan",
            [
                Kolom("Dicatat", TANGGAL, 12),
                Kolom("Temuan", lebar=40),
                Kolom("Aspek", lebar=18),
                Kolom("Keparahan", lebar=10),
                Kolom("Status", lebar=14),
                Kolom("Batas", TANGGAL, 12),
            ],
            [
                [
                    timezone.localdate(t.dibuat_pada),
                    t.judul,
                    t.get_aspek_display(),
                    t.get_keparahan_display(),
                    t.get_status_display(),
                    t.batas_waktu,
                ]
                for t in findings
            ],
        )
    )
    signals = (
        SinyalRisiko.objects.for_user(reader)
        .filter(ewarong=outlet)
        .select_related("periode")
        .order_by("-periode__tahun", "-periode__bulan", "jenis")[:100]
    )
    tables.append(
        Tabel(
            "Sinyal risiko",
            [Kolom("Periode", lebar=14), Kolom("Sinyal", lebar=22), Kolom("Uraian", lebar=60)],
            [[str(s.periode), s.jenis, s.uraian] for s in signals],
        )
    )
    sanctions = (
        TindakLanjut.objects.for_user(reader)
        .filter(temuan__ewarong=outlet)
        .exclude(langkah_sanksi=LangkahSanksi.TIDAK_ADA)
        .select_related("temuan")
        .order_by("-dibuat_pada")
    )
    tables.append(
        Tabel(
            "Sanksi",
            [
                Kolom("Dicatat", TANGGAL, 12),
                Kolom("Langkah", lebar=24),
                Kolom("Tindakan", lebar=40),
                Kolom("Status", lebar=14),
                Kolom("Batas", TANGGAL, 12),
            ],
            [
                [
                    timezone.localdate(s.dibuat_pada),
                    s.get_langkah_sanksi_display(),
                    s.uraian,
                    s.get_status_display(),
                    s.batas_waktu,
                ]
                for s in sanctions
            ],
        )
    )
    progress(70, "Profil selesai")
    return Dokumen(
        judul=f"Profil E-Warong {outlet.nama}",
        subjudul=f"{outlet.kode} · {outlet.kelurahan}",
        parameter=[
            ("Pemilik", outlet.pemilik),
            ("Alamat", outlet.alamat),
            ("Bank / agen", f"{outlet.bank.kode}{' · ' + outlet.agen.nama if outlet.agen_id else ''}"),
            ("Penyedia", outlet.penyedia.nama if outlet.penyedia_id else "–"),
            ("Status", outlet.get_status_display()),
        ],
        tabel=tables,
        ringkasan={
            "periode": len(rows),
            "kunjungan": len(tables[1].baris),
            "temuan": len(tables[2].baris),
            "sinyal": len(tables[3].baris),
            "sanksi": len(tables[4].baris),
        },
    )


BUILDERS = {
    Laporan.Jenis.REALISASI: realisasi,
    Laporan.Jenis.MONEV: monev,
    Laporan.Jenis.PENYEDIA: penyedia,
    Laporan.Jenis.REKONSILIASI: rekonsiliasi_bank,
    Laporan.Jenis.PENGADUAN: pengaduan,
    Laporan.Jenis.EWARONG: ewarong,
}
