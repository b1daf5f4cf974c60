"""Dashboards: what each role looks at first, and the DKI map. They read every layer below monev."""

from django.urls import path

from monev.dasbor import views

urlpatterns = [
    path("", views.beranda, name="beranda"),
    path("peta/", views.peta, name="peta"),
    path("peta/batas/<str:tingkat>.geojson", views.batas_wilayah, name="peta_batas"),
]
