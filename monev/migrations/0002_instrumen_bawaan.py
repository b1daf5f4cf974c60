"""Default instruments (PROGRAM_SEMBAKO.md section 4, derived, not an official text) and reference prices.

Both are data: the secretariat edits reference prices and makes new instrument versions in the admin.
Weights follow the severity a broken rule raises: kritis 4, tinggi 3, sedang 2, rendah 1.
"""

import datetime

from django.db import migrations

W = {"kritis": 4, "tinggi": 3, "sedang": 2, "rendah": 1}
MUTU = ["baik", "kurang baik (berkutu, bau, banyak pecah)", "rusak/busuk"]


def yn(kode, teks, aspek, jika, keparahan, judul, **extra):
    return {
        "kode": kode, "teks": teks, "tipe": "ya_tidak", "aspek": aspek, "bobot": W[keparahan],
        "aturan": {"jika": jika, "keparahan": keparahan}, "judul_temuan": judul, **extra,
    }


def q(kode, teks, tipe, aspek, aturan=None, judul="", bobot=None, **extra):
    severity = (aturan or {}).get("keparahan") or max(
        (band[1] for band in (aturan or {}).get("batas_persen", [])), key=lambda s: W[s], default=None
    )
    return {
        "kode": kode, "teks": teks, "tipe": tipe, "aspek": aspek, "aturan": aturan or {}, "judul_temuan": judul,
        "bobot": bobot if bobot is not None else (W[severity] if severity else 0), **extra,
    }


EWARONG = [
    ("Identitas dan lokasi", [
        q("G1", "Titik lokasi e-warong saat kunjungan", "gps", "administrasi", wajib=False,
          petunjuk="Tekan \u201cAmbil lokasi\u201d di depan e-warong."),
        yn("E1", "Apakah e-warong tercantum di daftar resmi bank (nama, ID, alamat sesuai)?", "administrasi",
           "tidak", "kritis", "e-warong tidak ada di daftar resmi bank (indikasi e-warong fiktif)"),
        yn("E3", "Apakah pemilik/pengelola ASN, pegawai bank, lurah/perangkat kelurahan, pendamping, atau SDM PKH?",
           "administrasi", "ya", "tinggi", "Pemilik/pengelola e-warong termasuk pihak yang dilarang"),
        q("E20", "Jumlah KPM yang dilayani", "angka", "administrasi",
          {"lebih_dari": 250, "keparahan": "rendah"}, "e-warong melayani lebih dari 250 KPM"),
        q("F1", "Foto tampak depan e-warong", "foto", "administrasi", wajib=False),
    ]),
    ("Sarana dan informasi", [
        yn("E4", "Apakah papan nama e-warong (minimal 50\u00d750 cm) terpasang?", "administrasi", "tidak", "sedang",
           "Papan nama e-warong tidak terpasang", minta_foto=True),
        yn("E5", "Apakah poster pengaduan (SMS 1708 / LAPOR!) terpasang?", "administrasi", "tidak", "sedang",
           "Poster pengaduan tidak terpasang", minta_foto=True),
        yn("E6", "Apakah daftar harga terpasang?", "harga", "tidak", "sedang", "Daftar harga tidak terpasang",
           minta_foto=True),
        yn("E7", "Apakah mesin EDC ada dan berfungsi?", "waktu", "tidak", "sedang", "Mesin EDC tidak berfungsi"),
        yn("E19", "Apakah KPM diberi struk pembelian?", "administrasi", "tidak", "sedang",
           "KPM tidak diberi struk pembelian"),
    ]),
    ("Stok dan kualitas", [
        yn("E2", "Apakah e-warong berjualan pangan setiap hari di lokasi tetap dan stok terlihat?", "kualitas",
           "tidak", "tinggi", "e-warong tidak berjualan pangan setiap hari / stok tidak ada", minta_foto=True),
        q("E15", "Kualitas beras, telur dan daging ayam", "pilihan", "kualitas",
          {"jika_salah_satu": ["rusak/busuk"], "keparahan": "tinggi"}, "Barang rusak atau busuk dijual kepada KPM",
          pilihan=MUTU, minta_foto=True),
        q("E16", "Hasil timbang ulang satu pembelian 1 kg (gram)", "angka", "jumlah",
          {"kurang_dari": 980, "keparahan": "tinggi"}, "Kekurangan timbangan lebih dari 2%",
          petunjuk="Timbang ulang satu pembelian 1 kg dengan timbangan yang sudah dikalibrasi."),
        q("E21", "Kekosongan stok pada periode ini", "pilihan", "waktu",
          {"jika_salah_satu": ["berulang"], "keparahan": "sedang"}, "Kekosongan stok berulang",
          pilihan=["tidak pernah", "sekali", "berulang"]),
    ]),
    ("Harga", [
        q("E11", "Harga beras medium per kg (Rp)", "harga", "harga",
          {"acuan": "beras_medium", "batas_persen": [[0, "tinggi"]]}, "Harga beras di atas HET"),
        q("E12", "Harga telur ayam per kg (Rp)", "harga", "harga",
          {"acuan": "telur", "batas_persen": [[25, "tinggi"], [10, "sedang"]]}, "Harga telur di atas harga acuan"),
        q("E13", "Harga daging ayam per kg (Rp)", "harga", "harga",
          {"acuan": "daging_ayam", "batas_persen": [[25, "tinggi"], [10, "sedang"]]},
          "Harga daging ayam di atas harga acuan"),
        q("E14", "Harga satu jenis sayur atau buah per kg (Rp)", "harga", "harga",
          {"acuan": "sayur_buah", "batas_persen": [[25, "tinggi"], [10, "sedang"]]},
          "Harga sayur/buah di atas harga acuan", wajib=False,
          petunjuk="Dinilai bila sekretariat sudah mengisi harga acuan sayur_buah."),
    ]),
    ("Praktik terlarang", [
        yn("E8", "Apakah ada KKS atau PIN KPM yang dipegang e-warong atau pihak lain?", "sasaran", "ya", "kritis",
           "KKS/PIN KPM dipegang e-warong atau pihak lain", petunjuk="Jika ya, tulis jumlah kartu di keterangan."),
        yn("E9", "Apakah barang dikemas dalam paket tetap (bundling)?", "harga", "ya", "tinggi",
           "Penjualan dalam bentuk paket (bundling)", minta_foto=True),
        yn("E10", "Apakah dijual barang di luar komoditas program (minyak, gula, mi instan, dll.) kepada KPM?",
           "jumlah", "ya", "tinggi", "Barang di luar komoditas program dijual kepada KPM"),
        q("E17", "Siapa yang memilih pemasok barang?", "pilihan", "harga",
          {"jika_salah_satu": ["ditentukan penyedia", "ditentukan pejabat/pendamping/Korda"], "keparahan": "tinggi"},
          "Pemasok e-warong ditentukan pihak lain",
          pilihan=["e-warong sendiri", "ditentukan penyedia", "ditentukan pejabat/pendamping/Korda"]),
        q("E17B", "Nama pemasok (penyedia)", "teks", "harga", wajib=False),
        yn("E18", "Apakah e-warong memberi uang tunai untuk saldo KKS atau memungut biaya?", "jumlah", "ya",
           "kritis", "Gesek tunai atau pungutan biaya"),
    ]),
]

KPM = [
    ("Identitas KPM", [
        yn("K1", "Apakah NIK/KK sesuai DPM dan KPM masih hidup serta tinggal di alamat ini?", "sasaran", "tidak",
           "tinggi", "Data KPM tidak sesuai (meninggal, pindah, atau NIK/KK berbeda)"),
        q("K2", "Kondisi tempat tinggal dibanding kriteria penerima", "pilihan", "sasaran",
          {"jika_salah_satu": ["jelas mampu"], "keparahan": "sedang"}, "KPM tampak mampu (usul penggantian)",
          pilihan=["layak", "meragukan", "jelas mampu"], minta_foto=True),
    ]),
    ("Kartu dan saldo", [
        yn("K3", "Apakah KKS dipegang KPM sendiri dan KPM tahu PIN-nya?", "sasaran", "tidak", "kritis",
           "KKS/PIN tidak dipegang KPM", minta_foto=True),
        yn("K4", "Apakah saldo/transaksi terakhir yang diketahui KPM sesuai catatan bank?", "jumlah", "tidak",
           "kritis", "Saldo KPM tidak sesuai catatan bank"),
        q("K5", "Jumlah bantuan yang diterima untuk periode ini (Rp)", "harga", "jumlah",
          {"acuan": "bantuan_bulanan", "kurang_dari_acuan": True, "keparahan": "kritis"},
          "Bantuan diterima kurang dari nilai bantuan"),
        q("K6", "Keterlambatan dana dapat dipakai dibanding jadwal (hari)", "angka", "waktu",
          {"lebih_dari": 30, "keparahan": "sedang"}, "Dana bantuan terlambat lebih dari satu bulan"),
    ]),
    ("Belanja di e-warong", [
        yn("K7", "Apakah KPM bebas memilih jenis dan jumlah barang?", "harga", "tidak", "tinggi",
           "KPM tidak bebas memilih barang"),
        yn("K8", "Apakah KPM diarahkan ke e-warong tertentu atau diancam dicoret?", "sasaran", "ya", "tinggi",
           "KPM diarahkan atau diancam", petunjuk="Jika ya, tulis siapa di keterangan."),
        q("K9", "Nilai barang yang diterima (Rp)", "harga", "jumlah",
          {"acuan": "bantuan_bulanan", "kurang_dari_acuan": True, "keparahan": "tinggi"},
          "Nilai barang kurang dari saldo yang dibayar"),
        q("K10", "Kualitas barang yang diterima", "pilihan", "kualitas",
          {"jika_salah_satu": ["rusak/busuk"], "keparahan": "tinggi"}, "KPM menerima barang rusak atau busuk",
          pilihan=MUTU, minta_foto=True),
        yn("K11", "Apakah KPM menerima uang tunai atau barang non-pangan sebagai ganti?", "jumlah", "ya", "kritis",
           "KPM menerima uang tunai atau barang non-pangan"),
        q("K12", "Biaya yang dibayar KPM kepada siapa pun (Rp)", "harga", "jumlah",
          {"lebih_dari": 0, "keparahan": "kritis"}, "KPM dipungut biaya"),
        yn("K13", "Apakah KPM mendapat struk pembelian?", "administrasi", "tidak", "sedang",
           "KPM tidak mendapat struk"),
    ]),
    ("Pengaduan", [
        yn("K14", "Apakah KPM tahu saluran pengaduan (SMS 1708, LAPOR!)?", "administrasi", "tidak", "rendah",
           "KPM tidak tahu saluran pengaduan"),
    ]),
]

INSTRUMENTS = [
    ("kunjungan-ewarong", "Kunjungan e-warong", "ewarong", EWARONG),
    ("pemeriksaan-kpm", "Pemeriksaan rumah tangga KPM", "kpm", KPM),
]

HARGA = [
    ("beras_medium", "HET beras medium (zona Jawa)", "kg", 9450, datetime.date(2017, 9, 1), "Permendag 57/2017"),
    ("beras_medium", "HET beras medium (zona I)", "kg", 10900, datetime.date(2023, 3, 16),
     "Perbadan 7/2023 (tanggal berlaku perlu dicek sekretariat)"),
    ("beras_premium", "HET beras premium (zona Jawa)", "kg", 12800, datetime.date(2017, 9, 1), "Permendag 57/2017"),
    ("beras_premium", "HET beras premium (zona I)", "kg", 13900, datetime.date(2023, 3, 16),
     "Perbadan 7/2023 (tanggal berlaku perlu dicek sekretariat)"),
    ("telur", "Harga acuan konsumen telur ayam ras", "kg", 23000, datetime.date(2018, 10, 1), "Permendag 96/2018"),
    ("daging_ayam", "Harga acuan konsumen daging ayam ras", "kg", 34000, datetime.date(2018, 10, 1),
     "Permendag 96/2018"),
    ("bantuan_bulanan", "Nilai bantuan Program Sembako per bulan", "bulan", 110000, datetime.date(2017, 1, 1),
     "Pedum BPNT/Sembako"),
    ("bantuan_bulanan", "Nilai bantuan Program Sembako per bulan", "bulan", 150000, datetime.date(2020, 1, 1),
     "Pedum Sembako 2020"),
    ("bantuan_bulanan", "Nilai bantuan Program Sembako per bulan", "bulan", 200000, datetime.date(2020, 3, 1),
     "Pedum Sembako 2020 (Perubahan)"),
]


def load(apps, schema_editor):
    Instrumen = apps.get_model("monev", "Instrumen")
    Bagian = apps.get_model("monev", "Bagian")
    Pertanyaan = apps.get_model("monev", "Pertanyaan")
    HargaAcuan = apps.get_model("monev", "HargaAcuan")
    for kode, nama, jenis, sections in INSTRUMENTS:
        instrumen = Instrumen.objects.create(
            kode=kode, nama=nama, jenis=jenis, versi=1, status="terbit",
            terbit_pada=datetime.datetime(2026, 11, 1, tzinfo=datetime.timezone.utc),
            keterangan="Instrumen turunan dari aturan Program Sembako (bukan teks resmi); ubah lewat versi baru.",
        )
        for urutan, (judul, questions) in enumerate(sections, start=1):
            bagian = Bagian.objects.create(instrumen=instrumen, urutan=urutan, judul=judul)
            for nomor, question in enumerate(questions, start=1):
                Pertanyaan.objects.create(instrumen=instrumen, bagian=bagian, urutan=nomor, **question)
    for kode, nama, satuan, nilai, mulai, sumber in HARGA:
        HargaAcuan.objects.create(kode=kode, nama=nama, satuan=satuan, nilai=nilai, berlaku_mulai=mulai, sumber=sumber)


def unload(apps, schema_editor):
    apps.get_model("monev", "Instrumen").objects.filter(
        kode__in=[kode for kode, *_ in INSTRUMENTS], versi=1
    ).delete()
    apps.get_model("monev", "HargaAcuan").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("monev", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
