"""What an operator needs to know on a busy day: is the database up, the broker, are workers listening, is
there disk left, do jobs wait or hang. `/sehat/` stays the plain liveness check of the load balancer."""

import datetime
import shutil
import time

from django.conf import settings
from django.db import connection
from django.db.models import Count, Q
from django.utils import timezone

from tikor.housekeeping import job_models
from tikor.jobs import JobStatus

DISK_LOW_FRACTION = 0.1


def _timed(check):
    started = time.monotonic()
    try:
        detail = check()
        ok = detail.pop("ok", True)
    except Exception as exc:  # a check reports its failure; it never fails the page
        ok, detail = False, {"kesalahan": f"{exc.__class__.__name__}: {exc}"[:300]}
    return {"ok": ok, "ms": round((time.monotonic() - started) * 1000), **detail}


def database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return {"vendor": connection.vendor}


def broker():
    from tikor.celery import app

    if app.conf.task_always_eager:
        return {"mode": "tanpa antrean: pekerjaan berjalan di dalam permintaan"}
    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=2)
    return {}


def workers():
    from tikor.celery import app

    if app.conf.task_always_eager:
        return {"jumlah": 0}
    # On a connection of its own, closed here: the reply consumer must not go back to the shared pool still
    # waiting on the broker, where a process forked later (the import's checking workers) would inherit it.
    with app.connection_for_read() as connection:
        replies = app.control.ping(timeout=1.0, connection=connection)
    return {"ok": bool(replies), "jumlah": len(replies), "nama": sorted(name for reply in replies for name in reply)}


def disk():
    usage = shutil.disk_usage(settings.MEDIA_ROOT)
    return {"ok": usage.free / usage.total >= DISK_LOW_FRACTION, "sisa_gb": round(usage.free / 1e9, 1),
            "sisa_persen": round(100 * usage.free / usage.total, 1)}  # fmt: skip


def queue():
    """Jobs waiting, never sent, running and silent, over every job model: one query per model."""
    stale = timezone.now() - datetime.timedelta(seconds=settings.JOB_STALE_SECONDS)
    waiting, running = Q(status=JobStatus.MENUNGGU), Q(status=JobStatus.BERJALAN)
    counts = {
        "menunggu": Count("pk", filter=waiting),
        "belum_terkirim": Count("pk", filter=waiting & Q(dikirim__isnull=True)),
        "berjalan": Count("pk", filter=running),
        "tanpa_detak": Count("pk", filter=running & Q(detak__lt=stale)),
    }
    totals = dict.fromkeys(counts, 0)
    for model in job_models():
        for name, value in model.objects.aggregate(**counts).items():
            totals[name] += value
    return {"ok": not totals["tanpa_detak"], **totals}


def report():
    checks = {
        "basis_data": _timed(database),
        "antrean": _timed(broker),
        "pekerja": _timed(workers),
        "disk": _timed(disk),
        "pekerjaan": _timed(queue),
    }
    return all(c["ok"] for c in checks.values()), checks
