"""The combined e-warong risk, included by monev.urls under /monev/risiko/ in the monev namespace."""

from django.urls import path

from monev.risiko import views

urlpatterns = [
    path("", views.risiko_list, name="risiko"),
    path("ewarong/<int:pk>/", views.risiko_ewarong, name="risiko_ewarong"),
    path("sinyal/<int:pk>/temuan/", views.sinyal_jadikan_temuan, name="sinyal_temuan"),
]
