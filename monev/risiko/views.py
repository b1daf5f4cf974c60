"""The combined e-warong risk pages: a ranked list per period, one e-warong's signals and evidence, and turning a
signal into a finding. Every row comes through the gate (`for_user`); an e-warong or signal outside the area
answers 404, a missing right 403."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST, require_safe

from monev.models import SkorRisiko
from monev.risiko.temuan import jadikan_temuan
from penyaluran.distribusi.models import Periode
from penyaluran.distribusi.views import chosen_periode
from penyaluran.registri.models import EWarong
from penyaluran.risiko.detectors import LABEL
from penyaluran.risiko.models import SinyalRisiko
from tikor.shortcuts import get_scoped_or_404, page_of, require_perm


def _context(periode, **extra):
    return {"periode": periode, "periode_list": Periode.objects.order_by("-tahun", "-bulan"), **extra}


@login_required
@require_safe
def risiko_list(request):
    periode = chosen_periode(request)
    if periode is None:
        return render(request, "penyaluran/distribusi/kosong.html", _context(None))
    scores = (
        SkorRisiko.objects.for_user(request.user)
        .filter(periode=periode)
        .select_related("ewarong", "ewarong__kelurahan")
        .order_by("-skor", "ewarong__kode")
    )
    return render(request, "monev/risiko/daftar.html", _context(periode, page=page_of(request, scores)))


@login_required
@require_safe
def risiko_ewarong(request, pk):
    user = request.user
    ewarong = get_scoped_or_404(EWarong.objects.select_related("kelurahan", "penyedia"), user, pk=pk)
    periode = chosen_periode(request)
    if periode is None:
        raise Http404("Belum ada periode.")
    skor = SkorRisiko.objects.for_user(user).filter(ewarong=ewarong, periode=periode).first()
    signals = SinyalRisiko.objects.for_user(user).filter(ewarong=ewarong, periode=periode).order_by("jenis")
    history = (
        SkorRisiko.objects.for_user(user)
        .filter(ewarong=ewarong)
        .select_related("periode")
        .order_by("periode__tahun", "periode__bulan")
    )
    return render(
        request,
        "monev/risiko/ewarong.html",
        _context(
            periode,
            ewarong=ewarong,
            skor=skor,
            signals=[(s, LABEL.get(s.jenis, s.jenis)) for s in signals],
            history=history,
            bisa_temuan=user.has_perm("monev.add_temuan"),
        ),
    )


@login_required
@require_POST
def sinyal_jadikan_temuan(request, pk):
    sinyal = get_scoped_or_404(SinyalRisiko.objects.select_related("ewarong", "periode"), request.user, pk=pk)
    require_perm(request.user, "monev.add_temuan")
    temuan, created = jadikan_temuan(sinyal, request.user)
    if created:
        messages.success(request, f"Temuan dicatat untuk {sinyal.ewarong.nama}: {temuan.judul}.")
    else:
        messages.info(request, f"Sinyal ini sudah menjadi temuan terbuka: {temuan.judul}.")
    return redirect(temuan.get_absolute_url())
