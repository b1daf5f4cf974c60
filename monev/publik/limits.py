"""Rate limits of the public pages, counted in the cache by django-ratelimit (Redis in production).

django_ratelimit is not in INSTALLED_APPS on purpose: its system check refuses the local-memory cache that a
laptop without Redis runs on; the counting itself needs no app.
"""

from django.shortcuts import render
from django_ratelimit.core import is_ratelimited

from monev import conf

PESAN = "Terlalu banyak permintaan dari jaringan Anda. Tunggu beberapa menit, lalu coba lagi."
PESAN_ADUAN = (
    "Terlalu banyak pengaduan dikirim dalam waktu singkat, sehingga pengaduan ini belum kami terima. "
    "Tunggu sekitar satu jam lalu kirim lagi, atau sampaikan lewat SMS 1708, LAPOR! (lapor.go.id), "
    "atau call center 171."
)


def halaman_dibatasi(request):
    """Every public page counts against the address: unknown codes tried one after another run out fast."""
    return is_ratelimited(
        request, group="publik-halaman", key="ip", rate=conf.get("MONEV_PUBLIK_HALAMAN_PER_ALAMAT"), increment=True
    )


def aduan_dibatasi(request, kode):
    """A complaint counts against the sender's address and against the e-warong (a flood from many addresses)."""
    per_alamat = is_ratelimited(
        request,
        group="publik-aduan-alamat",
        key="ip",
        rate=conf.get("MONEV_PUBLIK_ADUAN_PER_ALAMAT"),
        method="POST",
        increment=True,
    )
    per_ewarong = is_ratelimited(
        request,
        group="publik-aduan-ewarong",
        key=lambda group, request: kode,
        rate=conf.get("MONEV_PUBLIK_ADUAN_PER_EWARONG"),
        method="POST",
        increment=True,
    )
    return per_alamat or per_ewarong


def terlalu_banyak(request, pesan=PESAN):
    response = render(request, "publik/pesan.html", {"judul": "Coba lagi nanti", "pesan": pesan}, status=429)
    response["Retry-After"] = "600"
    return response
