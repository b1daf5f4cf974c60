"""Misuse signals from bank data: each detector reads one period's credits and purchases with grouped queries
(never a loop over KPM) and returns, for every e-warong where its rule fires, the figure it measured, the
threshold, a sentence saying why, and up to EVIDENCE_ROWS evidence rows.

`refresh_signals(periode)` stores them as SinyalRisiko and sends `hooks.sinyal_diperbarui`; it runs when a
period's bank data changed (distribusi's `periode_diperbarui` hook, registered in PenyaluranConfig.ready).
A signal weighs `bobot_<jenis>` x intensity (`points`), where intensity is how far the figure passes its
threshold, from 1 (just at it) to 2 (twice as far or more); the layers above add those points into a risk.
Thresholds and weights are in `parameters`.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Count, Exists, F, Func, IntegerField, Max, OuterRef, Q, Sum
from django.db.models.functions import Substr, TruncDate

from penyaluran.distribusi.models import Penyaluran, Realisasi, Transaksi
from penyaluran.distribusi.parameters import parameters
from penyaluran.registri.models import EWarong, Kpm
from penyaluran.risiko.hooks import sinyal_diperbarui
from penyaluran.risiko.models import SinyalRisiko
from tikor.formatting import angka, jam, persen, rupiah
from tikor.nik import mask_nik

EVIDENCE_ROWS = 20


@dataclass
class Hit:
    nilai: float
    ambang: float
    uraian: str
    bukti: list = field(default_factory=list)


class _Local(Func):
    """A part of a timestamp on the Jakarta clock, computed natively by the database.

    Django's Extract functions call back into Python for every row on SQLite, which a million
    purchases cannot afford. Asia/Jakarta has had no daylight saving since 1964: a fixed +7 is exact.
    """

    output_field = IntegerField()
    part = ""
    sqlite_format = ""

    def as_postgresql(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"EXTRACT({self.part} FROM {sql} AT TIME ZONE 'Asia/Jakarta')::integer", params

    def as_sqlite(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.source_expressions[0])
        # The format is a parameter: a literal "%H" in the SQL breaks Django's query logging under DEBUG.
        return f"CAST(strftime(%s, {sql}, '+7 hours') AS INTEGER)", (self.sqlite_format, *params)


class LocalHour(_Local):
    part, sqlite_format = "HOUR", "%H"


class LocalMinute(_Local):
    part, sqlite_format = "MINUTE", "%M"


class LocalDay(_Local):
    part, sqlite_format = "DAY", "%d"


def _purchases(periode):
    return Transaksi.objects.filter(periode=periode, ewarong__isnull=False)


def _kpm_count_hits(purchases, minimum, uraian, sample, evidence):
    """Hits where at least `minimum` different KPM made `purchases` at one e-warong. The figure is that count,
    which `uraian` names as {n}; the evidence, `evidence` of the first EVIDENCE_ROWS rows by KPM name that
    `sample` makes of the e-warong's purchases."""
    rows = purchases.values("ewarong").annotate(n=Count("kpm", distinct=True)).filter(n__gte=minimum)
    return {
        r["ewarong"]: Hit(
            r["n"],
            minimum,
            uraian.format(n=r["n"]),
            [evidence(s) for s in sample(purchases.filter(ewarong=r["ewarong"])).order_by("kpm__nama")[:EVIDENCE_ROWS]],
        )
        for r in rows
    }


# --- detectors ------------------------------------------------------------------------------------------------


def gesek_kolektif(periode, p):
    """Collective swiping: at least `gesek_kolektif_kpm` different KPM buy at one e-warong within one
    `gesek_kolektif_menit`-minute window of the clock (09:00–09:10, 09:10–09:20, ...).

    Real KPM come one by one over the month; cards swiped in a burst were collected and held by someone
    (the Brebes and Lombok Timur cases). A burst split across two windows may be missed; a shorter
    window or lower count finds it.
    """
    minutes = int(p["gesek_kolektif_menit"])
    windows = (
        _purchases(periode)
        .annotate(tgl=LocalDay("waktu"), jam=LocalHour("waktu"), blok=LocalMinute("waktu") / minutes)
        .values("ewarong", "tgl", "jam", "blok")
        .annotate(kpm=Count("kpm", distinct=True))
        .filter(kpm__gte=p["gesek_kolektif_kpm"])
        .order_by("ewarong", "-kpm", "tgl", "jam", "blok")
    )
    found = defaultdict(list)
    for w in windows:
        found[w["ewarong"]].append(w)
    hits = {}
    for ewarong, rows in found.items():
        biggest = max(r["kpm"] for r in rows)
        bukti = [
            {
                "waktu": f"{r['tgl']:02d}-{periode.bulan:02d}-{periode.tahun} {r['jam']:02d}:{r['blok'] * minutes:02d}",
                "kpm": r["kpm"],
                "keterangan": f"{r['kpm']} KPM dalam {minutes} menit",
            }
            for r in rows[:EVIDENCE_ROWS]
        ]
        hits[ewarong] = Hit(
            biggest,
            p["gesek_kolektif_kpm"],
            f"{len(rows)} kali {int(p['gesek_kolektif_kpm'])} KPM atau lebih bertransaksi dalam {minutes} menit "
            f"(terbanyak {biggest} KPM)",
            bukti,
        )
    return hits


def saldo_penuh(periode, p):
    """Full balance in one purchase: the share of an e-warong's KPM whose single purchase equals the whole
    period benefit is at least `saldo_penuh_porsi` (with at least `saldo_penuh_min_kpm` KPM).

    KPM choose their food over the month, in two or three visits; most spending exactly the benefit at once
    points to bundled packages (paket) or cash-out.
    """
    base = _purchases(periode)
    served = dict(base.values("ewarong").annotate(n=Count("kpm", distinct=True)).values_list("ewarong", "n"))
    full = dict(
        base.filter(jumlah=periode.manfaat_per_kpm)
        .values("ewarong")
        .annotate(n=Count("kpm", distinct=True))
        .values_list("ewarong", "n")
    )
    hits = {}
    for ewarong, n_full in full.items():
        total = served.get(ewarong, 0)
        if total < p["saldo_penuh_min_kpm"] or n_full / total < p["saldo_penuh_porsi"]:
            continue
        sample = base.filter(ewarong=ewarong, jumlah=periode.manfaat_per_kpm).values("kpm__nama", "kpm__nik", "waktu")
        hits[ewarong] = Hit(
            n_full / total,
            p["saldo_penuh_porsi"],
            f"{angka(n_full)} dari {angka(total)} KPM ({persen(n_full / total, 0)}) menghabiskan seluruh manfaat "
            "dalam satu transaksi",
            [
                {"kpm": r["kpm__nama"] or "", "nik": mask_nik(r["kpm__nik"]), "waktu": jam(r["waktu"])}
                for r in sample.order_by("waktu")[:EVIDENCE_ROWS]
            ],
        )
    return hits


def luar_jam(periode, p):
    """Outside opening hours: at least `luar_jam_porsi` of an e-warong's purchases (of at least
    `luar_jam_min_transaksi`) happen before `jam_buka` or from `jam_tutup` on, Jakarta time.

    A shop selling rice at 02:00 is unusual; night swiping goes with cards held by an agent.
    """
    base = _purchases(periode).annotate(jam=LocalHour("waktu"))
    outside = Q(jam__lt=p["jam_buka"]) | Q(jam__gte=p["jam_tutup"])
    rows = base.values("ewarong").annotate(total=Count("id"), luar=Count("id", filter=outside)).filter(luar__gt=0)
    hits = {}
    for r in rows:
        share = r["luar"] / r["total"]
        if r["total"] < p["luar_jam_min_transaksi"] or share < p["luar_jam_porsi"]:
            continue
        sample = base.filter(outside, ewarong=r["ewarong"]).values("kpm__nama", "kpm__nik", "waktu", "jumlah")
        hits[r["ewarong"]] = Hit(
            share,
            p["luar_jam_porsi"],
            f"{angka(r['luar'])} dari {angka(r['total'])} transaksi ({persen(share, 0)}) di luar jam "
            f"{int(p['jam_buka']):02d}.00–{int(p['jam_tutup']):02d}.00",
            [
                {
                    "kpm": s["kpm__nama"] or "",
                    "nik": mask_nik(s["kpm__nik"]),
                    "waktu": jam(s["waktu"]),
                    "jumlah": s["jumlah"],
                }
                for s in sample.order_by("waktu")[:EVIDENCE_ROWS]
            ],
        )
    return hits


def jauh(periode, p):
    """Far from home: at least `jauh_min_kpm` KPM living in another kota buy at the e-warong.

    KPM shop near home (the seed and the field: own kelurahan, else kecamatan, else kota); many from
    another kota point to steering, or to cards collected and swiped elsewhere.
    """
    far = (
        _purchases(periode)
        .filter(kpm__isnull=False)
        .annotate(kota_kpm=Substr("kpm__kelurahan", 1, 5), kota_ewarong=Substr("ewarong__kelurahan", 1, 5))
        .exclude(kota_kpm=F("kota_ewarong"))
    )
    return _kpm_count_hits(
        far,
        p["jauh_min_kpm"],
        "{n} KPM yang tinggal di kota lain bertransaksi di sini",
        lambda purchases: purchases.values("kpm__nama", "kpm__nik", "kpm__kelurahan__nama").distinct(),
        lambda s: {"kpm": s["kpm__nama"], "nik": mask_nik(s["kpm__nik"]), "kelurahan": s["kpm__kelurahan__nama"]},
    )


def kapasitas(periode, p):
    """Over capacity: the e-warong serves more different KPM than `kapasitas_faktor` x its kapasitas_kpm,
    or more than all KPM registered in its whole kota.

    The Pedum caps an e-warong's load; a load beyond it, or beyond what its area has, means KPM from
    elsewhere or cards that are not the KPM's own.
    """
    served = _purchases(periode).values("ewarong").annotate(n=Count("kpm", distinct=True)).values_list("ewarong", "n")
    served = dict(served)
    kota_kpm = dict(
        Kpm.objects.annotate(kota=Substr("kelurahan", 1, 5))
        .values("kota")
        .annotate(n=Count("id"))
        .values_list("kota", "n")
    )
    hits = {}
    for e in EWarong.objects.filter(pk__in=served).values("pk", "kapasitas_kpm", "kelurahan"):
        n = served[e["pk"]]
        limit = e["kapasitas_kpm"] * p["kapasitas_faktor"]
        area = kota_kpm.get((e["kelurahan"] or "")[:5], 0)
        if n > limit:
            hits[e["pk"]] = Hit(
                n / max(limit, 1),
                1.0,
                f"melayani {angka(n)} KPM, kapasitas {angka(e['kapasitas_kpm'])} KPM",
                [{"kpm_dilayani": n, "kapasitas": e["kapasitas_kpm"]}],
            )
        elif n > area:
            hits[e["pk"]] = Hit(
                n / max(area, 1), 1.0, f"melayani {angka(n)} KPM, lebih dari {angka(area)} KPM terdaftar di kotanya"
            )
    return hits


def tidak_aktif(periode, p):
    """Inactive KPM buying: at least `tidak_aktif_min_kpm` KPM whose status is nonaktif, meninggal or
    pindah buy at the e-warong.

    A deceased or moved KPM cannot shop; someone else holds the card.
    """
    base = _purchases(periode).exclude(kpm__status=Kpm.Status.AKTIF).filter(kpm__isnull=False)
    return _kpm_count_hits(
        base,
        p["tidak_aktif_min_kpm"],
        "{n} KPM berstatus nonaktif, meninggal atau pindah bertransaksi",
        lambda purchases: purchases.values("kpm__nama", "kpm__nik", "kpm__status").annotate(
            n=Count("id"), total=Sum("jumlah")
        ),
        lambda s: {
            "kpm": s["kpm__nama"],
            "nik": mask_nik(s["kpm__nik"]),
            "status": str(Kpm.Status(s["kpm__status"]).label),
            "transaksi": s["n"],
            "jumlah": s["total"],
        },
    )


def banyak_outlet(periode, p):
    """One card at many outlets: at least `banyak_outlet_min_kartu` cards of KPM registered at this
    e-warong are each used at `banyak_outlet_jumlah` or more different e-warong in the period.

    A household shops where it lives; one card travelling between shops is being swiped by someone else.
    Counted at the KPM's own e-warong, which answers for its KPM.
    """
    cards = (
        _purchases(periode)
        .filter(kpm__ewarong__isnull=False)
        .values("kpm", "kpm__ewarong", "kpm__nama", "kpm__nik")
        .annotate(outlets=Count("ewarong", distinct=True))
        .filter(outlets__gte=p["banyak_outlet_jumlah"])
        .order_by("kpm__ewarong", "-outlets", "kpm__nama")
    )
    found = defaultdict(list)
    for c in cards:
        found[c["kpm__ewarong"]].append(c)
    return {
        ewarong: Hit(
            len(rows),
            p["banyak_outlet_min_kartu"],
            f"{len(rows)} kartu KPM e-warong ini dipakai di {int(p['banyak_outlet_jumlah'])} e-warong atau lebih",
            [
                {"kpm": c["kpm__nama"], "nik": mask_nik(c["kpm__nik"]), "ewarong": c["outlets"]}
                for c in rows[:EVIDENCE_ROWS]
            ],
        )
        for ewarong, rows in found.items()
        if len(rows) >= p["banyak_outlet_min_kartu"]
    }


def sebelum_kartu(periode, p):
    """Before the card was handed out: at least `sebelum_kartu_min_kpm` KPM buy while the bank reports
    their KKS as not handed out in this period, or before the date it was handed out.

    A card nobody has received cannot be used by its KPM.
    """
    not_handed = Penyaluran.objects.filter(periode=periode, kpm=OuterRef("kpm")).filter(
        Q(status=Penyaluran.Status.KARTU_BELUM_DIBAGIKAN) | Q(kartu_dibagikan_pada__gt=OuterRef("tgl"))
    )
    base = _purchases(periode).filter(kpm__isnull=False).annotate(tgl=TruncDate("waktu")).filter(Exists(not_handed))
    return _kpm_count_hits(
        base,
        p["sebelum_kartu_min_kpm"],
        "{n} KPM bertransaksi padahal KKS-nya belum dibagikan",
        lambda purchases: purchases.values("kpm__nama", "kpm__nik").annotate(pertama=Max("waktu"), n=Count("id")),
        lambda s: {"kpm": s["kpm__nama"], "nik": mask_nik(s["kpm__nik"]), "transaksi": s["n"]},
    )


def realisasi_rendah(periode, p):
    """Very low realisation: purchases at the e-warong are less than `realisasi_rendah_porsi` of the
    benefit credited to its KPM (with at least `realisasi_rendah_min_kpm` KPM credited).

    Balances left idle (BPK: Rp821 bn unspent in 2020) point to cards never received, or to an e-warong
    that does not serve; read from the realisation summary, so refresh_summary runs first.
    """
    rows = Realisasi.objects.filter(
        periode=periode, tingkat=Realisasi.Tingkat.EWARONG, kpm_disalurkan__gte=p["realisasi_rendah_min_kpm"]
    )
    hits = {}
    for r in rows:
        share = r.persen_realisasi
        if share < p["realisasi_rendah_porsi"]:
            hits[r.ewarong_id] = Hit(
                share,
                p["realisasi_rendah_porsi"],
                f"realisasi {persen(share, 0)}: {rupiah(r.jumlah_dibelanjakan)} dari {rupiah(r.jumlah_disalurkan)} "
                f"untuk {angka(r.kpm_disalurkan)} KPM",
                [{"disalurkan": r.jumlah_disalurkan, "dibelanjakan": r.jumlah_dibelanjakan, "kpm": r.kpm_disalurkan}],
            )
    return hits


def penyedia_dominan(periode, p):
    """One penyedia dominating an area: in a kecamatan with at least `penyedia_dominan_min_ewarong` active
    e-warong, one penyedia supplies at least `penyedia_dominan_porsi` of them; every e-warong it supplies
    there gets the signal.

    E-warong choose their suppliers; one supplier for nearly all of them is the cartel pattern of Klaten,
    Demak and Maros.
    """
    active = EWarong.objects.aktif().filter(kelurahan__isnull=False).annotate(kec=Substr("kelurahan", 1, 8))
    per_kecamatan = dict(active.values("kec").annotate(n=Count("id")).values_list("kec", "n"))
    pairs = active.filter(penyedia__isnull=False).values("kec", "penyedia", "penyedia__nama").annotate(n=Count("id"))
    hits = {}
    for pair in pairs:
        total = per_kecamatan[pair["kec"]]
        share = pair["n"] / total
        if total < p["penyedia_dominan_min_ewarong"] or share < p["penyedia_dominan_porsi"]:
            continue
        for e in active.filter(kec=pair["kec"], penyedia=pair["penyedia"]).values("pk"):
            hits[e["pk"]] = Hit(
                share,
                p["penyedia_dominan_porsi"],
                f"{pair['penyedia__nama']} memasok {pair['n']} dari {total} e-warong aktif di kecamatan ini",
                [{"penyedia": pair["penyedia__nama"], "ewarong_dipasok": pair["n"], "ewarong_kecamatan": total}],
            )
    return hits


DETECTORS = {
    "gesek_kolektif": (gesek_kolektif, "Gesek kolektif"),
    "saldo_penuh": (saldo_penuh, "Saldo habis dalam satu transaksi"),
    "luar_jam": (luar_jam, "Transaksi di luar jam buka"),
    "jauh": (jauh, "KPM dari kota lain"),
    "kapasitas": (kapasitas, "Melebihi kapasitas"),
    "tidak_aktif": (tidak_aktif, "KPM tidak aktif bertransaksi"),
    "banyak_outlet": (banyak_outlet, "Satu kartu di banyak e-warong"),
    "sebelum_kartu": (sebelum_kartu, "Transaksi sebelum kartu dibagikan"),
    "realisasi_rendah": (realisasi_rendah, "Realisasi sangat rendah"),
    "penyedia_dominan": (penyedia_dominan, "Penyedia dominan di kecamatan"),
}
LABEL = {jenis: label for jenis, (_detector, label) in DETECTORS.items()}
# Signals whose figure is a problem for being low (a share of the benefit spent): their threshold is a floor.
LOWER_IS_WORSE = frozenset({"realisasi_rendah"})


def detect(periode, p=None):
    """{jenis: {ewarong_id: Hit}} for one period."""
    p = p or parameters()
    return {jenis: detector(periode, p) for jenis, (detector, _label) in DETECTORS.items()}


def intensity(nilai, ambang, lower_is_worse=False):
    """1 at the threshold, up to 2 at twice the threshold (or half of it, for a floor)."""
    if lower_is_worse:
        return min(2.0, max(1.0, ambang / max(nilai, 0.01)))
    ratio = nilai / ambang if ambang else 2.0
    return min(2.0, max(1.0, ratio))


def points(sinyal, p):
    """The weight of a stored signal (a SinyalRisiko) scaled by its intensity."""
    return p[f"bobot_{sinyal.jenis}"] * intensity(sinyal.nilai, sinyal.ambang, sinyal.jenis in LOWER_IS_WORSE)


def refresh_signals(periode):
    """Recompute and store a period's signals, then tell the layers above; returns the number of signals."""
    hits_by_jenis = detect(periode)
    signals = [
        SinyalRisiko(
            ewarong_id=ewarong,
            periode=periode,
            jenis=jenis,
            nilai=hit.nilai,
            ambang=hit.ambang,
            uraian=hit.uraian[:500],
            bukti=hit.bukti,
        )
        for jenis, hits in hits_by_jenis.items()
        for ewarong, hit in hits.items()
    ]
    with transaction.atomic():
        SinyalRisiko.objects.filter(periode=periode).delete()
        SinyalRisiko.objects.bulk_create(signals, batch_size=1000)
        # In the same transaction: a risk built on these signals is never seen beside the old ones.
        sinyal_diperbarui.send(sender=SinyalRisiko, periode=periode)
    return len(signals)


def on_periode_diperbarui(sender, periode, **kwargs):
    """Receiver of distribusi's `periode_diperbarui`: the period's bank data and realisation summary changed."""
    refresh_signals(periode)
