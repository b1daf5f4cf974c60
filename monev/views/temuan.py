"""Findings and their follow-up actions: recorded by hand or raised by a visit, closed with a re-visit."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST, require_safe

from monev import findings
from monev.forms import TemuanForm, TindakLanjutForm, TutupTindakLanjutForm
from monev.models import Temuan, TindakLanjut
from tikor.formatting import tanggal
from tikor.shortcuts import get_scoped_or_404, list_page, require_perm

TABS = (("terbuka", "Terbuka"), ("terlambat", "Lewat batas"), ("semua", "Semua"))


@login_required
@require_safe
def temuan_list(request):
    qs = Temuan.objects.for_user(request.user).select_related("ewarong")
    keparahan = request.GET.get("keparahan", "")
    if keparahan:
        qs = qs.filter(keparahan=keparahan)
    return list_page(
        request, "monev/temuan_list.html", qs, param="filter", choices=TABS, default="terbuka", methods=True
    )


@login_required
def temuan_baru(request):
    require_perm(request.user, "monev.add_temuan")
    # The e-warong profile's "Catat temuan" names its e-warong (?ewarong=); the form's choices stay scoped.
    form = TemuanForm(request.POST or None, user=request.user, initial={"ewarong": request.GET.get("ewarong")})
    if request.method == "POST" and form.is_valid():
        temuan = form.save()
        messages.success(request, "Temuan dicatat.")
        return redirect(temuan)
    return render(request, "monev/form.html", {"form": form, "judul": "Catat temuan"})


@login_required
@require_safe
def temuan_detail(request, pk):
    temuan = get_scoped_or_404(Temuan, request.user, pk=pk)
    return render(
        request,
        "monev/temuan_detail.html",
        {
            "temuan": temuan,
            "tindak_lanjut": temuan.tindak_lanjut.prefetch_related("kunjungan_ulang"),
            "form": TindakLanjutForm(user=request.user),
            "tutup_form": TutupTindakLanjutForm(),
            "boleh_ubah": request.user.has_perm("monev.add_tindaklanjut"),
        },
    )


@login_required
@require_POST
def tindak_lanjut_baru(request, pk):
    temuan = get_scoped_or_404(Temuan, request.user, "monev.add_tindaklanjut", pk=pk)
    form = TindakLanjutForm(request.POST, request.FILES, user=request.user)
    if form.is_valid():
        findings.add_action(temuan, request.user, **form.cleaned_data)
        messages.success(request, "Tindak lanjut dicatat.")
        return redirect(temuan)
    return render(
        request,
        "monev/temuan_detail.html",
        {"temuan": temuan, "tindak_lanjut": temuan.tindak_lanjut.all(), "form": form, "boleh_ubah": True},
        status=400,
    )


@login_required
@require_POST
def tindak_lanjut_tutup(request, pk):
    action = get_scoped_or_404(TindakLanjut, request.user, "monev.change_tindaklanjut", pk=pk)
    form = TutupTindakLanjutForm(request.POST)
    if action.status == TindakLanjut.Status.SELESAI:
        messages.error(request, "Tindak lanjut ini sudah ditutup.")
    elif form.is_valid():
        penugasan = findings.close_action(action, request.user, form.cleaned_data["catatan"])
        messages.success(
            request,
            f"Tindak lanjut ditutup. Kunjungan ulang dijadwalkan paling lambat {tanggal(penugasan.batas_waktu)}.",
        )
    else:
        messages.error(request, "Tuliskan catatan penutupan.")
    return redirect(action.temuan)


@login_required
@require_safe
def tindak_lanjut_terlambat(request):
    qs = TindakLanjut.objects.for_user(request.user).terlambat().select_related("temuan__ewarong")
    return list_page(request, "monev/tindak_lanjut_terlambat.html", qs)
