import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tikor.settings")

app = Celery("tikor")
# Every CELERY_* setting in tikor/settings.py configures the app.
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
