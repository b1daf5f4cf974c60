"""Background jobs: the abstract job row every import, export and report shares, and the one runner.

A job kind supplies only its work, `work(job) -> Outcome`; `run_job` does the rest the same way for all:
claim the job (only a waiting job runs, so a message delivered twice runs it once), run the work, attach
the rejected-rows file, write the audit row, finish with a status and an Indonesian message. A refusal
the work raises as ValidationError becomes the message as it is; any other exception is logged and told
as one readable sentence.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tikor.models import AuditLog

logger = logging.getLogger(__name__)

PROGRESS_SECONDS = 3600  # how long progress kept in the cache outlives a job that never finishes


class JobStatus(models.TextChoices):
    MENUNGGU = "menunggu", _("Menunggu")
    BERJALAN = "berjalan", _("Berjalan")
    SELESAI = "selesai", _("Selesai")
    DITOLAK = "ditolak", _("Ditolak: ada baris tidak valid")
    GAGAL = "gagal", _("Gagal")


class Pekerjaan(models.Model):
    """What every background job records: when it was asked for, started and ended, its status and message.

    run_job claims its job before running it (claim), so a message delivered twice runs it once, and
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

    def save_progress(self, *, in_cache=False, **fields):
        """Record progress (counters of the job) at once, for the page that polls the job.

        On the job row by default. `in_cache` when the work runs in one long transaction (a bank file
        streams through one COPY), where a row update could neither run nor be seen: the cache is shared
        with the web processes, and live_progress reads it there.
        """
        for name, value in fields.items():
            setattr(self, name, value)
        if in_cache:
            cache.set(self._progress_key, fields, PROGRESS_SECONDS)
            self._progress_in_cache = True
        else:
            type(self)._default_manager.filter(pk=self.pk).update(**fields)

    def live_progress(self, *names):
        """The progress counters `names`: from the cache while the job runs, if it keeps them there."""
        live = cache.get(self._progress_key) if self.status == JobStatus.BERJALAN else None
        return live or {name: getattr(self, name) for name in names}

    @property
    def _progress_key(self):
        return f"{self._meta.label_lower}:{self.pk}:progres"

    def finish(self, status, message):
        self.status, self.pesan, self.selesai = status, message, timezone.now()
        self.save()
        if getattr(self, "_progress_in_cache", False):
            cache.delete(self._progress_key)

    @property
    def selesai_berjalan(self):
        return self.status in (JobStatus.SELESAI, JobStatus.DITOLAK, JobStatus.GAGAL)

    @property
    def durasi(self):
        if self.mulai and self.selesai:
            return self.selesai - self.mulai
        return None


@dataclass
class Outcome:
    """How a job's work ended, for run_job to record."""

    status: str
    message: str
    result: object = None  # what the work produced, handed back to run_job's caller
    rejected_rows: bytes | None = None  # an XLSX of the refused rows: the job's berkas_kesalahan
    audit: dict | None = None  # an AuditLog row in the job creator's name: aksi, objek, jumlah_baris, keterangan
    afterwards: Callable | None = None  # more work once the outcome is recorded; it reports its own failures


def run_job(model, job_id, work, *, related=()):
    """Run the waiting job `job_id` of `model` once with `work(job) -> Outcome`; returns the Outcome.

    None when the job was not waiting (it is left alone) or failed; `related` are the job's foreign keys
    the work reads (select_related).
    """
    if not model.claim(job_id):
        logger.warning("%s %s is not waiting; not running it again.", model.__name__, job_id)
        return None
    job = model.objects.select_related(*related).get(pk=job_id)
    try:
        outcome = work(job)
    except ValidationError as exc:
        job.finish(JobStatus.GAGAL, " ".join(exc.messages))
        return None
    except Exception as exc:
        logger.exception("%s %s failed", model.__name__, job_id)
        job.finish(JobStatus.GAGAL, unexpected_failure(job, exc))
        return None
    if outcome.rejected_rows:
        stem = job.nama_berkas.rsplit(".", 1)[0]
        job.berkas_kesalahan.save(f"{stem}-baris-ditolak-{job.pk}.xlsx", ContentFile(outcome.rejected_rows), save=False)
    if outcome.audit:
        AuditLog.objects.create(pengguna=job.dibuat_oleh, **outcome.audit)
    job.finish(outcome.status, outcome.message)
    if outcome.afterwards:
        outcome.afterwards()
    return outcome


def unexpected_failure(job, exc):
    """An error nobody foresaw, said in one sentence a user can act on; the details are in the log."""
    return (
        f"{str(job._meta.verbose_name).capitalize()} #{job.pk} berhenti karena kesalahan tak terduga "
        f"({exc.__class__.__name__}); rinciannya tercatat di log server, coba lagi atau hubungi admin."
    )
