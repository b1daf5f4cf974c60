from django.urls import path

from penyaluran.registri import views

app_name = "penyaluran"

urlpatterns = [
    path("impor/", views.impor, name="impor"),
    path("impor/<int:pk>/", views.impor_detail, name="impor_detail"),
    path("impor/<int:pk>/progres/", views.impor_progres, name="impor_progres"),
    path("impor/<int:pk>/simpan/", views.impor_simpan, name="impor_simpan"),
    path("impor/<int:pk>/ulang/", views.impor_ulang, name="impor_ulang"),
    path("impor/<int:pk>/baris-ditolak/", views.impor_baris_ditolak, name="impor_baris_ditolak"),
    path("impor/<int:pk>/tidak-ada-di-file/", views.impor_tidak_ada, name="impor_tidak_ada"),
    path("ekspor/<str:jenis>/", views.ekspor, name="ekspor"),
    path("ekspor/tugas/<int:pk>/", views.ekspor_detail, name="ekspor_detail"),
    path("ekspor/tugas/<int:pk>/ulang/", views.ekspor_ulang, name="ekspor_ulang"),
    path("ekspor/tugas/<int:pk>/unduh/", views.ekspor_unduh, name="ekspor_unduh"),
]
