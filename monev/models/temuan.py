"""Findings and their follow-up along the sanction ladder."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from monev.models.common import Aspek, Keparahan, sla_tindak_lanjut_hari, today
from monev.models.instrumen import Pertanyaan
from monev.models.kunjungan import Kunjungan
from tikor.scoping import ScopedQuerySet


class TemuanQuerySet(ScopedQuerySet):
    scope_paths = ("ewarong__kelurahan",)
    bank_path = "ewarong__bank"

    def terbuka(self):
        return self.exclude(status=Temuan.Status.SELESAI)

    def terlambat(self, pada=None):
        return self.terbuka().filter(batas_waktu__lt=pada or today())


class Temuan(models.Model):
    """A finding: raised from an answer that breaks a rule, or by hand; its severity sets the SLA."""

    class Sumber(models.TextChoices):
        OTOMATIS = "otomatis", _("Otomatis dari jawaban")
        MANUAL = "manual", _("Dicatat manual")

    class Status(models.TextChoices):
        TERBUKA = "terbuka", _("Terbuka")
        DITINDAKLANJUTI = "ditindaklanjuti", _("Sedang ditindaklanjuti")
        SELESAI = "selesai", _("Selesai")

    ewarong = models.ForeignKey(
        "penyaluran.EWarong", verbose_name=_("e-warong"), on_delete=models.PROTECT, related_name="temuan"
    )
    kunjungan = models.ForeignKey(
        Kunjungan, verbose_name=_("kunjungan"), null=True, blank=True, on_delete=models.CASCADE, related_name="temuan"
    )
    pertanyaan = models.ForeignKey(
        Pertanyaan, verbose_name=_("pertanyaan"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    judul = models.CharField(_("judul"), max_length=200)
    uraian = models.TextField(_("uraian"), blank=True)
    aspek = models.CharField(_("aspek 6T"), max_length=15, choices=Aspek.choices)
    keparahan = models.CharField(_("tingkat keparahan"), max_length=10, choices=Keparahan.choices)
    sumber = models.CharField(_("sumber"), max_length=10, choices=Sumber.choices, default=Sumber.MANUAL)
    status = models.CharField(_("status"), max_length=15, choices=Status.choices, default=Status.TERBUKA)
    batas_waktu = models.DateField(_("batas tindak lanjut"), blank=True, help_text=_("Kosong: sesuai SLA keparahan."))
    dibuat_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("dicatat oleh"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    dibuat_pada = models.DateTimeField(_("dicatat pada"), default=timezone.now)

    objects = TemuanQuerySet.as_manager()

    class Meta:
        verbose_name = _("temuan")
        verbose_name_plural = _("temuan")
        ordering = ["batas_waktu", "id"]
        constraints = [
            # One automatic finding per answer: re-scoring a visit never doubles them.
            models.UniqueConstraint(
                fields=["kunjungan", "pertanyaan"], condition=Q(sumber="otomatis"), name="temuan_otomatis_unik"
            )
        ]
        indexes = [models.Index(fields=["status", "batas_waktu"])]

    def __str__(self):
        return self.judul

    def save(self, *args, **kwargs):
        if not self.batas_waktu:
            start = timezone.localdate(self.dibuat_pada) if self.dibuat_pada else today()
            self.batas_waktu = start + datetime.timedelta(days=sla_tindak_lanjut_hari(self.keparahan))
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("monev:temuan", args=[self.pk])

    @property
    def is_overdue(self):
        return self.status != self.Status.SELESAI and self.batas_waktu < today()


class TindakLanjutQuerySet(ScopedQuerySet):
    scope_paths = ("temuan__ewarong__kelurahan",)
    bank_path = "temuan__ewarong__bank"

    def terbuka(self):
        return self.exclude(status=TindakLanjut.Status.SELESAI)

    def terlambat(self, pada=None):
        return self.terbuka().filter(batas_waktu__lt=pada or today())


class LangkahSanksi(models.TextChoices):
    """The sanction ladder; each step moves the e-warong's status (the bank alone deactivates, Dinsos recommends)."""

    TIDAK_ADA = "", _("Bukan sanksi")
    PEMBINAAN = "pembinaan", _("Pembinaan")
    TEGURAN = "teguran", _("Teguran tertulis")
    REKOMENDASI_BANK = "rekomendasi_bank", _("Rekomendasi ke bank")
    PENONAKTIFAN = "penonaktifan", _("Penonaktifan oleh bank")

    @classmethod
    def berat(cls):
        """Steps that involve the bank: recorded by the secretariat (Dinsos recommends, the bank decides)."""
        return (cls.REKOMENDASI_BANK, cls.PENONAKTIFAN)


class TindakLanjut(models.Model):
    """A corrective action on a finding: what, who, by when (SLA by severity), the sanction step and the evidence."""

    class Status(models.TextChoices):
        DIRENCANAKAN = "direncanakan", _("Direncanakan")
        BERJALAN = "berjalan", _("Berjalan")
        SELESAI = "selesai", _("Selesai")

    temuan = models.ForeignKey(Temuan, verbose_name=_("temuan"), on_delete=models.CASCADE, related_name="tindak_lanjut")
    uraian = models.TextField(_("tindakan"))
    penanggung_jawab = models.CharField(_("penanggung jawab"), max_length=150)
    batas_waktu = models.DateField(_("batas waktu"), blank=True, help_text=_("Kosong: sesuai SLA keparahan temuan."))
    status = models.CharField(_("status"), max_length=15, choices=Status.choices, default=Status.DIRENCANAKAN)
    langkah_sanksi = models.CharField(
        _("langkah sanksi"), max_length=20, choices=LangkahSanksi.choices, default="", blank=True
    )
    bukti = models.FileField(_("bukti"), upload_to="monev/bukti/%Y/%m/", blank=True)
    catatan_penutupan = models.TextField(_("catatan penutupan"), blank=True)
    ditutup_pada = models.DateTimeField(_("ditutup pada"), null=True, blank=True)
    dibuat_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("dicatat oleh"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    dibuat_pada = models.DateTimeField(_("dicatat pada"), auto_now_add=True)

    objects = TindakLanjutQuerySet.as_manager()

    class Meta:
        verbose_name = _("tindak lanjut")
        verbose_name_plural = _("tindak lanjut")
        ordering = ["batas_waktu", "id"]
        indexes = [models.Index(fields=["status", "batas_waktu"])]
        permissions = [("catat_sanksi_berat", _("Dapat mencatat rekomendasi ke bank dan penonaktifan"))]

    def __str__(self):
        return f"{self.uraian[:60]} ({self.get_status_display()})"

    def save(self, *args, **kwargs):
        self.apply_sla()
        super().save(*args, **kwargs)

    def apply_sla(self):
        """Without a due date chosen, the SLA of the finding's severity sets it."""
        if not self.batas_waktu:
            self.batas_waktu = today() + datetime.timedelta(days=sla_tindak_lanjut_hari(self.temuan.keparahan))

    @property
    def is_overdue(self):
        return self.status != self.Status.SELESAI and self.batas_waktu < today()
