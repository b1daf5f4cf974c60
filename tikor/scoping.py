"""The one gate for visibility: which rows a user may see, by region and, for bank staff, by bank.

Every queryset a person can reach (views, admin, form choices, exports, reports) goes through
`Model.objects.for_user(user)`, which calls `restrict` below. A user's area is a set of
Wilayah; a code is a subtree (31.71 holds everything in Jakarta Pusat). Rows without a region
are invisible to area-limited users, and rows without a bank to a bank's staff: the gate fails closed.
"""

from dataclasses import dataclass

from django.apps import apps
from django.db import models


@dataclass(frozen=True)
class Scope:
    everywhere: bool = False
    codes: frozenset = frozenset()  # every Wilayah code inside the area, at all levels
    bank_id: int | None = None
    akses_sementara: tuple = ()  # ids of the temporary accesses (AksesSementara) in force, part of `codes`

    @property
    def nothing(self):
        return not self.everywhere and not self.codes


class _Semua:
    """Background work that counts for every area at once, into summaries people then read through the gate
    (e.g. the stored reconciliation). Never a person, never a request: nothing it computes is shown unfiltered."""

    is_authenticated = True
    scope = Scope(everywhere=True)
    full_numbers = True  # tikor.nik.may_see_full_numbers

    def __str__(self):
        return "sistem"


SEMUA = _Semua()


def restrict(queryset, user):
    """Narrow `queryset` to the rows `user` may see. The model's queryset says where its region is."""
    scope = user.scope if getattr(user, "is_authenticated", False) else Scope()
    if scope.nothing:
        return queryset.none()
    qs_class = type(queryset)
    if not scope.everywhere:
        in_area = models.Q()
        for path in qs_class.scope_paths:
            in_area |= models.Q(**{f"{path}__in": scope.codes})
        if qs_class.scope_spans_many:
            # A path across a to-many relation would repeat rows; filter by key instead.
            queryset = queryset.filter(pk__in=queryset.model._base_manager.filter(in_area).values("pk"))
        else:
            queryset = queryset.filter(in_area)
    if scope.bank_id and qs_class.bank_path:
        queryset = queryset.filter(_of_bank(qs_class.bank_path, scope.bank_id))
    return queryset


def _of_bank(bank_path, bank_id):
    """Rows whose bank, along any of the paths, is the staff's bank; a row with no bank on any path matches none."""
    paths = (bank_path,) if isinstance(bank_path, str) else bank_path
    of_bank = models.Q()
    for path in paths:
        of_bank |= models.Q(**{path: bank_id})
    return of_bank


class ScopedQuerySet(models.QuerySet):
    """Base for every model a user sees by area. Subclasses name where the region is."""

    scope_paths: tuple = ("kelurahan",)  # lookups ending at a Wilayah
    scope_spans_many: bool = False
    # For a bank's staff: a lookup ending at the Bank, or a tuple of them when a row may belong to a bank
    # along more than one (a complaint about an e-warong or a KPM); any one of them is enough.
    bank_path: str | tuple | None = None

    def for_user(self, user):
        return restrict(self, user)

    def in_wilayah(self, kode):
        """Rows inside a region's subtree, for filters (the caller has already scoped)."""
        Wilayah = apps.get_model("tikor", "Wilayah")
        codes = Wilayah.objects.under(kode).values("kode")
        area = models.Q()
        for path in self.scope_paths:
            area |= models.Q(**{f"{path}__in": codes})
        if self.scope_spans_many:
            return self.filter(pk__in=self.model._base_manager.filter(area).values("pk"))
        return self.filter(area)
