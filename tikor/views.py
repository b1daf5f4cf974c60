import io
import secrets

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from tikor import audit, health
from tikor.forms import AksesSementaraForm, AuditFilterForm
from tikor.models import AksesSementara, Notifikasi
from tikor.shortcuts import page_of, require_perm


@never_cache
@require_safe
def sehat(request):
    """Liveness for the load balancer and docker-compose: the process runs and the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


@never_cache
@require_safe
def sehat_rinci(request):
    """Health for operators: database, broker, workers, disk and jobs, each on its own; 503 when one is down.

    For a monitor with the HEALTH_TOKEN header (X-Sehat-Token), or a signed-in superuser; 404 for anyone else.
    """
    token = settings.HEALTH_TOKEN
    allowed = (token and secrets.compare_digest(request.headers.get("X-Sehat-Token", ""), token)) or (
        request.user.is_authenticated and request.user.is_superuser
    )
    if not allowed:
        raise Http404
    ok, checks = health.report()
    return JsonResponse({"status": "ok" if ok else "bermasalah", "pemeriksaan": checks}, status=200 if ok else 503)


@login_required
@require_safe
def notifikasi(request):
    """The user's notifications, newest first; opening the page marks them read."""
    queryset = Notifikasi.objects.filter(pengguna=request.user)
    page = page_of(request, queryset)
    unread = [n.pk for n in page.object_list if n.dibaca_pada is None]
    response = render(request, "notifikasi.html", {"page": page, "belum_dibaca": set(unread)})
    Notifikasi.objects.filter(pk__in=unread).update(dibaca_pada=timezone.now())
    return response


# --- audit (secretariat) ----------------------------------------------------------------------------------------


@login_required
def audit_list(request):
    """Sign-ins, full numbers seen, exports and downloads, imports, changes and temporary access, filtered."""
    require_perm(request.user, "tikor.view_auditlog")
    form = AuditFilterForm(request.GET or None)
    page = page_of(request, audit.entries(**form.filters()))
    for entry in page.object_list:
        entry.ringkas = audit.keterangan_singkat(entry)
    context = {"form": form, "page": page, "retensi": settings.AUDIT_RETENTION_DAYS}
    return render(request, "audit/daftar.html", context)


@login_required
def audit_xlsx(request):
    """The filtered list as XLSX (at most AUDIT_XLSX_MAX rows, newest first); the download is audited too."""
    from tikor.xlsx_stream import write_table

    require_perm(request.user, "tikor.view_auditlog")
    form = AuditFilterForm(request.GET or None)
    filters = form.filters()
    rows = audit.entries(**filters)[: audit.AUDIT_XLSX_MAX]
    lines = [
        [
            timezone.localtime(e.waktu).strftime("%d-%m-%Y %H:%M:%S"),
            e.pengguna.username if e.pengguna else "",
            e.get_aksi_display(),
            e.objek,
            e.jumlah_baris,
            audit.keterangan_singkat(e),
        ]
        for e in rows
    ]
    buffer = io.BytesIO()
    write_table(
        buffer,
        "Log audit",
        ["Waktu (WIB)", "Pengguna", "Jenis", "Objek", "Jumlah baris", "Keterangan"],
        lines,
        widths=[20, 18, 24, 24, 12, 80],
    )
    audit.catat_ekspor(
        request.user,
        "tikor.auditlog",
        len(lines),
        filter={k: str(getattr(v, "username", v)) for k, v in filters.items()},
        format="xlsx",
    )
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="log-audit-{timezone.localdate():%Y%m%d}.xlsx"'
    return response


@login_required
def akses_list(request):
    """Temporary access of pendamping to another kecamatan: the list, and a form to grant one."""
    require_perm(request.user, "tikor.add_aksessementara")
    form = AksesSementaraForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        akses = form.save(commit=False)
        akses.dibuat_oleh = request.user
        akses.save()
        messages.success(request, f"Akses sementara diberikan: {akses}.")
        return redirect("akses_list")
    rows = AksesSementara.objects.select_related("pengguna", "wilayah", "dibuat_oleh", "dicabut_oleh")
    return render(request, "audit/akses.html", {"form": form, "page": page_of(request, rows), "now": timezone.now()})


@login_required
@require_POST
def akses_cabut(request, pk):
    require_perm(request.user, "tikor.change_aksessementara")
    akses = get_object_or_404(AksesSementara, pk=pk)
    if akses.dicabut_pada is None:
        akses.dicabut_pada, akses.dicabut_oleh = timezone.now(), request.user
        akses.save(update_fields=["dicabut_pada", "dicabut_oleh"])
        messages.success(request, f"Akses sementara dicabut: {akses}.")
    return redirect("akses_list")
