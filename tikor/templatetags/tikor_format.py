"""Template filters for Indonesian figures: {% load tikor_format %} then {{ amount|rupiah }}.

Thin wrappers over tikor.formatting, so a page, a file and a report write a figure the same way; and
samarkan_nomor, over tikor.nik, for the personal numbers people type into free text.
"""

from django import template

from tikor import formatting, nik

register = template.Library()


@register.filter
def rupiah(value):
    """1234567 -> "Rp1.234.567"; negative amounts keep their sign in front: "-Rp5.000"."""
    return formatting.rupiah(value)


@register.filter
def angka(value, decimals=0):
    """41288 -> "41.288"; {{ x|angka:1 }} -> "12,5"."""
    return formatting.angka(value, decimals)


@register.filter
def persen(value, decimals=1):
    """0.8765 -> "87,7%", for shares stored as fractions."""
    return formatting.persen(value, decimals)


@register.filter
def tanggal(value, with_time=False):
    """25 November 2026; {{ t|tanggal:"jam" }} adds the Jakarta time: 25 November 2026 14.05 WIB."""
    return formatting.tanggal(value, with_time=bool(with_time))


@register.filter
def samarkan_nomor(text, user=None):
    """Free text people typed (a complaint, a finding, minutes) with every NIK, No KK or KKS number in it masked,
    unless `user` may see them whole anywhere (tikor.nik.may_see_full_numbers): {{ x.isi|samarkan_nomor:user }}.
    Without a user (a PDF for the Tikor, a public page) they are always masked."""
    if not text:
        return text
    return str(text) if nik.may_see_full_numbers(user) else nik.mask_numbers_in_text(str(text))
