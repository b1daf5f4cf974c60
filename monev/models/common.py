"""Words shared by every monev model: the 6T aspects, severities and their follow-up SLA, dates."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from monev import conf


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
