"""Report pages: ask for a report, watch it being built, download its XLSX and PDF.

A user reaches their own reports and the scheduled ones, inside their area (LaporanQuerySet.terlihat);
anything else answers 404. Every download is audited.
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST, require_safe

from monev.laporan import jobs
from monev.laporan.forms import LaporanForm
from monev.models import Laporan
from tikor.shortcuts import audited_download, page_of, require_perm, run_again_and_show

VIEW = "monev.view_laporan"
CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


def _visible(request):
    return Laporan.objects.terlihat(request.user).select_related("wilayah", "bank", "ewarong")


@login_required
def laporan_list(request):
    require_perm(request.user, VIEW)
    form = LaporanForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        laporan = jobs.ask(
            data["jenis"],
            data["bulan"],
            data["wilayah"],
            user=request.user,
            bank=data["bank"],
            ewarong=data["ewarong"],
        )
        return redirect("monev:laporan:detail", pk=laporan.pk)
    page = page_of(request, _visible(request))
    template = "laporan/_daftar.html" if request.htmx else "laporan/daftar.html"
    return render(request, template, {"form": form, "page": page})


def _own(request, pk):
    require_perm(request.user, VIEW)
    return get_object_or_404(_visible(request), pk=pk)


@login_required
@require_safe
def laporan_detail(request, pk):
    laporan = _own(request, pk)
    template = "laporan/_progres.html" if request.htmx else "laporan/detail.html"
    return render(request, template, {"laporan": laporan})


@login_required
@require_POST
def laporan_ulang(request, pk):
    return run_again_and_show(request, _own(request, pk), "monev:laporan:detail")


@login_required
@require_safe
def laporan_unduh(request, pk, format):
    laporan = _own(request, pk)
    if format not in CONTENT_TYPES:
        raise Http404("Format tidak dikenal.")
    berkas = laporan.berkas_xlsx if format == "xlsx" else laporan.berkas_pdf
    return audited_download(
        request.user,
        laporan,
        berkas,
        rows=laporan.ringkasan.get("baris", 1),
        content_type=CONTENT_TYPES[format],
        laporan=laporan.pk,
        jenis=laporan.jenis,
        format=format,
        bulan=laporan.bulan.isoformat(),
        wilayah=laporan.wilayah_id,
    )
