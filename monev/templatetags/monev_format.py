"""Scores on monev pages: a decimal comma (tikor.formatting) and a colour per band. Amounts: tikor_format."""

from django import template

from monev.profil import BUKTI_LABEL
from tikor.formatting import angka

register = template.Library()


@register.filter
def skor(value):
    if value is None:
        return "–"
    return angka(value, 1)


@register.filter
def skor_kelas(value):
    """A Bootstrap colour for a score: red below 60, amber below 80, green otherwise."""
    if value is None:
        return "secondary"
    return "danger" if value < 60 else "warning" if value < 80 else "success"


@register.filter
def keparahan_kelas(value):
    return {"kritis": "danger", "tinggi": "warning", "sedang": "info", "rendah": "secondary"}.get(value, "light")


@register.filter
def label_bukti(key):
    """The header of a column of a risk signal's evidence: "nik" -> "NIK", "kpm_dilayani" -> "KPM dilayani"."""
    return BUKTI_LABEL.get(key, str(key).replace("_", " ").capitalize())
