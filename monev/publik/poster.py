"""The A4 complaint poster of an e-warong: its QR code to the public page, what a KPM may expect, the national
channels. One page per e-warong, so a kecamatan prints in one PDF."""

import base64

import qrcode
import qrcode.image.svg
from django.urls import reverse

from monev.models import KodePublik
from monev.publik import hak
from tikor.pdf import render_pdf


def qr_svg(data):
    """A QR code as an SVG data URI: vector, so it prints sharp at any size (error correction M: a smudge or a
    fold of the poster still scans)."""
    image = qrcode.make(
        data,
        image_factory=qrcode.image.svg.SvgPathImage,
        error_correction=qrcode.constants.ERROR_CORRECT_M,
        border=4,
    )
    return "data:image/svg+xml;base64," + base64.b64encode(image.to_string()).decode("ascii")


def alamat_publik(base_url, kode):
    return f"{base_url}{reverse('publik:ewarong', args=[kode])}"


def poster_pdf(ewarong_list, base_url):
    """PDF bytes: one poster per e-warong of `ewarong_list` (each must hold an active code)."""
    kode = dict(
        KodePublik.objects.aktif().filter(ewarong__in=[e.pk for e in ewarong_list]).values_list("ewarong", "kode")
    )
    manfaat, bulan = hak.manfaat_bulan_ini()
    posters = []
    for ewarong in ewarong_list:
        url = alamat_publik(base_url, kode[ewarong.pk])
        kelurahan = ewarong.kelurahan
        posters.append(
            {
                "nama": ewarong.nama,
                "alamat": ewarong.alamat,
                "wilayah": f"Kel. {kelurahan.nama_singkat}, Kec. {kelurahan.induk.nama_singkat}" if kelurahan else "",
                "kode": kode[ewarong.pk],
                "url": url,
                "url_tampil": url.split("://", 1)[-1],
                "qr": qr_svg(url),
            }
        )
    return render_pdf(
        "publik/poster.html",
        {
            "posters": posters,
            "manfaat": manfaat,
            "bulan": bulan,
            "kelompok": hak.KELOMPOK_KOMODITAS,
            "aturan": hak.ATURAN,
            "kanal": hak.KANAL_NASIONAL,
        },
    )
