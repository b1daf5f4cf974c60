"""Core of the site: DKI regions, the distributing banks, users with a role and an area, and the audit trail."""

from functools import cached_property

from django.contrib.auth.models import AbstractUser, Group
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tikor.scoping import Scope, ScopedQuerySet


class Tingkat(models.TextChoices):
    PROVINSI = "provinsi", _("Provinsi")
    KOTA = "kota", _("Kota/Kab. Adm.")
    KECAMATAN = "kecamatan", _("Kecamatan")
    KELURAHAN = "kelurahan", _("Kelurahan")


class WilayahQuerySet(ScopedQuerySet):
    scope_paths = ("kode",)

    def kota(self):
        return self.filter(tingkat=Tingkat.KOTA)

    def kecamatan(self):
        return self.filter(tingkat=Tingkat.KECAMATAN)

    def kelurahan(self):
        return self.filter(tingkat=Tingkat.KELURAHAN)

    def under(self, kode):
        """The region and its subtree: a code prefix is a subtree (31.71 holds 31.71.01.1001)."""
        return self.filter(models.Q(kode=kode) | models.Q(kode__startswith=f"{kode}."))


class Wilayah(models.Model):
    """A Kemendagri region of DKI Jakarta; the code is the key, so a row's kelurahan_id is readable."""

    kode = models.CharField(_("kode"), max_length=13, primary_key=True)
    nama = models.CharField(_("nama"), max_length=100)
    nama_singkat = models.CharField(_("nama singkat"), max_length=100)
    tingkat = models.CharField(_("tingkat"), max_length=10, choices=Tingkat.choices, db_index=True)
    induk = models.ForeignKey(
        "self", verbose_name=_("induk"), null=True, blank=True, on_delete=models.PROTECT, related_name="anak"
    )
    kodepos = models.CharField(_("kode pos"), max_length=5, blank=True)

    objects = WilayahQuerySet.as_manager()

    class Meta:
        verbose_name = _("wilayah")
        verbose_name_plural = _("wilayah")
        ordering = ["kode"]

    def __str__(self):
        if self.tingkat == Tingkat.KELURAHAN:
            return f"Kel. {self.nama}"
        if self.tingkat == Tingkat.KECAMATAN:
            return f"Kec. {self.nama}"
        return self.nama_singkat


class Bank(models.Model):
    """A distributing bank (Himbara and regional banks). Not scoped: everyone may see the list."""

    kode = models.CharField(_("kode"), max_length=10, unique=True)
    nama = models.CharField(_("nama"), max_length=100)

    class Meta:
        verbose_name = _("bank")
        verbose_name_plural = _("bank")
        ordering = ["kode"]
        db_table = "penyaluran_bank"  # moved from penyaluran; the table kept its name

    def __str__(self):
        return self.kode


class Role(models.TextChoices):
    SEKRETARIAT = "sekretariat", _("Sekretariat Tikor (Dinsos Provinsi)")
    TIKOR_KOTA = "tikor_kota", _("Tikor Kota")
    PENDAMPING = "pendamping", _("Pendamping Kecamatan")
    ANGGOTA = "anggota", _("Anggota Tikor")


# The level a role's area is drawn at; None means the whole province.
ROLE_AREA_LEVEL = {
    Role.SEKRETARIAT: None,
    Role.TIKOR_KOTA: Tingkat.KOTA,
    Role.PENDAMPING: Tingkat.KECAMATAN,
    Role.ANGGOTA: Tingkat.KOTA,
}


class User(AbstractUser):
    """A person using the site. Their role sets what they may do, their wilayah where."""

    role = models.CharField(_("peran"), max_length=20, choices=Role.choices, default=Role.ANGGOTA)
    wilayah = models.ManyToManyField(
        Wilayah,
        verbose_name=_("wilayah tugas"),
        blank=True,
        related_name="pengguna",
        help_text=_("Kosong untuk sekretariat dan anggota tingkat provinsi."),
    )
    bank = models.ForeignKey(
        Bank,
        verbose_name=_("bank"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        help_text=_("Untuk staf bank: hanya data bank ini yang terlihat."),
    )
    instansi = models.CharField(_("instansi"), max_length=150, blank=True)
    telepon = models.CharField(_("telepon"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("pengguna")
        verbose_name_plural = _("pengguna")

    def save(self, *args, **kwargs):
        # Everyone works in the admin; what they may do there comes from their role's group.
        self.is_staff = True
        super().save(*args, **kwargs)
        update_fields = kwargs.get("update_fields")
        if update_fields is None or "role" in update_fields:
            self.sync_role_group()

    def sync_role_group(self):
        group, _created = Group.objects.get_or_create(name=self.get_role_display())
        if list(self.groups.all()) != [group]:
            self.groups.set([group])

    @cached_property
    def scope(self):
        """Where this user may look: everywhere, a set of Wilayah codes (every level of the area), and a bank."""
        if not self.is_authenticated or not self.is_active:
            return Scope()
        if self.is_superuser or self.role == Role.SEKRETARIAT:
            return Scope(everywhere=True)
        area = [w.kode for w in self.wilayah.all()]
        if not area and self.role != Role.PENDAMPING:
            # Anggota Tikor without an area read the whole province; other roles see nothing.
            return Scope(everywhere=self.role == Role.ANGGOTA, bank_id=self.bank_id)
        subtree = models.Q()
        for kode in area:
            subtree |= models.Q(kode=kode) | models.Q(kode__startswith=f"{kode}.")
        rows = Wilayah.objects.all()
        if self.role == Role.PENDAMPING:
            # A temporary access (a kecamatan) counts while in force and stops by itself at its end, with no job to
            # run; read in the same query as the area, each kecamatan row naming the grant that opens it.
            granted = AksesSementara.objects.filter(pengguna=self).aktif()
            subtree |= models.Q(kode__in=granted.values("wilayah")) | models.Q(induk__in=granted.values("wilayah"))
            rows = rows.annotate(
                akses=models.Subquery(granted.filter(wilayah=models.OuterRef("kode")).values("pk")[:1])
            )
        else:
            rows = rows.annotate(akses=models.Value(None, output_field=models.IntegerField()))
        found = list(rows.filter(subtree).values_list("kode", "akses")) if subtree else []
        codes = frozenset(kode for kode, _akses in found)
        grants = tuple(sorted(akses for _kode, akses in found if akses is not None))
        return Scope(codes=codes, bank_id=self.bank_id, akses_sementara=grants)

    @property
    def area_label(self):
        if self.scope.everywhere:
            return "DKI Jakarta"
        names = [str(w) for w in self.wilayah.all()]
        if self.scope.akses_sementara:
            grants = AksesSementara.objects.filter(pk__in=self.scope.akses_sementara).select_related("wilayah")
            names += [f"{g.wilayah} (sementara)" for g in grants]
        return ", ".join(names) or _("(belum ada wilayah tugas)")


class AuditLog(models.Model):
    """Who exported, downloaded, imported, changed or looked at what, who signed in, and each use of a temporary
    access; read on the audit page (tikor.audit) and deleted after AUDIT_RETENTION_DAYS."""

    class Aksi(models.TextChoices):
        EKSPOR = "ekspor", _("Ekspor atau unduhan")
        IMPOR = "impor", _("Impor")
        UBAH = "ubah", _("Ubah")
        LIHAT = "lihat", _("Lihat data pribadi lengkap")
        MASUK = "masuk", _("Masuk")
        GAGAL_MASUK = "gagal", _("Gagal masuk")
        AKSES_SEMENTARA = "akses", _("Akses sementara")

    waktu = models.DateTimeField(_("waktu"), auto_now_add=True, db_index=True)
    pengguna = models.ForeignKey(User, verbose_name=_("pengguna"), null=True, on_delete=models.SET_NULL)
    aksi = models.CharField(_("aksi"), max_length=10, choices=Aksi.choices)
    objek = models.CharField(_("objek"), max_length=100)
    jumlah_baris = models.PositiveIntegerField(_("jumlah baris"), default=0)
    keterangan = models.JSONField(_("keterangan"), default=dict, blank=True)

    class Meta:
        verbose_name = _("log audit")
        verbose_name_plural = _("log audit")
        ordering = ["-waktu"]
        indexes = [models.Index(fields=["pengguna", "waktu"], name="tikor_audit_pengguna_waktu")]

    def __str__(self):
        return f"{self.waktu:%Y-%m-%d %H:%M} {self.pengguna} {self.aksi} {self.objek}"


class AksesSementaraQuerySet(models.QuerySet):
    def aktif(self, pada=None):
        """Grants in force at `pada` (now): started, not ended, not revoked."""
        pada = pada or timezone.now()
        return self.filter(mulai__lte=pada, selesai__gt=pada, dicabut_pada__isnull=True)


class AksesSementara(models.Model):
    """The secretariat lets a pendamping work in another kecamatan for a while (covering a colleague on leave).

    While in force the kecamatan is part of the user's scope (User.scope); after `selesai` it is not, with no job
    to run. Every request made while a grant is in force is logged (tikor.audit.AksesSementaraMiddleware)."""

    pengguna = models.ForeignKey(
        User, verbose_name=_("pendamping"), on_delete=models.CASCADE, related_name="akses_sementara"
    )
    wilayah = models.ForeignKey(Wilayah, verbose_name=_("kecamatan"), on_delete=models.PROTECT, related_name="+")
    alasan = models.CharField(_("alasan"), max_length=300)
    mulai = models.DateTimeField(_("mulai"))
    selesai = models.DateTimeField(_("selesai"))
    dibuat_oleh = models.ForeignKey(
        User, verbose_name=_("dibuat oleh"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    dibuat_pada = models.DateTimeField(_("dibuat pada"), auto_now_add=True)
    dicabut_pada = models.DateTimeField(_("dicabut pada"), null=True, blank=True)
    dicabut_oleh = models.ForeignKey(
        User, verbose_name=_("dicabut oleh"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = AksesSementaraQuerySet.as_manager()

    class Meta:
        verbose_name = _("akses sementara")
        verbose_name_plural = _("akses sementara")
        ordering = ["-mulai", "-id"]
        indexes = [models.Index(fields=["pengguna", "selesai"], name="tikor_akses_pengguna_selesai")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(selesai__gt=models.F("mulai")), name="akses_selesai_setelah_mulai"
            )
        ]

    def __str__(self):
        return f"{self.pengguna} di {self.wilayah} s.d. {timezone.localtime(self.selesai):%d-%m-%Y %H:%M}"

    @property
    def berlaku(self):
        now = timezone.now()
        return self.dicabut_pada is None and self.mulai <= now < self.selesai


class NotifikasiQuerySet(models.QuerySet):
    def belum_dibaca(self):
        return self.filter(dibaca_pada__isnull=True)


class Notifikasi(models.Model):
    """A message for one user inside the site (a daily digest, a report that is ready): read on the
    notifications page, counted by the bell (tikor.context_processors.notifikasi)."""

    pengguna = models.ForeignKey(User, verbose_name=_("pengguna"), on_delete=models.CASCADE, related_name="notifikasi")
    judul = models.CharField(_("judul"), max_length=200)
    isi = models.TextField(_("isi"), blank=True)
    tautan = models.CharField(_("tautan"), max_length=300, blank=True)
    dibuat = models.DateTimeField(_("dibuat"), auto_now_add=True)
    dibaca_pada = models.DateTimeField(_("dibaca pada"), null=True, blank=True)

    objects = NotifikasiQuerySet.as_manager()

    class Meta:
        verbose_name = _("notifikasi")
        verbose_name_plural = _("notifikasi")
        ordering = ["-dibuat", "-id"]
        indexes = [models.Index(fields=["pengguna", "dibaca_pada"])]

    def __str__(self):
        return self.judul
