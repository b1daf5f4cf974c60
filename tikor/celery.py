import os

from celery import Celery, signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tikor.settings")

app = Celery("tikor")
# Every CELERY_* setting in tikor/settings.py configures the app.
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@signals.after_setup_logger.connect
@signals.after_setup_task_logger.connect
def mask_person_numbers_in_worker_logs(logger, **kwargs):
    """The worker sets up its own handlers in place of settings.LOGGING's: they mask NIK and No KK too."""
    from tikor.logfilter import MaskPersonNumbers

    for handler in logger.handlers:
        if not any(isinstance(f, MaskPersonNumbers) for f in handler.filters):
            handler.addFilter(MaskPersonNumbers())
