"""Indonesian formats for monev pages: Rp1.234.567 and scores with a decimal comma."""

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def rupiah(value):
    if value in (None, ""):
        return "–"
    try:
        return f"Rp{number_format(int(value), force_grouping=True)}"
    except (TypeError, ValueError):
        return value


@register.filter
def skor(value):
    if value is None:
        return "–"
    return number_format(round(float(value), 1), decimal_pos=1)


@register.filter
def skor_kelas(value):
    """A Bootstrap colour for a score: red below 60, amber below 80, green otherwise."""
    if value is None:
        return "secondary"
    return "danger" if value < 60 else "warning" if value < 80 else "success"


@register.filter
def keparahan_kelas(value):
    return {"kritis": "danger", "tinggi": "warning", "sedang": "info", "rendah": "secondary"}.get(value, "light")
