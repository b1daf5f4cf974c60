"""Misuse signals from distribution data: the detectors' parameters and what they found per e-warong and period."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from penyaluran.distribusi.models import Periode
from penyaluran.registri.models import EWarong
from tikor.scoping import ScopedQuerySet


class ParameterRisiko(models.Model):
    """A threshold or weight of the misuse detectors and the risk score, tuned by the secretariat.

    The defaults and their meaning live in penyaluran.risk.PARAMETER; a row overrides one of them.
    """

    kode = models.CharField(_("kode"), max_length=50, unique=True)
    nilai = models.DecimalField(_("nilai"), max_digits=12, decimal_places=3)
    keterangan = models.CharField(_("keterangan"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("parameter risiko")
        verbose_name_plural = _("parameter risiko")
        ordering = ["kode"]

    def __str__(self):
        return f"{self.kode} = {self.nilai}"


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


