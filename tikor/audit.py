"""The audit trail: what is written to AuditLog besides exports and imports (sign-ins, admin changes, full numbers
seen, each use of a temporary access), the filters of the audit page, and the retention.

Exports, downloads and imports write their rows where they happen (tikor.shortcuts.audited_download, the jobs).
"""

import datetime

from django.conf import settings
from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.utils import timezone

from tikor.models import AuditLog, Role
from tikor.nik import mask_numbers_in_text

AUDIT_XLSX_MAX = 100_000  # rows in one download of the audit page; narrow the filter for more
TINDAKAN_ADMIN = {ADDITION: "tambah", CHANGE: "ubah", DELETION: "hapus"}


def _ip(request):
    return request.META.get("REMOTE_ADDR", "") if request is not None else ""


def catat_lihat_lengkap(request, obj):
    """A page showed `obj`'s NIK, No KK and KKS number in full to the request's user."""
    AuditLog.objects.create(
        pengguna=request.user,
        aksi=AuditLog.Aksi.LIHAT,
        objek=obj._meta.label_lower,
        jumlah_baris=1,
        keterangan={obj._meta.model_name: obj.pk, "data": ["NIK", "No KK", "nomor KKS"], "halaman": request.path},
    )


def catat_ekspor(user, objek, rows, **keterangan):
    """Data left the system: `user` exported or downloaded `rows` rows of `objek` (a model label); `keterangan`
    says which filter, file or format."""
    return AuditLog.objects.create(
        pengguna=user, aksi=AuditLog.Aksi.EKSPOR, objek=objek, jumlah_baris=rows, keterangan=keterangan
    )


# --- signals (connected in TikorConfig.ready) ------------------------------------------------------------------


def on_login(sender, request, user, **kwargs):
    # A session made without a real request (the test client's force_login, a shell) is not a sign-in.
    if request is None or not _ip(request):
        return
    AuditLog.objects.create(
        pengguna=user, aksi=AuditLog.Aksi.MASUK, objek="tikor.user", keterangan={"ip": _ip(request)}
    )


def on_login_failed(sender, credentials, request=None, **kwargs):
    # Django already hides the password in `credentials`; only the name typed is kept.
    AuditLog.objects.create(
        aksi=AuditLog.Aksi.GAGAL_MASUK,
        objek="tikor.user",
        keterangan={"nama_pengguna": str(credentials.get("username", ""))[:150], "ip": _ip(request)},
    )


def on_admin_change(sender, instance, created, **kwargs):
    """Every admin change (Django's LogEntry) is copied to the audit log, so one page lists all changes."""
    if not created:
        return
    AuditLog.objects.create(
        pengguna_id=instance.user_id,
        aksi=AuditLog.Aksi.UBAH,
        objek=instance.content_type.natural_key()[0] + "." + instance.content_type.model
        if instance.content_type_id
        else "",
        jumlah_baris=1,
        keterangan={
            "id": str(instance.object_id),
            "nama": mask_numbers_in_text(instance.object_repr),
            "tindakan": TINDAKAN_ADMIN.get(instance.action_flag, ""),
            "perubahan": mask_numbers_in_text(instance.get_change_message()),
            "lewat": "admin",
        },
    )


# --- temporary access -------------------------------------------------------------------------------------------


class AksesSementaraMiddleware:
    """While a pendamping holds a temporary access in force, every request it makes is logged with the grant."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.role == Role.PENDAMPING:
            grants = user.scope.akses_sementara
            if grants:
                AuditLog.objects.create(
                    pengguna=user,
                    aksi=AuditLog.Aksi.AKSES_SEMENTARA,
                    objek="tikor.aksessementara",
                    keterangan={
                        "akses": list(grants),
                        "metode": request.method,
                        "halaman": request.get_full_path()[:500],
                        "status": response.status_code,
                    },
                )
        return response


# --- the audit page ---------------------------------------------------------------------------------------------


def entries(pengguna=None, aksi=None, objek="", dari=None, sampai=None):
    """The audit rows matching the page's filters, newest first; `dari`/`sampai` are dates, both included."""
    rows = AuditLog.objects.select_related("pengguna").order_by("-waktu", "-id")
    if pengguna is not None:
        rows = rows.filter(pengguna=pengguna)
    if aksi:
        rows = rows.filter(aksi=aksi)
    if objek:
        rows = rows.filter(objek__icontains=objek)
    if dari:
        rows = rows.filter(waktu__gte=_start_of(dari))
    if sampai:
        rows = rows.filter(waktu__lt=_start_of(sampai + datetime.timedelta(days=1)))
    return rows


def _start_of(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def keterangan_singkat(entry):
    """The details of a row as one readable line (keys and values), numbers masked."""
    parts = []
    for key, value in (entry.keterangan or {}).items():
        if isinstance(value, (list, tuple)):
            value = ", ".join(str(v) for v in value)
        parts.append(f"{key}: {value}")
    return mask_numbers_in_text("; ".join(parts))


# --- retention --------------------------------------------------------------------------------------------------


def hapus_kedaluwarsa(now=None):
    """Delete audit rows (and Django's admin change log) older than AUDIT_RETENTION_DAYS. Returns the count."""
    batas = (now or timezone.now()) - datetime.timedelta(days=settings.AUDIT_RETENTION_DAYS)
    deleted, _ = AuditLog.objects.filter(waktu__lt=batas).delete()
    LogEntry.objects.filter(action_time__lt=batas).delete()
    return deleted
