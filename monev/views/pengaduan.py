"""Complaints: recorded with a number, flagged when an e-warong is complained about again, answered."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_safe

from monev import complaints
from monev.forms import PengaduanForm, TanggapanForm
from monev.models import Pengaduan
from tikor.shortcuts import audited_download, get_scoped_or_404, list_page, require_perm


@login_required
@require_safe
def pengaduan_list(request):
    qs = Pengaduan.objects.for_user(request.user).select_related("ewarong", "ditugaskan_ke")
    return list_page(
        request,
        "monev/pengaduan_list.html",
        qs,
        param="filter",
        choices=(("terbuka", "Terbuka"), ("terlambat", "Lewat batas"), ("berulang", "Berulang"), ("semua", "Semua")),
        default="terbuka",
        methods=True,
    )


@login_required
def pengaduan_detail(request, pk):
    pengaduan = get_scoped_or_404(Pengaduan, request.user, pk=pk)
    form = TanggapanForm(
        initial={"status": pengaduan.status, "tanggapan": pengaduan.tanggapan, "publik": pengaduan.tanggapan_publik},
        pengaduan=pengaduan,
    )
    if request.method == "POST":
        require_perm(request.user, "monev.change_pengaduan")
        form = TanggapanForm(request.POST, pengaduan=pengaduan)
        if form.is_valid():
            data = form.cleaned_data
            complaints.respond(pengaduan, data["tanggapan"], data["status"], publik=data.get("publik", False))
            messages.success(request, "Tanggapan disimpan.")
            return redirect(pengaduan)
    return render(
        request,
        "monev/pengaduan_detail.html",
        {"pengaduan": pengaduan, "form": form, "boleh_ubah": request.user.has_perm("monev.change_pengaduan")},
    )


@login_required
def pengaduan_foto(request, pk):
    """The reporter's photo (sent without EXIF by the public form), to staff who may see the complaint."""
    pengaduan = get_scoped_or_404(Pengaduan, request.user, pk=pk)
    return audited_download(
        request.user, pengaduan, pengaduan.foto, as_attachment=False, content_type="image/jpeg", pengaduan=pengaduan.pk
    )


@login_required
def pengaduan_baru(request):
    require_perm(request.user, "monev.add_pengaduan")
    # Opened from an e-warong or a KPM page, the form starts with it (?ewarong=, ?kpm=); choices stay scoped.
    initial = {name: request.GET.get(name) for name in ("ewarong", "kpm") if request.GET.get(name)}
    form = PengaduanForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        pengaduan = complaints.record_complaint(form.save(commit=False), request.user)
        messages.success(request, f"Pengaduan {pengaduan.nomor} dicatat.")
        if pengaduan.berulang:
            messages.warning(request, "Perhatian: e-warong ini sudah berulang kali diadukan dalam 30 hari terakhir.")
        return redirect(pengaduan)
    return render(request, "monev/form.html", {"form": form, "judul": "Catat pengaduan"})
