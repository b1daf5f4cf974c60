"""Instruments (versioned forms of sections and questions) and reference prices."""

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from monev.models.common import Aspek, today


class HargaAcuan(models.Model):
    """A reference price or amount (rice HET, harga acuan, monthly benefit) that answer rules compare against."""

    kode = models.SlugField(_("kode"), max_length=40)
    nama = models.CharField(_("nama"), max_length=150)
    satuan = models.CharField(_("satuan"), max_length=30, default="kg")
    nilai = models.PositiveIntegerField(_("nilai (Rp)"))
    berlaku_mulai = models.DateField(_("berlaku mulai"))
    sumber = models.CharField(_("sumber"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("harga acuan")
        verbose_name_plural = _("harga acuan")
        ordering = ["kode", "-berlaku_mulai"]
        constraints = [models.UniqueConstraint(fields=["kode", "berlaku_mulai"], name="harga_acuan_unik_per_tanggal")]

    def __str__(self):
        return f"{self.nama} ({self.berlaku_mulai:%d-%m-%Y})"

    @classmethod
    def berlaku(cls, kode, tanggal=None):
        """The value in force on `tanggal` (today by default), or None when the secretariat has not set one."""
        row = (
            cls.objects.filter(kode=kode, berlaku_mulai__lte=tanggal or today())
            .order_by("-berlaku_mulai")
            .values_list("nilai", flat=True)
            .first()
        )
        return row


class InstrumenQuerySet(models.QuerySet):
    def terbit(self):
        return self.filter(status=Instrumen.Status.TERBIT)

    def terbaru(self, jenis):
        """The newest published version of a kind of instrument."""
        return self.terbit().filter(jenis=jenis).order_by("-versi").first()


class Instrumen(models.Model):
    """A versioned questionnaire. A published version is frozen; changes go into a new version (a copy)."""

    class Jenis(models.TextChoices):
        EWARONG = "ewarong", _("Kunjungan e-warong")
        KPM = "kpm", _("Pemeriksaan rumah tangga KPM")

    class Status(models.TextChoices):
        DRAF = "draf", _("Draf")
        TERBIT = "terbit", _("Terbit")
        ARSIP = "arsip", _("Arsip")

    kode = models.SlugField(_("kode"), max_length=30)
    nama = models.CharField(_("nama"), max_length=200)
    jenis = models.CharField(_("jenis"), max_length=10, choices=Jenis.choices)
    versi = models.PositiveSmallIntegerField(_("versi"), default=1)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAF)
    terbit_pada = models.DateTimeField(_("terbit pada"), null=True, blank=True)
    keterangan = models.TextField(_("keterangan"), blank=True)

    objects = InstrumenQuerySet.as_manager()

    class Meta:
        verbose_name = _("instrumen")
        verbose_name_plural = _("instrumen")
        ordering = ["kode", "-versi"]
        constraints = [models.UniqueConstraint(fields=["kode", "versi"], name="instrumen_versi_unik")]

    def __str__(self):
        return f"{self.nama} v{self.versi}"

    @property
    def beku(self):
        return self.status != self.Status.DRAF

    @transaction.atomic
    def terbitkan(self):
        """Publish (freeze) this version; older published versions are archived, their visits keep them."""
        if not self.pertanyaan.exists():
            raise ValidationError(_("Instrumen tanpa pertanyaan tidak dapat diterbitkan."))
        Instrumen.objects.filter(kode=self.kode, status=self.Status.TERBIT).update(status=self.Status.ARSIP)
        self.status = self.Status.TERBIT
        self.terbit_pada = timezone.now()
        self.save(update_fields=["status", "terbit_pada"])

    @transaction.atomic
    def versi_baru(self):
        """Copy this instrument, its sections and questions into a new draft version."""
        newest = Instrumen.objects.filter(kode=self.kode).aggregate(v=models.Max("versi"))["v"]
        copy = Instrumen.objects.create(
            kode=self.kode, nama=self.nama, jenis=self.jenis, versi=newest + 1, keterangan=self.keterangan
        )
        for bagian in self.bagian.prefetch_related("pertanyaan"):
            new_bagian = Bagian.objects.create(instrumen=copy, urutan=bagian.urutan, judul=bagian.judul)
            Pertanyaan.objects.bulk_create(
                [
                    Pertanyaan(**{**_copyable(p), "bagian": new_bagian, "instrumen": copy})
                    for p in bagian.pertanyaan.all()
                ]
            )
        return copy


def _copyable(obj):
    skip = {"id", "bagian", "instrumen"}
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields if f.name not in skip}


class FrozenWhenPublished(models.Model):
    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self._check_frozen()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self._check_frozen()
        return super().delete(*args, **kwargs)

    def _check_frozen(self):
        if self.instrumen_id and Instrumen.objects.filter(pk=self.instrumen_id).exclude(status="draf").exists():
            raise ValidationError(_("Instrumen sudah terbit dan tidak dapat diubah; buat versi baru."))


class Bagian(FrozenWhenPublished):
    """A section of an instrument: one screen of the visit form."""

    instrumen = models.ForeignKey(
        Instrumen, verbose_name=_("instrumen"), on_delete=models.CASCADE, related_name="bagian"
    )
    urutan = models.PositiveSmallIntegerField(_("urutan"))
    judul = models.CharField(_("judul"), max_length=200)

    class Meta:
        verbose_name = _("bagian")
        verbose_name_plural = _("bagian")
        ordering = ["instrumen", "urutan"]

    def __str__(self):
        return self.judul


class Pertanyaan(FrozenWhenPublished):
    """A question, tagged with a 6T aspect and a weight, with the rule that turns an answer into a finding.

    `aturan` is data the secretariat edits, one of:
      {"jika": "tidak", "keparahan": "kritis"}                 answer equals a value (yes/no, choice)
      {"jika_salah_satu": ["rusak"], "keparahan": "tinggi"}    answer is one of the values
      {"lebih_dari": 250, "keparahan": "rendah"}               number above a limit
      {"kurang_dari": 980, "keparahan": "tinggi"}              number below a limit
      {"acuan": "beras_medium", "batas_persen": [[0, "tinggi"]]}
          price above a reference price by more than a percentage (highest band first wins)
      {"acuan": "bantuan_bulanan", "kurang_dari_acuan": true, "keparahan": "kritis"}
    """

    class Tipe(models.TextChoices):
        YA_TIDAK = "ya_tidak", _("Ya/tidak")
        PILIHAN = "pilihan", _("Pilihan")
        ANGKA = "angka", _("Angka")
        HARGA = "harga", _("Harga (Rp)")
        TEKS = "teks", _("Teks")
        FOTO = "foto", _("Foto")
        GPS = "gps", _("Lokasi GPS")

    instrumen = models.ForeignKey(
        Instrumen, verbose_name=_("instrumen"), on_delete=models.CASCADE, related_name="pertanyaan"
    )
    bagian = models.ForeignKey(Bagian, verbose_name=_("bagian"), on_delete=models.CASCADE, related_name="pertanyaan")
    urutan = models.PositiveSmallIntegerField(_("urutan"))
    kode = models.CharField(_("kode"), max_length=10)
    teks = models.CharField(_("pertanyaan"), max_length=300)
    petunjuk = models.CharField(_("petunjuk"), max_length=300, blank=True)
    tipe = models.CharField(_("tipe"), max_length=10, choices=Tipe.choices)
    pilihan = models.JSONField(_("pilihan jawaban"), default=list, blank=True)
    aspek = models.CharField(_("aspek 6T"), max_length=15, choices=Aspek.choices)
    bobot = models.PositiveSmallIntegerField(_("bobot"), default=1)
    wajib = models.BooleanField(_("wajib"), default=True)
    minta_foto = models.BooleanField(_("minta foto"), default=False)
    aturan = models.JSONField(_("aturan temuan"), default=dict, blank=True)
    judul_temuan = models.CharField(_("judul temuan"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("pertanyaan")
        verbose_name_plural = _("pertanyaan")
        ordering = ["bagian__urutan", "urutan"]
        constraints = [models.UniqueConstraint(fields=["instrumen", "kode"], name="pertanyaan_kode_unik")]

    def __str__(self):
        return f"{self.kode}. {self.teks}"

    @property
    def dinilai(self):
        """Only questions with a rule count in the score: the rule says what compliant means."""
        return bool(self.aturan) and self.bobot > 0
