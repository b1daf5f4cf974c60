"""Visits: answers, per-aspect scores and photos."""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from monev import conf
from monev.models.common import Aspek, Keparahan
from monev.models.instrumen import Instrumen, Pertanyaan
from monev.models.penugasan import Penugasan
from tikor.scoping import ScopedQuerySet


class KunjunganQuerySet(ScopedQuerySet):
    scope_paths = ("ewarong__kelurahan",)
    bank_path = "ewarong__bank"

    def terkirim(self):
        return self.exclude(status=Kunjungan.Status.DRAF)

    def dinilai(self):
        """Visits whose scores count: submitted or verified, not returned."""
        return self.filter(status__in=[Kunjungan.Status.DIKIRIM, Kunjungan.Status.TERVERIFIKASI])


class Kunjungan(models.Model):
    """A visit: the answers, photos and position recorded by a pendamping at an e-warong or a KPM household.

    The uuid is made by the phone when the form opens; a resubmission with the same uuid is the same visit.
    """

    class Status(models.TextChoices):
        DRAF = "draf", _("Draf")
        DIKIRIM = "dikirim", _("Dikirim")
        TERVERIFIKASI = "terverifikasi", _("Terverifikasi")
        DIKEMBALIKAN = "dikembalikan", _("Dikembalikan")

    uuid = models.UUIDField(_("UUID"), unique=True, default=uuid.uuid4, editable=False)
    penugasan = models.ForeignKey(
        Penugasan, verbose_name=_("penugasan"), on_delete=models.PROTECT, related_name="kunjungan"
    )
    instrumen = models.ForeignKey(Instrumen, verbose_name=_("instrumen"), on_delete=models.PROTECT)
    ewarong = models.ForeignKey(
        "penyaluran.EWarong", verbose_name=_("e-warong"), on_delete=models.PROTECT, related_name="kunjungan"
    )
    kpm = models.ForeignKey(
        "penyaluran.Kpm", verbose_name=_("KPM"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    petugas = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("petugas"), on_delete=models.PROTECT, related_name="kunjungan"
    )
    tanggal = models.DateField(_("tanggal kunjungan"))
    status = models.CharField(_("status"), max_length=15, choices=Status.choices, default=Status.DRAF, db_index=True)
    latitude = models.DecimalField(_("lintang"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("bujur"), max_digits=9, decimal_places=6, null=True, blank=True)
    akurasi_gps = models.PositiveIntegerField(_("akurasi GPS (m)"), null=True, blank=True)
    jarak_ewarong = models.PositiveIntegerField(_("jarak dari e-warong (m)"), null=True, blank=True)
    skor_total = models.DecimalField(_("skor total"), max_digits=5, decimal_places=2, null=True, blank=True)
    catatan = models.TextField(_("catatan petugas"), blank=True)
    dikirim_pada = models.DateTimeField(_("dikirim pada"), null=True, blank=True)
    catatan_verifikasi = models.TextField(_("catatan verifikasi"), blank=True)
    diverifikasi_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("diverifikasi oleh"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    diverifikasi_pada = models.DateTimeField(_("diverifikasi pada"), null=True, blank=True)
    dibuat_pada = models.DateTimeField(_("dibuat"), auto_now_add=True)

    objects = KunjunganQuerySet.as_manager()

    class Meta:
        verbose_name = _("kunjungan")
        verbose_name_plural = _("kunjungan")
        ordering = ["-tanggal", "-id"]
        indexes = [models.Index(fields=["ewarong", "tanggal"])]
        permissions = [("verifikasi_kunjungan", _("Dapat memverifikasi atau mengembalikan kunjungan"))]

    def __str__(self):
        return f"{self.ewarong.nama} · {self.tanggal:%d-%m-%Y}"

    def get_absolute_url(self):
        return reverse("monev:kunjungan", args=[self.pk])

    @property
    def jauh_dari_ewarong(self):
        return self.jarak_ewarong is not None and self.jarak_ewarong > conf.get("MONEV_JARAK_PERINGATAN_M")

    def tandai_dikirim(self):
        """Draft or returned → submitted, not yet saved: monev.visits.submit_kunjungan scores it and saves it."""
        if self.status not in (self.Status.DRAF, self.Status.DIKEMBALIKAN):
            raise ValidationError(_("Kunjungan ini sudah dikirim."))
        self.status = self.Status.DIKIRIM
        self.dikirim_pada = timezone.now()

    def verifikasi(self, user):
        self._check_reviewable()
        self.status = self.Status.TERVERIFIKASI
        self.diverifikasi_oleh, self.diverifikasi_pada = user, timezone.now()
        self.save(update_fields=["status", "diverifikasi_oleh", "diverifikasi_pada"])
        Penugasan.objects.filter(pk=self.penugasan_id).update(status=Penugasan.Status.SELESAI)

    def kembalikan(self, user, catatan):
        self._check_reviewable()
        if not catatan.strip():
            raise ValidationError(_("Tuliskan alasan kunjungan dikembalikan."))
        self.status = self.Status.DIKEMBALIKAN
        self.catatan_verifikasi = catatan
        self.diverifikasi_oleh, self.diverifikasi_pada = user, timezone.now()
        self.save(update_fields=["status", "catatan_verifikasi", "diverifikasi_oleh", "diverifikasi_pada"])

    def _check_reviewable(self):
        if self.status != self.Status.DIKIRIM:
            raise ValidationError(_("Hanya kunjungan berstatus dikirim yang dapat diverifikasi atau dikembalikan."))


class Jawaban(models.Model):
    """One answer of a visit; `patuh` says whether it keeps the rule (None when the question is not scored)."""

    kunjungan = models.ForeignKey(Kunjungan, on_delete=models.CASCADE, related_name="jawaban")
    pertanyaan = models.ForeignKey(Pertanyaan, on_delete=models.PROTECT, related_name="+")
    nilai = models.JSONField(_("jawaban"), null=True, blank=True)
    keterangan = models.CharField(_("keterangan"), max_length=500, blank=True)
    patuh = models.BooleanField(_("sesuai aturan"), null=True)
    keparahan = models.CharField(_("keparahan temuan"), max_length=10, choices=Keparahan.choices, blank=True)

    class Meta:
        verbose_name = _("jawaban")
        verbose_name_plural = _("jawaban")
        constraints = [models.UniqueConstraint(fields=["kunjungan", "pertanyaan"], name="jawaban_unik")]

    def __str__(self):
        return f"{self.pertanyaan.kode}: {self.nilai}"


class SkorAspek(models.Model):
    """A visit's score for one 6T aspect, kept as weights so any period or group aggregates in the database."""

    kunjungan = models.ForeignKey(Kunjungan, on_delete=models.CASCADE, related_name="skor")
    aspek = models.CharField(_("aspek"), max_length=15, choices=Aspek.choices)
    bobot_patuh = models.PositiveIntegerField(_("bobot sesuai"))
    bobot_total = models.PositiveIntegerField(_("bobot dinilai"))

    class Meta:
        verbose_name = _("skor aspek")
        verbose_name_plural = _("skor aspek")
        constraints = [models.UniqueConstraint(fields=["kunjungan", "aspek"], name="skor_aspek_unik")]

    def __str__(self):
        return f"{self.get_aspek_display()}: {self.skor}"

    @property
    def skor(self):
        return round(100 * self.bobot_patuh / self.bobot_total, 2) if self.bobot_total else None


def foto_path(instance, filename):
    return f"monev/foto/{instance.kunjungan.tanggal:%Y/%m}/{instance.uuid}.jpg"


class FotoQuerySet(ScopedQuerySet):
    scope_paths = ("kunjungan__ewarong__kelurahan",)
    bank_path = "kunjungan__ewarong__bank"


class Foto(models.Model):
    """A photo of a visit, uploaded on its own (with retries) after the visit; EXIF time kept."""

    uuid = models.UUIDField(_("UUID"), unique=True)
    kunjungan = models.ForeignKey(Kunjungan, on_delete=models.CASCADE, related_name="foto")
    pertanyaan = models.ForeignKey(Pertanyaan, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    berkas = models.ImageField(_("berkas"), upload_to=foto_path)
    ukuran = models.PositiveIntegerField(_("ukuran (byte)"))
    diambil_pada = models.DateTimeField(_("diambil pada (EXIF)"), null=True, blank=True)
    diunggah_pada = models.DateTimeField(_("diunggah"), auto_now_add=True)

    objects = FotoQuerySet.as_manager()

    class Meta:
        verbose_name = _("foto")
        verbose_name_plural = _("foto")
        ordering = ["id"]

    def __str__(self):
        return str(self.uuid)
