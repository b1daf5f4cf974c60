import contextlib
import os

from django.apps import AppConfig
from django.conf import settings
from django.contrib.admin import apps as admin_apps
from django.db.models.signals import post_migrate


class TikorConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "tikor"
    verbose_name = "Tikor BSP"

    def ready(self):
        from django.contrib.admin.models import LogEntry
        from django.contrib.auth.signals import user_logged_in, user_login_failed
        from django.db.models.signals import post_save

        from tikor import audit
        from tikor.middleware import IdleSessionMiddleware
        from tikor.roles import sync_role_groups

        post_migrate.connect(sync_role_groups, dispatch_uid="tikor.sync_role_groups")
        user_logged_in.connect(audit.on_login, dispatch_uid="tikor.audit.login")
        user_login_failed.connect(audit.on_login_failed, dispatch_uid="tikor.audit.login_failed")
        post_save.connect(audit.on_admin_change, sender=LogEntry, dispatch_uid="tikor.audit.admin_change")
        user_logged_in.connect(IdleSessionMiddleware.signed_in, dispatch_uid="tikor.idle_session_start")
        with contextlib.suppress(OSError):  # a read-only build step; an upload then says so itself
            os.makedirs(settings.FILE_UPLOAD_TEMP_DIR, exist_ok=True)


class TikorAdminConfig(admin_apps.AdminConfig):
    """In INSTALLED_APPS in place of django.contrib.admin: admin.site is a tikor.admin_site.TikorAdminSite."""

    default = False  # "tikor" itself stays TikorConfig
    default_site = "tikor.admin_site.TikorAdminSite"
