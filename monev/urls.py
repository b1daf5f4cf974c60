"""Monev URLs; the views are in monev/views/, a module per feature."""

from django.urls import include, path

from monev.views import beranda, dokumen, kunjungan, pengaduan, penugasan, registri, skor, temuan

app_name = "monev"

urlpatterns = [
    path("", beranda.beranda, name="beranda"),
    path("sw.js", beranda.service_worker, name="service_worker"),
    path("penugasan/", penugasan.penugasan_list, name="penugasan_list"),
    path("penugasan/baru/", penugasan.penugasan_baru, name="penugasan_baru"),
    path("penugasan/rencana/", penugasan.penugasan_rencana, name="penugasan_rencana"),
    path("penugasan/<int:pk>/", penugasan.penugasan_detail, name="penugasan"),
    path("penugasan/<int:pk>/isi/", kunjungan.kunjungan_isi, name="kunjungan_isi"),
    path("penugasan/<int:pk>/kirim/", kunjungan.kunjungan_kirim, name="kunjungan_kirim"),
    path("kunjungan/", kunjungan.kunjungan_list, name="kunjungan_list"),
    path("kunjungan/<int:pk>/", kunjungan.kunjungan_detail, name="kunjungan"),
    path("kunjungan/<int:pk>/verifikasi/", kunjungan.kunjungan_verifikasi, name="kunjungan_verifikasi"),
    path("kunjungan/<uuid:uuid>/foto/", kunjungan.foto_unggah, name="foto_unggah"),
    path("foto/<uuid:uuid>/", kunjungan.foto_berkas, name="foto"),
    path("temuan/", temuan.temuan_list, name="temuan_list"),
    path("temuan/baru/", temuan.temuan_baru, name="temuan_baru"),
    path("temuan/<int:pk>/", temuan.temuan_detail, name="temuan"),
    path("temuan/<int:pk>/tindak-lanjut/", temuan.tindak_lanjut_baru, name="tindak_lanjut_baru"),
    path("tindak-lanjut/terlambat/", temuan.tindak_lanjut_terlambat, name="tindak_lanjut_terlambat"),
    path("tindak-lanjut/<int:pk>/tutup/", temuan.tindak_lanjut_tutup, name="tindak_lanjut_tutup"),
    path("pengaduan/", pengaduan.pengaduan_list, name="pengaduan_list"),
    path("pengaduan/baru/", pengaduan.pengaduan_baru, name="pengaduan_baru"),
    path("pengaduan/<int:pk>/", pengaduan.pengaduan_detail, name="pengaduan"),
    path("pengaduan/<int:pk>/foto/", pengaduan.pengaduan_foto, name="pengaduan_foto"),
    path("skor/", skor.skor_ringkasan, name="skor"),
    path("skor/ewarong/<int:pk>/", skor.skor_ewarong, name="skor_ewarong"),
    path("skor/penyedia/<int:pk>/", skor.skor_penyedia, name="skor_penyedia"),
    path("dokumen/", dokumen.dokumen_list, name="dokumen_list"),
    path("dokumen/<int:pk>/unduh/", dokumen.dokumen_unduh, name="dokumen_unduh"),
    path("risiko/", include("monev.risiko.urls")),
    path("ewarong/", registri.ewarong_list, name="ewarong_list"),
    path("ewarong/<int:pk>/", registri.ewarong_profil, name="ewarong"),
    path("kpm/", registri.kpm_cari, name="kpm_cari"),
    path("kpm/pilih/", registri.kpm_pilih, name="kpm_pilih"),
    path("kpm/<int:pk>/", registri.kpm_detail, name="kpm"),
    path("laporan/", include("monev.laporan.urls")),
    path("rapat/", include("monev.rapat.urls")),
]
