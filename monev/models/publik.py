"""The public face of an e-warong: the unguessable code behind its QR poster and public page."""

import secrets

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tikor.scoping import ScopedQuerySet

# Crockford-like: no 0/O, 1/I/L, U, so a code read off a poster is typed back right.
KODE_ALFABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
KODE_PANJANG = 8  # 30^8 ≈ 6,6 × 10^11 codes for 253 e-warong: guessing one is hopeless under the rate limits


def kode_acak(rng=None):
    """A new random code; `rng` (a random.Random) only for reproducible demo data."""
    choice = rng.choice if rng is not None else secrets.choice
    return "".join(choice(KODE_ALFABET) for _ in range(KODE_PANJANG))


class KodePublikQuerySet(ScopedQuerySet):
    scope_paths = ("ewarong__kelurahan",)
    bank_path = "ewarong__bank"

    def aktif(self):
        return self.filter(dipensiunkan_pada__isnull=True)


class KodePublik(models.Model):
    """The code in an e-warong's public address (/e-warong/<kode>/), never its database id.

    A code is retired (a leaked or defaced poster, an e-warong closed) rather than deleted, so old posters answer
    404 and a new code cannot collide with one still printed somewhere.
    """

    kode = models.CharField(_("kode publik"), max_length=12, unique=True, editable=False)
    ewarong = models.ForeignKey(
        "penyaluran.EWarong", verbose_name=_("e-warong"), on_delete=models.CASCADE, related_name="kode_publik"
    )
    dibuat_pada = models.DateTimeField(_("dibuat pada"), default=timezone.now, editable=False)
    dipensiunkan_pada = models.DateTimeField(_("dipensiunkan pada"), null=True, blank=True, editable=False)

    objects = KodePublikQuerySet.as_manager()

    class Meta:
        verbose_name = _("kode publik e-warong")
        verbose_name_plural = _("kode publik e-warong")
        ordering = ["ewarong__kode", "-dibuat_pada"]
        constraints = [
            models.UniqueConstraint(
                fields=["ewarong"],
                condition=models.Q(dipensiunkan_pada__isnull=True),
                name="kode_publik_satu_aktif_per_ewarong",
            )
        ]
        permissions = [("cetak_poster", _("Dapat mencetak poster QR e-warong"))]

    def __str__(self):
        return self.kode

    def get_absolute_url(self):
        return reverse("publik:ewarong", args=[self.kode])

    @property
    def aktif(self):
        return self.dipensiunkan_pada is None

    @classmethod
    def untuk(cls, ewarong):
        """The e-warong's active code, issued now if it has none."""
        return cls.objects.aktif().filter(ewarong=ewarong).first() or cls.objects.create(
            ewarong=ewarong, kode=cls._kode_baru()
        )

    @classmethod
    def lengkapi(cls, ewarong_ids=None, rng=None):
        """Issue a code to every e-warong (of `ewarong_ids`) without an active one, in bulk; returns how many."""
        from penyaluran.registri.models import EWarong

        missing = EWarong.objects.exclude(pk__in=cls.objects.aktif().values("ewarong"))
        if ewarong_ids is not None:
            missing = missing.filter(pk__in=ewarong_ids)
        taken = set(cls.objects.values_list("kode", flat=True))  # one row per e-warong and poster: small
        rows = []
        for pk in missing.order_by("kode").values_list("pk", flat=True):
            while (kode := kode_acak(rng)) in taken:
                pass
            taken.add(kode)
            rows.append(cls(ewarong_id=pk, kode=kode))
        cls.objects.bulk_create(rows, batch_size=1000)
        return len(rows)

    def pensiunkan(self):
        """Retire this code and issue the e-warong a new one; the old poster stops working."""
        self.dipensiunkan_pada = timezone.now()
        self.save(update_fields=["dipensiunkan_pada"])
        return KodePublik.untuk(self.ewarong)

    @classmethod
    def _kode_baru(cls):
        while cls.objects.filter(kode=(kode := kode_acak())).exists():
            pass
        return kode
