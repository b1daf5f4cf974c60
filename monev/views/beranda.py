"""The monev home page: what waits for the user in their area, and the service worker for offline visits."""

from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.http import FileResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from monev.models import Kunjungan, Pengaduan, Penugasan, Temuan, TindakLanjut


@require_safe
def service_worker(request):
    """Serve static/js/sw.js from /monev/ so its scope covers the monev pages."""
    path = finders.find("js/sw.js")
    response = FileResponse(open(path, "rb"), content_type="text/javascript")  # noqa: SIM115 - FileResponse closes it
    response["Cache-Control"] = "no-cache"
    return response


@login_required
@require_safe
def beranda(request):
    user = request.user
    penugasan = Penugasan.objects.for_user(user).terbuka().select_related("ewarong", "instrumen", "petugas")
    context = {
        "penugasan": penugasan[:20],
        "jumlah": {
            "penugasan": penugasan.count(),
            "temuan_terbuka": Temuan.objects.for_user(user).terbuka().count(),
            "temuan_terlambat": Temuan.objects.for_user(user).terlambat().count(),
            "tindak_lanjut_terlambat": TindakLanjut.objects.for_user(user).terlambat().count(),
            "pengaduan_terbuka": Pengaduan.objects.for_user(user).terbuka().count(),
            "pengaduan_berulang": Pengaduan.objects.for_user(user).terbuka().berulang().count(),
            "menunggu_verifikasi": Kunjungan.objects.for_user(user).filter(status=Kunjungan.Status.DIKIRIM).count(),
        },
    }
    return render(request, "monev/beranda.html", context)
