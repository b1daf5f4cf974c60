from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from penyaluran.registri.summary import registry_counts


@login_required
def beranda(request):
    user = request.user
    context = {
        "counts": registry_counts(user),
        "wilayah_tugas": list(user.wilayah.all()),
    }
    return render(request, "beranda.html", context)
