"""Complaints from KPM and the public."""

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from monev import conf
from monev.models.common import Aspek, today
from monev.models.publik import kode_acak
from monev.models.temuan import Temuan
from tikor.scoping import ScopedQuerySet


def foto_pengaduan_path(instance, filename):
    # Never the reporter's own file name (it may carry a name or a phone's serial).
    return f"monev/pengaduan/{timezone.localdate():%Y/%m}/{uuid.uuid4().hex}.jpg"


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
        # Sent by the KPM from the e-warong's public page (its QR poster), without login.
        QR_EWARONG = "qr_ewarong", _("QR e-warong")

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

    class Pola(models.TextChoices):
        # What a KPM at the counter reports, in its words: the known misuse patterns and the 6T aspects
        # (PROGRAM_SEMBAKO.md sections 2, 4 and 8). POLA_KATEGORI files each under a category and a handling.
        PAKET = "paket", _("Dijual dalam paket atau tidak boleh memilih barang sendiri")
        KARTU_DITAHAN = "kartu_ditahan", _("Kartu KKS atau PIN dipegang e-warong atau orang lain")
        TUNAI = "tunai", _("Saldo ditukar uang tunai atau dipotong biaya")
        HARGA = "harga", _("Harga lebih mahal dari harga acuan atau harga pasar")
        TIMBANGAN = "timbangan", _("Timbangan atau jumlah barang kurang")
        KUALITAS = "kualitas", _("Barang rusak, busuk, atau berkutu")
        BARANG_LUAR = "barang_luar", _("Dijual barang di luar daftar (minyak, gula, mi instan, rokok, pulsa)")
        DIARAHKAN = "diarahkan", _("Dipaksa belanja di e-warong tertentu atau diancam dicoret")
        SALDO = "saldo", _("Bantuan belum masuk, kurang, atau terlambat")
        LAYANAN = "layanan", _("Tidak diberi struk, mesin EDC rusak, atau e-warong tutup")
        PENDAMPING = "pendamping", _("Perilaku pendamping atau petugas")
        LAINNYA = "lainnya", _("Lainnya")

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
    # The public channel: what the reporter chose and saw, the photo, and the code that reads the status.
    pola = models.CharField(_("yang dilaporkan"), max_length=15, choices=Pola.choices, blank=True)
    tanggal_kejadian = models.DateField(_("tanggal kejadian"), null=True, blank=True)
    foto = models.ImageField(_("foto dari pelapor"), upload_to=foto_pengaduan_path, blank=True)
    kode_lacak = models.CharField(_("kode lacak"), max_length=12, unique=True, null=True, blank=True, editable=False)
    tanggapan_publik = models.BooleanField(
        _("tanggapan tampil untuk pelapor"),
        default=False,
        help_text=_("Tanggapan terakhir tampil di halaman status pengaduan yang dibuka dengan kode lacak."),
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
        if self.kanal == self.Kanal.QR_EWARONG and not self.kode_lacak:
            while Pengaduan.objects.filter(kode_lacak=(kode := kode_acak())).exists():
                pass
            self.kode_lacak = kode
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("monev:pengaduan", args=[self.pk])

    @property
    def tanggapan_untuk_pelapor(self):
        """The reply the reporter may read on the public status page: only one staff marked as public."""
        return self.tanggapan if self.tanggapan_publik else ""

    @property
    def is_overdue(self):
        return self.status != self.Status.SELESAI and self.batas_selesai < today()


# What each reported pattern is filed as: (category, handling). Cards held, cash-out, packages, short weight and
# the like need someone at the counter; a late or short credit is checked against the bank's data first.
POLA_KATEGORI = {
    Pengaduan.Pola.PAKET: (Pengaduan.Kategori.HARGA, Pengaduan.Penanganan.CEK_LAPANGAN),
    Pengaduan.Pola.KARTU_DITAHAN: (Pengaduan.Kategori.SASARAN, Pengaduan.Penanganan.CEK_LAPANGAN),
    Pengaduan.Pola.TUNAI: (Pengaduan.Kategori.JUMLAH, Pengaduan.Penanganan.CEK_LAPANGAN),
    Pengaduan.Pola.HARGA: (Pengaduan.Kategori.HARGA, Pengaduan.Penanganan.CEK_LAPANGAN),
    Pengaduan.Pola.TIMBANGAN: (Pengaduan.Kategori.JUMLAH, Pengaduan.Penanganan.CEK_LAPANGAN),
    Pengaduan.Pola.KUALITAS: (Pengaduan.Kategori.KUALITAS, Pengaduan.Penanganan.CEK_LAPANGAN),
    Pengaduan.Pola.BARANG_LUAR: (Pengaduan.Kategori.JUMLAH, Pengaduan.Penanganan.CEK_LAPANGAN),
    Pengaduan.Pola.DIARAHKAN: (Pengaduan.Kategori.SASARAN, Pengaduan.Penanganan.CEK_LAPANGAN),
    Pengaduan.Pola.SALDO: (Pengaduan.Kategori.WAKTU, Pengaduan.Penanganan.TANPA_CEK),
    Pengaduan.Pola.LAYANAN: (Pengaduan.Kategori.ADMINISTRASI, Pengaduan.Penanganan.INFORMASI),
    Pengaduan.Pola.PENDAMPING: (Pengaduan.Kategori.PENDAMPING, Pengaduan.Penanganan.TANPA_CEK),
    Pengaduan.Pola.LAINNYA: (Pengaduan.Kategori.LAINNYA, Pengaduan.Penanganan.INFORMASI),
}
