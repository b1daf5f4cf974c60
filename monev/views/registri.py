"""The registry as Tikor and the field read it: the e-warong list and profile, the KPM search and the KPM page.

Every row comes through the gate (`for_user`): an e-warong or KPM outside the area answers 404. NIK, No KK and
KKS show masked; a role that may see them in full asks for it on the KPM page, and that leaves an AuditLog row.
"""

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_safe

from monev import profil
from monev.forms import EWarongFilterForm, KpmCariForm, kpm_matches, kpm_term_error
from monev.models import Pengaduan, Penugasan
from penyaluran.registri.models import EWarong, Kpm
from tikor.audit import catat_lihat_lengkap
from tikor.nik import may_see_full_numbers
from tikor.shortcuts import get_scoped_or_404, page_of

MAKS_HASIL_KPM = 50


@login_required
@require_safe
def ewarong_list(request):
    user = request.user
    form = EWarongFilterForm(request.GET, user=user)
    rows = form.apply(profil.ewarong_rows(user)).order_by("kelurahan_id", "kode")
    page = page_of(request, rows)
    for e in page.object_list:
        e.tingkat_risiko = profil.tingkat_risiko(e.skor)
    return render(request, "monev/registri/ewarong_list.html", {"form": form, "page": page})


@login_required
@require_safe
def ewarong_profil(request, pk):
    user = request.user
    ewarong = get_scoped_or_404(
        EWarong.objects.select_related("kelurahan__induk__induk", "bank", "agen", "agen__bank", "penyedia"),
        user,
        pk=pk,
    )
    kpm = (
        Kpm.objects.for_user(user)
        .filter(ewarong=ewarong)
        .aggregate(aktif=Count("pk", filter=Q(status=Kpm.Status.AKTIF)), semua=Count("pk"))
    )
    penugasan_terbuka = (
        Penugasan.objects.for_user(user).terbuka().filter(ewarong=ewarong).select_related("instrumen", "petugas")
    )
    context = {
        "ewarong": ewarong,
        "kpm": kpm,
        # The KPM of other areas that it serves are outside a pendamping's scope: counted above only if visible.
        "kpm_terlihat_semua": user.scope.everywhere,
        "realisasi": profil.realisasi_bulanan(ewarong, user),
        "risiko": profil.risiko(ewarong, user),
        "peristiwa": profil.timeline(ewarong, user),
        "penugasan_terbuka": penugasan_terbuka,
        "boleh_tugaskan": user.has_perm("monev.add_penugasan"),
        "boleh_temuan": user.has_perm("monev.add_temuan"),
        "boleh_pengaduan": user.has_perm("monev.add_pengaduan"),
    }
    return render(request, "monev/registri/ewarong.html", context)


@login_required
@require_safe
def kpm_cari(request):
    """Search by NIK, No KK or KKS (whole) or part of the name, inside the user's area; 50 at most, by name."""
    form = KpmCariForm(request.GET or None)
    hasil, lebih = None, False
    if form.is_bound and form.is_valid():
        found = kpm_matches(request.user, form.cleaned_data["q"], limit=MAKS_HASIL_KPM + 1)
        hasil, lebih = found[:MAKS_HASIL_KPM], len(found) > MAKS_HASIL_KPM
    return render(
        request,
        "monev/registri/kpm_cari.html",
        {"form": form, "hasil": hasil, "lebih": lebih, "maks": MAKS_HASIL_KPM},
    )


@login_required
@require_GET
def kpm_pilih(request):
    """The KPM matches offered as radio buttons in the complaint form, as one types (htmx)."""
    term = request.GET.get("kpm_cari", "").strip()
    return render(
        request,
        "monev/_kpm_pilihan.html",
        {"name": "kpm", "term": term, "matches": kpm_matches(request.user, term), "pesan": kpm_term_error(term)},
    )


@login_required
def kpm_detail(request, pk):
    user = request.user
    kpm = get_scoped_or_404(Kpm.objects.select_related("kelurahan__induk__induk", "ewarong", "bank"), user, pk=pk)
    boleh_lengkap = may_see_full_numbers(user, kpm)
    lengkap = request.method == "POST" and boleh_lengkap
    if lengkap:
        # Full numbers are shown on request only, and each time it leaves a row in the audit log.
        catat_lihat_lengkap(request, kpm)
    pengaduan = (
        Pengaduan.objects.for_user(user).filter(kpm=kpm).select_related("ewarong").order_by("-diterima_pada")[:50]
    )
    return render(
        request,
        "monev/registri/kpm.html",
        {
            "kpm": kpm,
            "lengkap": lengkap,
            "ewarong_terlihat": EWarong.objects.for_user(user).filter(pk=kpm.ewarong_id).exists(),
            "boleh_lengkap": boleh_lengkap,
            "bulanan": profil.kpm_bulanan(kpm, user),
            "pengaduan": pengaduan,
            "boleh_pengaduan": user.has_perm("monev.add_pengaduan"),
        },
    )
