"""Pages of the registry: import (secretariat only) and export (every role, inside its area)."""

import tempfile

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from penyaluran.registri import exports
from penyaluran.registri.forms import ConfirmForm, ExportForm, ImportForm
from penyaluran.registri.imports import create_job
from penyaluran.registri.models import ExportJob, ImportJob
from tikor import jobs
from tikor.shortcuts import job_file_download, run_again_and_show

may_import = permission_required("penyaluran.impor_registri", raise_exception=True)


@login_required
@may_import
def impor(request):
    form = ImportForm(request.POST or None, request.FILES or None, initial={"jenis": request.GET.get("jenis")})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        job = create_job(
            data["jenis"],
            data["berkas"],
            user=request.user,
            dry_run=True,
            skip_invalid=data["lewati_tidak_valid"],
            complete=data["registri_lengkap"],
        )
        jobs.send(job)
        return redirect("penyaluran:impor_detail", pk=job.pk)
    recent = ImportJob.objects.select_related("dibuat_oleh")[:20]
    return render(
        request, "penyaluran/impor.html", {"form": form, "jobs": recent, "export_kinds": _export_kinds(request)}
    )


@login_required
@may_import
def impor_detail(request, pk):
    job = get_object_or_404(ImportJob.objects.select_related("dibuat_oleh", "pratinjau"), pk=pk)
    context = {
        "job": job,
        "earlier": job.earlier_imports().select_related("dibuat_oleh")[:3],
        "saved_as": jobs.written_from(job),
        "confirm": ConfirmForm(job, data={}),
    }
    return render(request, "penyaluran/impor_detail.html", context)


@login_required
@may_import
def impor_progres(request, pk):
    """The progress fragment htmx polls; once the job has ended the whole page reloads to show the outcome."""
    job = get_object_or_404(ImportJob, pk=pk)
    response = render(request, "penyaluran/_impor_progres.html", {"job": job})
    if job.selesai_berjalan and request.htmx:
        response["HX-Refresh"] = "true"
    return response


@login_required
@may_import
@require_POST
def impor_simpan(request, pk):
    preview = get_object_or_404(ImportJob, pk=pk)
    form = ConfirmForm(preview, data=request.POST)
    if not form.is_valid():
        for error in form.non_field_errors():
            messages.error(request, error)
        return redirect("penyaluran:impor_detail", pk=preview.pk)
    try:
        job = jobs.save_from_preview(
            preview,
            lambda: create_job(
                preview.jenis,
                None,
                user=request.user,
                dry_run=False,
                skip_invalid=preview.lewati_tidak_valid,
                complete=preview.registri_lengkap,
                preview=preview,
            ),
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("penyaluran:impor_detail", pk=preview.pk)
    return redirect("penyaluran:impor_detail", pk=job.pk)


@login_required
@may_import
@require_POST
def impor_ulang(request, pk):
    """Run a failed import job again, on the same file."""
    return run_again_and_show(request, get_object_or_404(ImportJob, pk=pk), "penyaluran:impor_detail")


@login_required
@may_import
def impor_baris_ditolak(request, pk):
    job = get_object_or_404(ImportJob, pk=pk)
    return job_file_download(request.user, job, job.berkas_kesalahan, job.jumlah_tidak_valid)


@login_required
@may_import
def impor_tidak_ada(request, pk):
    job = get_object_or_404(ImportJob, pk=pk)
    return job_file_download(request.user, job, job.berkas_tidak_ada, job.jumlah_tidak_ada)


# -- export --------------------------------------------------------------------------------------------------


def _export_kinds(request):
    return [
        (kind, title)
        for kind, title in exports.TITLES.items()
        if request.user.has_perm(f"penyaluran.view_{exports.MODELS[kind]._meta.model_name}")
    ]


def _kind_or_404(request, jenis):
    if jenis not in exports.MODELS:
        raise Http404("Jenis data tidak dikenal.")
    if not request.user.has_perm(f"penyaluran.view_{exports.MODELS[jenis]._meta.model_name}"):
        raise PermissionDenied
    return jenis


@login_required
def ekspor(request, jenis):
    kind = _kind_or_404(request, jenis)
    form = ExportForm(request.user, kind, request.GET or None)
    if not form.is_bound:
        return render(
            request,
            "penyaluran/ekspor.html",
            {"form": form, "jenis": kind, "title": exports.TITLES[kind], "export_kinds": _export_kinds(request)},
        )
    if not form.is_valid():
        if "wilayah" in form.errors:
            # A region outside the user's area answers as if it did not exist.
            raise Http404("Wilayah tidak ditemukan.")
        return render(
            request,
            "penyaluran/ekspor.html",
            {"form": form, "jenis": kind, "title": exports.TITLES[kind], "export_kinds": _export_kinds(request)},
        )
    filters, file_format = form.filters(), form.cleaned_data["format"]
    queryset = exports.scoped_queryset(kind, request.user, filters)
    count = queryset.count()
    if count > exports.DIRECT_LIMIT:
        job = ExportJob.objects.create(jenis=kind, format=file_format, filter=filters, dibuat_oleh=request.user)
        jobs.send(job)
        return redirect("penyaluran:ekspor_detail", pk=job.pk)
    exports.audit(request.user, kind, exports.describe_filters(filters), file_format, count, "halaman ekspor")
    name = exports.filename(kind, file_format)
    if file_format == "csv":
        response = StreamingHttpResponse(
            exports.iter_csv(kind, queryset, request.user), content_type="text/csv; charset=utf-8"
        )
    else:
        # FileResponse closes the file when the response is done.
        target = tempfile.TemporaryFile()  # noqa: SIM115
        exports.write_xlsx(kind, queryset, request.user, target)
        target.seek(0)
        response = FileResponse(
            target, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _own_export(request, pk):
    # Someone else's export answers 404, as if it did not exist.
    return get_object_or_404(ExportJob, pk=pk, dibuat_oleh=request.user)


@login_required
def ekspor_detail(request, pk):
    job = _own_export(request, pk)
    template = "penyaluran/_ekspor_status.html" if request.htmx else "penyaluran/ekspor_detail.html"
    return render(request, template, {"job": job, "title": exports.TITLES[job.jenis]})


@login_required
@require_POST
def ekspor_ulang(request, pk):
    return run_again_and_show(request, _own_export(request, pk), "penyaluran:ekspor_detail")


@login_required
def ekspor_unduh(request, pk):
    job = _own_export(request, pk)
    if not job.berkas:
        raise Http404("Berkas belum tersedia.")
    berkas = job.berkas.open("rb")
    # Audited at each download, when the rows leave; the job row keeps when and for whom the file was built.
    filters = exports.describe_filters(job.filter)
    exports.audit(request.user, job.jenis, filters, job.format, job.jumlah_baris, "tugas latar", ekspor=job.pk)
    return FileResponse(berkas, as_attachment=True, filename=exports.filename(job.jenis, job.format))
