"""Template context every page gets: the number of unread notifications for the bell."""

from tikor.models import Notifikasi


def notifikasi(request):
    """`notifikasi_baru`: the user's unread notifications, counted only when a template reads it."""
    user = getattr(request, "user", None)
    if not getattr(user, "is_authenticated", False):
        return {}
    return {"notifikasi_baru": lambda: Notifikasi.objects.filter(pengguna=user).belum_dibaca().count()}
