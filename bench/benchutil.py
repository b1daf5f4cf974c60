"""Helpers shared by the benchmark scripts (bench/ is on sys.path when a script here runs)."""

import resource


def peak_rss_mb():
    """This process's own peak RSS in MB.

    ru_maxrss of a child started by fork+exec starts from the parent's high-water mark (Linux keeps it
    across exec), so a stage run in a child would report the parent's memory; VmHWM belongs to the new image.
    """
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def children_peak_rss_mb():
    """The largest peak RSS among this process's finished, waited-for children (the import's forked workers).

    A forked child maps its parent's pages, so this counts memory it shares with the parent as well.
    """
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def angka(value, decimals=0):
    """A figure as Indonesian writes it: 1.000.000 and 10,1."""
    written = f"{value:,.{decimals}f}"
    return written.replace(",", "\0").replace(".", ",").replace("\0", ".")


def serve_pages_as_the_tests_do():
    """Django's test client renders pages here: the test host, static files without collectstatic, no rate limit.
    Call after django.setup()."""
    from django.conf import settings
    from django.test.utils import override_settings

    settings.ALLOWED_HOSTS = ["testserver"]
    override_settings(
        STORAGES={
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
        RATELIMIT_ENABLE=False,
    ).enable()
