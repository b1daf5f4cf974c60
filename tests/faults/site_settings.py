"""Settings of the web and worker processes a fault test starts: the site's own, with static files served as they
are (the manifest storage would need collectstatic first)."""

from tikor.settings import *  # noqa: F403

STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # noqa: F405
