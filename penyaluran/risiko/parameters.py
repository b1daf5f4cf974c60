"""The detectors' thresholds and score weights, registered with the tunable parameters of distribution
(penyaluran.distribusi.parameters) when the app is ready."""

# kode: (default, meaning). Thresholds first, then the weights of the score.
PARAMETER = {
    "gesek_kolektif_menit": (10, "Panjang jendela waktu gesek kolektif, menit (pembagi 60: 5, 10, 15, 20, 30)"),
    "gesek_kolektif_kpm": (15, "Jumlah KPM berbeda dalam satu jendela di satu e-warong agar dianggap gesek kolektif"),
    "saldo_penuh_porsi": (0.6, "Porsi KPM yang menghabiskan seluruh manfaat dalam satu transaksi"),
    "saldo_penuh_min_kpm": (20, "Jumlah KPM bertransaksi paling sedikit agar porsi saldo penuh dinilai"),
    "jam_buka": (6, "Jam buka e-warong (waktu Jakarta); transaksi sebelumnya dianggap di luar jam"),
    "jam_tutup": (22, "Jam tutup e-warong; transaksi pada atau sesudah jam ini dianggap di luar jam"),
    "luar_jam_porsi": (0.2, "Porsi transaksi di luar jam buka"),
    "luar_jam_min_transaksi": (10, "Jumlah transaksi paling sedikit agar porsi di luar jam dinilai"),
    "jauh_min_kpm": (10, "Jumlah KPM dari kota lain yang bertransaksi di satu e-warong"),
    "kapasitas_faktor": (1.0, "Kelipatan kapasitas KPM e-warong yang masih wajar"),
    "tidak_aktif_min_kpm": (1, "Jumlah KPM nonaktif/meninggal/pindah yang bertransaksi"),
    "banyak_outlet_jumlah": (3, "Jumlah e-warong berbeda untuk satu kartu dalam satu periode"),
    "banyak_outlet_min_kartu": (3, "Jumlah kartu terdaftar di e-warong ini yang dipakai di banyak e-warong"),
    "sebelum_kartu_min_kpm": (1, "Jumlah KPM yang bertransaksi sebelum kartunya dibagikan"),
    "realisasi_rendah_porsi": (0.5, "Realisasi belanja di bawah porsi ini dari manfaat yang disalurkan"),
    "realisasi_rendah_min_kpm": (20, "Jumlah KPM disalurkan paling sedikit agar realisasi dinilai"),
    "penyedia_dominan_porsi": (0.8, "Porsi e-warong aktif satu kecamatan yang dipasok satu penyedia"),
    "penyedia_dominan_min_ewarong": (4, "Jumlah e-warong aktif paling sedikit di kecamatan agar dinilai"),
    "bobot_gesek_kolektif": (30, "Bobot skor: gesek kolektif"),
    "bobot_saldo_penuh": (20, "Bobot skor: saldo habis dalam satu transaksi"),
    "bobot_luar_jam": (20, "Bobot skor: transaksi di luar jam"),
    "bobot_jauh": (15, "Bobot skor: KPM dari kota lain"),
    "bobot_kapasitas": (15, "Bobot skor: melebihi kapasitas"),
    "bobot_tidak_aktif": (25, "Bobot skor: KPM tidak aktif bertransaksi"),
    "bobot_banyak_outlet": (20, "Bobot skor: satu kartu di banyak e-warong"),
    "bobot_sebelum_kartu": (25, "Bobot skor: transaksi sebelum kartu dibagikan"),
    "bobot_realisasi_rendah": (15, "Bobot skor: realisasi rendah"),
    "bobot_penyedia_dominan": (5, "Bobot skor: penyedia dominan di kecamatan"),
}
