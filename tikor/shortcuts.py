"""What every page of the site does the same way: fetch a row through the gate, check a right, list rows a page at
a time, and serve a stored file with a row in the audit log.

Outside the user's area a row answers 404, as if it did not exist; inside it without the right, 403.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render

from tikor import audit, jobs
from tikor.nik import may_see_full_numbers

PER_PAGE = 50
PAGE_PARAM = "halaman"  # the page number in the query string; templates/_pager.html keeps the rest of it


def get_scoped_or_404(model_or_queryset, user, perm=None, **lookup):
    """The one row matching `lookup` among those `user` may see (`for_user`); 404 when there is none.

    With `perm`, then 403 unless the user holds it: the row is looked for first, so outside the area stays 404.
    """
    queryset = getattr(model_or_queryset, "objects", model_or_queryset)
    obj = get_object_or_404(queryset.for_user(user), **lookup)
    if perm:
        require_perm(user, perm)
    return obj


def require_perm(user, perm):
    """403 unless `user` holds `perm`."""
    if not user.has_perm(perm):
        raise PermissionDenied


def page_of(request, queryset, count=None):
    """The page of PER_PAGE rows that ?halaman= asks for: the first when it is missing or not a number, the last
    when it is past the end. A `count` already known (from a summary) spares the paginator its COUNT query."""
    paginator = Paginator(queryset, PER_PAGE)
    if count is not None:
        paginator.count = count  # a cached_property: the instance attribute stands in for it
    return paginator.get_page(request.GET.get(PAGE_PARAM))


def list_page(request, template, queryset, *, param=None, choices=(), default="", methods=False, **context):
    """A list page: a page of `queryset`, narrowed by the choice in ?<param>=, rendered with `template`.

    `choices`, (value, label) pairs, are the tabs the page offers (templates/_pilihan.html); the choice is
    `default` when the parameter is absent. With `methods`, a choice names a QuerySet method (?filter=terlambat:
    `.terlambat()`) and any other value shows every row; without, it is a value of the field `param`
    (?status=dikirim) and an empty one shows every row. The template gets `page`, `param`, `pilihan` and
    `terpilih` (the choice).
    """
    choice = request.GET.get(param, default) if param else ""
    if methods:
        method = getattr(queryset, choice, None) if choice in dict(choices) else None
        queryset = method() if method else queryset
    elif choice:
        queryset = queryset.filter(**{param: choice})
    context.update(page=page_of(request, queryset), param=param, pilihan=choices, terpilih=choice)
    return render(request, template, context)


def audited_download(user, obj, file, *, rows=1, as_attachment=True, content_type=None, **details):
    """Serve the stored `file` of `obj` (a visit photo, a document, a file a job made) to `user`.

    What leaves the system leaves a row in the audit log: `rows` it holds, and `details` as its keterangan.
    No file (a job that made none): 404.
    """
    if not file:
        raise Http404("Berkas ini tidak ada.")
    opened = file.open("rb")
    audit.catat_ekspor(user, obj._meta.label_lower, rows, **details)
    filename = file.name.rsplit("/", 1)[-1]
    return FileResponse(opened, as_attachment=as_attachment, filename=filename, content_type=content_type)


def job_file_download(user, job, file, rows):
    """A file a job made (rejected rows, registry rows the file lacks): whole NIKs inside, as uploaded, so only
    those who may see full numbers download it (tikor.nik.may_see_full_numbers), and it is audited."""
    if not may_see_full_numbers(user):
        raise PermissionDenied
    return audited_download(
        user, job, file, rows=rows, berkas_hasil_impor=file.field.name, impor=job.pk, berkas=job.nama_berkas
    )


def run_again_and_show(request, job, detail):
    """The "Jalankan ulang" of a failed job: back in the queue (audited), or the reason it may not be, then
    the job's page (`detail`, a URL name taking its pk)."""
    try:
        jobs.run_again(job, request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(detail, pk=job.pk)
