"""Keeping the combined risk current, connected by MonevConfig.ready: a period's signals refreshed recompute that
period; a finding, complaint or visit saved or deleted recomputes its e-warong in the latest period."""

from django.db.models.signals import post_delete, post_save, pre_save

from monev.models import Kunjungan, Pengaduan, Temuan
from monev.risiko.scores import recompute, schedule
from penyaluran.risiko.hooks import sinyal_diperbarui

FIELD_FACTS = (Temuan, Pengaduan, Kunjungan)


def on_sinyal_diperbarui(sender, periode, **kwargs):
    recompute(periode)


def remember_previous_ewarong(sender, instance, update_fields=None, raw=False, **kwargs):
    """A finding or complaint moved to another e-warong leaves the old one's risk to recompute too."""
    if raw or instance.pk is None or (update_fields is not None and "ewarong" not in update_fields):
        return
    previous = sender.objects.filter(pk=instance.pk).values_list("ewarong_id", flat=True).first()
    if previous and previous != instance.ewarong_id:
        schedule(previous)


def on_field_fact_changed(sender, instance, raw=False, **kwargs):
    if instance.ewarong_id and not raw:
        schedule(instance.ewarong_id)


def connect():
    sinyal_diperbarui.connect(on_sinyal_diperbarui, dispatch_uid="monev.risiko.sinyal")
    for model in FIELD_FACTS:
        uid = f"monev.risiko.{model._meta.model_name}"
        pre_save.connect(remember_previous_ewarong, sender=model, dispatch_uid=f"{uid}.pre_save")
        post_save.connect(on_field_fact_changed, sender=model, dispatch_uid=f"{uid}.post_save")
        post_delete.connect(on_field_fact_changed, sender=model, dispatch_uid=f"{uid}.post_delete")
