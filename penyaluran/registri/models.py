"""The registry: penyedia, agen, e-warong and KPM, each in a kelurahan, and the jobs that import and export it."""

import datetime

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tikor.jobs import JobStatus, Pekerjaan
from tikor.models import Bank
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

    def cari(self, term):
        """KPM matching what a person types: a number (spaces allowed) is a whole NIK, No KK or KKS, looked up
        exactly on their indexes; other text is part of the name, every word anywhere in it (on PostgreSQL
        through the trigram index of migration 0016; a word needs 3 letters for the index to help)."""
        words = term.split()
        number = "".join(words)
        if number.isdigit():
            return self.filter(models.Q(nik=number) | models.Q(no_kk=number) | models.Q(nomor_kks=number))
        queryset = self
        for word in words:
            queryset = queryset.filter(nama__icontains=word)
        return queryset


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
    no_kk = models.CharField(_("No KK"), max_length=16, validators=[validate_no_kk])
    nama = models.CharField(_("nama"), max_length=150)
    jenis_kelamin = models.CharField(_("jenis kelamin"), max_length=1, choices=JenisKelamin.choices)
    tanggal_lahir = models.DateField(_("tanggal lahir"), null=True, blank=True)
    alamat = models.CharField(_("alamat"), max_length=255, blank=True)
    rt = models.CharField(_("RT"), max_length=3, blank=True, validators=[rt_rw_validator])
    rw = models.CharField(_("RW"), max_length=3, blank=True, validators=[rt_rw_validator])
    # Indexed by (kelurahan, status) below.
    kelurahan = kelurahan_field(null=True, blank=True, db_index=False)
    nomor_kks = models.CharField(_("nomor KKS"), max_length=20, blank=True)
    bank = models.ForeignKey(Bank, verbose_name=_("bank"), null=True, blank=True, on_delete=models.PROTECT)
    ewarong = models.ForeignKey(
        EWarong,
        verbose_name=_("e-warong"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="kpm",
        db_index=False,  # indexed by (ewarong, status) below
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
        # Every index is paid for at each import of 206.000 rows: searches are exact (NIK, No KK, KKS),
        # so none needs the LIKE (varchar_pattern_ops) twin that db_index=True would add.
        indexes = [
            models.Index(fields=["kelurahan", "status"]),
            models.Index(fields=["ewarong", "status"]),
            models.Index(fields=["status"]),
            models.Index(fields=["nama"]),
            models.Index(fields=["no_kk"], name="penyaluran_kpm_no_kk_idx"),
            models.Index(fields=["nomor_kks"], name="penyaluran_kpm_nomor_kks_idx"),
            # The dashboards count a bank's active KPM (a bank's staff, or the bank filter) on every request.
            models.Index(fields=["bank", "status"], name="penyaluran_kpm_bank_status_idx"),
        ]
        permissions = [("lihat_nik_lengkap", _("Dapat melihat NIK dan No KK lengkap"))]

    # A pendamping sees the numbers whole on this page only (tikor.nik.may_see_full_numbers).
    full_numbers_on_its_page = True

    def __str__(self):
        return f"{self.nama} ({mask_nik(self.nik)})"

    @property
    def nik_tersamar(self):
        return mask_nik(self.nik)

    @property
    def no_kk_tersamar(self):
        return mask_nik(self.no_kk)

    @property
    def kks_tersamar(self):
        return mask_nik(self.nomor_kks)


def _import_path(instance, filename):
    return f"impor/{instance.jenis}/{filename}"


def _output_path(instance, filename):
    return f"hasil/{filename}"


class TerminalQuerySet(ScopedQuerySet):
    scope_paths = ("ewarong__kelurahan", "agen__kelurahan")
    bank_path = "bank"


class TerminalEdc(TimeStamped):
    """An EDC terminal of a bank and the outlet (e-warong or agen) it stood at, for a period of time.

    A purchase file names outlets by terminal id; the bank-file import finds the outlet here for the purchase's
    date. Banks send their terminal lists as files, imported through the registry import (kind "terminal"),
    whose engine matches rows on one key: `kunci`, the bank, terminal and start date together.
    """

    kunci = models.CharField(_("kunci"), max_length=64, unique=True, editable=False)
    bank = models.ForeignKey(Bank, verbose_name=_("bank"), on_delete=models.PROTECT, related_name="+")
    terminal = models.CharField(_("ID terminal (TID)"), max_length=30)
    ewarong = models.ForeignKey(
        EWarong, verbose_name=_("e-warong"), null=True, blank=True, on_delete=models.PROTECT, related_name="terminal"
    )
    agen = models.ForeignKey(
        Agen, verbose_name=_("agen"), null=True, blank=True, on_delete=models.PROTECT, related_name="terminal"
    )
    berlaku_dari = models.DateField(_("berlaku dari"), default=datetime.date(2017, 1, 1))
    berlaku_sampai = models.DateField(_("berlaku sampai"), null=True, blank=True)
    keterangan = models.CharField(_("keterangan"), max_length=255, blank=True)

    objects = TerminalQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("terminal EDC")
        verbose_name_plural = _("terminal EDC")
        ordering = ["bank", "terminal", "-berlaku_dari"]
        constraints = [
            models.UniqueConstraint(fields=["bank", "terminal", "berlaku_dari"], name="terminal_edc_unik"),
            models.CheckConstraint(
                condition=models.Q(ewarong__isnull=False, agen__isnull=True)
                | models.Q(ewarong__isnull=True, agen__isnull=False),
                name="terminal_edc_satu_outlet",
            ),
        ]
        indexes = [models.Index(fields=["bank", "terminal"])]

    def __str__(self):
        return f"{self.bank} {self.terminal} → {self.ewarong or self.agen}"

    def save(self, *args, **kwargs):
        self.kunci = self.key_of(self.bank.kode, self.terminal, self.berlaku_dari)
        super().save(*args, **kwargs)

    def clean(self):
        if bool(self.ewarong_id) == bool(self.agen_id):
            raise ValidationError("Pilih satu outlet: e-warong atau agen.")
        if self.berlaku_sampai and self.berlaku_dari and self.berlaku_sampai < self.berlaku_dari:
            raise ValidationError({"berlaku_sampai": "Tanggal akhir tidak boleh sebelum tanggal mulai."})
        if self.bank_id and self.terminal:
            overlapping = TerminalEdc.objects.filter(bank_id=self.bank_id, terminal=self.terminal).exclude(pk=self.pk)
            overlapping = overlapping.filter(
                models.Q(berlaku_sampai__isnull=True) | models.Q(berlaku_sampai__gte=self.berlaku_dari)
            )
            if self.berlaku_sampai:
                overlapping = overlapping.filter(berlaku_dari__lte=self.berlaku_sampai)
            if overlapping.exists():
                raise ValidationError(
                    {"terminal": f"Terminal {self.terminal} sudah tercatat untuk bank ini pada masa yang bertumpang."}
                )

    @staticmethod
    def key_of(bank_kode, terminal, berlaku_dari):
        """The registry import's key of a registration: bank, terminal and start date."""
        return f"{bank_kode}/{terminal}/{berlaku_dari:%Y-%m-%d}"


class ImportJob(Pekerjaan):
    """One run of the registry import: a preview (dry run) or a write, with its progress and outcome."""

    task_name = "penyaluran.registri.tasks.run_import_job"

    class Jenis(models.TextChoices):
        KPM = "kpm", _("KPM")
        EWARONG = "ewarong", _("E-warong")
        AGEN = "agen", _("Agen")
        PENYEDIA = "penyedia", _("Penyedia")
        TERMINAL = "terminal", _("Terminal EDC")

    jenis = models.CharField(_("jenis data"), max_length=10, choices=Jenis.choices)
    berkas = models.FileField(_("berkas"), upload_to=_import_path)
    nama_berkas = models.CharField(_("nama berkas"), max_length=255)
    checksum = models.CharField(_("checksum SHA-256"), max_length=64, db_index=True)
    uji_coba = models.BooleanField(_("pratinjau saja"), default=True)
    lewati_tidak_valid = models.BooleanField(_("lewati baris tidak valid"), default=False)
    # Only a file of the whole registry is compared with every stored row ("tidak ada di file").
    registri_lengkap = models.BooleanField(_("berkas registri lengkap"), default=False)
    pratinjau = models.ForeignKey(
        "self", verbose_name=_("pratinjau"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    dibuat_oleh = models.ForeignKey(
        "tikor.User", verbose_name=_("dibuat oleh"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    baris_dibaca = models.PositiveIntegerField(_("baris dibaca"), default=0)
    baris_divalidasi = models.PositiveIntegerField(_("baris divalidasi"), default=0)
    baris_ditulis = models.PositiveIntegerField(_("baris ditulis"), default=0)
    jumlah_baru = models.PositiveIntegerField(_("baru"), default=0)
    jumlah_berubah = models.PositiveIntegerField(_("berubah"), default=0)
    jumlah_sama = models.PositiveIntegerField(_("tidak berubah"), default=0)
    jumlah_tidak_valid = models.PositiveIntegerField(_("tidak valid"), default=0)
    jumlah_tidak_ada = models.PositiveIntegerField(_("tidak ada di file terbaru"), default=0)
    ringkasan = models.JSONField(_("ringkasan"), default=dict, blank=True)
    berkas_kesalahan = models.FileField(_("berkas baris ditolak"), upload_to=_output_path, blank=True)
    berkas_tidak_ada = models.FileField(_("berkas tidak ada di file terbaru"), upload_to=_output_path, blank=True)

    class Meta(Pekerjaan.Meta):
        verbose_name = _("impor registri")
        verbose_name_plural = _("impor registri")
        permissions = [("impor_registri", _("Dapat mengimpor registri KPM, e-warong, agen dan penyedia"))]

    def __str__(self):
        return f"Impor {self.get_jenis_display()} {self.nama_berkas} ({self.get_status_display()})"

    @property
    def rerunnable(self):
        # A preview writes nothing; a write that lost its worker is run again by the user, from its preview.
        return self.uji_coba

    def earlier_imports(self):
        """Written imports of a file with the same content, for the "already imported" warning."""
        return ImportJob.objects.filter(
            jenis=self.jenis, checksum=self.checksum, uji_coba=False, status=JobStatus.SELESAI
        ).exclude(pk=self.pk)


class ExportJob(Pekerjaan):
    """A registry export too big to build in the request: a Celery task writes the file."""

    task_name = "penyaluran.registri.tasks.run_export_job"

    jenis = models.CharField(_("jenis data"), max_length=10, choices=ImportJob.Jenis.choices)
    format = models.CharField(_("format"), max_length=4, choices=[("xlsx", "XLSX"), ("csv", "CSV")])
    filter = models.JSONField(_("filter"), default=dict, blank=True)
    dibuat_oleh = models.ForeignKey("tikor.User", verbose_name=_("dibuat oleh"), on_delete=models.CASCADE)
    jumlah_baris = models.PositiveIntegerField(_("jumlah baris"), default=0)
    baris_total = models.PositiveIntegerField(_("baris yang diekspor"), default=0)
    berkas = models.FileField(_("berkas"), upload_to=_output_path, blank=True)

    class Meta(Pekerjaan.Meta):
        verbose_name = _("ekspor registri")
        verbose_name_plural = _("ekspor registri")

    def __str__(self):
        return f"Ekspor {self.get_jenis_display()} {self.format} ({self.get_status_display()})"

    @property
    def persen(self):
        """How far the file is written, 0 to 100."""
        if self.status == self.Status.SELESAI:
            return 100
        return min(99, 100 * self.jumlah_baris // self.baris_total) if self.baris_total else 0


class RingkasanRegistriQuerySet(ScopedQuerySet):
    bank_path = "bank"


class RingkasanRegistri(models.Model):
    """Counts of the registry by kelurahan and bank, so pages never count millions of KPM per request.

    Kept by penyaluran.registri.summary: rebuilt after a registry import or the demo seed, and per kelurahan when
    a single KPM or e-warong is saved or deleted. A row's region and bank are those of the counted rows, so the
    scoping gate reads it exactly as it reads Kpm and EWarong.
    """

    kelurahan = kelurahan_field(null=True)
    bank = models.ForeignKey(Bank, verbose_name=_("bank"), null=True, on_delete=models.CASCADE, related_name="+")
    kpm = models.PositiveIntegerField(_("KPM"), default=0)
    kpm_aktif = models.PositiveIntegerField(_("KPM aktif"), default=0)
    ewarong = models.PositiveIntegerField(_("e-warong"), default=0)
    ewarong_aktif = models.PositiveIntegerField(_("e-warong aktif"), default=0)
    diperbarui = models.DateTimeField(_("diperbarui"), auto_now=True)

    objects = RingkasanRegistriQuerySet.as_manager()

    class Meta:
        verbose_name = _("ringkasan registri")
        verbose_name_plural = _("ringkasan registri")
        constraints = [models.UniqueConstraint(fields=["kelurahan", "bank"], name="ringkasan_registri_unik")]

    def __str__(self):
        return f"{self.kelurahan_id or '-'} / {self.bank_id or '-'}: {self.kpm_aktif} KPM aktif"
