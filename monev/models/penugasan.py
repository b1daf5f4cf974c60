"""Monev teams and their assignments to e-warong."""

import random

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from monev.models.common import this_year, today
from monev.models.instrumen import Instrumen
from penyaluran.registri.models import EWarong, Kpm
from tikor.scoping import ScopedQuerySet


class TimMonevQuerySet(ScopedQuerySet):
    # No bank_path: a team works for the whole Tikor, not for one bank.
    scope_paths = ("wilayah",)


class TimMonev(models.Model):
    """A monev team drawn from Tikor member agencies and pendamping, working in a kota or kecamatan."""

    nama = models.CharField(_("nama tim"), max_length=150)
    wilayah = models.ForeignKey(
        "tikor.Wilayah", verbose_name=_("wilayah kerja"), on_delete=models.PROTECT, related_name="+"
    )
    ketua = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("ketua"), on_delete=models.PROTECT, related_name="tim_dipimpin"
    )
    anggota = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name=_("anggota"), related_name="tim_monev")
    tahun = models.PositiveSmallIntegerField(_("tahun"), default=this_year)
    aktif = models.BooleanField(_("aktif"), default=True)

    objects = TimMonevQuerySet.as_manager()

    class Meta:
        verbose_name = _("tim monev")
        verbose_name_plural = _("tim monev")
        ordering = ["-tahun", "nama"]

    def __str__(self):
        return self.nama


class PenugasanQuerySet(ScopedQuerySet):
    scope_paths = ("ewarong__kelurahan",)
    bank_path = "ewarong__bank"

    def terbuka(self):
        return self.filter(status=Penugasan.Status.TERBUKA)

    def rutin(self):
        """Assignments that are not a re-visit verifying a corrective action."""
        return self.filter(asal_tindak_lanjut__isnull=True)

    def untuk_petugas(self, user):
        return self.filter(Q(petugas=user) | Q(tim__anggota=user) | Q(tim__ketua=user)).distinct()


class Penugasan(models.Model):
    """A team or a pendamping assigned to visit an e-warong (and a sample of its KPM) by a due date."""

    class Status(models.TextChoices):
        TERBUKA = "terbuka", _("Terbuka")
        SELESAI = "selesai", _("Selesai")
        BATAL = "batal", _("Batal")

    ewarong = models.ForeignKey(
        "penyaluran.EWarong", verbose_name=_("e-warong"), on_delete=models.PROTECT, related_name="penugasan"
    )
    instrumen = models.ForeignKey(Instrumen, verbose_name=_("instrumen"), on_delete=models.PROTECT)
    tim = models.ForeignKey(TimMonev, verbose_name=_("tim"), null=True, blank=True, on_delete=models.SET_NULL)
    petugas = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("petugas"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="penugasan",
    )
    batas_waktu = models.DateField(_("batas waktu"))
    jumlah_sampel_kpm = models.PositiveSmallIntegerField(_("jumlah sampel KPM"), default=5)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.TERBUKA)
    catatan = models.TextField(_("catatan"), blank=True)
    asal_tindak_lanjut = models.ForeignKey(
        "TindakLanjut",
        verbose_name=_("verifikasi tindak lanjut"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="kunjungan_ulang",
    )
    dibuat_pada = models.DateTimeField(_("dibuat"), auto_now_add=True)

    objects = PenugasanQuerySet.as_manager()

    class Meta:
        verbose_name = _("penugasan")
        verbose_name_plural = _("penugasan")
        ordering = ["batas_waktu", "id"]
        indexes = [models.Index(fields=["status", "batas_waktu"])]
        constraints = [
            # One open routine visit per e-warong and instrument, whichever form or import makes it. A re-visit
            # that verifies a corrective action (asal_tindak_lanjut) is its own errand and may run beside it.
            models.UniqueConstraint(
                fields=["ewarong", "instrumen"],
                condition=Q(status="terbuka", asal_tindak_lanjut__isnull=True),
                name="penugasan_terbuka_unik",
                violation_error_message=_("E-warong ini sudah punya penugasan terbuka dengan instrumen yang sama."),
            )
        ]

    def __str__(self):
        return f"{self.ewarong.nama} · {self.batas_waktu:%d-%m-%Y}"

    def get_absolute_url(self):
        return reverse("monev:penugasan", args=[self.pk])

    def clean(self):
        if not self.tim_id and not self.petugas_id:
            raise ValidationError(_("Tugaskan sebuah tim atau seorang petugas."))
        outside = (
            self.petugas_id
            and self.ewarong_id
            and not EWarong.objects.for_user(self.petugas).filter(pk=self.ewarong_id).exists()
        )
        if outside:
            raise ValidationError({"petugas": _("e-warong ini berada di luar wilayah tugas petugas.")})

    @property
    def terlambat(self):
        return self.status == self.Status.TERBUKA and self.batas_waktu < today()

    def sampel_kpm(self, user):
        """A reproducible random sample, seeded by this id, of the e-warong's active KPM that `user` may see:
        an e-warong also serves KPM living outside the officer's area, whose names and addresses stay hidden."""
        visible = Kpm.objects.for_user(user).filter(ewarong_id=self.ewarong_id).aktif()
        ids = sorted(visible.values_list("id", flat=True))
        chosen = random.Random(self.pk).sample(ids, min(self.jumlah_sampel_kpm, len(ids)))
        return Kpm.objects.filter(id__in=chosen).order_by("nama")
