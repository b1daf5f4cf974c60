"""Assignments: the secretariat plans visits for many e-warong at once; officers see theirs and the KPM sample."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import F
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_safe

from monev import profil
from monev.assignments import assign, open_assignments, pendamping_by_kecamatan
from monev.forms import EWarongFilterForm, PenugasanRencanaForm
from monev.models import Instrumen, Penugasan
from tikor.formatting import angka
from tikor.shortcuts import get_scoped_or_404, list_page, page_of, require_perm


@login_required
@require_safe
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
    """The old bulk form's address: the planner does its work now."""
    require_perm(request.user, "monev.add_penugasan")
    query = request.META.get("QUERY_STRING", "")
    return redirect(reverse("monev:penugasan_rencana") + (f"?{query}" if query else ""))


def _names(ewarong_list):
    return ", ".join(f"{e.kode} {e.nama}" for e in ewarong_list)


def _report(request, rencana):
    """Say what was created and name every e-warong skipped, with the reason."""
    if rencana.dibuat:
        messages.success(request, f"{angka(len(rencana.dibuat))} penugasan dibuat.")
    else:
        messages.warning(request, "Tidak ada penugasan yang dibuat.")
    if rencana.tanpa_pendamping:
        messages.warning(
            request,
            f"{angka(len(rencana.tanpa_pendamping))} e-warong dilewati karena kecamatannya belum punya pendamping "
            f"(pilih tim atau petugas untuk mereka): {_names(rencana.tanpa_pendamping)}.",
        )
    if rencana.sudah_ada:
        messages.warning(
            request,
            f"{angka(len(rencana.sudah_ada))} e-warong dilewati karena masih punya penugasan terbuka dengan "
            f"instrumen yang sama: {_names(rencana.sudah_ada)}.",
        )
    for ewarong, reason in rencana.ditolak:
        messages.warning(request, f"{ewarong.kode} {ewarong.nama} dilewati: {reason}")


@login_required
def penugasan_rencana(request):
    """Filter e-warong by area, risk and last visit, tick many (or all on the page), assign them in one go."""
    user = request.user
    require_perm(user, "monev.add_penugasan")
    filters = EWarongFilterForm(request.GET, user=user)
    form = PenugasanRencanaForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            rencana = assign(
                data["ewarong"].select_related("kelurahan"),
                instrumen=data["instrumen"],
                batas_waktu=data["batas_waktu"],
                tim=data["tim"],
                petugas=data["petugas"],
                jumlah_sampel_kpm=data["jumlah_sampel_kpm"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            _report(request, rencana)
            return redirect(request.get_full_path())
    rows = filters.apply(profil.ewarong_rows(user).exclude(status="nonaktif"))
    # Riskiest first, then the longest unvisited (never visited first): what a planner takes first.
    order = (F("skor").desc(nulls_last=True), F("kunjungan_terakhir").asc(nulls_first=True), "kode")
    page = page_of(request, rows.order_by(*order))
    ewarong = list(page.object_list)
    pendamping = pendamping_by_kecamatan(e.kelurahan.induk_id for e in ewarong if e.kelurahan_id)
    taken = open_assignments([e.pk for e in ewarong])
    ticked = {str(pk) for pk in request.POST.getlist("ewarong")} or set(request.GET.getlist("ewarong"))
    for e in ewarong:
        e.tingkat_risiko = profil.tingkat_risiko(e.skor)
        e.pendamping = pendamping.get(e.kelurahan.induk_id) if e.kelurahan_id else None
        e.penugasan_terbuka = e.pk in taken
        e.dicentang = str(e.pk) in ticked
    return render(
        request,
        "monev/penugasan_rencana.html",
        {"filters": filters, "form": form, "page": page, "ewarong": ewarong, "instrumen": Instrumen.objects.terbit()},
    )


@login_required
@require_safe
def penugasan_detail(request, pk):
    penugasan = get_scoped_or_404(Penugasan, request.user, pk=pk)
    sampel = penugasan.sampel_kpm(request.user) if penugasan.instrumen.jenis == Instrumen.Jenis.KPM else None
    kunjungan = penugasan.kunjungan.select_related("petugas", "kpm")
    return render(
        request,
        "monev/penugasan_detail.html",
        {"penugasan": penugasan, "sampel": sampel, "kunjungan": kunjungan},
    )
