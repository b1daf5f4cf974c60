from django.urls import path

from penyaluran.distribusi import views

app_name = "distribusi"

urlpatterns = [
    path("", views.realisasi_view, name="realisasi"),
    path("rekonsiliasi/", views.rekonsiliasi_view, name="rekonsiliasi"),
    path("rekonsiliasi/xlsx/", views.rekonsiliasi_xlsx, name="rekonsiliasi_xlsx"),
    path("risiko/", views.risiko_view, name="risiko"),
    path("risiko/ewarong/<int:pk>/", views.risiko_ewarong, name="risiko_ewarong"),
    path("sinyal/<int:pk>/temuan/", views.sinyal_jadikan_temuan, name="sinyal_temuan"),
    path("impor/", views.impor_bank, name="impor_bank"),
    path("impor/<int:pk>/", views.impor_bank_detail, name="impor_bank_detail"),
    path("impor/<int:pk>/simpan/", views.impor_bank_simpan, name="impor_bank_simpan"),
    path("impor/<int:pk>/baris-ditolak/", views.impor_bank_baris_ditolak, name="impor_bank_baris_ditolak"),
]
