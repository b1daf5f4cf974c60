"""NIK and No KK: normalising what people and spreadsheets type, and validating it.

A NIK has 16 digits: 6 region digits (province, kota, kecamatan), the birth date as DDMMYY
(women add 40 to the day) and a 4-digit serial. A No KK has 16 digits too: 6 region digits,
the issue date as DDMMYY and a serial. Excel turns such a number typed as a number into 15
significant digits or scientific notation; that value is lost and must be refused, not stored.
Forms, admin and imports all call these functions so a value means the same everywhere.
"""

import datetime
import re
import time
from decimal import Decimal

from django.core.exceptions import ValidationError

# Kemendagri province codes; a NIK from outside DKI is valid (people move to Jakarta).
PROVINCE_CODES = frozenset(
    [
        "11",
        "12",
        "13",
        "14",
        "15",
        "16",
        "17",
        "18",
        "19",
        "21",
        "31",
        "32",
        "33",
        "34",
        "35",
        "36",
        "51",
        "52",
        "53",
        "61",
        "62",
        "63",
        "64",
        "65",
        "71",
        "72",
        "73",
        "74",
        "75",
        "76",
        "81",
        "82",
        "91",
        "92",
        "93",
        "94",
        "95",
        "96",
        "97",
    ]
)

_SCIENTIFIC = re.compile(r"^[+-]?\d+([.,]\d+)?[eE][+-]?\d+$")
_SEPARATORS = re.compile(r"[\s.\-]")


def _normalise(value, label):
    """Turn a typed or imported value into a digit string, or raise a clear error.

    Accepts spaces, dots and dashes as separators, a leading apostrophe (Excel's text marker)
    and a trailing ".0" left by a CSV export of a text column. Refuses numbers.
    """
    if value.__class__ is str and len(value) == 16 and value.isascii() and value.isdigit():
        return value  # the usual case, as a text cell holds it: 206.000 of them in one KPM file
    if value is None:
        raise ValidationError(f"{label} wajib diisi.", code="required")
    if isinstance(value, bool):
        raise ValidationError(f"{label} tidak valid.", code="invalid")
    if isinstance(value, (int, float, Decimal)):
        raise ValidationError(
            f"{label} tersimpan sebagai angka di Excel ({value}); digit terakhir bisa hilang. "
            f"Format kolom {label} sebagai Teks lalu ketik ulang nilainya.",
            code="excel_number",
        )
    text = str(value).strip().lstrip("'").strip()
    if not text:
        raise ValidationError(f"{label} wajib diisi.", code="required")
    if _SCIENTIFIC.match(text):
        raise ValidationError(
            f"{label} tertulis dalam notasi ilmiah ({text}): Excel menyimpannya sebagai angka sehingga "
            f"digitnya hilang. Format kolom {label} sebagai Teks lalu ketik ulang nilainya.",
            code="scientific",
        )
    if text.endswith(".0") and text[:-2].isdigit():
        text = text[:-2]
    text = _SEPARATORS.sub("", text)
    if not (text.isascii() and text.isdigit()):
        raise ValidationError(f"{label} hanya boleh berisi angka: {value!s}.", code="not_digits")
    if len(text) != 16:
        raise ValidationError(f"{label} harus 16 digit, yang tertulis {len(text)} digit: {text}.", code="length")
    return text


def _check_region(text, label):
    if text[:2] not in PROVINCE_CODES:
        raise ValidationError(f"{label} {text}: kode provinsi {text[:2]} tidak dikenal.", code="region")
    if text[2:4] == "00" or text[4:6] == "00":
        raise ValidationError(f"{label} {text}: kode wilayah {text[:6]} tidak valid.", code="region")


def _date_from(day, month, yy, today):
    """DDMMYY to a date; a two-digit year later than this year belongs to the last century."""
    century = 2000 if yy <= today.year % 100 else 1900
    return datetime.date(century + yy, month, day)


_today_cache = [-1.0, None]


def _today():
    """datetime.date.today(), read again at most once a second: an import checks 206.000 NIK in a row."""
    now = time.monotonic()
    if now - _today_cache[0] > 1:
        _today_cache[:] = [now, datetime.date.today()]
    return _today_cache[1]


def parse_nik(value):
    """Return (nik, birth_date, sex) for a valid NIK, sex being "L" or "P"."""
    text = _normalise(value, "NIK")
    _check_region(text, "NIK")
    day, month, yy = int(text[6:8]), int(text[8:10]), int(text[10:12])
    sex = "L"
    if day > 40:
        day, sex = day - 40, "P"
    today = _today()
    try:
        born = _date_from(day, month, yy, today)
    except ValueError:
        raise ValidationError(
            f"NIK {text}: tanggal lahir {text[6:8]}-{text[8:10]}-{text[10:12]} tidak mungkin "
            "(perempuan: tanggal ditambah 40).",
            code="birth_date",
        ) from None
    if born > today:
        raise ValidationError(f"NIK {text}: tanggal lahir di masa depan.", code="birth_date")
    if text[12:] == "0000":
        raise ValidationError(f"NIK {text}: nomor urut 0000 tidak valid.", code="serial")
    return text, born, sex


def normalize_nik(value):
    """The 16-digit NIK string, or ValidationError in Indonesian."""
    return parse_nik(value)[0]


def normalize_no_kk(value):
    """The 16-digit No KK string, or ValidationError in Indonesian."""
    text = _normalise(value, "No KK")
    _check_region(text, "No KK")
    day, month = int(text[6:8]), int(text[8:10])
    if not (1 <= day <= 31 and 1 <= month <= 12):
        raise ValidationError(
            f"No KK {text}: tanggal terbit {text[6:8]}-{text[8:10]}-{text[10:12]} tidak valid.", code="issue_date"
        )
    return text


def validate_nik(value):
    """Model and form field validator."""
    parse_nik(value)


def validate_no_kk(value):
    normalize_no_kk(value)


def mask_nik(value):
    """3171014506900001 -> 3171**********01, for roles that do not need the full number.

    The same for a No KK and a KKS card number: whoever may not see one in full sees none of them in full."""
    if not value:
        return ""
    value = str(value)
    return value[:4] + "*" * (len(value) - 6) + value[-2:]


# --- who sees the numbers whole ---------------------------------------------------------------------------------

FULL_NUMBERS_PERMISSION = "penyaluran.lihat_nik_lengkap"


def may_see_full_numbers(user, obj=None):
    """The one rule for NIK, No KK and KKS card numbers in full; everything that shows one asks it.

    - A holder of lihat_nik_lengkap (the secretariat, and superusers): everywhere it works, as it keeps the
      registry and reconciles the banks' files: KPM page, admin, exports, reconciliation, reports, import files.
    - A pendamping: on the page of one person (`obj` whose model sets `full_numbers_on_its_page`, the KPM) inside
      its area, its temporary grants included (it meets the household and checks the card). Never in lists,
      exports, reports or files.
    - Tikor kota and anggota Tikor (bank staff included): never.
    Background readers (tikor.scoping.SEMUA, a report's Pembaca) carry the answer as `full_numbers`.
    Showing a full number on a page is logged by the page (AuditLog, aksi "lihat"); exports are audited anyway.
    """
    if user is None or not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", True):
        return False
    carried = getattr(user, "full_numbers", None)
    if carried is not None:
        return bool(carried)
    if user.has_perm(FULL_NUMBERS_PERMISSION):
        return True
    from tikor.models import Role

    if obj is None or not getattr(obj, "full_numbers_on_its_page", False) or user.role != Role.PENDAMPING:
        return False
    return type(obj).objects.for_user(user).filter(pk=obj.pk).exists()


# A NIK or No KK (16 digits) or a KKS card number (16 to 20), standing alone.
_PERSON_NUMBER = re.compile(r"(?<!\d)\d{16,20}(?!\d)")


def mask_numbers_in_text(text):
    """Every run of 16 to 20 digits in `text` masked as mask_nik does; shorter numbers are left alone."""
    return _PERSON_NUMBER.sub(lambda found: mask_nik(found.group()), text)
