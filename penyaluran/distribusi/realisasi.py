"""Realisation per period at every level, kept in the summary table Realisasi.

`refresh_summary(periode)` rebuilds a period's rows after each import: four grouped queries in the
database (credits and purchases by the KPM's kelurahan, by kelurahan and bank, by e-warong, by bank),
rolled up in Python over at most a few thousand rows, never over KPM. Pages read the summary rows; `live_rows` is the
plain ORM aggregate the benchmark compares it with.

Definitions (the same at every level):
- KPM disalurkan / jumlah disalurkan: credits with status tersalur in the period.
- Jumlah dibelanjakan / jumlah transaksi: purchases in the period.
- Region levels place both by the KPM's kelurahan (where the household lives); the e-warong level
  counts credits of the KPM registered at the e-warong and purchases made there; the bank level counts
  credits and purchases by the bank that reported them.
"""

from collections import defaultdict

from django.db import transaction
from django.db.models import Count, Sum

from penyaluran.distribusi.models import Penyaluran, Realisasi, Transaksi
from penyaluran.registri.models import EWarong
from tikor.models import Bank, Tingkat, Wilayah

PROVINSI = "31"
LEVEL_OF = {
    Tingkat.PROVINSI: Realisasi.Tingkat.PROVINSI,
    Tingkat.KOTA: Realisasi.Tingkat.KOTA,
    Tingkat.KECAMATAN: Realisasi.Tingkat.KECAMATAN,
    Tingkat.KELURAHAN: Realisasi.Tingkat.KELURAHAN,
}
REGION_LEVELS = frozenset(LEVEL_OF.values())
FIGURES = ("kpm_disalurkan", "jumlah_disalurkan", "jumlah_dibelanjakan", "jumlah_transaksi")


def _grouped(periode, credit_keys, purchase_keys):
    """{key: {figure: value}} from one grouped query on credits and one on purchases; a key is a tuple."""
    figures = defaultdict(lambda: dict.fromkeys(FIGURES, 0))
    credits = (
        Penyaluran.objects.filter(periode=periode)
        .tersalur()
        .values(*credit_keys)
        .annotate(kpm=Count("kpm", distinct=True), total=Sum("jumlah"))
    )
    for row in credits:
        key = tuple(row[k] for k in credit_keys)
        figures[key]["kpm_disalurkan"] += row["kpm"]
        figures[key]["jumlah_disalurkan"] += row["total"] or 0
    purchases = (
        Transaksi.objects.filter(periode=periode).values(*purchase_keys).annotate(n=Count("id"), total=Sum("jumlah"))
    )
    for row in purchases:
        key = tuple(row[k] for k in purchase_keys)
        figures[key]["jumlah_dibelanjakan"] += row["total"] or 0
        figures[key]["jumlah_transaksi"] += row["n"]
    return figures


def _region_rows(periode, by_kelurahan, regions, bank_id=None):
    """Province, kota, kecamatan and kelurahan rows from {kelurahan: figures}, for one bank or all."""
    totals = defaultdict(lambda: dict.fromkeys(FIGURES, 0))
    for kelurahan, figures in by_kelurahan.items():
        if kelurahan is not None:  # a credit or purchase of no registered KPM: counted at province level only
            for kode in (kelurahan, kelurahan[:8], kelurahan[:5]):
                for name in FIGURES:
                    totals[kode][name] += figures[name]
        # The province counts every credit and purchase, also of NIKs not in the registry.
        for name in FIGURES:
            totals[PROVINSI][name] += figures[name]
    return [
        Realisasi(
            periode=periode,
            tingkat=LEVEL_OF[regions[kode].tingkat],
            wilayah=regions[kode],
            bank_id=bank_id,
            nama=str(regions[kode]),
            **figures,
        )
        for kode, figures in totals.items()
        if kode in regions
    ]


def summary_rows(periode):
    """Unsaved Realisasi rows of a period at every level.

    Region rows come twice: for all banks (bank empty), and for each bank, since a bank's staff may see
    only their bank's figures (RealisasiQuerySet.bank_path). E-warong rows carry the e-warong's bank.
    """
    regions = {w.kode: w for w in Wilayah.objects.all()}
    by_kelurahan = {k[0]: f for k, f in _grouped(periode, ["kpm__kelurahan"], ["kpm__kelurahan"]).items()}
    rows = _region_rows(periode, by_kelurahan, regions)
    per_bank = defaultdict(dict)
    for (kelurahan, bank_id), figures in _grouped(
        periode, ["kpm__kelurahan", "bank"], ["kpm__kelurahan", "bank"]
    ).items():
        per_bank[bank_id][kelurahan] = figures
    for bank_id, figures in per_bank.items():
        rows += _region_rows(periode, figures, regions, bank_id)

    by_ewarong = _grouped(periode, ["kpm__ewarong"], ["ewarong"])
    outlets = {pk: (nama, bank_id) for pk, nama, bank_id in EWarong.objects.values_list("pk", "nama", "bank_id")}
    for (ewarong_id,), figures in by_ewarong.items():
        if ewarong_id is not None:
            nama, bank_id = outlets[ewarong_id]
            rows.append(
                Realisasi(
                    periode=periode,
                    tingkat=Realisasi.Tingkat.EWARONG,
                    ewarong_id=ewarong_id,
                    bank_id=bank_id,
                    nama=nama,
                    **figures,
                )
            )
    banks = dict(Bank.objects.values_list("pk", "kode"))
    for (bank_id,), figures in _grouped(periode, ["bank"], ["bank"]).items():
        rows.append(
            Realisasi(periode=periode, tingkat=Realisasi.Tingkat.BANK, bank_id=bank_id, nama=banks[bank_id], **figures)
        )
    return rows


def refresh_summary(periode):
    """Replace a period's summary rows; readers see the old rows or the new ones, never a mix."""
    rows = summary_rows(periode)
    with transaction.atomic():
        Realisasi.objects.filter(periode=periode).delete()
        Realisasi.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


def rows_for(user, periode, tingkat, induk=None):
    """Summary rows a user may see at one level, optionally inside a region."""
    rows = Realisasi.objects.for_user(user).filter(periode=periode, tingkat=tingkat)
    if not user.scope.bank_id and tingkat in REGION_LEVELS:
        rows = rows.filter(bank__isnull=True)  # all banks; a bank's staff got their bank's rows from for_user
    if induk:
        if tingkat == Realisasi.Tingkat.EWARONG:
            rows = rows.filter(ewarong__kelurahan__kode__startswith=f"{induk}.")
        else:
            rows = rows.filter(wilayah__kode__startswith=f"{induk}.")
    return rows.select_related("wilayah", "ewarong", "bank").order_by("nama")


def live_rows(user, periode, tingkat):
    """The same figures by a plain ORM aggregate per request, for the benchmark's comparison only.

    Region levels only; grouped by the region code at that level.
    """
    from django.db.models.functions import Substr

    length = {Realisasi.Tingkat.KOTA: 5, Realisasi.Tingkat.KECAMATAN: 8, Realisasi.Tingkat.KELURAHAN: 13}[tingkat]
    credits = (
        Penyaluran.objects.for_user(user)
        .filter(periode=periode)
        .tersalur()
        .annotate(kode=Substr("kpm__kelurahan", 1, length))
        .values("kode")
        .annotate(kpm=Count("kpm", distinct=True), total=Sum("jumlah"))
    )
    purchases = (
        Transaksi.objects.for_user(user)
        .filter(periode=periode)
        .annotate(kode=Substr("kpm__kelurahan", 1, length))
        .values("kode")
        .annotate(n=Count("id"), total=Sum("jumlah"))
    )
    spent = {row["kode"]: row for row in purchases}
    return [
        {
            "kode": row["kode"],
            "kpm_disalurkan": row["kpm"],
            "jumlah_disalurkan": row["total"],
            "jumlah_dibelanjakan": spent.get(row["kode"], {}).get("total") or 0,
            "jumlah_transaksi": spent.get(row["kode"], {}).get("n") or 0,
        }
        for row in credits
    ]
