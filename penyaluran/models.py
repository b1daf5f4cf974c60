"""The registry: banks, penyedia, agen, e-warong and KPM, each placed in a kelurahan."""

from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tikor.nik import mask_nik, validate_nik, validate_no_kk
from tikor.scoping import ScopedQuerySet


class TimeStamped(models.Model):
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)

    class Meta:
        abstract = True


def kelurahan_field(**kwargs):
    return models.ForeignKey(
        "tikor.Wilayah",
        verbose_name=_("kelurahan"),
        on_delete=models.PROTECT,
        limit_choices_to={"tingkat": "kelurahan"},
        related_name="+",
        **kwargs,
    )


class Bank(models.Model):
    """A distributing bank (Himbara and regional banks). Not scoped: everyone may see the list."""

    kode = models.CharField(_("kode"), max_length=10, unique=True)
    nama = models.CharField(_("nama"), max_length=100)

    class Meta:
        verbose_name = _("bank")
        verbose_name_plural = _("bank")
        ordering = ["kode"]

    def __str__(self):
        return self.kode


class PenyediaQuerySet(ScopedQuerySet):
    # A penyedia is in an area where it has its office or supplies an e-warong.
    scope_paths = ("kelurahan", "ewarong__kelurahan")
    scope_spans_many = True


class Penyedia(TimeStamped):
    """A supplier (penyedia) that sells stock to e-warong."""

    kode = models.CharField(_("kode"), max_length=20, unique=True)
    nama = models.CharField(_("nama perusahaan"), max_length=200)
    penanggung_jawab = models.CharField(_("penanggung jawab"), max_length=150, blank=True)
    npwp = models.CharField(_("NPWP"), max_length=20, blank=True)
    alamat = models.CharField(_("alamat"), max_length=255, blank=True)
    kelurahan = kelurahan_field(null=True, blank=True)
    telepon = models.CharField(_("telepon"), max_length=20, blank=True)
    aktif = models.BooleanField(_("aktif"), default=True)
    history = HistoricalRecords()

    objects = PenyediaQuerySet.as_manager()

    class Meta:
        verbose_name = _("penyedia")
        verbose_name_plural = _("penyedia")
        ordering = ["nama"]

    def __str__(self):
        return self.nama


class AgenQuerySet(ScopedQuerySet):
    bank_path = "bank"


class Agen(TimeStamped):
    """A bank agent (Agen46, BRILink, Mandiri Agen, ...); an agen may also serve as e-warong."""

    class Status(models.TextChoices):
        AKTIF = "aktif", _("Aktif")
        NONAKTIF = "nonaktif", _("Nonaktif")

    kode = models.CharField(_("kode agen"), max_length=30, unique=True)
    nama = models.CharField(_("nama"), max_length=200)
    pemilik = models.CharField(_("pemilik"), max_length=150, blank=True)
    bank = models.ForeignKey(Bank, verbose_name=_("bank"), on_delete=models.PROTECT)
    alamat = models.CharField(_("alamat"), max_length=255, blank=True)
    kelurahan = kelurahan_field(null=True, blank=True)
    telepon = models.CharField(_("telepon"), max_length=20, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.AKTIF)
    history = HistoricalRecords()

    objects = AgenQuerySet.as_manager()

    class Meta:
        verbose_name = _("agen")
        verbose_name_plural = _("agen")
        ordering = ["kode"]
        indexes = [models.Index(fields=["kelurahan", "status"])]

    def __str__(self):
        return f"{self.kode} {self.nama}"


class EWarongQuerySet(ScopedQuerySet):
    bank_path = "bank"

    def aktif(self):
        return self.filter(status=EWarong.Status.AKTIF)


class EWarong(TimeStamped):
    """An outlet where KPM spend their benefit with the KKS card on the bank's EDC machine."""

    class Status(models.TextChoices):
        # The sanction ladder; the bank alone deactivates, Dinsos recommends.
        AKTIF = "aktif", _("Aktif")
        PEMBINAAN = "pembinaan", _("Pembinaan")
        TEGURAN = "teguran", _("Teguran tertulis")
        DIREKOMENDASIKAN_NONAKTIF = "rekomendasi_nonaktif", _("Direkomendasikan nonaktif")
        NONAKTIF = "nonaktif", _("Nonaktif")

    kode = models.CharField(_("kode e-warong"), max_length=30, unique=True)
    nama = models.CharField(_("nama"), max_length=200)
    pemilik = models.CharField(_("pemilik"), max_length=150, blank=True)
    alamat = models.CharField(_("alamat"), max_length=255, blank=True)
    kelurahan = kelurahan_field(null=True, blank=True)
    bank = models.ForeignKey(Bank, verbose_name=_("bank"), on_delete=models.PROTECT)
    agen = models.ForeignKey(Agen, verbose_name=_("agen"), null=True, blank=True, on_delete=models.SET_NULL)
    penyedia = models.ForeignKey(
        Penyedia,
        verbose_name=_("penyedia"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="ewarong",
    )
    latitude = models.DecimalField(
        _("lintang"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-6.5), MaxValueValidator(-5.1)],
    )
    longitude = models.DecimalField(
        _("bujur"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(106.3), MaxValueValidator(107.1)],
    )
    kapasitas_kpm = models.PositiveIntegerField(
        _("kapasitas KPM"), default=250, help_text=_("Pedum Sembako: paling banyak 250 KPM per e-warong.")
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.AKTIF, db_index=True)
    history = HistoricalRecords()

    objects = EWarongQuerySet.as_manager()

    class Meta:
        verbose_name = _("e-warong")
        verbose_name_plural = _("e-warong")
        ordering = ["kode"]
        indexes = [models.Index(fields=["kelurahan", "status"])]

    def __str__(self):
        return f"{self.kode} {self.nama}"


class KpmQuerySet(ScopedQuerySet):
    bank_path = "bank"

    def aktif(self):
        return self.filter(status=Kpm.Status.AKTIF)


rt_rw_validator = RegexValidator(r"^\d{1,3}$", _("RT/RW berupa angka 1 sampai 3 digit."))


class Kpm(TimeStamped):
    """A recipient household (Keluarga Penerima Manfaat), identified by the NIK of its head."""

    class JenisKelamin(models.TextChoices):
        LAKI_LAKI = "L", _("Laki-laki")
        PEREMPUAN = "P", _("Perempuan")

    class Status(models.TextChoices):
        AKTIF = "aktif", _("Aktif")
        NONAKTIF = "nonaktif", _("Nonaktif")
        MENINGGAL = "meninggal", _("Meninggal")
        PINDAH = "pindah", _("Pindah")

    nik = models.CharField(_("NIK"), max_length=16, unique=True, validators=[validate_nik])
    no_kk = models.CharField(_("No KK"), max_length=16, db_index=True, validators=[validate_no_kk])
    nama = models.CharField(_("nama"), max_length=150)
    jenis_kelamin = models.CharField(_("jenis kelamin"), max_length=1, choices=JenisKelamin.choices)
    tanggal_lahir = models.DateField(_("tanggal lahir"), null=True, blank=True)
    alamat = models.CharField(_("alamat"), max_length=255, blank=True)
    rt = models.CharField(_("RT"), max_length=3, blank=True, validators=[rt_rw_validator])
    rw = models.CharField(_("RW"), max_length=3, blank=True, validators=[rt_rw_validator])
    kelurahan = kelurahan_field(null=True, blank=True)
    nomor_kks = models.CharField(_("nomor KKS"), max_length=20, blank=True, db_index=True)
    bank = models.ForeignKey(Bank, verbose_name=_("bank"), null=True, blank=True, on_delete=models.PROTECT)
    ewarong = models.ForeignKey(
        EWarong, verbose_name=_("e-warong"), null=True, blank=True, on_delete=models.SET_NULL, related_name="kpm"
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.AKTIF)
    sumber_data = models.CharField(_("sumber data"), max_length=100, blank=True)
    tahun_data = models.PositiveSmallIntegerField(_("tahun data"), null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    objects = KpmQuerySet.as_manager()

    class Meta:
        verbose_name = _("KPM")
        verbose_name_plural = _("KPM")
        ordering = ["nama"]
        indexes = [
            models.Index(fields=["kelurahan", "status"]),
            models.Index(fields=["ewarong", "status"]),
            models.Index(fields=["status"]),
            models.Index(fields=["nama"]),
        ]
        permissions = [("lihat_nik_lengkap", _("Dapat melihat NIK dan No KK lengkap"))]

    def __str__(self):
        return f"{self.nama} ({mask_nik(self.nik)})"

    @property
    def nik_tersamar(self):
        return mask_nik(self.nik)

    @property
    def no_kk_tersamar(self):
        return mask_nik(self.no_kk)
