"""Scorecards: the ranking of e-warong or suppliers, and one subject's monthly scores."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_safe

from monev import sanctions, scoring
from monev.models import Aspek
from penyaluran.registri.models import EWarong, Penyedia
from tikor.shortcuts import get_scoped_or_404


@login_required
@require_safe
def skor_ringkasan(request):
    group = "penyedia" if request.GET.get("per") == "penyedia" else "ewarong"
    context = {"baris": scoring.ranking(request.user, group), "per": group, "aspek": Aspek.choices}
    return render(request, "monev/skor_ringkasan.html", context)


@login_required
@require_safe
def skor_ewarong(request, pk):
    ewarong = get_scoped_or_404(EWarong, request.user, pk=pk)
    bulanan = scoring.ewarong_scorecard(request.user, ewarong)
    return _kartu(request, ewarong, "e-warong", bulanan=bulanan, riwayat_status=sanctions.status_history(ewarong))


@login_required
@require_safe
def skor_penyedia(request, pk):
    penyedia = get_scoped_or_404(Penyedia, request.user, pk=pk)
    bulanan, per_ewarong = scoring.penyedia_scorecard(request.user, penyedia)
    return _kartu(request, penyedia, "penyedia", bulanan=bulanan, per_ewarong=per_ewarong)


def _kartu(request, subjek, jenis, **context):
    """One subject's scorecard: its months, and its e-warong (a supplier) or its status history (an e-warong)."""
    return render(
        request, "monev/skor_kartu.html", {"subjek": subjek, "jenis": jenis, "aspek": Aspek.choices, **context}
    )
