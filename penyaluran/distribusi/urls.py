from django.urls import path
from django.views.generic import RedirectView

from penyaluran.distribusi import views

app_name = "distribusi"

urlpatterns = [
    path("", views.realisasi_view, name="realisasi"),
    path("rekonsiliasi/", views.rekonsiliasi_view, name="rekonsiliasi"),
    path("rekonsiliasi/xlsx/", views.rekonsiliasi_xlsx, name="rekonsiliasi_xlsx"),
    path("rekonsiliasi/hitung/", views.rekonsiliasi_hitung, name="rekonsiliasi_hitung"),
    # The risk pages moved to monev (the combined risk lives there); old bookmarks still arrive.
    path("risiko/", RedirectView.as_view(pattern_name="monev:risiko", permanent=True, query_string=True)),
    path(
        "risiko/ewarong/<int:pk>/",
        RedirectView.as_view(pattern_name="monev:risiko_ewarong", permanent=True, query_string=True),
    ),
    path("profil/", views.profil_list, name="profil_list"),
    path("profil/baru/", views.profil_edit, name="profil_baru"),
    path("profil/<int:pk>/", views.profil_edit, name="profil_edit"),
    path("impor/", views.impor_bank, name="impor_bank"),
    path("impor/<int:pk>/", views.impor_bank_detail, name="impor_bank_detail"),
    path("impor/<int:pk>/simpan/", views.impor_bank_simpan, name="impor_bank_simpan"),
    path("impor/<int:pk>/ulang/", views.impor_bank_ulang, name="impor_bank_ulang"),
    path("impor/<int:pk>/terminal/", views.impor_bank_terminal, name="impor_bank_terminal"),
    path("impor/<int:pk>/batalkan/", views.impor_bank_batalkan, name="impor_bank_batalkan"),
    path("impor/<int:pk>/baris-ditolak/", views.impor_bank_baris_ditolak, name="impor_bank_baris_ditolak"),
]
