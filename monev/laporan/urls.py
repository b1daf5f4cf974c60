from django.urls import path

from monev.laporan import views

app_name = "laporan"

urlpatterns = [
    path("", views.laporan_list, name="daftar"),
    path("<int:pk>/", views.laporan_detail, name="detail"),
    path("<int:pk>/ulang/", views.laporan_ulang, name="ulang"),
    path("<int:pk>/unduh/<str:format>/", views.laporan_unduh, name="unduh"),
]
