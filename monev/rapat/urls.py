"""The Tikor's meetings and decisions, included by monev.urls under /monev/rapat/ in the monev namespace."""

from django.urls import path

from monev.rapat import views

urlpatterns = [
    path("", views.rapat_list, name="rapat_list"),
    path("baru/", views.rapat_baru, name="rapat_baru"),
    path("<int:pk>/", views.rapat_detail, name="rapat"),
    path("<int:pk>/agenda/", views.rapat_agenda, name="rapat_agenda"),
    path("<int:pk>/agenda/usul/", views.rapat_agenda_usul, name="rapat_agenda_usul"),
    path("<int:pk>/kehadiran/", views.rapat_kehadiran, name="rapat_kehadiran"),
    path("<int:pk>/notulen/", views.rapat_notulen, name="rapat_notulen"),
    path("<int:pk>/lampiran/", views.rapat_lampiran, name="rapat_lampiran"),
    path("<int:pk>/keputusan/", views.keputusan_baru, name="keputusan_baru"),
    path("<int:pk>/berita-acara.pdf", views.berita_acara, name="berita_acara"),
    path("lampiran/<int:pk>/", views.lampiran_unduh, name="lampiran_unduh"),
    path("keputusan/", views.keputusan_list, name="keputusan_list"),
    path("keputusan/<int:pk>/", views.keputusan_detail, name="keputusan"),
    path("keputusan/<int:pk>/progres/", views.keputusan_progres, name="keputusan_progres"),
]
