"""What a KPM may expect at the counter, as the poster and the public page say it: the benefit of this month, the
commodity groups, the rules, the reference prices in force, and the national complaint channels."""

from django.db.models import OuterRef, Subquery

from monev.models import HargaAcuan
from monev.models.common import today
from penyaluran.distribusi.models import NAMA_BULAN, Periode

KODE_MANFAAT = "bantuan_bulanan"  # HargaAcuan row of the monthly benefit, when no period of this month is loaded

KELOMPOK_KOMODITAS = [
    ("Karbohidrat", "beras, jagung pipilan, sagu"),
    ("Protein hewani", "telur, daging ayam, daging sapi, ikan segar"),
    ("Protein nabati", "tempe, tahu, kacang-kacangan"),
    ("Vitamin dan mineral", "sayur-mayur, buah-buahan"),
]

ATURAN = [
    "KPM bebas memilih jenis, jumlah, dan waktu belanja bahan pangan.",
    "Kartu KKS dan PIN tetap dipegang KPM. Masukkan PIN sendiri di mesin EDC.",
    "Tidak ada paket: e-warong dilarang menjual barang dalam paket atau memaksa membeli barang tertentu.",
    "Tidak ada uang tunai: saldo tidak boleh ditukar uang atau barang di luar daftar, dan tidak ada potongan biaya.",
    "Barang di luar daftar (minyak, gula, tepung, mi instan, susu, rokok, pulsa) tidak boleh dibeli dengan KKS.",
    "Minta struk setiap berbelanja.",
]

KANAL_NASIONAL = [
    ("SMS", "1708", "ketik pengaduan Anda, kirim ke 1708"),
    ("LAPOR!", "lapor.go.id", "atau aplikasi SP4N-LAPOR!"),
    ("Call center Kemensos", "171", "telepon bebas pulsa"),
]


def manfaat_bulan_ini(pada=None):
    """(amount, month label) a KPM is owed this month: the period loaded for it, else the benefit in force."""
    pada = pada or today()
    periode = Periode.objects.berisi(pada).first()
    if periode is not None:
        return periode.manfaat_per_kpm, f"{NAMA_BULAN[periode.bulan]} {periode.tahun}"
    return HargaAcuan.berlaku(KODE_MANFAAT, pada), f"{NAMA_BULAN[pada.month]} {pada.year}"


def harga_acuan_berlaku(pada=None):
    """The reference price of each commodity in force on `pada` (one row per code, newest start first)."""
    pada = pada or today()
    newest = (
        HargaAcuan.objects.filter(kode=OuterRef("kode"), berlaku_mulai__lte=pada)
        .order_by("-berlaku_mulai")
        .values("pk")[:1]
    )
    return (
        HargaAcuan.objects.exclude(kode=KODE_MANFAAT)
        .filter(pk=Subquery(newest))
        .order_by("kode")
        .only("nama", "satuan", "nilai", "berlaku_mulai")
    )
