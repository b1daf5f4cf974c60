from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import RedirectView

from tikor import views

urlpatterns = [
    path("", include("monev.dasbor.urls")),
    path("sehat/", views.sehat, name="sehat"),
    path("sehat/rinci/", views.sehat_rinci, name="sehat_rinci"),
    path("notifikasi/", views.notifikasi, name="notifikasi"),
    path("audit/", views.audit_list, name="audit_list"),
    path("audit/xlsx/", views.audit_xlsx, name="audit_xlsx"),
    path("audit/akses-sementara/", views.akses_list, name="akses_list"),
    path("audit/akses-sementara/<int:pk>/cabut/", views.akses_cabut, name="akses_cabut"),
    path(
        "akun/masuk/",
        auth_views.LoginView.as_view(template_name="akun/masuk.html", redirect_authenticated_user=True),
        name="masuk",
    ),
    path("akun/keluar/", auth_views.LogoutView.as_view(), name="keluar"),
    # One login page for the whole site, throttled by django-axes.
    path("admin/login/", RedirectView.as_view(pattern_name="masuk", query_string=True)),
    path("admin/", admin.site.urls),
    path("monev/", include("monev.urls")),
    path("distribusi/", include("penyaluran.distribusi.urls")),
    path("penyaluran/", include("penyaluran.registri.urls")),
    path("e-warong/", include("monev.publik.urls")),
]

# An exception outside a view (a middleware) still gets an incident number, and a full disk or a database out of
# reach its own answer (tikor/middleware.py).
handler500 = "tikor.middleware.server_error"
