"""Who a report reads as: the asker narrowed to the report's area and bank, so every builder simply asks the
one gate (`Model.objects.for_user(reader)`) and never filters by area itself.

A scheduled report has no asker; it reads as the province.
"""

from dataclasses import dataclass

from tikor.models import Wilayah
from tikor.nik import may_see_full_numbers
from tikor.scoping import Scope

PROVINSI = "31"


@dataclass(frozen=True)
class Pembaca:
    """Enough of a user for the gate and the NIK masking: `scope`, `is_authenticated`, `full_numbers` (read by
    tikor.nik.may_see_full_numbers)."""

    scope: Scope
    full_numbers: bool = False
    is_authenticated: bool = True
    is_active: bool = True


def pembaca(user, kode, bank_id=None):
    """The reader of a report over region `kode` (and one bank) for `user` (None: the province, no full NIK).

    The area is the user's own area cut to the region; a bank's staff stay limited to their bank.
    """
    own = user.scope if user is not None else Scope(everywhere=True)
    bank_id = own.bank_id or bank_id
    if own.everywhere and kode == PROVINSI:
        # The province also holds what has no region (credits for NIKs outside the registry).
        scope = Scope(everywhere=True, bank_id=bank_id)
    else:
        codes = frozenset(Wilayah.objects.under(kode).values_list("kode", flat=True))
        scope = Scope(codes=codes if own.everywhere else codes & own.codes, bank_id=bank_id)
    return Pembaca(scope=scope, full_numbers=may_see_full_numbers(user))
