"""Guidelines and decrees with their versions."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from monev.models.common import today


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
