"""Field evaluation: instruments, teams and assignments, visits, findings with follow-up, complaints, documents.

Every model a person reaches by area has a ScopedQuerySet naming where its region is, so the one gate
`Model.objects.for_user(user)` applies. Instruments, reference prices and documents are province-wide.
"""

import datetime
import random
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from monev import conf
from penyaluran.distribusi.models import Periode
from penyaluran.registri.models import EWarong, Kpm
from penyaluran.risiko.models import EWarongPeriodeQuerySet
from tikor.scoping import ScopedQuerySet


class Aspek(models.TextChoices):
    """The 6T principles of Program Sembako."""

    SASARAN = "sasaran", _("Tepat sasaran")
    JUMLAH = "jumlah", _("Tepat jumlah")
    WAKTU = "waktu", _("Tepat waktu")
    KUALITAS = "kualitas", _("Tepat kualitas")
    HARGA = "harga", _("Tepat harga")
    ADMINISTRASI = "administrasi", _("Tepat administrasi")


class Keparahan(models.TextChoices):
    # Ordered from the most to the least severe (PROGRAM_SEMBAKO.md section 4).
    KRITIS = "kritis", _("Kritis")
    TINGGI = "tinggi", _("Tinggi")
    SEDANG = "sedang", _("Sedang")
    RENDAH = "rendah", _("Rendah")


def sla_tindak_lanjut_hari(keparahan):
    """Days allowed to act on a finding of this severity (MONEV_SLA_TINDAK_LANJUT_HARI in monev.conf)."""
    return conf.get("MONEV_SLA_TINDAK_LANJUT_HARI")[keparahan]


def today():
    return timezone.localdate()


def this_year():
    return today().year


# --- Instruments and reference prices ---------------------------------------------------------------------------


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


# --- Teams and assignments --------------------------------------------------------------------------------------


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


# --- Visits -----------------------------------------------------------------------------------------------------


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


# --- Findings and follow-up -------------------------------------------------------------------------------------


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


# --- Complaints -------------------------------------------------------------------------------------------------


class PengaduanQuerySet(ScopedQuerySet):
    scope_paths = ("kelurahan",)
    # A complaint reaches a bank's staff through its e-warong or its KPM; one about neither (a penyedia) does not.
    bank_path = ("ewarong__bank", "kpm__bank")

    def terbuka(self):
        return self.exclude(status=Pengaduan.Status.SELESAI)

    def terlambat(self, pada=None):
        return self.terbuka().filter(batas_selesai__lt=pada or today())

    def berulang(self):
        return self.filter(berulang=True)


class Pengaduan(models.Model):
    """A complaint about an e-warong, a KPM's case or a penyedia, routed to the pendamping of the kecamatan."""

    class Kanal(models.TextChoices):
        SMS_1708 = "sms1708", _("SMS 1708")
        LAPOR = "lapor", _("LAPOR!")
        TATAP_MUKA = "tatap_muka", _("Tatap muka")
        TELEPON = "telepon", _("Telepon")
        MEDIA_SOSIAL = "media_sosial", _("Media sosial")

    # The 6T aspects, plus what complaints are also about (PROGRAM_SEMBAKO.md section 5).
    Kategori = models.TextChoices(
        "Kategori",
        [(aspek.name, (aspek.value, aspek.label)) for aspek in Aspek]
        + [
            ("PENDAMPING", ("pendamping", _("Perilaku pendamping"))),
            ("KKS", ("kks", _("Data KPM / KKS"))),
            ("LAINNYA", ("lainnya", _("Lainnya"))),
        ],
    )

    class Penanganan(models.TextChoices):
        # SP4N-LAPOR! service levels (PROGRAM_SEMBAKO.md section 5); days in monev.conf.
        INFORMASI = "informasi", _("Permintaan informasi / keluhan (5 hari)")
        TANPA_CEK = "tanpa_cek", _("Sengketa tanpa cek lapangan (14 hari)")
        CEK_LAPANGAN = "cek_lapangan", _("Perlu cek lapangan (60 hari)")

    class Status(models.TextChoices):
        BARU = "baru", _("Baru")
        DIPROSES = "diproses", _("Diproses")
        SELESAI = "selesai", _("Selesai")

    nomor = models.CharField(_("nomor"), max_length=20, unique=True, editable=False)
    kanal = models.CharField(_("kanal"), max_length=15, choices=Kanal.choices)
    anonim = models.BooleanField(_("pelapor anonim"), default=False)
    nama_pelapor = models.CharField(_("nama pelapor"), max_length=150, blank=True)
    kontak_pelapor = models.CharField(_("kontak pelapor"), max_length=100, blank=True)
    ewarong = models.ForeignKey(
        "penyaluran.EWarong",
        verbose_name=_("e-warong"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="pengaduan",
    )
    kpm = models.ForeignKey(
        "penyaluran.Kpm", verbose_name=_("KPM"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    penyedia = models.ForeignKey(
        "penyaluran.Penyedia",
        verbose_name=_("penyedia"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="pengaduan",
    )
    kelurahan = models.ForeignKey(
        "tikor.Wilayah",
        verbose_name=_("kelurahan"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        limit_choices_to={"tingkat": "kelurahan"},
        related_name="+",
        help_text=_("Diisi otomatis dari e-warong, KPM atau penyedia bila kosong."),
    )
    kategori = models.CharField(_("kategori"), max_length=15, choices=Kategori.choices)
    penanganan = models.CharField(
        _("jenis penanganan"), max_length=15, choices=Penanganan.choices, default=Penanganan.INFORMASI
    )
    isi = models.TextField(_("isi pengaduan"))
    diterima_pada = models.DateTimeField(_("diterima pada"), default=timezone.now)
    batas_respons = models.DateField(_("batas respons pertama"))
    batas_selesai = models.DateField(_("batas penyelesaian"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.BARU)
    direspons_pada = models.DateTimeField(_("direspons pada"), null=True, blank=True)
    selesai_pada = models.DateTimeField(_("selesai pada"), null=True, blank=True)
    tanggapan = models.TextField(_("tanggapan"), blank=True)
    ditugaskan_ke = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ditangani oleh"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="pengaduan",
    )
    temuan = models.ForeignKey(
        Temuan, verbose_name=_("temuan terkait"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    berulang = models.BooleanField(_("pengaduan berulang"), default=False, db_index=True)
    dicatat_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("dicatat oleh"), null=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = PengaduanQuerySet.as_manager()

    class Meta:
        verbose_name = _("pengaduan")
        verbose_name_plural = _("pengaduan")
        ordering = ["-diterima_pada"]
        indexes = [models.Index(fields=["ewarong", "diterima_pada"]), models.Index(fields=["status", "batas_selesai"])]

    def __str__(self):
        return f"{self.nomor} {self.get_kategori_display()}"

    def save(self, *args, **kwargs):
        if not self.kelurahan_id:
            # The complaint lives where its subject is, so it reaches that kecamatan's pendamping.
            subject = self.ewarong or self.kpm or self.penyedia
            self.kelurahan_id = subject.kelurahan_id if subject else None
        received = timezone.localdate(self.diterima_pada)
        if not self.batas_respons:
            self.batas_respons = received + datetime.timedelta(days=conf.get("MONEV_SLA_RESPONS_PENGADUAN_HARI"))
        if not self.batas_selesai:
            days = conf.get("MONEV_SLA_PENGADUAN_HARI")[self.penanganan]
            self.batas_selesai = received + datetime.timedelta(days=days)
        if not self.nomor:
            self.nomor = f"ADU-{received:%y%m%d}-{uuid.uuid4().hex[:5].upper()}"
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("monev:pengaduan", args=[self.pk])

    @property
    def is_overdue(self):
        return self.status != self.Status.SELESAI and self.batas_selesai < today()


# --- Documents --------------------------------------------------------------------------------------------------


class Dokumen(models.Model):
    """A guideline or decree (juknis, juklak, SOP, Kepgub 437/2021) with its version and effective dates."""

    class Jenis(models.TextChoices):
        JUKNIS = "juknis", _("Petunjuk teknis (juknis)")
        JUKLAK = "juklak", _("Petunjuk pelaksanaan (juklak)")
        SOP = "sop", _("SOP")
        KEPUTUSAN = "keputusan", _("Keputusan / peraturan")
        PEDOMAN = "pedoman", _("Pedoman")

    jenis = models.CharField(_("jenis"), max_length=10, choices=Jenis.choices)
    judul = models.CharField(_("judul"), max_length=255)
    nomor = models.CharField(_("nomor"), max_length=100, blank=True)
    versi = models.CharField(_("versi"), max_length=20, default="1")
    berlaku_mulai = models.DateField(_("berlaku mulai"))
    berlaku_sampai = models.DateField(_("berlaku sampai"), null=True, blank=True)
    berkas = models.FileField(_("berkas"), upload_to="dokumen/%Y/")
    keterangan = models.TextField(_("keterangan"), blank=True)
    diunggah_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("diunggah oleh"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    diunggah_pada = models.DateTimeField(_("diunggah"), auto_now_add=True)

    class Meta:
        verbose_name = _("dokumen")
        verbose_name_plural = _("dokumen")
        ordering = ["jenis", "judul", "-berlaku_mulai"]

    def __str__(self):
        return f"{self.judul} (v{self.versi})"

    @property
    def berlaku(self):
        now = today()
        return self.berlaku_mulai <= now and (self.berlaku_sampai is None or now <= self.berlaku_sampai)


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
