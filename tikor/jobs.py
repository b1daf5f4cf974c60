"""Background jobs: the abstract job row every import, export and report shares."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class JobStatus(models.TextChoices):
    MENUNGGU = "menunggu", _("Menunggu")
    BERJALAN = "berjalan", _("Berjalan")
    SELESAI = "selesai", _("Selesai")
    DITOLAK = "ditolak", _("Ditolak: ada baris tidak valid")
    GAGAL = "gagal", _("Gagal")


class Pekerjaan(models.Model):
    """What every background job records: when it was asked for, started and ended, its status and message.

    A Celery task claims its job before running it (claim), so a message delivered twice runs it once, and
    ends it with finish. tikor.housekeeping fails the stuck ones and deletes the old files of all of them.
    """

    Status = JobStatus

    dibuat = models.DateTimeField(_("dibuat"), auto_now_add=True)
    mulai = models.DateTimeField(_("mulai"), null=True, blank=True)
    selesai = models.DateTimeField(_("selesai"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=JobStatus.choices, default=JobStatus.MENUNGGU, db_index=True
    )
    pesan = models.TextField(_("pesan"), blank=True)

    class Meta:
        abstract = True
        ordering = ["-dibuat"]

    @classmethod
    def claim(cls, pk):
        """Mark a waiting job running; False when it is not waiting (another worker has it, or it ran)."""
        return bool(
            cls.objects.filter(pk=pk, status=JobStatus.MENUNGGU).update(status=JobStatus.BERJALAN, mulai=timezone.now())
        )

    def finish(self, status, message):
        self.status, self.pesan, self.selesai = status, message, timezone.now()
        self.save()

    @property
    def selesai_berjalan(self):
        return self.status in (JobStatus.SELESAI, JobStatus.DITOLAK, JobStatus.GAGAL)

    @property
    def durasi(self):
        if self.mulai and self.selesai:
            return self.selesai - self.mulai
        return None

