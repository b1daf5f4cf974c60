"""Registry figures for a user's area, computed in the database."""

from django.db.models import Count, Q

from penyaluran.registri.models import Agen, EWarong, Kpm, Penyedia


def registry_counts(user):
    kpm = Kpm.objects.for_user(user).aggregate(total=Count("id"), aktif=Count("id", filter=Q(status=Kpm.Status.AKTIF)))
    ewarong = EWarong.objects.for_user(user).aggregate(
        total=Count("id"), aktif=Count("id", filter=Q(status=EWarong.Status.AKTIF))
    )
    return {
        "kpm": kpm["total"],
        "kpm_aktif": kpm["aktif"],
        "ewarong": ewarong["total"],
        "ewarong_aktif": ewarong["aktif"],
        "agen": Agen.objects.for_user(user).count(),
        "penyedia": Penyedia.objects.for_user(user).count(),
    }
