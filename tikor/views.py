import secrets

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from tikor import health
from tikor.models import Notifikasi
from tikor.shortcuts import page_of


@never_cache
@require_safe
def sehat(request):
    """Liveness for the load balancer and docker-compose: the process runs and the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


@never_cache
@require_safe
def sehat_rinci(request):
    """Health for operators: database, broker, workers, disk and jobs, each on its own; 503 when one is down.

    For a monitor with the HEALTH_TOKEN header (X-Sehat-Token), or a signed-in superuser; 404 for anyone else.
    """
    token = settings.HEALTH_TOKEN
    allowed = (token and secrets.compare_digest(request.headers.get("X-Sehat-Token", ""), token)) or (
        request.user.is_authenticated and request.user.is_superuser
    )
    if not allowed:
        raise Http404
    ok, checks = health.report()
    return JsonResponse({"status": "ok" if ok else "bermasalah", "pemeriksaan": checks}, status=200 if ok else 503)


@login_required
@require_safe
def notifikasi(request):
    """The user's notifications, newest first; opening the page marks them read."""
    queryset = Notifikasi.objects.filter(pengguna=request.user)
    page = page_of(request, queryset)
    unread = [n.pk for n in page.object_list if n.dibaca_pada is None]
    response = render(request, "notifikasi.html", {"page": page, "belum_dibaca": set(unread)})
    Notifikasi.objects.filter(pk__in=unread).update(dibaca_pada=timezone.now())
    return response
