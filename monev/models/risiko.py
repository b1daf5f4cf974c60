"""The combined e-warong risk per period."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from penyaluran.distribusi.models import Periode
from penyaluran.registri.models import EWarong
from penyaluran.risiko.models import EWarongPeriodeQuerySet


class SkorRisiko(models.Model):
    """An e-warong's combined risk in a period: weighted bank-data signals plus open findings and complaints and
    a low latest visit score (monev.risiko.scores); `alasan` lists the reasons, most weighty first."""

    ewarong = models.ForeignKey(
        EWarong, verbose_name=_("e-warong"), on_delete=models.CASCADE, related_name="skor_risiko"
    )
    periode = models.ForeignKey(Periode, verbose_name=_("periode"), on_delete=models.CASCADE, related_name="+")
    skor = models.FloatField(_("skor"), db_index=True)
    alasan = models.JSONField(_("alasan"), default=list, blank=True)
    dihitung_pada = models.DateTimeField(_("dihitung pada"), auto_now=True)

    objects = EWarongPeriodeQuerySet.as_manager()

    class Meta:
        verbose_name = _("skor risiko e-warong")
        verbose_name_plural = _("skor risiko e-warong")
        ordering = ["periode", "-skor"]
        constraints = [models.UniqueConstraint(fields=["ewarong", "periode"], name="skor_risiko_unik")]
        indexes = [models.Index(fields=["periode", "-skor"])]
        db_table = "penyaluran_skorrisiko"  # moved from penyaluran; the table kept its name

    def __str__(self):
        return f"{self.ewarong.kode} {self.periode}: {self.skor:.0f}"
