"""Demo of the public e-warong pages: every e-warong its code, and a few complaints a KPM sent from the QR poster,
some answered with a reply the reporter reads on the status page. Run after DemoMonev.write (seed_demo)."""

import datetime

from django.db.models import F
from django.utils import timezone

from monev.complaints import record_complaint, respond
from monev.demo.monev import DEMO_KECAMATAN
from monev.demo.names import phone_number
from monev.models import POLA_KATEGORI, KodePublik, Pengaduan
from monev.models.publik import kode_acak

POLA = Pengaduan.Pola
# What a KPM types on a phone at the counter: short, concrete, no names.
ADUAN_QR = [
    (POLA.PAKET, "Disuruh ambil paket beras 5 kg dan telur, tidak boleh pilih sendiri. Kata penjualnya sudah aturan."),
    (POLA.KARTU_DITAHAN, "Kartu KKS ibu saya ditahan di warung sejak bulan lalu, katanya biar gampang gesek."),
    (POLA.TUNAI, "Sisa saldo ditawari ditukar uang tunai, dipotong Rp20.000."),
    (POLA.HARGA, "Telur dijual Rp32.000 per kg, di pasar sebelah Rp25.000."),
    (POLA.TIMBANGAN, "Beras 5 kg setelah ditimbang di rumah cuma 4,6 kg."),
    (POLA.KUALITAS, "Beras berkutu dan bau apek, minta tukar tidak boleh."),
    (POLA.BARANG_LUAR, "KPM ditawari minyak goreng dan gula pakai saldo kartu."),
    (POLA.LAYANAN, "Mesin EDC rusak tiga hari, disuruh titip kartu dulu."),
    (POLA.SALDO, "Saldo bulan ini belum masuk, e-warong bilang tanya ke bank."),
]
JAWABAN_PUBLIK = {
    Pengaduan.Status.DIPROSES: "Terima kasih. Pengaduan sudah diteruskan ke pendamping kecamatan dan akan dicek "
    "ke e-warong minggu ini.",
    Pengaduan.Status.SELESAI: "Sudah dicek ke e-warong. Pengelola dibina dan diminta melayani KPM sesuai aturan; "
    "bila terulang, sampaikan lagi lewat QR ini.",
}
JAWABAN_INTERNAL = "Dicek silang dengan transaksi bank periode berjalan sebelum kunjungan."


def write_publik(demo):
    """Codes for every e-warong; one QR complaint at each e-warong of the demo kecamatan and at the planted ones."""
    rng = demo.rng("publik")
    KodePublik.lengkapi(rng=rng)
    outlets = [o for o in demo.outlets if o.kecamatan in DEMO_KECAMATAN or o.pola is not None]
    numbers = set(Pengaduan.objects.values_list("nomor", flat=True))
    written = 0
    for urutan, outlet in enumerate(outlets):
        pola, isi = ADUAN_QR[urutan % len(ADUAN_QR)]
        kategori, penanganan = POLA_KATEGORI[pola]
        day = demo.akhir - datetime.timedelta(days=rng.randint(0, 20))
        received = demo.now(day, rng, 7, 20)
        # Numbered from the seed, as monev.demo.aduan does, so the same seed gives the same rows.
        while (nomor := f"ADU-{timezone.localtime(received):%y%m%d}-{rng.getrandbits(20):05X}") in numbers:
            pass
        numbers.add(nomor)
        pengaduan = record_complaint(
            Pengaduan(
                nomor=nomor,
                kanal=Pengaduan.Kanal.QR_EWARONG,
                anonim=True,
                kontak_pelapor=phone_number(rng).replace("-", "") if rng.random() < 0.5 else "",
                ewarong_id=outlet.id,
                pola=pola,
                kategori=kategori,
                penanganan=penanganan,
                isi=isi,
                tanggal_kejadian=day - datetime.timedelta(days=rng.randint(0, 3)),
                diterima_pada=received,
                kode_lacak=kode_acak(rng),
            ),
            None,
        )
        fate = rng.choices(("baru", "publik", "internal", "selesai"), (25, 35, 15, 25))[0]
        if fate == "internal":
            respond(pengaduan, JAWABAN_INTERNAL, Pengaduan.Status.DIPROSES)
        elif fate in ("publik", "selesai"):
            status = Pengaduan.Status.SELESAI if fate == "selesai" else Pengaduan.Status.DIPROSES
            respond(pengaduan, JAWABAN_PUBLIK[status], status, publik=True)
        if fate != "baru":
            # Answered a day or two after it came in, never after the story's end.
            answered = min(received + datetime.timedelta(hours=rng.randint(4, 48)), demo.sekarang)
            Pengaduan.objects.filter(pk=pengaduan.pk).update(
                direspons_pada=answered,
                selesai_pada=answered if fate == "selesai" else F("selesai_pada"),
            )
        written += 1
    return written
