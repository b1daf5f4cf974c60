"""What changes a meeting or a decision: each is a plain function that writes in one transaction and leaves an
AuditLog row (who, what, which row), called by the views, the demo and the tests alike."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from monev.models import Keputusan, ProgresKeputusan, instansi_of
from monev.rapat import agenda
from tikor.models import AuditLog


def audit(user, obj, aksi, **details):
    AuditLog.objects.create(
        pengguna=user if getattr(user, "is_authenticated", False) else None,
        aksi=AuditLog.Aksi.UBAH,
        objek=obj._meta.label_lower,
        jumlah_baris=1,
        keterangan={"id": obj.pk, "aksi": aksi, **details},
    )


@transaction.atomic
def create_meeting(user, form):
    """Save a new meeting from its form and propose its agenda from the data."""
    rapat = form.save(commit=False)
    rapat.dibuat_oleh = user
    rapat.save()
    form.save_m2m()
    items = agenda.propose(rapat)
    audit(user, rapat, "buat", judul=rapat.judul, butir_agenda=len(items))
    return rapat


def can_update_progress(user, keputusan):
    """The secretariat, or a person of the agency that owns the decision (its only write right)."""
    if user.has_perm("monev.change_keputusan"):
        return True
    return instansi_of(user).filter(pk=keputusan.instansi_id).exists()


@transaction.atomic
def record_progress(user, keputusan, *, catatan, status, tanggal=None):
    """Add a dated entry to the decision's log and move its status. Only the secretariat reopens a done decision."""
    if not can_update_progress(user, keputusan):
        raise PermissionDenied
    keputusan = Keputusan.objects.select_for_update().get(pk=keputusan.pk)
    if keputusan.status == Keputusan.Status.SELESAI and not user.has_perm("monev.change_keputusan"):
        raise PermissionDenied
    day = tanggal or timezone.localdate()
    entry = ProgresKeputusan.objects.create(keputusan=keputusan, tanggal=day, catatan=catatan, status=status, oleh=user)
    before = keputusan.status
    keputusan.status = status
    keputusan.selesai_pada = day if status == Keputusan.Status.SELESAI else None
    keputusan.save(update_fields=["status", "selesai_pada"])
    audit(user, keputusan, "progres", dari=before, menjadi=status, progres=entry.pk)
    return entry


def late_decisions(user, pada=None):
    """Decisions the user may see that are past due and not done, the oldest first: for the dashboards."""
    return (
        Keputusan.objects.for_user(user)
        .terlambat(pada)
        .select_related("instansi", "rapat")
        .order_by("batas_waktu", "id")
    )


def late_decisions_summary(user, limit=5):
    """{"jumlah": n, "teratas": [Keputusan, ...]}: what a dashboard card shows (the lead wires it to the home page)."""
    late = late_decisions(user)
    return {"jumlah": late.count(), "teratas": list(late[:limit])}
