"""Reconciliation of a period's credits and purchases with the KPM registry.

Each rule is one query (joins, EXISTS and grouped subqueries; never a Python loop over KPM) over rows
the user may see, and a formatter that turns a result row into a line naming the KPM or e-warong and
why it is listed. The page counts and pages each rule; the XLSX export streams every line.
"""

import datetime
import io
from dataclasses import dataclass

from django.db.models import Count, Exists, F, IntegerField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from penyaluran.distribusi.models import Penyaluran, Transaksi
from penyaluran.registri.models import EWarong, Kpm
from tikor.formatting import rupiah, tanggal
from tikor.nik import mask_nik

TIDAK_AKTIF = (Kpm.Status.NONAKTIF, Kpm.Status.MENINGGAL, Kpm.Status.PINDAH)


@dataclass(frozen=True)
class Baris:
    """One reconciliation line: who or what, where, and why."""

    subjek: str
    nik: str
    wilayah: str
    alasan: str


@dataclass(frozen=True)
class Aturan:
    kode: str
    judul: str
    penjelasan: str

    def rows(self, periode, user, saldo_hari=30, pada=None):
        return RULES[self.kode][0](periode, user, saldo_hari=saldo_hari, pada=pada)

    def line(self, row, periode, show_nik):
        return RULES[self.kode][1](row, periode, show_nik)


def _nik(value, show_nik):
    return value if show_nik else mask_nik(value)


def _credits(periode, user):
    return Penyaluran.objects.for_user(user).filter(periode=periode)


def _credit_rows(credits, *more):
    """The credits' fields a credit line shows, and `more`, by KPM name."""
    return credits.values("id", "nik", "kpm__nama", "kpm__kelurahan__nama", "jumlah", *more).order_by("kpm__nama", "id")


def _credit_line(r, show_nik, alasan, nik_field="nik"):
    """A line about one credit: the KPM it went to (its NIK when the registry has no such KPM), and why."""
    nik = _nik(r[nik_field], show_nik)
    return Baris(r["kpm__nama"] or f"NIK {nik}", nik, r["kpm__kelurahan__nama"] or "", alasan)


# --- rules: each (queryset builder, line formatter) --------------------------------------------------------


def _not_registered(periode, user, **_):
    return (
        _credits(periode, user)
        .filter(kpm__isnull=True)
        .values("id", "nik", "nomor_kks", "jumlah", "referensi", "bank__kode")
        .order_by("nik", "id")
    )


def _not_registered_line(r, periode, show_nik):
    who = f"NIK {_nik(r['nik'], show_nik)}" if r["nik"] else f"KKS {_nik(r['nomor_kks'], show_nik)}"
    return Baris(
        who,
        _nik(r["nik"], show_nik),
        "",
        f"NIK/KKS tidak ada di registri KPM, tetapi dikreditkan {rupiah(r['jumlah'])} oleh {r['bank__kode']} "
        f"(ref. {r['referensi']})",
    )


def _inactive(periode, user, **_):
    return _credit_rows(
        _credits(periode, user).tersalur().filter(kpm__status__in=TIDAK_AKTIF), "kpm__status", "kpm__nik"
    )


def _inactive_line(r, periode, show_nik):
    status = Kpm.Status(r["kpm__status"]).label.lower()
    alasan = f"KPM berstatus {status} tetapi dikreditkan {rupiah(r['jumlah'])}"
    return _credit_line(r, show_nik, alasan, nik_field="kpm__nik")


def _without_credit(periode, user, **_):
    received = Penyaluran.objects.filter(periode=periode, kpm=OuterRef("pk")).filter(
        status__in=(Penyaluran.Status.TERSALUR, Penyaluran.Status.KARTU_BELUM_DIBAGIKAN)
    )
    failed = Penyaluran.objects.filter(periode=periode, kpm=OuterRef("pk"), status=Penyaluran.Status.GAGAL)
    return (
        Kpm.objects.for_user(user)
        .aktif()
        .filter(~Exists(received))
        .annotate(gagal=Exists(failed))
        .values("id", "nama", "nik", "kelurahan__nama", "gagal")
        .order_by("nama", "id")
    )


def _without_credit_line(r, periode, show_nik):
    why = "penyaluran gagal" if r["gagal"] else "tidak ada data penyaluran dari bank"
    return Baris(r["nama"], _nik(r["nik"], show_nik), r["kelurahan__nama"] or "", f"KPM aktif tanpa kredit: {why}")


def _twice(periode, user, **_):
    all_credits = Penyaluran.objects.filter(periode=periode).exclude(status=Penyaluran.Status.GAGAL)
    dup_nik = all_credits.exclude(nik="").values("nik").annotate(n=Count("id")).filter(n__gt=1).values("nik")
    dup_kks = (
        all_credits.exclude(nomor_kks="")
        .values("nomor_kks")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .values("nomor_kks")
    )
    same_nik = all_credits.filter(nik=OuterRef("nik")).exclude(nik="").values("nik").annotate(n=Count("id")).values("n")
    return (
        _credits(periode, user)
        .exclude(status=Penyaluran.Status.GAGAL)
        .filter(Q(nik__in=dup_nik) | Q(nomor_kks__in=dup_kks))
        .annotate(kali=Coalesce(Subquery(same_nik, output_field=IntegerField()), Value(0)))
        .values("id", "nik", "nomor_kks", "kpm__nama", "kpm__kelurahan__nama", "jumlah", "referensi", "kali")
        .order_by("nik", "nomor_kks", "id")
    )


def _twice_line(r, periode, show_nik):
    what = (
        f"NIK dikreditkan {r['kali']} kali"
        if r["kali"] > 1
        else f"KKS {_nik(r['nomor_kks'], show_nik)} dikreditkan lebih dari sekali"
    )
    return _credit_line(
        r, show_nik, f"{what} pada periode ini; kredit ini {rupiah(r['jumlah'])} (ref. {r['referensi']})"
    )


def _shared_kk(periode, user, **_):
    shared = Kpm.objects.aktif().values("no_kk").annotate(n=Count("id")).filter(n__gt=1).values("no_kk")
    members = Kpm.objects.aktif().filter(no_kk=OuterRef("no_kk")).values("no_kk").annotate(n=Count("id")).values("n")
    return (
        Kpm.objects.for_user(user)
        .aktif()
        .filter(no_kk__in=shared)
        .annotate(anggota=Subquery(members, output_field=IntegerField()))
        .values("id", "nama", "nik", "no_kk", "kelurahan__nama", "anggota")
        .order_by("no_kk", "nama")
    )


def _shared_kk_line(r, periode, show_nik):
    return Baris(
        r["nama"],
        _nik(r["nik"], show_nik),
        r["kelurahan__nama"] or "",
        f"No KK {_nik(r['no_kk'], show_nik)} dipakai {r['anggota']} KPM aktif; satu keluarga satu KPM",
    )


def _wrong_amount(periode, user, **_):
    return _credit_rows(_credits(periode, user).tersalur().exclude(jumlah=periode.manfaat_per_kpm))


def _wrong_amount_line(r, periode, show_nik):
    manfaat = rupiah(periode.manfaat_per_kpm)
    return _credit_line(r, show_nik, f"dikreditkan {rupiah(r['jumlah'])}, manfaat periode ini {manfaat}")


def _card_not_given(periode, user, **_):
    return _credit_rows(_credits(periode, user).filter(status=Penyaluran.Status.KARTU_BELUM_DIBAGIKAN), "bank__kode")


def _card_not_given_line(r, periode, show_nik):
    alasan = f"KKS belum dibagikan menurut {r['bank__kode']}; manfaat {rupiah(r['jumlah'])} tertahan"
    return _credit_line(r, show_nik, alasan)


def _idle(periode, user, saldo_hari=30, pada=None, **_):
    pada = pada or timezone.localdate()
    spent = (
        Transaksi.objects.filter(periode=periode, kpm=OuterRef("kpm"))
        .values("kpm")
        .annotate(total=Sum("jumlah"))
        .values("total")
    )
    idle = (
        _credits(periode, user)
        .tersalur()
        .filter(kpm__isnull=False, tanggal__lte=pada - datetime.timedelta(days=saldo_hari))
        .annotate(belanja=Coalesce(Subquery(spent, output_field=IntegerField()), Value(0)))
        .filter(belanja__lt=F("jumlah"))
    )
    return _credit_rows(idle, "belanja", "tanggal")


def _idle_line(r, periode, show_nik):
    sisa, jumlah = rupiah(r["jumlah"] - r["belanja"]), rupiah(r["jumlah"])
    return _credit_line(r, show_nik, f"sisa saldo {sisa} dari {jumlah} yang dikreditkan {tanggal(r['tanggal'])}")


def _inactive_outlet(periode, user, **_):
    return (
        Transaksi.objects.for_user(user)
        .filter(periode=periode)
        .filter(Q(ewarong__status=EWarong.Status.NONAKTIF) | Q(ewarong__isnull=True))
        .values("ewarong", "ewarong__kode", "ewarong__nama", "ewarong__kelurahan__nama", "terminal")
        .annotate(n=Count("id"), total=Sum("jumlah"))
        .order_by(F("ewarong__kode").asc(nulls_last=True), "terminal")
    )


def _inactive_outlet_line(r, periode, show_nik):
    if r["ewarong"]:
        who, why = f"{r['ewarong__kode']} {r['ewarong__nama']}", "e-warong berstatus nonaktif"
    else:
        who, why = f"Terminal {r['terminal']}", "terminal tidak dikenal sebagai e-warong terdaftar"
    return Baris(who, "", r["ewarong__kelurahan__nama"] or "", f"{why}: {r['n']} transaksi, {rupiah(r['total'])}")


RULES = {
    "tidak_terdaftar": (_not_registered, _not_registered_line),
    "tidak_aktif": (_inactive, _inactive_line),
    "tanpa_kredit": (_without_credit, _without_credit_line),
    "kredit_ganda": (_twice, _twice_line),
    "kk_ganda": (_shared_kk, _shared_kk_line),
    "jumlah_berbeda": (_wrong_amount, _wrong_amount_line),
    "kartu_belum": (_card_not_given, _card_not_given_line),
    "saldo_mengendap": (_idle, _idle_line),
    "ewarong_tidak_aktif": (_inactive_outlet, _inactive_outlet_line),
}

ATURAN = (
    Aturan(
        "tidak_terdaftar",
        "Kredit untuk NIK/KKS di luar registri",
        "Dikreditkan bank, tetapi tidak ada di registri KPM.",
    ),
    Aturan(
        "tidak_aktif", "Kredit untuk KPM tidak aktif", "KPM nonaktif, meninggal atau pindah yang tetap dikreditkan."
    ),
    Aturan("tanpa_kredit", "KPM aktif tanpa kredit", "KPM aktif di registri yang tidak menerima kredit periode ini."),
    Aturan("kredit_ganda", "NIK atau KKS dikreditkan ganda", "Satu NIK atau satu KKS dikreditkan lebih dari sekali."),
    Aturan("kk_ganda", "Satu No KK untuk beberapa KPM aktif", "Pedum: satu keluarga (No KK) satu KPM."),
    Aturan("jumlah_berbeda", "Jumlah kredit berbeda", "Jumlah kredit tidak sama dengan manfaat per KPM periode ini."),
    Aturan("kartu_belum", "KKS belum dibagikan", "Bank melaporkan kartu belum diterima KPM."),
    Aturan("saldo_mengendap", "Saldo mengendap", "Manfaat belum habis dibelanjakan setelah sekian hari."),
    Aturan(
        "ewarong_tidak_aktif",
        "Transaksi di e-warong tidak aktif",
        "Transaksi di e-warong nonaktif atau terminal tak dikenal.",
    ),
)
BY_KODE = {a.kode: a for a in ATURAN}


def ringkasan(periode, user, saldo_hari=30, pada=None):
    """[(aturan, number of lines)] for the page's overview."""
    return [(a, a.rows(periode, user, saldo_hari=saldo_hari, pada=pada).count()) for a in ATURAN]


def lines(aturan, periode, user, saldo_hari=30, pada=None):
    """Every line of one rule, formatted, as a generator."""
    show_nik = user.can_see_full_nik
    for row in aturan.rows(periode, user, saldo_hari=saldo_hari, pada=pada).iterator(chunk_size=5000):
        yield aturan.line(row, periode, show_nik)


def xlsx(periode, user, saldo_hari=30, pada=None, counts=None):
    """The whole reconciliation as an XLSX file (bytes): one sheet, a line per finding, write-only.

    `counts`, a dict, receives the number of lines of each rule (by kode), for the audit of the download."""
    from openpyxl import Workbook

    from tikor.spreadsheet import xlsx_row

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(f"Rekonsiliasi {periode.tahun}-{periode.bulan:02d}")
    sheet.append(["Aturan", "KPM / e-warong", "NIK", "Kelurahan", "Alasan"])
    for aturan in ATURAN:
        written = 0
        for line in lines(aturan, periode, user, saldo_hari=saldo_hari, pada=pada):
            sheet.append(xlsx_row(sheet, [aturan.judul, line.subjek, line.nik, line.wilayah, line.alasan]))
            written += 1
        if counts is not None:
            counts[aturan.kode] = written
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
