"""Report jobs (built by monev/laporan/): what was asked (kind, month, area, bank, e-warong), by whom, how far
it is, and its files."""

import calendar
import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from tikor.formatting import NAMA_BULAN
from tikor.jobs import Pekerjaan
from tikor.scoping import ScopedQuerySet


class LaporanQuerySet(ScopedQuerySet):
    # A report lies in its area; a bank's staff see only reports of their bank (a report of every bank has none).
    scope_paths = ("wilayah",)
    bank_path = "bank"

    def terlihat(self, user):
        """Reports a user reaches: their own, and the scheduled ones, inside their area (the gate)."""
        return self.for_user(user).filter(Q(dibuat_oleh=user) | Q(terjadwal=True))


def _berkas_path(instance, filename):
    return f"laporan/{datetime.date.today():%Y/%m}/{filename}"


class Laporan(Pekerjaan):
    """A report built by a Celery task: an XLSX workbook and a signed-looking PDF of the same figures."""

    task_name = "monev.laporan.tasks.buat_laporan"

    class Jenis(models.TextChoices):
        REALISASI = "realisasi", _("Realisasi bulanan")
        MONEV = "monev", _("Rekap monev")
        PENYEDIA = "penyedia", _("Evaluasi penyedia")
        REKONSILIASI = "rekonsiliasi", _("Rekonsiliasi bank dan registri")
        PENGADUAN = "pengaduan", _("Rekap pengaduan")
        EWARONG = "ewarong", _("Profil e-warong")

    jenis = models.CharField(_("jenis laporan"), max_length=15, choices=Jenis.choices)
    bulan = models.DateField(_("bulan"), help_text=_("Hari pertama bulan yang dilaporkan."))
    # The distribution period of that month, for the kinds that read credits and purchases.
    periode = models.ForeignKey(
        "penyaluran.Periode",
        verbose_name=_("periode penyaluran"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    wilayah = models.ForeignKey("tikor.Wilayah", verbose_name=_("wilayah"), on_delete=models.PROTECT, related_name="+")
    bank = models.ForeignKey(
        "tikor.Bank", verbose_name=_("bank"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    ewarong = models.ForeignKey(
        "penyaluran.EWarong",
        verbose_name=_("e-warong"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    dibuat_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("diminta oleh"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    terjadwal = models.BooleanField(_("dari jadwal"), default=False)
    persen = models.PositiveSmallIntegerField(_("kemajuan (%)"), default=0)
    tahap = models.CharField(_("tahap"), max_length=150, blank=True)
    ringkasan = models.JSONField(_("angka utama"), default=dict, blank=True)
    berkas_xlsx = models.FileField(_("berkas XLSX"), upload_to=_berkas_path, blank=True)
    berkas_pdf = models.FileField(_("berkas PDF"), upload_to=_berkas_path, blank=True)

    objects = LaporanQuerySet.as_manager()

    class Meta(Pekerjaan.Meta):
        verbose_name = _("laporan")
        verbose_name_plural = _("laporan")
        indexes = [models.Index(fields=["dibuat_oleh", "-dibuat"])]

    def __str__(self):
        return f"{self.get_jenis_display()} {self.label_bulan} · {self.wilayah}"

    @property
    def label_bulan(self):
        return f"{NAMA_BULAN[self.bulan.month]} {self.bulan.year}"

    @property
    def awal_bulan(self):
        return self.bulan.replace(day=1)

    @property
    def akhir_bulan(self):
        return self.bulan.replace(day=calendar.monthrange(self.bulan.year, self.bulan.month)[1])

    @classmethod
    def time_limit(cls):
        return settings.LAPORAN_TIME_LIMIT

    @property
    def judul(self):
        if self.jenis == self.Jenis.EWARONG and self.ewarong_id:
            return f"Profil e-warong {self.ewarong.nama}"
        return str(self.get_jenis_display())

    @property
    def nama_berkas(self):
        return f"laporan-{self.jenis}-{self.bulan:%Y-%m}-{slugify(self.wilayah.nama)}-{self.pk}"
