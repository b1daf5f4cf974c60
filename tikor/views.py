from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from penyaluran.summary import registry_counts


@login_required
def beranda(request):
    user = request.user
    context = {
        "counts": registry_counts(user),
        "wilayah_tugas": list(user.wilayah.all()),
    }
    return render(request, "beranda.html", context)


@never_cache
def sehat(request):
    """Liveness for the load balancer and docker-compose: the process runs and the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
