"""Reconciliation of a period's credits and purchases with the KPM registry.

Each rule is one query (joins, EXISTS and grouped subqueries; never a Python loop over KPM) over rows
the user may see, and a formatter that turns a result row into a line naming the KPM or e-warong and
why it is listed. The page counts and pages each rule; the XLSX export streams every line.
"""

import datetime
import io
import time
from dataclasses import dataclass
from itertools import islice

from django.db import connection, transaction
from django.db.models import Count, Exists, F, IntegerField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from penyaluran.distribusi.models import BarisRekonsiliasi, Penyaluran, Periode, RekonsiliasiPeriode, Transaksi
from penyaluran.registri.models import EWarong, Kpm
from tikor.formatting import rupiah, tanggal
from tikor.nik import mask_nik, may_see_full_numbers
from tikor.scoping import SEMUA

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

    def rows(self, periode, user, saldo_hari=30, pada=None, keys=()):
        """The rule's result rows, by the rule's SQL over what `user` may see; `keys` adds the values of the
        region and bank a stored line is scoped by (the rule's SCOPE_KEYS)."""
        return RULES[self.kode][0](periode, user, saldo_hari=saldo_hari, pada=pada, keys=keys)

    def line(self, row, periode, show_nik):
        return RULES[self.kode][1](row, periode, show_nik)


def _nik(value, show_nik):
    return value if show_nik else mask_nik(value)


def _credits(periode, user):
    return Penyaluran.objects.for_user(user).filter(periode=periode)


def _credit_rows(credits, *more):
    """The credits' fields a credit line shows, and `more` (extra fields and scope keys), by KPM name."""
    return credits.values("id", "nik", "kpm__nama", "kpm__kelurahan__nama", "jumlah", *more).order_by("kpm__nama", "id")


def _credit_line(r, show_nik, alasan, nik_field="nik"):
    """A line about one credit: the KPM it went to (its NIK when the registry has no such KPM), and why."""
    nik = _nik(r[nik_field], show_nik)
    return Baris(r["kpm__nama"] or f"NIK {nik}", nik, r["kpm__kelurahan__nama"] or "", alasan)


# --- rules: each (queryset builder, line formatter) --------------------------------------------------------


def _not_registered(periode, user, keys=(), **_):
    return (
        _credits(periode, user)
        .filter(kpm__isnull=True)
        .values("id", "nik", "nomor_kks", "jumlah", "referensi", "bank__kode", *keys)
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


def _inactive(periode, user, keys=(), **_):
    return _credit_rows(
        _credits(periode, user).tersalur().filter(kpm__status__in=TIDAK_AKTIF), "kpm__status", "kpm__nik", *keys
    )


def _inactive_line(r, periode, show_nik):
    status = Kpm.Status(r["kpm__status"]).label.lower()
    alasan = f"KPM berstatus {status} tetapi dikreditkan {rupiah(r['jumlah'])}"
    return _credit_line(r, show_nik, alasan, nik_field="kpm__nik")


def _without_credit(periode, user, keys=(), **_):
    received = Penyaluran.objects.filter(periode=periode, kpm=OuterRef("pk")).filter(
        status__in=(Penyaluran.Status.TERSALUR, Penyaluran.Status.KARTU_BELUM_DIBAGIKAN)
    )
    failed = Penyaluran.objects.filter(periode=periode, kpm=OuterRef("pk"), status=Penyaluran.Status.GAGAL)
    return (
        Kpm.objects.for_user(user)
        .aktif()
        .filter(~Exists(received))
        .annotate(gagal=Exists(failed))
        .values("id", "nama", "nik", "kelurahan__nama", "gagal", *keys)
        .order_by("nama", "id")
    )


def _without_credit_line(r, periode, show_nik):
    why = "penyaluran gagal" if r["gagal"] else "tidak ada data penyaluran dari bank"
    return Baris(r["nama"], _nik(r["nik"], show_nik), r["kelurahan__nama"] or "", f"KPM aktif tanpa kredit: {why}")


def _twice(periode, user, keys=(), **_):
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
        .values("id", "nik", "nomor_kks", "kpm__nama", "kpm__kelurahan__nama", "jumlah", "referensi", "kali", *keys)
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


def _shared_kk(periode, user, keys=(), **_):
    shared = Kpm.objects.aktif().values("no_kk").annotate(n=Count("id")).filter(n__gt=1).values("no_kk")
    members = Kpm.objects.aktif().filter(no_kk=OuterRef("no_kk")).values("no_kk").annotate(n=Count("id")).values("n")
    return (
        Kpm.objects.for_user(user)
        .aktif()
        .filter(no_kk__in=shared)
        .annotate(anggota=Subquery(members, output_field=IntegerField()))
        .values("id", "nama", "nik", "no_kk", "kelurahan__nama", "anggota", *keys)
        .order_by("no_kk", "nama")
    )


def _shared_kk_line(r, periode, show_nik):
    return Baris(
        r["nama"],
        _nik(r["nik"], show_nik),
        r["kelurahan__nama"] or "",
        f"No KK {_nik(r['no_kk'], show_nik)} dipakai {r['anggota']} KPM aktif; satu keluarga satu KPM",
    )


def _wrong_amount(periode, user, keys=(), **_):
    return _credit_rows(_credits(periode, user).tersalur().exclude(jumlah=periode.manfaat_per_kpm), *keys)


def _wrong_amount_line(r, periode, show_nik):
    manfaat = rupiah(periode.manfaat_per_kpm)
    return _credit_line(r, show_nik, f"dikreditkan {rupiah(r['jumlah'])}, manfaat periode ini {manfaat}")


def _card_not_given(periode, user, keys=(), **_):
    return _credit_rows(
        _credits(periode, user).filter(status=Penyaluran.Status.KARTU_BELUM_DIBAGIKAN), "bank__kode", *keys
    )


def _card_not_given_line(r, periode, show_nik):
    alasan = f"KKS belum dibagikan menurut {r['bank__kode']}; manfaat {rupiah(r['jumlah'])} tertahan"
    return _credit_line(r, show_nik, alasan)


def _idle(periode, user, saldo_hari=30, pada=None, keys=(), **_):
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
    return _credit_rows(idle, "belanja", "tanggal", *keys)


def _idle_line(r, periode, show_nik):
    sisa, jumlah = rupiah(r["jumlah"] - r["belanja"]), rupiah(r["jumlah"])
    return _credit_line(r, show_nik, f"sisa saldo {sisa} dari {jumlah} yang dikreditkan {tanggal(r['tanggal'])}")


def _inactive_outlet(periode, user, keys=(), **_):
    return (
        Transaksi.objects.for_user(user)
        .filter(periode=periode)
        .filter(Q(ewarong__status=EWarong.Status.NONAKTIF) | Q(ewarong__isnull=True))
        .values("ewarong", "ewarong__kode", "ewarong__nama", "ewarong__kelurahan__nama", "terminal", *keys)
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


HITUNG_CHUNK = 5000
# Where each rule's line is scoped: (the value naming its kelurahan, the value naming its bank).
SCOPE_KEYS = {
    "tidak_terdaftar": ("kpm__kelurahan", "bank"),
    "tidak_aktif": ("kpm__kelurahan", "bank"),
    "tanpa_kredit": ("kelurahan", "bank"),
    "kredit_ganda": ("kpm__kelurahan", "bank"),
    "kk_ganda": ("kelurahan", "bank"),
    "jumlah_berbeda": ("kpm__kelurahan", "bank"),
    "kartu_belum": ("kpm__kelurahan", "bank"),
    "saldo_mengendap": ("kpm__kelurahan", "bank"),
    "ewarong_tidak_aktif": ("ewarong__kelurahan", "bank"),
}
STORED_COLUMNS = (
    "periode_id",
    "aturan",
    "urutan",
    "kelurahan_id",
    "bank_id",
    "subjek",
    "nik",
    "wilayah",
    "alasan",
    "subjek_samar",
    "nik_samar",
    "alasan_samar",
)


# --- live: the rules run over what a user may see (the reference the stored lines are tested against) -------


def ringkasan(periode, user, saldo_hari=30, pada=None):
    """[(aturan, number of lines)] counted by the rules' SQL per request."""
    return [(a, a.rows(periode, user, saldo_hari=saldo_hari, pada=pada).count()) for a in ATURAN]


def lines(aturan, periode, user, saldo_hari=30, pada=None):
    """Every line of one rule, formatted, as a generator (by the rules' SQL)."""
    show_nik = may_see_full_numbers(user)
    for row in aturan.rows(periode, user, saldo_hari=saldo_hari, pada=pada).iterator(chunk_size=5000):
        yield aturan.line(row, periode, show_nik)


# --- stored: counted once per import and period in the background, read by the page and the download ---------


# The double-credit rule asks whether a credit's NIK or card is among the period's repeated ones. With PostgreSQL's
# default 4 MB of work memory the set of a province's NIK does not fit a hash, and the planner checks each of the
# period's credits by running the subquery again: at ten times DKI the count did not end in 20 minutes; with room
# for the hash it takes 19 s. Set for the count's own transaction only.
HITUNG_WORK_MEM = "256MB"


def _roomy_work_mem():
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL work_mem = '{HITUNG_WORK_MEM}'")


def hitung(periode, saldo_hari=None, pada=None):
    """Count a period's reconciliation for every area into BarisRekonsiliasi, replacing the previous count.

    Runs each rule once over all rows (the rules' own SQL), formats every line twice (full and masked numbers) and
    streams them into the table; readers see the old lines or the new ones. Returns the RekonsiliasiPeriode.
    """
    from penyaluran.distribusi.bulk import bulk_insert
    from penyaluran.distribusi.parameters import parameters as risk_parameters

    started = time.monotonic()
    saldo_hari = int(risk_parameters()["rekonsiliasi_saldo_hari"]) if saldo_hari is None else saldo_hari
    pada = pada or timezone.localdate()

    def stored(aturan, urutan, row, kelurahan_key, bank_key):
        full, masked = aturan.line(row, periode, True), aturan.line(row, periode, False)
        return (
            periode.pk,
            aturan.kode,
            urutan,
            row[kelurahan_key],
            row[bank_key],
            full.subjek[:255],
            full.nik,
            full.wilayah[:100],
            full.alasan,
            masked.subjek[:255],
            masked.nik,
            masked.alasan,
        )

    count = 0
    with transaction.atomic():
        _roomy_work_mem()
        BarisRekonsiliasi.objects.filter(periode=periode).delete()
        for aturan in ATURAN:
            kelurahan_key, bank_key = SCOPE_KEYS[aturan.kode]
            rows = aturan.rows(periode, SEMUA, saldo_hari=saldo_hari, pada=pada, keys=(kelurahan_key, bank_key))
            rows = enumerate(rows.iterator(chunk_size=HITUNG_CHUNK), start=1)
            # A chunk is read, then written: the connection cannot run the rule's query in the middle of a COPY.
            while chunk := list(islice(rows, HITUNG_CHUNK)):
                lines = [stored(aturan, urutan, row, kelurahan_key, bank_key) for urutan, row in chunk]
                count += bulk_insert(BarisRekonsiliasi, STORED_COLUMNS, lines)
        state, _created = RekonsiliasiPeriode.objects.update_or_create(
            periode=periode,
            defaults={
                "dihitung_pada": timezone.now(),
                "saldo_hari": saldo_hari,
                "per_tanggal": pada,
                "jumlah_baris": count,
                "durasi": time.monotonic() - started,
            },
        )
    return state


def hitung_terbuka(**_signal):
    """Recount every open period: after a registry import (registri_diperbarui) and every night (saldo mengendap
    depends on the day). Returns the number of periods counted."""
    periods = list(Periode.objects.filter(status=Periode.Status.BUKA))
    for periode in periods:
        hitung(periode)
    return len(periods)


def tersimpan(periode, user):
    """(RekonsiliasiPeriode or None, [(aturan, number of lines the user may see)]) from the stored count."""
    state = RekonsiliasiPeriode.objects.filter(periode=periode).first()
    counts = dict(
        BarisRekonsiliasi.objects.for_user(user)
        .filter(periode=periode)
        .order_by()
        .values_list("aturan")
        .annotate(n=Count("id"))
    )
    return state, [(a, counts.get(a.kode, 0)) for a in ATURAN]


def baris_tersimpan(aturan, periode, user):
    """The stored lines of one rule the user may see, in the rule's order, as Baris-like dicts (masked unless the
    user may see full numbers)."""
    fields = ("subjek", "nik", "wilayah", "alasan")
    if not may_see_full_numbers(user):
        fields = ("subjek_samar", "nik_samar", "wilayah", "alasan_samar")
    rows = BarisRekonsiliasi.objects.for_user(user).filter(periode=periode, aturan=aturan.kode).order_by("urutan")
    return rows.annotate(**{f"baris_{name.removesuffix('_samar')}": F(name) for name in fields}).values(
        "baris_subjek", "baris_nik", "baris_wilayah", "baris_alasan"
    )


def xlsx(periode, user, counts=None):
    """The stored reconciliation the user may see as an XLSX file (bytes), streamed (tikor.xlsx_stream).

    `counts`, a dict, receives the number of lines of each rule (by kode), for the audit of the download."""
    from tikor.xlsx_stream import write_table

    def rows():
        for aturan in ATURAN:
            written = 0
            for line in baris_tersimpan(aturan, periode, user).iterator(chunk_size=5000):
                yield (
                    aturan.judul,
                    line["baris_subjek"],
                    line["baris_nik"],
                    line["baris_wilayah"],
                    line["baris_alasan"],
                )
                written += 1
            if counts is not None:
                counts[aturan.kode] = written

    out = io.BytesIO()
    write_table(
        out,
        f"Rekonsiliasi {periode.tahun}-{periode.bulan:02d}",
        ["Aturan", "KPM / e-warong", "NIK", "Kelurahan", "Alasan"],
        rows(),
        text_columns=(2,),
        widths=(34, 34, 20, 24, 80),
    )
    return out.getvalue()
