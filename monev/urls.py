from django.urls import path

from monev import views

app_name = "monev"

urlpatterns = [
    path("", views.beranda, name="beranda"),
    path("sw.js", views.service_worker, name="service_worker"),
    path("penugasan/", views.penugasan_list, name="penugasan_list"),
    path("penugasan/baru/", views.penugasan_baru, name="penugasan_baru"),
    path("penugasan/<int:pk>/", views.penugasan_detail, name="penugasan"),
    path("penugasan/<int:pk>/isi/", views.kunjungan_isi, name="kunjungan_isi"),
    path("penugasan/<int:pk>/kirim/", views.kunjungan_kirim, name="kunjungan_kirim"),
    path("kunjungan/", views.kunjungan_list, name="kunjungan_list"),
    path("kunjungan/<int:pk>/", views.kunjungan_detail, name="kunjungan"),
    path("kunjungan/<int:pk>/verifikasi/", views.kunjungan_verifikasi, name="kunjungan_verifikasi"),
    path("kunjungan/<uuid:uuid>/foto/", views.foto_unggah, name="foto_unggah"),
    path("foto/<uuid:uuid>/", views.foto_berkas, name="foto"),
    path("temuan/", views.temuan_list, name="temuan_list"),
    path("temuan/baru/", views.temuan_baru, name="temuan_baru"),
    path("temuan/<int:pk>/", views.temuan_detail, name="temuan"),
    path("temuan/<int:pk>/tindak-lanjut/", views.tindak_lanjut_baru, name="tindak_lanjut_baru"),
    path("tindak-lanjut/terlambat/", views.tindak_lanjut_terlambat, name="tindak_lanjut_terlambat"),
    path("tindak-lanjut/<int:pk>/tutup/", views.tindak_lanjut_tutup, name="tindak_lanjut_tutup"),
    path("pengaduan/", views.pengaduan_list, name="pengaduan_list"),
    path("pengaduan/baru/", views.pengaduan_baru, name="pengaduan_baru"),
    path("pengaduan/<int:pk>/", views.pengaduan_detail, name="pengaduan"),
    path("skor/", views.skor_ringkasan, name="skor"),
    path("skor/ewarong/<int:pk>/", views.skor_ewarong, name="skor_ewarong"),
    path("skor/penyedia/<int:pk>/", views.skor_penyedia, name="skor_penyedia"),
    path("dokumen/", views.dokumen_list, name="dokumen_list"),
    path("dokumen/<int:pk>/unduh/", views.dokumen_unduh, name="dokumen_unduh"),
]
