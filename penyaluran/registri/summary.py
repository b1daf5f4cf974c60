"""Registry counts by kelurahan and bank (RingkasanRegistri), and the figures pages read from them.

Counting the active KPM of the province takes tens of milliseconds at DKI size and grows with the registry; the
summary has one row per kelurahan and bank (about 267 x 6), so a page's count is a sum over at most a few thousand
rows whatever the registry's size. The rows are rebuilt:
- whole, after a registry import writes (registri.imports) and after the demo seed: one grouped query per table;
- per kelurahan, when a single KPM or e-warong is saved or deleted (the receivers below, connected in
  PenyaluranConfig.ready), for the kelurahan it was in and the one it is in now;
- whole, every night, by the beat task perbarui_ringkasan_registri (a safety net for writes that bypass signals,
  e.g. QuerySet.update()).
"""

import contextlib
import threading
from collections import defaultdict

from django.db import connection, transaction
from django.db.models import Count, Q, Sum
from django.db.models.signals import post_delete, post_save, pre_save

from penyaluran.registri.models import EWarong, Kpm, RingkasanRegistri

FIGURES = ("kpm", "kpm_aktif", "ewarong", "ewarong_aktif")
LOCK_KEY = 7_202_101  # pg_advisory_xact_lock key of the rebuild


def _counts(where):
    """{(kelurahan, bank): figures} counted in the registry rows matching `where` (a Q on kelurahan)."""
    figures = defaultdict(lambda: dict.fromkeys(FIGURES, 0))
    for model, total, active in ((Kpm, "kpm", "kpm_aktif"), (EWarong, "ewarong", "ewarong_aktif")):
        grouped = (
            model.objects.filter(where)
            .order_by()
            .values("kelurahan", "bank")
            .annotate(n=Count("id"), aktif=Count("id", filter=Q(status=model.Status.AKTIF)))
        )
        for row in grouped:
            key = (row["kelurahan"], row["bank"])
            figures[key][total] = row["n"]
            figures[key][active] = row["aktif"]
    return figures


def refresh(kelurahan=None):
    """Rebuild the summary rows, all of them or those of the given kelurahan codes (None among them: no kelurahan).

    Readers see the old rows or the new ones, never a mix. Returns the number of rows written.
    """
    where = Q()
    if kelurahan is not None:
        where = Q(kelurahan__in=[k for k in kelurahan if k is not None])
        if None in kelurahan:
            where |= Q(kelurahan__isnull=True)
    with transaction.atomic():
        _lock()
        figures = _counts(where)
        RingkasanRegistri.objects.filter(where).delete()
        rows = RingkasanRegistri.objects.bulk_create(
            [
                RingkasanRegistri(kelurahan_id=kel, bank_id=bank, **values)
                for (kel, bank), values in figures.items()
                if any(values.values())
            ],
            batch_size=1000,
        )
    return len(rows)


def _lock():
    """One rebuild at a time: a second waits, then deletes what the first wrote instead of colliding with it."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])


def totals(rows):
    """The summed figures of summary rows (a queryset already narrowed by the gate and any filter)."""
    sums = rows.aggregate(**{name: Sum(name) for name in FIGURES})
    return {name: sums[name] or 0 for name in FIGURES}


def registry_counts(user):
    """Registry figures inside a user's area, from the summary."""
    return totals(RingkasanRegistri.objects.for_user(user))


# -- keeping it current on single saves ----------------------------------------------------------------------


def _remember_region(sender, instance, raw=False, **kwargs):
    """Before a save: the kelurahan the row is leaving (if any), so its count is rebuilt too."""
    if raw or instance.pk is None or getattr(_state, "paused", False):
        instance._ringkasan_sebelum = set()
        return
    before = sender._base_manager.filter(pk=instance.pk).values_list("kelurahan_id", flat=True).first()
    instance._ringkasan_sebelum = {before}


_state = threading.local()


def _refresh_region(sender, instance, raw=False, **kwargs):
    """After a save or delete: rebuild the kelurahan the row left and the one it is in, in the same transaction,
    so the counts commit or roll back with the change."""
    if raw or getattr(_state, "paused", False):
        return
    refresh({instance.kelurahan_id} | getattr(instance, "_ringkasan_sebelum", set()))


@contextlib.contextmanager
def paused():
    """Bulk changes (the demo seed deleting a registry): no rebuild per row, one whole rebuild at the end."""
    _state.paused = True
    try:
        yield
    finally:
        _state.paused = False
    refresh()


def connect():
    for model in (Kpm, EWarong):
        label = model._meta.label_lower
        pre_save.connect(_remember_region, sender=model, dispatch_uid=f"ringkasan.{label}.pre_save")
        post_save.connect(_refresh_region, sender=model, dispatch_uid=f"ringkasan.{label}.post_save")
        post_delete.connect(_refresh_region, sender=model, dispatch_uid=f"ringkasan.{label}.post_delete")
