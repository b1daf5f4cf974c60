"""The Tikor's own work: its member agencies and people, its meetings (rapat) with their agenda, attendance,
minutes and attachments, and the decisions (keputusan) followed to done with a dated progress log.

An Anggota Tikor account belongs to an agency through its membership row here (tikor knows no monev).
Meetings and decisions are scoped by the meeting's Wilayah: the province (31) or a kota; a kota's Tikor sees
its kota's meetings only.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from monev.models.common import today
from monev.models.dokumen import Dokumen
from monev.models.temuan import Temuan
from tikor.scoping import ScopedQuerySet


class Instansi(models.Model):
    """A member agency of the Tikor (Dinsos, a bank, Bappeda, BPS, a kota, ...). Province-wide reference data."""

    class Jenis(models.TextChoices):
        DINSOS = "dinsos", _("Dinas Sosial")
        BANK = "bank", _("Bank penyalur")
        PERENCANAAN = "perencanaan", _("Perencanaan / statistik")
        PEMDA = "pemda", _("Perangkat daerah lain")
        KOTA = "kota", _("Pemerintah kota / kab. adm.")
        LAIN = "lain", _("Lainnya")

    nama = models.CharField(_("nama"), max_length=150, unique=True)
    singkatan = models.CharField(_("singkatan"), max_length=40)
    jenis = models.CharField(_("jenis"), max_length=15, choices=Jenis.choices, default=Jenis.PEMDA)
    bank = models.ForeignKey(
        "tikor.Bank", verbose_name=_("bank"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    wilayah = models.ForeignKey(
        "tikor.Wilayah",
        verbose_name=_("wilayah"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Untuk instansi tingkat kota; kosong untuk instansi provinsi."),
    )

    class Meta:
        verbose_name = _("instansi anggota Tikor")
        verbose_name_plural = _("instansi anggota Tikor")
        ordering = ["jenis", "nama"]

    def __str__(self):
        return self.singkatan or self.nama


class TimKoordinasiQuerySet(ScopedQuerySet):
    scope_paths = ("wilayah",)


class TimKoordinasi(models.Model):
    """A Tikor BSP, of the province or of a kota, and the decree that set it up (a document of the library)."""

    nama = models.CharField(_("nama"), max_length=200)
    wilayah = models.OneToOneField(
        "tikor.Wilayah", verbose_name=_("wilayah"), on_delete=models.PROTECT, related_name="+"
    )
    sk = models.ForeignKey(
        Dokumen, verbose_name=_("surat keputusan"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = TimKoordinasiQuerySet.as_manager()

    class Meta:
        verbose_name = _("Tikor")
        verbose_name_plural = _("Tikor")
        ordering = ["wilayah"]

    def __str__(self):
        return self.nama


class Peran(models.TextChoices):
    KETUA = "ketua", _("Ketua")
    SEKRETARIS = "sekretaris", _("Sekretaris")
    ANGGOTA = "anggota", _("Anggota")


class AnggotaTikor(models.Model):
    """A person in a Tikor: their agency, their role in it, and the account they log in with, if any."""

    tikor = models.ForeignKey(TimKoordinasi, verbose_name=_("Tikor"), on_delete=models.CASCADE, related_name="anggota")
    instansi = models.ForeignKey(Instansi, verbose_name=_("instansi"), on_delete=models.PROTECT, related_name="orang")
    nama = models.CharField(_("nama"), max_length=150)
    jabatan = models.CharField(_("jabatan"), max_length=150, blank=True)
    peran = models.CharField(_("peran dalam Tikor"), max_length=12, choices=Peran.choices, default=Peran.ANGGOTA)
    pengguna = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("akun"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="keanggotaan_tikor",
    )

    class Meta:
        verbose_name = _("anggota Tikor")
        verbose_name_plural = _("anggota Tikor")
        ordering = ["tikor", "peran", "instansi", "nama"]
        constraints = [
            models.UniqueConstraint(
                fields=["tikor", "pengguna"], condition=models.Q(pengguna__isnull=False), name="anggota_tikor_akun_unik"
            )
        ]

    def __str__(self):
        return f"{self.nama} ({self.instansi})"


def instansi_of(user):
    """The agencies `user` belongs to through their Tikor memberships (usually one)."""
    if not getattr(user, "is_authenticated", False):
        return Instansi.objects.none()
    return Instansi.objects.filter(orang__pengguna=user).distinct()


class RapatQuerySet(ScopedQuerySet):
    scope_paths = ("wilayah",)

    def akan_datang(self):
        return self.filter(tanggal__gte=timezone.now()).order_by("tanggal")

    def lalu(self):
        return self.filter(tanggal__lt=timezone.now())

    def sebelum(self, rapat):
        """Earlier meetings of the same area, the latest first."""
        return self.filter(wilayah=rapat.wilayah, tanggal__lt=rapat.tanggal).exclude(pk=rapat.pk).order_by("-tanggal")


class Rapat(models.Model):
    """A Tikor meeting at province or kota level."""

    class Tingkat(models.TextChoices):
        PROVINSI = "provinsi", _("Provinsi")
        KOTA = "kota", _("Kota/Kab. Adm.")

    judul = models.CharField(_("judul"), max_length=200)
    tingkat = models.CharField(_("tingkat"), max_length=10, choices=Tingkat.choices)
    wilayah = models.ForeignKey("tikor.Wilayah", verbose_name=_("wilayah"), on_delete=models.PROTECT, related_name="+")
    tanggal = models.DateTimeField(_("tanggal dan jam"))
    tempat = models.CharField(_("tempat"), max_length=200)
    pimpinan = models.CharField(_("pimpinan rapat"), max_length=150, blank=True)
    diundang = models.ManyToManyField(Instansi, verbose_name=_("instansi diundang"), blank=True, related_name="+")
    notulen = models.TextField(_("notulen"), blank=True)
    dibuat_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("dibuat oleh"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    dibuat_pada = models.DateTimeField(_("dibuat pada"), auto_now_add=True)

    objects = RapatQuerySet.as_manager()

    class Meta:
        verbose_name = _("rapat Tikor")
        verbose_name_plural = _("rapat Tikor")
        ordering = ["-tanggal"]
        indexes = [models.Index(fields=["wilayah", "tanggal"])]

    def __str__(self):
        return f"{self.judul} ({timezone.localtime(self.tanggal):%d-%m-%Y})"

    def get_absolute_url(self):
        return reverse("monev:rapat", args=[self.pk])

    @property
    def tanggal_lokal(self):
        return timezone.localdate(self.tanggal)

    @property
    def sudah_lewat(self):
        return self.tanggal <= timezone.now()


class ButirAgenda(models.Model):
    """One agenda item: proposed from the data with its figures (as of the meeting date) and a link, or added by
    hand; the secretariat edits the title and notes."""

    class Jenis(models.TextChoices):
        KEPUTUSAN_LALU = "keputusan_lalu", _("Keputusan rapat sebelumnya")
        REALISASI = "realisasi", _("Realisasi terendah")
        RISIKO = "risiko", _("E-warong berisiko")
        TINDAK_LANJUT = "tindak_lanjut", _("Tindak lanjut terlambat")
        PENYEDIA = "penyedia", _("Penyedia skor terendah")
        PENGADUAN = "pengaduan", _("Pengaduan lewat SLA")
        LAIN = "lain", _("Lain-lain")

    rapat = models.ForeignKey(Rapat, verbose_name=_("rapat"), on_delete=models.CASCADE, related_name="agenda")
    urutan = models.PositiveSmallIntegerField(_("urutan"), default=0)
    jenis = models.CharField(_("jenis"), max_length=15, choices=Jenis.choices, default=Jenis.LAIN)
    judul = models.CharField(_("judul"), max_length=200)
    uraian = models.TextField(_("catatan"), blank=True)
    # {"jumlah": n, "baris": [{"label": ..., "nilai": number, "teks": "87,7 %", "url": ...}]}
    data = models.JSONField(_("angka"), default=dict, blank=True)
    tautan = models.CharField(_("tautan"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("butir agenda")
        verbose_name_plural = _("butir agenda")
        ordering = ["rapat", "urutan", "id"]

    def __str__(self):
        return self.judul


class Kehadiran(models.Model):
    """Who attended, for which agency."""

    rapat = models.ForeignKey(Rapat, verbose_name=_("rapat"), on_delete=models.CASCADE, related_name="kehadiran")
    instansi = models.ForeignKey(Instansi, verbose_name=_("instansi"), on_delete=models.PROTECT, related_name="+")
    nama = models.CharField(_("nama"), max_length=150)
    jabatan = models.CharField(_("jabatan"), max_length=150, blank=True)

    class Meta:
        verbose_name = _("kehadiran")
        verbose_name_plural = _("kehadiran")
        ordering = ["rapat", "instansi", "nama"]
        constraints = [models.UniqueConstraint(fields=["rapat", "instansi", "nama"], name="kehadiran_unik")]

    def __str__(self):
        return f"{self.nama} ({self.instansi})"


class Lampiran(models.Model):
    rapat = models.ForeignKey(Rapat, verbose_name=_("rapat"), on_delete=models.CASCADE, related_name="lampiran")
    judul = models.CharField(_("judul"), max_length=200)
    berkas = models.FileField(_("berkas"), upload_to="monev/rapat/%Y/")
    diunggah_pada = models.DateTimeField(_("diunggah"), auto_now_add=True)

    class Meta:
        verbose_name = _("lampiran rapat")
        verbose_name_plural = _("lampiran rapat")
        ordering = ["rapat", "id"]

    def __str__(self):
        return self.judul


class KeputusanQuerySet(ScopedQuerySet):
    scope_paths = ("rapat__wilayah",)

    def terbuka(self):
        return self.exclude(status=Keputusan.Status.SELESAI)

    def terlambat(self, pada=None):
        return self.terbuka().filter(batas_waktu__lt=pada or today())

    def selesai(self):
        return self.filter(status=Keputusan.Status.SELESAI)

    def milik(self, user):
        return self.filter(instansi__in=instansi_of(user))


class Keputusan(models.Model):
    """A decision of a meeting: what, which agency and person own it, by when, and what it is about.

    Its status is open, in progress or done; past its due date and not done it reads as late (`status_efektif`).
    """

    class Status(models.TextChoices):
        TERBUKA = "terbuka", _("Terbuka")
        BERJALAN = "berjalan", _("Sedang berjalan")
        SELESAI = "selesai", _("Selesai")

    TERLAMBAT = "terlambat"

    rapat = models.ForeignKey(Rapat, verbose_name=_("rapat"), on_delete=models.CASCADE, related_name="keputusan")
    teks = models.TextField(_("keputusan"))
    instansi = models.ForeignKey(
        Instansi, verbose_name=_("instansi penanggung jawab"), on_delete=models.PROTECT, related_name="keputusan"
    )
    penanggung_jawab = models.CharField(_("penanggung jawab"), max_length=150)
    batas_waktu = models.DateField(_("batas waktu"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.TERBUKA)
    ewarong = models.ForeignKey(
        "penyaluran.EWarong",
        verbose_name=_("e-warong"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    penyedia = models.ForeignKey(
        "penyaluran.Penyedia",
        verbose_name=_("penyedia"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    temuan = models.ForeignKey(
        Temuan, verbose_name=_("temuan"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    dokumen = models.ForeignKey(
        Dokumen, verbose_name=_("dokumen"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    selesai_pada = models.DateField(_("selesai pada"), null=True, blank=True)
    dibuat_pada = models.DateTimeField(_("dicatat pada"), auto_now_add=True)

    objects = KeputusanQuerySet.as_manager()

    class Meta:
        verbose_name = _("keputusan rapat")
        verbose_name_plural = _("keputusan rapat")
        ordering = ["batas_waktu", "id"]
        indexes = [models.Index(fields=["status", "batas_waktu"])]

    def __str__(self):
        return self.teks[:80]

    def get_absolute_url(self):
        return reverse("monev:keputusan", args=[self.pk])

    @property
    def is_overdue(self):
        return self.status != self.Status.SELESAI and self.batas_waktu < today()

    @property
    def status_efektif(self):
        return self.TERLAMBAT if self.is_overdue else self.status

    @property
    def status_label(self):
        return "Terlambat" if self.is_overdue else self.get_status_display()

    def terkait(self):
        """What the decision is about, as (label, object, url) for those set."""
        links = []
        if self.ewarong_id:
            links.append(("e-warong", self.ewarong, reverse("monev:skor_ewarong", args=[self.ewarong_id])))
        if self.penyedia_id:
            links.append(("penyedia", self.penyedia, reverse("monev:skor_penyedia", args=[self.penyedia_id])))
        if self.temuan_id:
            links.append(("temuan", self.temuan, self.temuan.get_absolute_url()))
        if self.dokumen_id:
            links.append(("dokumen", self.dokumen, reverse("monev:dokumen_unduh", args=[self.dokumen_id])))
        return links


class ProgresKeputusan(models.Model):
    """A dated entry of a decision's progress log: what was done and the status it left the decision in."""

    keputusan = models.ForeignKey(
        Keputusan, verbose_name=_("keputusan"), on_delete=models.CASCADE, related_name="progres"
    )
    tanggal = models.DateField(_("tanggal"), default=today)
    catatan = models.TextField(_("perkembangan"))
    status = models.CharField(_("status"), max_length=10, choices=Keputusan.Status.choices)
    oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("dicatat oleh"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    dicatat_pada = models.DateTimeField(_("dicatat pada"), auto_now_add=True)

    class Meta:
        verbose_name = _("progres keputusan")
        verbose_name_plural = _("progres keputusan")
        ordering = ["keputusan", "tanggal", "id"]

    def __str__(self):
        return f"{self.tanggal}: {self.get_status_display()}"
