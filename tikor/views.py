import secrets

from django.conf import settings
from django.db import connection
from django.http import Http404, JsonResponse
from django.views.decorators.cache import never_cache

from tikor import health


@never_cache
def sehat(request):
    """Liveness for the load balancer and docker-compose: the process runs and the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


@never_cache
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
