from django.urls import path

from monev.dasbor import views

urlpatterns = [
    path("", views.beranda, name="beranda"),
]
