"""Indonesian figures, one way everywhere: pages (the tikor_format filters), files, reports and messages.

Rp1.234.567, 206.438, 87,7 %, 25 November 2026, in Asia/Jakarta time. Amounts round half up to whole rupiah.
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.db import connection
from django.utils import timezone

# Indonesia has no daylight saving: a fixed offset is exact, and cheaper than a zone lookup per row.
JAKARTA = datetime.timezone(datetime.timedelta(hours=7), "WIB")

NAMA_BULAN = (
    "", "Januari", "Februari", "Maret", "April", "Mei", "Juni",
    "Juli", "Agustus", "September", "Oktober", "November", "Desember",
)  # fmt: skip


def _decimal(value):
    try:
        # str() first: a float such as 0.8765 is really 0.87649..., which would round down.
        return Decimal(str(value))
    except (InvalidOperation, TypeError, ValueError):
        return None


def _grouped(whole):
    """Thousands grouped with dots: 1234567 -> "1.234.567" (the sign stays in front)."""
    return f"{whole:,}".replace(",", ".")


def angka(value, decimals=0):
    """206438 -> "206.438"; with decimals, a decimal comma: 12.5 -> "12,5". Empty for what is not a number."""
    number = _decimal(value)
    if number is None or not number.is_finite():
        return ""
    decimals = int(decimals)
    number = number.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    sign = "-" if number < 0 else ""
    whole, _dot, fraction = f"{abs(number):f}".partition(".")
    text = _grouped(int(whole))
    return f"{sign}{text},{fraction}" if decimals else f"{sign}{text}"


def rupiah(value):
    """1234567 -> "Rp1.234.567"; a negative amount keeps its sign in front: "-Rp5.000"."""
    text = angka(value)
    if not text:
        return ""
    return f"-Rp{text[1:]}" if text.startswith("-") else f"Rp{text}"


def persen(share, decimals=1):
    """0.8765 -> "87,7%", for shares stored as fractions."""
    number = _decimal(share)
    if number is None or not number.is_finite():
        return ""
    return f"{angka(number * 100, decimals)}%"


def tanggal(value, with_time=False):
    """25 November 2026 (and 14.05 WIB with the time); an aware datetime is shown in Jakarta time."""
    if value is None or value == "":
        return ""
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = value.astimezone(JAKARTA)
        text = f"{value.day} {NAMA_BULAN[value.month]} {value.year}"
        return f"{text} {value:%H.%M} WIB" if with_time else text
    return f"{value.day} {NAMA_BULAN[value.month]} {value.year}"


def jam(value):
    """An aware datetime as Jakarta's local date and time in figures: 25-11-2026 14:05."""
    return value.astimezone(JAKARTA).strftime("%d-%m-%Y %H:%M")


def db_moment(moment):
    """A datetime as a timestamp column takes it in raw SQL or COPY text.

    A naive datetime is Jakarta's local time. PostgreSQL gets the offset; Django keeps aware datetimes on
    SQLite as naive UTC text, so SQLite gets UTC without one.
    """
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=JAKARTA)
    if connection.vendor == "postgresql":
        return moment.isoformat(sep=" ")
    return moment.astimezone(datetime.UTC).strftime("%Y-%m-%d %H:%M:%S")
