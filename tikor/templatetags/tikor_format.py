"""Template filters for Indonesian figures: {% load tikor_format %} then {{ amount|rupiah }}."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def rupiah(value):
    """1234567 -> "Rp1.234.567"; negative amounts keep their sign in front: "-Rp5.000"."""
    try:
        amount = Decimal(str(value)).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    except (InvalidOperation, TypeError, ValueError):
        return ""
    sign = "-" if amount < 0 else ""
    return f"{sign}Rp{number_format(abs(amount), decimal_pos=0, use_l10n=True, force_grouping=True)}"


@register.filter
def persen(value, decimals=1):
    """0.8765 -> "87,7%", for shares stored as fractions."""
    try:
        # str() first: a float such as 0.8765 is really 0.87649..., which would round down.
        share = (Decimal(str(value)) * 100).quantize(Decimal(1).scaleb(-int(decimals)), rounding=ROUND_HALF_UP)
    except (InvalidOperation, TypeError, ValueError):
        return ""
    return f"{number_format(share, decimal_pos=int(decimals), use_l10n=True)}%"
