"""Distribution: periods, credits (Penyaluran) and bank purchases (Transaksi), bank column profiles,
the realisation summary and the bank-file import job."""

import calendar
import datetime

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from penyaluran.registri.models import EWarong, Kpm
from tikor.jobs import Pekerjaan
from tikor.models import Bank
from tikor.scoping import ScopedQuerySet


class PeriodeTertutup(ValidationError):
    """Raised when something tries to change a closed period or its credits and transactions."""


class PeriodeQuerySet(models.QuerySet):
    def terbuka(self):
        return self.filter(status=Periode.Status.BUKA)

    def berisi(self, waktu):
        """The period a date or datetime falls in (by its local calendar month)."""
        return self.filter(tahun=waktu.year, bulan=waktu.month)


class Periode(models.Model):
    """One monthly distribution, with the benefit each KPM is owed in it. A closed period is read-only."""

    class Status(models.TextChoices):
        BUKA = "buka", _("Terbuka")
        TUTUP = "tutup", _("Ditutup")

    tahun = models.PositiveSmallIntegerField(_("tahun"), validators=[MinValueValidator(2017), MaxValueValidator(2100)])
    bulan = models.PositiveSmallIntegerField(_("bulan"), validators=[MinValueValidator(1), MaxValueValidator(12)])
    manfaat_per_kpm = models.PositiveIntegerField(
        _("manfaat per KPM (Rp)"),
        help_text=_("Rp110.000 (2017–2019), Rp150.000 (Jan–Feb 2020), Rp200.000 sejak Mar 2020."),
    )
    status = models.CharField(_("status"), max_length=5, choices=Status.choices, default=Status.BUKA)

    objects = PeriodeQuerySet.as_manager()

    class Meta:
        verbose_name = _("periode")
        verbose_name_plural = _("periode")
        ordering = ["-tahun", "-bulan"]
        constraints = [models.UniqueConstraint(fields=["tahun", "bulan"], name="periode_unik")]

    def __str__(self):
        return f"{NAMA_BULAN[self.bulan]} {self.tahun}"

    def save(self, *args, **kwargs):
        # A closed period may be reopened (status only); nothing else about it may change.
        if self.pk:
            stored = Periode.objects.filter(pk=self.pk).values("tahun", "bulan", "manfaat_per_kpm", "status").first()
            if stored and stored["status"] == self.Status.TUTUP:
                changed = [f for f in ("tahun", "bulan", "manfaat_per_kpm") if stored[f] != getattr(self, f)]
                if changed:
                    raise PeriodeTertutup(f"Periode {self} sudah ditutup; buka kembali sebelum mengubahnya.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self.pastikan_terbuka()
        return super().delete(*args, **kwargs)

    @property
    def tertutup(self):
        return self.status == self.Status.TUTUP

    @property
    def mulai(self):
        return datetime.date(self.tahun, self.bulan, 1)

    @property
    def akhir(self):
        return datetime.date(self.tahun, self.bulan, calendar.monthrange(self.tahun, self.bulan)[1])

    def pastikan_terbuka(self):
        if self.tertutup:
            raise PeriodeTertutup(f"Periode {self} sudah ditutup; data penyaluran dan transaksinya tidak dapat diubah.")


NAMA_BULAN = {
    1: "Januari", 2: "Februari", 3: "Maret", 4: "April", 5: "Mei", 6: "Juni",
    7: "Juli", 8: "Agustus", 9: "September", 10: "Oktober", 11: "November", 12: "Desember",
}  # fmt: skip


class PeriodeTerbukaQuerySet(ScopedQuerySet):
    """Bulk paths refuse rows of closed periods, like each row's save() and delete() do."""

    def _refuse_closed(self):
        closed = self.filter(periode__status=Periode.Status.TUTUP).values_list("periode", flat=True).first()
        if closed:
            Periode.objects.get(pk=closed).pastikan_terbuka()

    def update(self, **kwargs):
        self._refuse_closed()
        if "periode" in kwargs or "periode_id" in kwargs:
            target = kwargs.get("periode") or Periode.objects.get(pk=kwargs["periode_id"])
            if not isinstance(target, Periode):
                target = Periode.objects.get(pk=target)
            target.pastikan_terbuka()
        return super().update(**kwargs)

    def delete(self):
        self._refuse_closed()
        return super().delete()

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        periode_ids = {o.periode_id for o in objs}
        closed = Periode.objects.filter(pk__in=periode_ids, status=Periode.Status.TUTUP).first()
        if closed:
            closed.pastikan_terbuka()
        return super().bulk_create(objs, *args, **kwargs)


class PeriodeTerbukaModel(models.Model):
    """A row that belongs to a period and is frozen once that period is closed."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        Periode.objects.get(pk=self.periode_id).pastikan_terbuka()
        if self.pk:
            stored = type(self)._base_manager.filter(pk=self.pk).values_list("periode_id", flat=True).first()
            if stored and stored != self.periode_id:
                Periode.objects.get(pk=stored).pastikan_terbuka()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self.periode.pastikan_terbuka()
        return super().delete(*args, **kwargs)


def _import_key():
    """The import job that wrote a credit or purchase row. Only a rollback reads it, by bank and period first, so
    no index; no constraint and no cascade either: a job deleted years later must not touch millions of rows."""
    return models.ForeignKey(
        "ImporBank",
        verbose_name=_("impor"),
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )


class PenyaluranQuerySet(PeriodeTerbukaQuerySet):
    # Credits of a NIK not in the registry have no KPM: only the province-wide roles see them (fail closed).
    scope_paths = ("kpm__kelurahan",)
    bank_path = "bank"

    def tersalur(self):
        return self.filter(status=Penyaluran.Status.TERSALUR)


class Penyaluran(PeriodeTerbukaModel):
    """One KPM's credit in a period, as the bank (KKS) or PT Pos (cash) reported it."""

    class Kanal(models.TextChoices):
        KKS = "kks", _("KKS melalui bank")
        POS = "pos", _("Tunai melalui PT Pos")

    class Status(models.TextChoices):
        TERSALUR = "tersalur", _("Tersalur")
        GAGAL = "gagal", _("Gagal")
        KARTU_BELUM_DIBAGIKAN = "kartu_belum", _("Kartu belum dibagikan")
        DIKEMBALIKAN = "dikembalikan", _("Dikembalikan ke kas negara")

    # The (periode, ...) indexes lead with the period. A bank alone is never searched without a period
    # (pages and the admin's bank users read one period, or the newest rows by id): no index of its own.
    periode = models.ForeignKey(
        Periode, verbose_name=_("periode"), on_delete=models.PROTECT, related_name="penyaluran", db_index=False
    )
    bank = models.ForeignKey(Bank, verbose_name=_("bank / penyalur"), on_delete=models.PROTECT, db_index=False)
    referensi = models.CharField(_("referensi bank"), max_length=40)
    kpm = models.ForeignKey(
        Kpm, verbose_name=_("KPM"), null=True, blank=True, on_delete=models.PROTECT, related_name="penyaluran"
    )
    nik = models.CharField(_("NIK"), max_length=16, blank=True, db_index=True)
    nomor_kks = models.CharField(_("nomor KKS"), max_length=20, blank=True, db_index=True)
    jumlah = models.PositiveIntegerField(_("jumlah (Rp)"))
    tanggal = models.DateField(_("tanggal"))
    kanal = models.CharField(_("kanal"), max_length=3, choices=Kanal.choices, default=Kanal.KKS)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.TERSALUR)
    kartu_dibagikan_pada = models.DateField(_("KKS dibagikan pada"), null=True, blank=True)
    # The import that wrote the row, so that import alone can be rolled back (bank_files.rollback).
    impor = _import_key()

    objects = PenyaluranQuerySet.as_manager()

    class Meta:
        verbose_name = _("penyaluran")
        verbose_name_plural = _("penyaluran")
        ordering = ["-tanggal", "id"]
        # Reference first: the admin finds a credit by its bank reference alone.
        constraints = [models.UniqueConstraint(fields=["referensi", "bank"], name="penyaluran_referensi_unik")]
        indexes = [models.Index(fields=["periode", "kpm"]), models.Index(fields=["periode", "status"])]

    def __str__(self):
        return f"{self.periode} {self.referensi}"


class TransaksiQuerySet(PeriodeTerbukaQuerySet):
    # Seen where the purchase happened and where the KPM lives.
    scope_paths = ("ewarong__kelurahan", "kpm__kelurahan")
    bank_path = "bank"


def _bare_key(to, verbose_name, **options):
    """A key of Transaksi, guarded by Django alone: no index and no database constraint (Transaksi says why)."""
    return models.ForeignKey(
        to,
        verbose_name=verbose_name,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        db_constraint=False,
        **options,
    )


class Transaksi(PeriodeTerbukaModel):
    """One purchase on an e-warong's EDC machine, as the bank reported it. 5–12 million rows a year."""

    # Millions of rows a year, written only by bank_files (which resolves every key by a join with existing
    # rows) and seed_demo. No single-column FK indexes: the composite and unique indexes below lead with
    # these columns. No database FK constraints either: PostgreSQL checks deferred constraints row by row at
    # commit, which doubled the time of a million-row import; on_delete=PROTECT still guards deletes in Django.
    periode = _bare_key(Periode, _("periode"))
    bank = _bare_key(Bank, _("bank"))
    referensi = models.CharField(_("referensi bank"), max_length=40)
    kpm = _bare_key(Kpm, _("KPM"), null=True, blank=True)
    nomor_kks = models.CharField(_("nomor KKS"), max_length=20, blank=True)
    nik = models.CharField(_("NIK"), max_length=16, blank=True)
    ewarong = _bare_key(EWarong, _("e-warong"), null=True, blank=True)
    terminal = models.CharField(_("terminal EDC / kode e-warong"), max_length=30, blank=True)
    waktu = models.DateTimeField(_("waktu"))
    jumlah = models.PositiveIntegerField(_("jumlah (Rp)"))
    # The import that wrote the row (bank_files.rollback).
    impor = _import_key()

    objects = TransaksiQuerySet.as_manager()

    class Meta:
        verbose_name = _("transaksi")
        verbose_name_plural = _("transaksi")
        ordering = ["-waktu"]
        # A bank's reference is unique per month (the period follows from the transaction time). The period
        # is in the key because on PostgreSQL the table is partitioned by (periode, bank); see partitions.py.
        # Reference first, so the admin finds a purchase by its reference alone (a complaint names it).
        constraints = [
            models.UniqueConstraint(fields=["referensi", "bank", "periode"], name="transaksi_referensi_unik")
        ]
        # Every page and detector reads one period by e-warong; a KPM's page reads its purchases of every period,
        # and the reconciliation one KPM's of one period, so the KPM comes first (in a partition the period is one
        # value anyway); the admin finds a card's purchases.
        indexes = [
            models.Index(fields=["periode", "ewarong", "waktu"]),
            models.Index(fields=["kpm", "periode"], name="transaksi_kpm_periode_idx"),
            models.Index(fields=["nomor_kks"], name="transaksi_nomor_kks_idx"),
        ]

    def __str__(self):
        return f"{self.bank} {self.referensi}"


class ProfilKolomBank(models.Model):
    """How one bank writes its credit or purchase file: which column holds what, the delimiter, the encoding,
    where the header is, and how dates, times and amounts are written. The secretariat makes it in a form
    that reads a sample file (penyaluran/distribusi/profil.py) and saves it only when the sample reads."""

    class Jenis(models.TextChoices):
        PENYALURAN = "penyaluran", _("Penyaluran (kredit)")
        TRANSAKSI = "transaksi", _("Transaksi EDC")

    class Pemisah(models.TextChoices):
        OTOMATIS = "", _("Deteksi otomatis")
        KOMA = ",", _("Koma ( , )")
        TITIK_KOMA = ";", _("Titik koma ( ; )")
        PIPA = "|", _("Garis tegak ( | )")
        TAB = "tab", _("Tab")

    class Pengodean(models.TextChoices):
        OTOMATIS = "", _("Deteksi otomatis")
        UTF8 = "utf-8-sig", _("UTF-8")
        WINDOWS = "cp1252", _("Windows-1252")

    class NotasiJumlah(models.TextChoices):
        OTOMATIS = "", _("Deteksi otomatis")
        INDONESIA = "id", _("Indonesia: 1.234.567,00")
        INGGRIS = "en", _("Inggris: 1,234,567.00")

    # The fields a profile may name a column for; bank_kolom.KOLOM describes each (a test keeps them equal).
    FIELDS = {
        Jenis.TRANSAKSI: (
            "referensi", "waktu", "jam", "jumlah", "nomor_kks", "nik", "terminal", "kode_ewarong", "kode_agen",
        ),
        Jenis.PENYALURAN: (
            "referensi", "tanggal", "jumlah", "nomor_kks", "nik", "status", "kanal", "kartu_dibagikan_pada",
        ),
    }  # fmt: skip

    bank = models.ForeignKey(Bank, verbose_name=_("bank"), on_delete=models.CASCADE, related_name="profil_kolom")
    jenis = models.CharField(_("jenis berkas"), max_length=10, choices=Jenis.choices)
    kolom = models.JSONField(
        _("kolom"),
        default=dict,
        blank=True,
        help_text=_("Judul kolom di berkas bank untuk tiap isian; isian tanpa judul dicari dari ejaan umum."),
    )
    pemisah = models.CharField(_("pemisah kolom CSV"), max_length=3, choices=Pemisah.choices, blank=True, default="")
    pengodean = models.CharField(_("pengodean CSV"), max_length=10, choices=Pengodean.choices, blank=True, default="")
    baris_judul = models.PositiveSmallIntegerField(
        _("baris judul"), default=0, help_text=_("Nomor baris judul kolom di berkas; 0: dicari otomatis.")
    )
    format_waktu = models.CharField(
        _("format tanggal dan waktu"),
        max_length=40,
        blank=True,
        help_text=_("Untuk kolom tanggal (dengan atau tanpa jam), mis. %d/%m/%Y %H:%M:%S; kosong: dikenali otomatis."),
    )
    format_jam = models.CharField(
        _("format jam"),
        max_length=20,
        blank=True,
        help_text=_("Untuk kolom jam yang terpisah dari tanggal, mis. %H:%M:%S atau %H.%M; kosong: dikenali otomatis."),
    )
    notasi_jumlah = models.CharField(
        _("penulisan jumlah"), max_length=2, choices=NotasiJumlah.choices, blank=True, default=""
    )
    diubah_pada = models.DateTimeField(_("diubah pada"), auto_now=True, null=True)

    class Meta:
        verbose_name = _("profil kolom bank")
        verbose_name_plural = _("profil kolom bank")
        constraints = [models.UniqueConstraint(fields=["bank", "jenis"], name="profil_kolom_unik")]

    def __str__(self):
        return f"{self.bank} – {self.get_jenis_display()}"

    @property
    def delimiter(self):
        return "\t" if self.pemisah == self.Pemisah.TAB else self.pemisah or None

    def clean(self):
        known = self.FIELDS.get(self.jenis, ())
        unknown = sorted(set(self.kolom or {}) - set(known))
        if unknown:
            raise ValidationError(
                {"kolom": f"Isian tidak dikenal: {', '.join(unknown)}. Isian yang dikenal: {', '.join(known)}."}
            )


class RealisasiQuerySet(ScopedQuerySet):
    # Region rows by their region, e-warong rows by the e-warong's kelurahan; bank rows are province-wide.
    # A bank's staff see the rows of their bank: its own region rows, its e-warong, its bank row.
    scope_paths = ("wilayah", "ewarong__kelurahan")
    bank_path = "bank"


class Realisasi(models.Model):
    """Summary table: credits and spending of one period at one level, rebuilt by realisasi.refresh_summary."""

    class Tingkat(models.TextChoices):
        PROVINSI = "provinsi", _("Provinsi")
        KOTA = "kota", _("Kota/Kab. Adm.")
        KECAMATAN = "kecamatan", _("Kecamatan")
        KELURAHAN = "kelurahan", _("Kelurahan")
        EWARONG = "ewarong", _("E-warong")
        BANK = "bank", _("Bank")

    periode = models.ForeignKey(Periode, verbose_name=_("periode"), on_delete=models.CASCADE, related_name="+")
    tingkat = models.CharField(_("tingkat"), max_length=10, choices=Tingkat.choices)
    wilayah = models.ForeignKey(
        "tikor.Wilayah", verbose_name=_("wilayah"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    ewarong = models.ForeignKey(
        EWarong, verbose_name=_("e-warong"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    bank = models.ForeignKey(
        Bank, verbose_name=_("bank"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    nama = models.CharField(_("nama"), max_length=200)
    kpm_disalurkan = models.PositiveIntegerField(_("KPM disalurkan"), default=0)
    jumlah_disalurkan = models.BigIntegerField(_("jumlah disalurkan"), default=0)
    jumlah_dibelanjakan = models.BigIntegerField(_("jumlah dibelanjakan"), default=0)
    jumlah_transaksi = models.PositiveIntegerField(_("jumlah transaksi"), default=0)
    dihitung_pada = models.DateTimeField(_("dihitung pada"), auto_now=True)

    objects = RealisasiQuerySet.as_manager()

    class Meta:
        verbose_name = _("realisasi")
        verbose_name_plural = _("realisasi")
        ordering = ["periode", "tingkat", "nama"]
        indexes = [models.Index(fields=["periode", "tingkat"])]

    def __str__(self):
        return f"{self.periode} {self.nama}"

    @property
    def persen_realisasi(self):
        return self.jumlah_dibelanjakan / self.jumlah_disalurkan if self.jumlah_disalurkan else 0

    @property
    def sisa_saldo(self):
        return self.jumlah_disalurkan - self.jumlah_dibelanjakan


class RekonsiliasiPeriode(models.Model):
    """When a period's reconciliation lines (BarisRekonsiliasi) were last counted, and with which settings."""

    periode = models.OneToOneField(
        Periode, verbose_name=_("periode"), on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    dihitung_pada = models.DateTimeField(_("dihitung pada"))
    saldo_hari = models.PositiveSmallIntegerField(_("batas saldo mengendap (hari)"))
    per_tanggal = models.DateField(_("saldo dihitung per tanggal"))
    jumlah_baris = models.PositiveIntegerField(_("jumlah baris"), default=0)
    durasi = models.FloatField(_("lama hitung (detik)"), default=0)

    class Meta:
        verbose_name = _("rekonsiliasi periode")
        verbose_name_plural = _("rekonsiliasi periode")

    def __str__(self):
        return f"{self.periode}: {self.jumlah_baris} baris"


class BarisRekonsiliasiQuerySet(ScopedQuerySet):
    # A line about a KPM or a credit sits in the KPM's kelurahan, a line about an e-warong in the e-warong's;
    # a line of a NIK outside the registry or of an unknown terminal has none: province-wide roles only.
    bank_path = "bank"


class BarisRekonsiliasi(models.Model):
    """One reconciliation line of a period, counted in the background (penyaluran.distribusi.rekonsiliasi.hitung).

    Written twice over: with the full numbers and with them masked, so a page shows the version its reader may see
    without formatting anything per request.
    """

    periode = models.ForeignKey(Periode, verbose_name=_("periode"), on_delete=models.CASCADE, related_name="+")
    aturan = models.CharField(_("aturan"), max_length=30)
    urutan = models.PositiveIntegerField(_("urutan"))
    kelurahan = models.ForeignKey(
        "tikor.Wilayah", verbose_name=_("kelurahan"), null=True, on_delete=models.CASCADE, related_name="+"
    )
    bank = models.ForeignKey(Bank, verbose_name=_("bank"), null=True, on_delete=models.CASCADE, related_name="+")
    subjek = models.CharField(_("KPM / e-warong"), max_length=255)
    nik = models.CharField(_("NIK"), max_length=20, blank=True)
    wilayah = models.CharField(_("kelurahan"), max_length=100, blank=True)
    alasan = models.TextField(_("alasan"))
    subjek_samar = models.CharField(_("KPM / e-warong (disamarkan)"), max_length=255)
    nik_samar = models.CharField(_("NIK (disamarkan)"), max_length=20, blank=True)
    alasan_samar = models.TextField(_("alasan (disamarkan)"))

    objects = BarisRekonsiliasiQuerySet.as_manager()

    class Meta:
        verbose_name = _("baris rekonsiliasi")
        verbose_name_plural = _("baris rekonsiliasi")
        indexes = [models.Index(fields=["periode", "aturan", "urutan"])]

    def __str__(self):
        return f"{self.periode} {self.aturan}: {self.subjek_samar}"


class ImporBank(Pekerjaan):
    """One run of a bank-file import (credits or EDC purchases): a preview or a write, with progress."""

    task_name = "penyaluran.distribusi.tasks.run_bank_import_job"
    still_written = models.Q(dibatalkan_pada__isnull=True)

    Jenis = ProfilKolomBank.Jenis

    bank = models.ForeignKey(Bank, verbose_name=_("bank"), on_delete=models.PROTECT, related_name="+")
    jenis = models.CharField(_("jenis berkas"), max_length=10, choices=ProfilKolomBank.Jenis.choices)
    berkas = models.FileField(_("berkas"), upload_to="impor/bank/")
    nama_berkas = models.CharField(_("nama berkas"), max_length=255)
    uji_coba = models.BooleanField(_("pratinjau saja"), default=True)
    lewati_tidak_valid = models.BooleanField(_("lewati baris tidak valid"), default=False)
    pratinjau = models.ForeignKey(
        "self", verbose_name=_("pratinjau"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    dibuat_oleh = models.ForeignKey(
        "tikor.User", verbose_name=_("dibuat oleh"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    baris_dibaca = models.PositiveIntegerField(_("baris dibaca"), default=0)
    baris_valid = models.PositiveIntegerField(_("baris valid"), default=0)
    baris_baru = models.PositiveIntegerField(_("baris baru"), default=0)
    baris_sudah_ada = models.PositiveIntegerField(_("sudah ada (referensi sama)"), default=0)
    jumlah_tidak_valid = models.PositiveIntegerField(_("tidak valid"), default=0)
    kesalahan = models.JSONField(_("contoh kesalahan"), default=list, blank=True)
    berkas_kesalahan = models.FileField(_("berkas baris ditolak"), upload_to="impor/bank/ditolak/", blank=True)
    # What the preview found that the user must see before saving (bank_checks): [{"kode", "pesan"}].
    peringatan = models.JSONField(_("peringatan"), default=list, blank=True)
    # Outlet ids of the file that match no e-warong, agen or terminal: [[id, rows], ...], most rows first.
    outlet_tak_dikenal = models.JSONField(_("outlet tak dikenal"), default=list, blank=True)
    jumlah_tanpa_outlet = models.PositiveIntegerField(_("baris tanpa outlet"), default=0)
    peringatan_diterima = models.BooleanField(_("peringatan sudah dibaca"), default=False)
    izinkan_tanpa_outlet = models.BooleanField(_("simpan tanpa outlet"), default=False)
    dibatalkan_pada = models.DateTimeField(_("dibatalkan pada"), null=True, blank=True)
    dibatalkan_oleh = models.ForeignKey(
        "tikor.User",
        verbose_name=_("dibatalkan oleh"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    jumlah_dibatalkan = models.PositiveIntegerField(_("baris dihapus saat dibatalkan"), default=0)

    class Meta(Pekerjaan.Meta):
        verbose_name = _("impor berkas bank")
        verbose_name_plural = _("impor berkas bank")

    def __str__(self):
        return f"{self.bank} {self.get_jenis_display()} {self.nama_berkas} ({self.get_status_display()})"

    @property
    def rerunnable(self):
        # A preview writes nothing; a write that lost its worker is run again by the user, from its preview.
        return self.uji_coba


class ParameterRisiko(models.Model):
    """A threshold or weight of the misuse detectors and the risk score, tuned by the secretariat.

    Each layer registers its defaults and their meaning in penyaluran.distribusi.parameters; a row overrides one.
    """

    kode = models.CharField(_("kode"), max_length=50, unique=True)
    nilai = models.DecimalField(_("nilai"), max_digits=12, decimal_places=3)
    keterangan = models.CharField(_("keterangan"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("parameter risiko")
        verbose_name_plural = _("parameter risiko")
        ordering = ["kode"]

    def __str__(self):
        return f"{self.kode} = {self.nilai}"
