"""Misuse signals from distribution data: what the detectors found per e-warong and period."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from penyaluran.distribusi.models import Periode
from penyaluran.registri.models import EWarong
from tikor.scoping import ScopedQuerySet


class EWarongPeriodeQuerySet(ScopedQuerySet):
    scope_paths = ("ewarong__kelurahan",)
    bank_path = "ewarong__bank"


class SinyalRisiko(models.Model):
    """One detector firing for one e-warong in one period, with the figures and evidence behind it."""

    ewarong = models.ForeignKey(EWarong, verbose_name=_("e-warong"), on_delete=models.CASCADE, related_name="sinyal")
    periode = models.ForeignKey(Periode, verbose_name=_("periode"), on_delete=models.CASCADE, related_name="+")
    jenis = models.CharField(_("jenis sinyal"), max_length=30)
    nilai = models.FloatField(_("nilai"))
    ambang = models.FloatField(_("ambang"))
    uraian = models.CharField(_("uraian"), max_length=500)
    bukti = models.JSONField(_("bukti"), default=list, blank=True)
    dihitung_pada = models.DateTimeField(_("dihitung pada"), auto_now=True)

    objects = EWarongPeriodeQuerySet.as_manager()

    class Meta:
        verbose_name = _("sinyal risiko")
        verbose_name_plural = _("sinyal risiko")
        ordering = ["periode", "ewarong", "jenis"]
        constraints = [models.UniqueConstraint(fields=["ewarong", "periode", "jenis"], name="sinyal_unik")]
        indexes = [models.Index(fields=["periode", "jenis"])]

    def __str__(self):
        return f"{self.ewarong.kode} {self.periode} {self.jenis}"
