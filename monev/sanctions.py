"""The sanction ladder: a recorded step moves the e-warong's status, saved through the model so history keeps it."""

from django.core.exceptions import ValidationError

from monev.models import LangkahSanksi
from penyaluran.registri.models import EWarong

LADDER = [
    EWarong.Status.AKTIF,
    EWarong.Status.PEMBINAAN,
    EWarong.Status.TEGURAN,
    EWarong.Status.DIREKOMENDASIKAN_NONAKTIF,
    EWarong.Status.NONAKTIF,
]
STATUS_FOR_STEP = {
    LangkahSanksi.PEMBINAAN: EWarong.Status.PEMBINAAN,
    LangkahSanksi.TEGURAN: EWarong.Status.TEGURAN,
    LangkahSanksi.REKOMENDASI_BANK: EWarong.Status.DIREKOMENDASIKAN_NONAKTIF,
    LangkahSanksi.PENONAKTIFAN: EWarong.Status.NONAKTIF,
}


def check_right(user, step):
    """Steps involving the bank are the secretariat's to record (Dinsos recommends, the bank decides)."""
    if step in LangkahSanksi.berat() and not user.has_perm("monev.catat_sanksi_berat"):
        raise ValidationError("Rekomendasi ke bank dan penonaktifan dicatat oleh sekretariat.")


def record_sanction(action, user):
    """Move the e-warong up to the step's status. A lower step than the current one never lowers it."""
    target = STATUS_FOR_STEP.get(action.langkah_sanksi)
    if target is None:
        return False
    ewarong = EWarong.objects.select_for_update().get(pk=action.temuan.ewarong_id)
    if LADDER.index(target) <= LADDER.index(ewarong.status):
        return False
    ewarong.status = target
    # django-simple-history reads these two attributes when it writes the historical row.
    ewarong._change_reason = (
        f"{LangkahSanksi(action.langkah_sanksi).label} atas temuan #{action.temuan_id}: {action.temuan.judul}"
    )[:100]
    ewarong._history_user = user
    ewarong.save()
    return True


def status_history(ewarong, limit=50):
    """The e-warong's status changes, newest first, from its django-simple-history rows."""
    rows = ewarong.history.order_by("history_date", "history_id").values(
        "history_date", "status", "history_change_reason", "history_user__username"
    )
    changes, previous = [], None
    for row in rows:
        if row["status"] != previous:
            label = EWarong.Status(row["status"]).label if row["status"] in EWarong.Status.values else row["status"]
            changes.append({**row, "status_label": label})
            previous = row["status"]
    return changes[::-1][:limit]
