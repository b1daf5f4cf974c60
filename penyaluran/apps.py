from django.apps import AppConfig


class PenyaluranConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "penyaluran"
    verbose_name = "Penyaluran dan registri"
