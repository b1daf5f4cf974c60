"""What the e-warong and KPM pages read: the e-warong list with its risk and last visit, one e-warong's profile
(realisation by month, risk with evidence, and its visits, findings, actions, complaints and sanctions on one
timeline) and one KPM's credits and purchases by month. Every row comes through the gate (`for_user`)."""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import Count, Max, OuterRef, Q, Subquery, Sum
from django.utils import timezone

from monev import conf
from monev.models import Kunjungan, Pengaduan, SkorAspek, SkorRisiko, Temuan, TindakLanjut
from monev.risiko.scores import latest_periode
from monev.sanctions import status_history
from penyaluran.distribusi.models import NAMA_BULAN, Penyaluran, Periode, Realisasi, Transaksi
from penyaluran.registri.models import EWarong, Kpm
from penyaluran.risiko.detectors import LABEL
from penyaluran.risiko.models import SinyalRisiko
from tikor.formatting import angka, rupiah

# Words for the keys of a signal's evidence rows (penyaluran.risiko.detectors), as table headers.
BUKTI_LABEL = {
    "kpm": "KPM",
    "nik": "NIK",
    "waktu": "Waktu",
    "jumlah": "Jumlah",
    "ewarong": "E-warong",
    "kelurahan": "Kelurahan",
    "transaksi": "Transaksi",
    "kpm_dilayani": "KPM dilayani",
    "kapasitas": "Kapasitas",
    "disalurkan": "Disalurkan",
    "dibelanjakan": "Dibelanjakan",
    "penyedia": "Penyedia",
    "jam": "Jam",
    "kartu": "Kartu",
    "terminal": "Terminal",
    "ewarong_dipasok": "E-warong dipasok",
    "ewarong_kecamatan": "E-warong di kecamatan",
    "keterangan": "Keterangan",
    "status": "Status",
}


def tingkat_risiko(skor):
    """ "tinggi", "sedang", "rendah" or "" (no score) for a combined risk score (bands in monev.conf)."""
    if not skor:
        return ""
    if skor >= conf.get("MONEV_RISIKO_TINGGI"):
        return "tinggi"
    return "sedang" if skor >= conf.get("MONEV_RISIKO_SEDANG") else "rendah"


def ewarong_rows(user):
    """The e-warong `user` may see, each with the combined risk score of the latest period (`skor`), the date of
    its last submitted visit (`kunjungan_terakhir`) and its active KPM (`kpm_aktif`), for lists and the planner."""
    periode = latest_periode()
    skor = SkorRisiko.objects.filter(ewarong=OuterRef("pk"), periode=periode).values("skor")[:1]
    last_visit = Kunjungan.objects.terkirim().filter(ewarong=OuterRef("pk")).order_by("-tanggal").values("tanggal")[:1]
    kpm_aktif = (
        Kpm.objects.aktif()
        .filter(ewarong=OuterRef("pk"))
        .order_by()
        .values("ewarong")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        EWarong.objects.for_user(user)
        .select_related("kelurahan__induk__induk", "bank", "penyedia")
        .annotate(
            skor=Subquery(skor),
            kunjungan_terakhir=Subquery(last_visit),
            kpm_aktif=Subquery(kpm_aktif),
        )
    )


def filter_risiko(queryset, tingkat):
    """Narrow rows of ewarong_rows to a risk band; "nol" is the e-warong without a score."""
    tinggi, sedang = conf.get("MONEV_RISIKO_TINGGI"), conf.get("MONEV_RISIKO_SEDANG")
    bands = {
        "tinggi": Q(skor__gte=tinggi),
        "sedang": Q(skor__gte=sedang, skor__lt=tinggi),
        "rendah": Q(skor__gt=0, skor__lt=sedang),
        "nol": Q(skor__isnull=True) | Q(skor=0),
    }
    return queryset.filter(bands[tingkat]) if tingkat in bands else queryset


def filter_kunjungan(queryset, pilihan):
    """Rows not visited in the last N days ("30", "60", "90"), or never ("belum")."""
    if pilihan == "belum":
        return queryset.filter(kunjungan_terakhir__isnull=True)
    if pilihan.isdigit():
        since = timezone.localdate() - timezone.timedelta(days=int(pilihan))
        return queryset.filter(Q(kunjungan_terakhir__isnull=True) | Q(kunjungan_terakhir__lt=since))
    return queryset


@dataclass
class Peristiwa:
    """One line of an e-warong's timeline."""

    waktu: datetime | date
    jenis: str  # kunjungan, temuan, tindak_lanjut, pengaduan, sanksi
    judul: str
    uraian: str = ""
    url: str = ""
    lencana: str = ""  # a short status shown as a badge
    kelas: str = "secondary"  # its Bootstrap colour
    skor: list = field(default_factory=list)  # a visit's (aspect label, score) pairs

    @property
    def tanggal(self):
        return timezone.localdate(self.waktu) if isinstance(self.waktu, datetime) else self.waktu

    @property
    def jenis_label(self):
        return JENIS_LABEL[self.jenis]

    @property
    def urutan(self):
        moment = self.waktu
        if not isinstance(moment, datetime):
            moment = timezone.make_aware(datetime(moment.year, moment.month, moment.day))
        return moment


JENIS_LABEL = {
    "kunjungan": "Kunjungan",
    "temuan": "Temuan",
    "tindak_lanjut": "Tindak lanjut",
    "pengaduan": "Pengaduan",
    "sanksi": "Status e-warong",
}
KEPARAHAN_KELAS = {"kritis": "danger", "tinggi": "warning", "sedang": "info", "rendah": "secondary"}


def timeline(ewarong, user, limit=60):
    """Visits with their 6T scores, findings, corrective actions, complaints and status changes (the sanction
    ladder) of one e-warong, newest first, at most `limit` of each kind."""
    events = []
    visits = list(
        Kunjungan.objects.for_user(user)
        .filter(ewarong=ewarong)
        .terkirim()
        .select_related("petugas")
        .order_by("-tanggal", "-id")[:limit]
    )
    scores = {}
    for s in SkorAspek.objects.filter(kunjungan__in=visits).order_by("aspek"):
        if s.skor is not None:
            scores.setdefault(s.kunjungan_id, []).append((s.get_aspek_display(), s.skor))
    for k in visits:
        total = f"skor {angka(k.skor_total, 1)}" if k.skor_total is not None else "belum dinilai"
        events.append(
            Peristiwa(
                k.tanggal,
                "kunjungan",
                f"Kunjungan oleh {k.petugas.get_full_name() or k.petugas.username}",
                total,
                k.get_absolute_url(),
                k.get_status_display(),
                "primary",
                scores.get(k.pk, []),
            )
        )
    for t in Temuan.objects.for_user(user).filter(ewarong=ewarong).order_by("-dibuat_pada")[:limit]:
        events.append(
            Peristiwa(
                t.dibuat_pada,
                "temuan",
                t.judul,
                f"{t.get_aspek_display()} · keparahan {t.get_keparahan_display().lower()} · batas "
                f"{t.batas_waktu:%d-%m-%Y}" + (" · lewat batas" if t.is_overdue else ""),
                t.get_absolute_url(),
                t.get_status_display(),
                KEPARAHAN_KELAS.get(t.keparahan, "secondary"),
            )
        )
    actions = (
        TindakLanjut.objects.for_user(user)
        .filter(temuan__ewarong=ewarong)
        .select_related("temuan")
        .order_by("-dibuat_pada")[:limit]
    )
    for a in actions:
        sanksi = f" · sanksi: {a.get_langkah_sanksi_display().lower()}" if a.langkah_sanksi else ""
        events.append(
            Peristiwa(
                a.dibuat_pada,
                "tindak_lanjut",
                a.uraian[:120],
                f"Atas temuan \u201c{a.temuan.judul}\u201d · {a.penanggung_jawab} · batas {a.batas_waktu:%d-%m-%Y}"
                + sanksi,
                a.temuan.get_absolute_url(),
                a.get_status_display(),
                "danger" if a.is_overdue else "warning" if a.langkah_sanksi else "secondary",
            )
        )
    for p in Pengaduan.objects.for_user(user).filter(ewarong=ewarong).order_by("-diterima_pada")[:limit]:
        events.append(
            Peristiwa(
                p.diterima_pada,
                "pengaduan",
                f"Pengaduan {p.nomor}: {p.get_kategori_display()}",
                f"{p.get_kanal_display()}" + (" · berulang" if p.berulang else ""),
                p.get_absolute_url(),
                p.get_status_display(),
                "danger" if p.is_overdue else "info",
            )
        )
    for change in status_history(ewarong, limit):
        events.append(
            Peristiwa(
                change["history_date"],
                "sanksi",
                f"Status menjadi {change['status_label']}",
                change["history_change_reason"] or "",
                lencana=change["status_label"],
                kelas="dark",
            )
        )
    events.sort(key=lambda e: e.urutan, reverse=True)
    return events


def realisasi_bulanan(ewarong, user):
    """The e-warong's rows of the realisation summary, one per period, oldest first."""
    return (
        Realisasi.objects.for_user(user)
        .filter(tingkat=Realisasi.Tingkat.EWARONG, ewarong=ewarong)
        .select_related("periode")
        .order_by("periode__tahun", "periode__bulan")
    )


def risiko(ewarong, user):
    """The latest period's combined score with its reasons, the period's signals with readable evidence, and the
    score of every period."""
    periode = latest_periode()
    if periode is None:
        return {"periode": None}
    skor = SkorRisiko.objects.for_user(user).filter(ewarong=ewarong, periode=periode).first()
    signals = []
    for s in SinyalRisiko.objects.for_user(user).filter(ewarong=ewarong, periode=periode).order_by("jenis"):
        keys = list(s.bukti[0]) if s.bukti else []
        rows = [list(row.values()) for row in s.bukti[:20]]
        signals.append({"sinyal": s, "label": LABEL.get(s.jenis, s.jenis), "kepala": keys, "baris": rows})
    history = (
        SkorRisiko.objects.for_user(user)
        .filter(ewarong=ewarong)
        .select_related("periode")
        .order_by("periode__tahun", "periode__bulan")
    )
    return {
        "periode": periode,
        "skor": skor,
        "tingkat": tingkat_risiko(skor.skor if skor else 0),
        "sinyal": signals,
        "riwayat": history,
    }


def kpm_bulanan(kpm, user):
    """One KPM's credits and purchases per period: credited, spent, purchases, the e-warong used, balance left."""
    credits = (
        Penyaluran.objects.for_user(user)
        .filter(kpm=kpm)
        .values("periode", "periode__tahun", "periode__bulan")
        .annotate(disalurkan=Sum("jumlah", filter=Q(status=Penyaluran.Status.TERSALUR)), kredit=Count("pk"))
    )
    purchases = (
        Transaksi.objects.for_user(user)
        .filter(kpm=kpm)
        .values("periode", "ewarong__kode", "ewarong__nama", "ewarong")
        .annotate(belanja=Sum("jumlah"), transaksi=Count("pk"), terakhir=Max("waktu"))
    )
    months = {}
    for c in credits:
        months[c["periode"]] = {
            "periode": c["periode"],
            "tahun": c["periode__tahun"],
            "bulan": c["periode__bulan"],
            "disalurkan": c["disalurkan"] or 0,
            "belanja": 0,
            "transaksi": 0,
            "ewarong": [],
        }
    # A month with purchases but no credit row (a credit outside the registry, say) still shows.
    missing = {p["periode"] for p in purchases} - set(months)
    for p in Periode.objects.filter(pk__in=missing):
        months[p.pk] = {
            "periode": p.pk,
            "tahun": p.tahun,
            "bulan": p.bulan,
            "disalurkan": 0,
            "belanja": 0,
            "transaksi": 0,
            "ewarong": [],
        }
    for p in purchases:
        month = months[p["periode"]]
        month["belanja"] += p["belanja"] or 0
        month["transaksi"] += p["transaksi"]
        month["ewarong"].append(
            {"id": p["ewarong"], "kode": p["ewarong__kode"] or "", "nama": p["ewarong__nama"] or "terminal tak dikenal"}
        )
    # A KPM may shop at an e-warong outside the user's area: named, but not linked to a page that answers 404.
    visible = set(
        EWarong.objects.for_user(user).filter(pk__in={p["ewarong"] for p in purchases}).values_list("pk", flat=True)
    )
    for month in months.values():
        for outlet in month["ewarong"]:
            outlet["terlihat"] = outlet["id"] in visible
    rows = sorted(months.values(), key=lambda m: (m["tahun"], m["bulan"]), reverse=True)
    for m in rows:
        m["sisa"] = m["disalurkan"] - m["belanja"]
        m["label"] = f"{NAMA_BULAN[m['bulan']]} {m['tahun']}"
        m["ringkas"] = f"{rupiah(m['belanja'])} dari {rupiah(m['disalurkan'])}"
    return rows
