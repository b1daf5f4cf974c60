"""What the people of the demo write: answers a pendamping gives for each kind of e-warong, notes, corrective
actions and complaints with their replies. Data only; monev/demo/monev.py draws from it."""

from monev.models import Aspek, LangkahSanksi, Pengaduan

BAIK, KURANG, RUSAK = "baik", "kurang baik (berkutu, bau, banyak pecah)", "rusak/busuk"
PEMASOK_SENDIRI, PEMASOK_PENYEDIA, PEMASOK_PEJABAT = (
    "e-warong sendiri",
    "ditentukan penyedia",
    "ditentukan pejabat/pendamping/Korda",
)

# Chance that an answer breaks its rule at an ordinary e-warong: question -> probability.
PELANGGARAN_BIASA = {
    "E1": 0.003, "E3": 0.01, "E4": 0.05, "E5": 0.12, "E6": 0.10, "E7": 0.04, "E19": 0.08, "E2": 0.02,
    "E15": 0.015, "E16": 0.04, "E21": 0.04, "E11": 0.05, "E12": 0.06, "E13": 0.05, "E8": 0.003, "E9": 0.02,
    "E10": 0.03, "E17": 0.03, "E18": 0.003,
}  # fmt: skip

# What the field sees at the e-warong behind each planted pattern (monev.demo.distribusi.POLA_TANAM), at the
# over-capacity one ("kapasitas") and at one already under a sanction in the registry ("sanksi").
PELANGGARAN_POLA = {
    "gesek_kolektif": {"E8": 0.85, "E9": 0.6, "E17": 0.5},
    "malam": {"E18": 0.7, "E19": 0.6, "E7": 0.3},
    "jauh": {"E17": 0.7, "E3": 0.5},
    "tidak_aktif": {"E8": 0.75, "E1": 0.2},
    "banyak_outlet": {"E8": 0.4, "E10": 0.6, "E9": 0.3},
    "realisasi_rendah": {"E2": 0.7, "E21": 0.7, "E7": 0.4},
    "sebelum_kartu": {"E8": 0.7, "E19": 0.5},
    "kapasitas": {"E21": 0.5, "E15": 0.1, "E16": 0.3},
    "sanksi": {"E6": 0.5, "E15": 0.2, "E11": 0.4},
}
PEMASOK_POLA = {"gesek_kolektif": PEMASOK_PENYEDIA, "jauh": PEMASOK_PEJABAT}

# The pendamping's note on a broken answer.
KETERANGAN = {
    "E1": "Nama dan alamat e-warong tidak cocok dengan daftar agen bank.",
    "E2": "e-warong tutup saat dikunjungi; rak stok kosong.",
    "E3": "Pengelola adalah keluarga perangkat kelurahan.",
    "E8": "Ditemukan {n} KKS di meja kasir, sebagian dengan catatan PIN.",
    "E9": "Beras, telur dan minyak sudah dikemas dalam paket seharga saldo.",
    "E10": "Minyak goreng, gula dan mi instan dijual kepada KPM.",
    "E16": "Timbangan belum dikalibrasi.",
    "E17": "Pemasok ditunjuk, e-warong tidak bisa memilih.",
    "E18": "Pengelola mengaku menukar saldo dengan uang tunai, dipotong Rp20.000.",
}
CATATAN_KUNJUNGAN = (
    "",
    "",
    "Pengelola kooperatif; temuan dibahas di tempat.",
    "Kunjungan bersama lurah dan ketua RW.",
    "Stok cukup; antrean KPM tertib.",
)
ALASAN_DIKEMBALIKAN = (
    "Foto papan nama dan daftar harga belum terunggah; lengkapi lalu kirim ulang.",
    "Harga telur tidak wajar; periksa kembali dengan pengelola.",
    "Titik GPS jauh dari e-warong; jelaskan di catatan atau ulangi kunjungan.",
)

TINDAKAN_SANKSI = {
    LangkahSanksi.PEMBINAAN: ("Pembinaan langsung kepada pengelola e-warong atas temuan ini.", "pendamping"),
    LangkahSanksi.TEGURAN: ("Surat teguran tertulis dari Dinas Sosial kepada pengelola e-warong.", "Dinas Sosial"),
    LangkahSanksi.REKOMENDASI_BANK: (
        "Rekomendasi kepada bank penyalur untuk meninjau dan menonaktifkan e-warong.",
        "Bank {bank}",
    ),
}
TINDAKAN_ASPEK = {
    Aspek.SASARAN: "Pengembalian KKS kepada KPM dan klarifikasi bersama bank.",
    Aspek.JUMLAH: "Klarifikasi kepada pengelola dan KPM; pengembalian selisih kepada KPM.",
    Aspek.WAKTU: "Pengelola diminta menjaga stok dan jam buka; dipantau tiap minggu.",
    Aspek.KUALITAS: "Penggantian barang yang rusak dan pemeriksaan stok oleh pendamping.",
    Aspek.HARGA: "Pengelola diminta memasang daftar harga dan menyesuaikan harga dengan harga acuan.",
    Aspek.ADMINISTRASI: "Pengelola diminta melengkapi papan nama, poster pengaduan dan struk.",
}
ULANG_FOTO = "Tidak perlu kunjungan ulang: perbaikan sudah dibuktikan dengan foto dari pendamping."
CATATAN_PENUTUPAN = (
    "Sudah dilaksanakan; bukti foto dan berita acara terlampir.",
    "Pengelola sudah memperbaiki; dicek ulang pada kunjungan berikutnya.",
)

KANAL = {
    Pengaduan.Kanal.SMS_1708: 30,
    Pengaduan.Kanal.LAPOR: 25,
    Pengaduan.Kanal.TATAP_MUKA: 22,
    Pengaduan.Kanal.TELEPON: 13,
    Pengaduan.Kanal.MEDIA_SOSIAL: 10,
}
K = Pengaduan.Kategori
# (category, text); {nama} is the e-warong's name.
ADUAN_POLA = {
    "gesek_kolektif": (K.SASARAN, "KKS warga RT kami dikumpulkan pengurus {nama}; kami hanya menerima paket."),
    "malam": (K.JUMLAH, "Saldo KKS saya terpakai tengah malam di {nama}, padahal saya tidak belanja."),
    "jauh": (K.SASARAN, "Kami disuruh belanja di {nama} yang jauh dari rumah; kalau tidak, diancam dicoret."),
    "tidak_aktif": (K.KKS, "Kartu almarhum ayah saya masih dipakai belanja di {nama}."),
    "banyak_outlet": (K.KKS, "Kartu saya dipakai di beberapa e-warong tanpa sepengetahuan saya."),
    "realisasi_rendah": (K.WAKTU, "{nama} sering tutup dan stoknya kosong; saldo tidak bisa dibelanjakan."),
    "sebelum_kartu": (K.KKS, "KKS belum saya terima, tetapi kata bank saldonya sudah terpakai."),
    "kapasitas": (K.WAKTU, "Antrean di {nama} sangat panjang dan barang sering habis."),
}
ADUAN_BIASA = (
    (K.HARGA, "Harga telur di {nama} lebih mahal daripada di pasar."),
    (K.HARGA, "Daftar harga tidak dipasang di {nama}."),
    (K.KUALITAS, "Beras yang kami terima dari {nama} berkutu dan berbau."),
    (K.JUMLAH, "Beras yang ditimbang di {nama} kurang dari 1 kg."),
    (K.ADMINISTRASI, "Tidak diberi struk setelah belanja di {nama}."),
    (K.WAKTU, "Saldo bulan ini belum bisa dipakai di {nama}."),
    (K.PENDAMPING, "Pendamping kecamatan sulit dihubungi untuk menanyakan bantuan."),
    (K.LAINNYA, "Menanyakan jadwal penyaluran bulan depan."),
)
ADUAN_KPM = (
    (K.KKS, "KKS saya hilang; bagaimana mengurus kartu pengganti?"),
    (K.KKS, "Saldo KKS saya tidak bertambah bulan ini."),
    (K.SASARAN, "Saya pindah alamat; apakah bantuan masih bisa diterima?"),
)
ADUAN_PENYEDIA = (
    (K.HARGA, "Penyedia {nama} menjual beras ke e-warong di atas harga pasar."),
    (K.KUALITAS, "Telur dari penyedia {nama} banyak yang pecah dan busuk."),
)
PENANGANAN = {
    K.SASARAN: Pengaduan.Penanganan.CEK_LAPANGAN,
    K.KUALITAS: Pengaduan.Penanganan.CEK_LAPANGAN,
    K.JUMLAH: Pengaduan.Penanganan.CEK_LAPANGAN,
    K.HARGA: Pengaduan.Penanganan.TANPA_CEK,
    K.ADMINISTRASI: Pengaduan.Penanganan.TANPA_CEK,
    K.KKS: Pengaduan.Penanganan.TANPA_CEK,
}
TANGGAPAN_PROSES = (
    "Pengaduan diterima dan diteruskan kepada pendamping kecamatan untuk dicek.",
    "Sedang dikonfirmasi kepada bank penyalur.",
)
TANGGAPAN_SELESAI = (
    "Sudah dicek ke lapangan; pengelola e-warong dibina dan KPM sudah dapat berbelanja kembali.",
    "Sudah dijelaskan kepada pelapor; data diperbaiki bersama bank.",
    "Informasi sudah disampaikan kepada pelapor.",
)
