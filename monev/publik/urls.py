"""Mounted at /e-warong/ (tikor/urls.py): public pages by code, and the secretariat's posters under /poster/."""

from django.urls import path, register_converter

from monev.publik import views


class KodeConverter:
    """An e-warong or tracking code as printed (8 to 12 letters and digits, any case); never a database id."""

    regex = "[0-9A-Za-z]{8,12}"

    def to_python(self, value):
        return value.upper()

    def to_url(self, value):
        return value


register_converter(KodeConverter, "kode")

app_name = "publik"
urlpatterns = [
    path("lacak/", views.lacak, name="lacak"),
    path("lacak/<kode:kode_lacak>/", views.status, name="status"),
    path("poster/", views.poster_index, name="poster_index"),
    path("poster/e-warong/<int:pk>/", views.poster_ewarong, name="poster_ewarong"),
    path("poster/e-warong/<int:pk>/ganti-kode/", views.ganti_kode, name="ganti_kode"),
    path("poster/kecamatan/<str:kode>/", views.poster_kecamatan, name="poster_kecamatan"),
    path("<kode:kode>/", views.halaman_ewarong, name="ewarong"),
    path("<kode:kode>/pengaduan/", views.aduan, name="aduan"),
]
