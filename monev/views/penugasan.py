"""Assignments: the secretariat assigns visits in bulk; officers see theirs and the KPM sample to visit."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from monev.forms import PenugasanMassalForm
from monev.models import Instrumen, Penugasan
from tikor.formatting import angka
from tikor.shortcuts import get_scoped_or_404, list_page, require_perm


@login_required
def penugasan_list(request):
    qs = Penugasan.objects.for_user(request.user).select_related("ewarong", "instrumen", "petugas", "tim")
    return list_page(
        request,
        "monev/penugasan_list.html",
        qs,
        param="status",
        choices=Penugasan.Status.choices,
        default=Penugasan.Status.TERBUKA,
    )


@login_required
def penugasan_baru(request):
    """The secretariat assigns visits to many e-warong in one go; all or none are created."""
    require_perm(request.user, "monev.add_penugasan")
    form = PenugasanMassalForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        assignments, errors = form.build()
        if errors:
            for error in errors:
                form.add_error(None, error)
        else:
            Penugasan.objects.bulk_create(assignments)
            messages.success(request, f"{angka(len(assignments))} penugasan dibuat.")
            return redirect("monev:penugasan_list")
    return render(request, "monev/form.html", {"form": form, "judul": "Buat penugasan"})


@login_required
def penugasan_detail(request, pk):
    penugasan = get_scoped_or_404(Penugasan, request.user, pk=pk)
    sampel = penugasan.sampel_kpm(request.user) if penugasan.instrumen.jenis == Instrumen.Jenis.KPM else None
    kunjungan = penugasan.kunjungan.select_related("petugas", "kpm")
    return render(
        request,
        "monev/penugasan_detail.html",
        {"penugasan": penugasan, "sampel": sampel, "kunjungan": kunjungan},
    )
