"""Realisation per period at every level, kept in the summary table Realisasi.

`refresh_summary(periode)` rebuilds a period's rows after each import: three grouped queries in the
database (credits and purchases by the KPM's kelurahan, by e-warong, by bank), rolled up in Python over
at most a few hundred kelurahan rows, never over KPM. Pages read the summary rows; `live_rows` is the
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

from penyaluran.models import Bank, EWarong, Penyaluran, Realisasi, Transaksi
from tikor.models import Tingkat, Wilayah

PROVINSI = "31"
LEVEL_OF = {
    Tingkat.PROVINSI: Realisasi.Tingkat.PROVINSI,
    Tingkat.KOTA: Realisasi.Tingkat.KOTA,
    Tingkat.KECAMATAN: Realisasi.Tingkat.KECAMATAN,
    Tingkat.KELURAHAN: Realisasi.Tingkat.KELURAHAN,
}
FIGURES = ("kpm_disalurkan", "jumlah_disalurkan", "jumlah_dibelanjakan", "jumlah_transaksi")


def _grouped(periode, credit_key, purchase_key):
    """{key: {figure: value}} from one grouped query on credits and one on purchases."""
    figures = defaultdict(lambda: dict.fromkeys(FIGURES, 0))
    credits = (
        Penyaluran.objects.filter(periode=periode)
        .tersalur()
        .values(credit_key)
        .annotate(kpm=Count("kpm", distinct=True), total=Sum("jumlah"))
    )
    for row in credits:
        figures[row[credit_key]]["kpm_disalurkan"] += row["kpm"]
        figures[row[credit_key]]["jumlah_disalurkan"] += row["total"] or 0
    purchases = (
        Transaksi.objects.filter(periode=periode).values(purchase_key).annotate(n=Count("id"), total=Sum("jumlah"))
    )
    for row in purchases:
        figures[row[purchase_key]]["jumlah_dibelanjakan"] += row["total"] or 0
        figures[row[purchase_key]]["jumlah_transaksi"] += row["n"]
    return figures


def summary_rows(periode):
    """Unsaved Realisasi rows of a period at every level."""
    rows = []
    by_kelurahan = _grouped(periode, "kpm__kelurahan", "kpm__kelurahan")
    regions = {w.kode: w for w in Wilayah.objects.all()}
    totals = defaultdict(lambda: dict.fromkeys(FIGURES, 0))
    for kelurahan, figures in by_kelurahan.items():
        if kelurahan is None:
            continue  # a credit or purchase of no registered KPM: counted at province, bank and e-warong level
        for kode in (kelurahan, kelurahan[:8], kelurahan[:5]):
            for name in FIGURES:
                totals[kode][name] += figures[name]
    # The province counts every credit and purchase, also of NIKs not in the registry.
    for figures in by_kelurahan.values():
        for name in FIGURES:
            totals[PROVINSI][name] += figures[name]
    for kode, figures in totals.items():
        region = regions.get(kode)
        if region is None:
            continue
        rows.append(
            Realisasi(periode=periode, tingkat=LEVEL_OF[region.tingkat], wilayah=region, nama=str(region), **figures)
        )

    by_ewarong = _grouped(periode, "kpm__ewarong", "ewarong")
    names = dict(EWarong.objects.filter(pk__in=[k for k in by_ewarong if k]).values_list("pk", "nama"))
    for ewarong_id, figures in by_ewarong.items():
        if ewarong_id is not None:
            rows.append(
                Realisasi(
                    periode=periode,
                    tingkat=Realisasi.Tingkat.EWARONG,
                    ewarong_id=ewarong_id,
                    nama=names[ewarong_id],
                    **figures,
                )
            )
    banks = dict(Bank.objects.values_list("pk", "kode"))
    for bank_id, figures in _grouped(periode, "bank", "bank").items():
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
