"""Background jobs: the abstract job row every import, export and report shares, and the one runner.

A job kind supplies only its work, `work(job) -> Outcome`, and the name of its Celery task; the rest is
done here the same way for all:
- `send` hands a job to the queue after the transaction commits. With the broker down the page still
  answers at once: the job waits, says so, and `tikor.housekeeping.check_jobs` sends it when the broker is back.
- `run_job` claims the job (only a waiting job runs, so a message delivered twice runs it once), runs the
  work in the job's own folder under the media root (temporary files with personal data never land
  elsewhere, and the folder goes when the job ends), writes a heartbeat with the progress to the database
  every few seconds, attaches the rejected-rows file, writes the audit row, and finishes with a status and
  an Indonesian message. A refusal the work raises as ValidationError becomes the message as it is; any
  other exception is logged under an incident number the message gives.
- A job whose heartbeat stops (the worker was killed) is found by the periodic check: a re-runnable job (a
  preview, an export, a report) runs again, any other is failed with a reason and can be run again. One
  still running past its kind's time limit (`Pekerjaan.time_limit`) is failed too.
"""

import contextlib
import logging
import os
import secrets
import shutil
import socket
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import connection, models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from tikor.models import AuditLog

logger = logging.getLogger(__name__)

QUEUE_DOWN = (
    "Menunggu antrean: layanan antrean pekerjaan sedang tidak dapat dihubungi. Berkas Anda tersimpan; "
    "pekerjaan ini dikirim otomatis begitu antrean pulih."
)


# Options of every job task. A message stays in the queue until its task ends, and comes back when the worker
# process dies (killed, out of memory); run_job runs it only if the job still waits, or is re-runnable and its
# process here is gone, so a write never runs twice.
JOB_TASK = {"acks_late": True, "reject_on_worker_lost": True}


class JobStatus(models.TextChoices):
    MENUNGGU = "menunggu", _("Menunggu")
    BERJALAN = "berjalan", _("Berjalan")
    SELESAI = "selesai", _("Selesai")
    DITOLAK = "ditolak", _("Ditolak: ada baris tidak valid")
    GAGAL = "gagal", _("Gagal")


ENDED = (JobStatus.SELESAI, JobStatus.DITOLAK, JobStatus.GAGAL)


def worker_id():
    """Where the work runs: host and process, to tell later whether that process is still alive."""
    return f"{socket.gethostname()}:{os.getpid()}"[:100]


def died_here(worker):
    """True when `worker` (a worker_id) was a process of this host that no longer runs."""
    host, _sep, pid = (worker or "").rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


class Pekerjaan(models.Model):
    """What every background job records: when it was asked for, sent, started, last seen alive and ended,
    its status, message and attempts.

    A concrete job names its Celery task in `task_name` (the task takes the job's id) and says whether it
    may simply run again after its worker died (`rerunnable`: it writes nothing but its own files).
    """

    Status = JobStatus
    task_name = None
    # Which write jobs of a preview still count as its write (written_from); a job model whose writes can be
    # rolled back narrows it, so the rolled-back preview can be saved again.
    still_written = models.Q()

    dibuat = models.DateTimeField(_("dibuat"), auto_now_add=True)
    dikirim = models.DateTimeField(_("dikirim ke antrean"), null=True, blank=True)
    mulai = models.DateTimeField(_("mulai"), null=True, blank=True)
    detak = models.DateTimeField(_("terakhir terlihat hidup"), null=True, blank=True)
    selesai = models.DateTimeField(_("selesai"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=JobStatus.choices, default=JobStatus.MENUNGGU, db_index=True
    )
    pesan = models.TextField(_("pesan"), blank=True)
    percobaan = models.PositiveSmallIntegerField(_("percobaan"), default=0)
    pekerja = models.CharField(_("pekerja"), max_length=100, blank=True)

    class Meta:
        abstract = True
        ordering = ["-dibuat"]

    @property
    def rerunnable(self):
        return True

    @classmethod
    def time_limit(cls):
        """Seconds a run may take (its task's hard time limit), or None. One still running past it is stuck,
        even with a heartbeat going, and the periodic check fails it."""
        return None

    @classmethod
    def claim(cls, pk):
        """Mark a waiting job running; False when it is not waiting (another worker has it, or it ran)."""
        return bool(cls.objects.filter(pk=pk, status=JobStatus.MENUNGGU).update(**cls._claimed()))

    @classmethod
    def reclaim(cls, pk):
        """Take over a re-runnable job whose process on this host died (the message came back to the queue)."""
        job = cls.objects.filter(pk=pk, status=JobStatus.BERJALAN).first()
        if job is None or not job.rerunnable or job.percobaan >= settings.JOB_MAX_ATTEMPTS:
            return False
        if not died_here(job.pekerja):
            return False
        return bool(cls.objects.filter(pk=pk, status=JobStatus.BERJALAN, pekerja=job.pekerja).update(**cls._claimed()))

    @staticmethod
    def _claimed():
        now = timezone.now()
        return {
            "status": JobStatus.BERJALAN,
            "mulai": now,
            "detak": now,
            "percobaan": F("percobaan") + 1,
            "pekerja": worker_id(),
        }

    def save_progress(self, **fields):
        """Record progress counters for the page that polls the job.

        Outside a transaction the row is updated at once. Inside one (a bank file streams through one COPY)
        an update could not be seen before the end: the heartbeat, if one runs, writes them with its next
        beat on a connection of its own.
        """
        for name, value in fields.items():
            setattr(self, name, value)
        heartbeat = getattr(self, "_heartbeat", None)
        if not connection.in_atomic_block:
            type(self)._default_manager.filter(pk=self.pk).update(**fields)
        elif heartbeat is not None:
            heartbeat.note(fields)

    def finish(self, status, message):
        self.status, self.pesan, self.selesai = status, message, timezone.now()
        self.save()

    @property
    def selesai_berjalan(self):
        return self.status in ENDED

    @property
    def durasi(self):
        if self.mulai and self.selesai:
            return self.selesai - self.mulai
        return None

    @property
    def folder(self):
        """The job's own folder under the media root, for its temporary files."""
        return os.path.join(settings.MEDIA_ROOT, "pekerjaan", f"{self._meta.label_lower.replace('.', '-')}-{self.pk}")


class Heartbeat(threading.Thread):
    """Writes `detak` and the latest progress of a running job every JOB_HEARTBEAT_SECONDS, on a connection
    of its own (a thread gets its own from Django), outside whatever transaction the work holds."""

    def __init__(self, job):
        super().__init__(name=f"detak-{job._meta.label_lower}-{job.pk}", daemon=True)
        self.job, self.stopped, self.lock, self.pending = job, threading.Event(), threading.Lock(), {}

    def note(self, fields):
        with self.lock:
            self.pending.update(fields)

    def run(self):
        try:
            while not self.stopped.wait(settings.JOB_HEARTBEAT_SECONDS):
                self.beat()
        finally:
            connection.close()

    def beat(self):
        with self.lock:
            fields, self.pending = self.pending, {}
        try:
            with transaction.atomic():
                # A beat waits for a lock a few seconds at most, then tries again at the next one.
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL lock_timeout = '5s'")
                type(self.job)._default_manager.filter(pk=self.job.pk, status=JobStatus.BERJALAN).update(
                    detak=timezone.now(), **fields
                )
        except Exception:
            # The database may be back at the next beat (a lost connection is an InterfaceError, not a
            # DatabaseError); keep the progress for it. A heartbeat that stopped would get a live job re-run.
            logger.warning("Heartbeat of %s %s missed.", type(self.job).__name__, self.job.pk, exc_info=True)
            with self.lock:
                self.pending = {**fields, **self.pending}
            connection.close()

    def stop(self):
        self.stopped.set()
        self.join(timeout=settings.JOB_HEARTBEAT_SECONDS + 10)


@contextlib.contextmanager
def alive(job):
    """Run the block with the job's heartbeat going, where one can be seen: a worker on PostgreSQL, with no
    transaction open around the job (a test's transaction would keep the job row from the heartbeat)."""
    if connection.vendor != "postgresql" or connection.in_atomic_block or settings.JOB_HEARTBEAT_SECONDS <= 0:
        yield
        return
    job._heartbeat = Heartbeat(job)
    job._heartbeat.start()
    try:
        yield
    finally:
        job._heartbeat.stop()
        job._heartbeat = None


@contextlib.contextmanager
def own_folder(job):
    """Temporary files of the work (openpyxl's write-only sheets, sorted chunks) go to the job's folder under
    the media root, which is removed when the work ends however it ends, and swept by the periodic check
    if the process dies. A worker process runs one job at a time, so switching tempfile's folder is safe."""
    os.makedirs(job.folder, exist_ok=True)
    previous, tempfile.tempdir = tempfile.tempdir, job.folder
    try:
        yield job.folder
    finally:
        tempfile.tempdir = previous
        shutil.rmtree(job.folder, ignore_errors=True)


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
    the work reads (select_related). A re-runnable job whose process on this host died is taken over.
    """
    if not model.claim(job_id) and not model.reclaim(job_id):
        logger.warning("%s %s is not waiting; not running it again.", model.__name__, job_id)
        return None
    job = model.objects.select_related(*related).get(pk=job_id)
    try:
        with alive(job), own_folder(job):
            outcome = work(job)
    except ValidationError as exc:
        job.finish(JobStatus.GAGAL, " ".join(exc.messages))
        return None
    except MemoryError:
        logger.exception("%s %s ran out of memory", model.__name__, job_id)
        job.finish(JobStatus.GAGAL, out_of_memory(job))
        return None
    except Exception as exc:
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


def new_incident():
    """A number a user can read out on the phone and an admin can find in the log: 301126-4F2A9C."""
    return f"{timezone.localtime():%y%m%d}-{secrets.token_hex(3).upper()}"


def unexpected_failure(job, exc):
    """An error nobody foresaw, said in one sentence a user can act on; the details go to the log under the
    incident number the sentence gives."""
    incident = new_incident()
    logger.error(
        "Insiden %s: %s #%s failed", incident, type(job).__name__, job.pk, exc_info=(type(exc), exc, exc.__traceback__)
    )
    return (
        f"{str(job._meta.verbose_name).capitalize()} #{job.pk} berhenti karena kesalahan tak terduga "
        f"(nomor insiden {incident}); coba jalankan ulang, atau sebutkan nomor insiden itu kepada admin."
    )


def out_of_memory(job):
    return (
        f"{str(job._meta.verbose_name).capitalize()} #{job.pk} dihentikan karena memerlukan memori lebih dari "
        "batas pekerja latar; periksa berkasnya (sel atau baris yang sangat banyak) lalu coba lagi."
    )


# --- queueing ------------------------------------------------------------------------------------------------


def send(job):
    """Queue the job once the current transaction commits (at once outside one)."""
    transaction.on_commit(lambda: send_now(type(job), job.pk))


def send_now(model, pk):
    """Hand a waiting job to the broker; True when it took it. With the broker down the job keeps waiting
    with a message that says so, for the periodic check to send it again: no retrying here, so the page
    that queued the job answers at once."""
    from kombu.exceptions import OperationalError

    task = import_string(model.task_name)
    # Marked sent first: a worker (or an eager run) may take the job before apply_async returns.
    model.objects.filter(pk=pk, status=JobStatus.MENUNGGU).update(dikirim=timezone.now())
    try:
        task.apply_async((pk,), retry=False)
    except (OperationalError, ConnectionError, OSError):
        logger.warning("Broker unreachable: %s %s waits to be sent.", model.__name__, pk, exc_info=True)
        model.objects.filter(pk=pk, status=JobStatus.MENUNGGU).update(pesan=QUEUE_DOWN, dikirim=None)
        return False
    model.objects.filter(pk=pk, status=JobStatus.MENUNGGU, pesan=QUEUE_DOWN).update(pesan="")
    return True


def save_from_preview(preview, make_job):
    """Start writing a finished preview, once: under a row lock on the preview, refused while a write of it
    waits, runs or has succeeded. A write that failed or was refused wrote nothing, so the same preview can
    be saved again; `make_job()` creates the waiting write job (its `pratinjau` is the preview)."""
    model = type(preview)
    with transaction.atomic():
        model.objects.select_for_update().get(pk=preview.pk)
        earlier = written_from(preview)
        if earlier is not None:
            raise ValidationError(f"Pratinjau ini sudah disimpan: {earlier._meta.verbose_name} #{earlier.pk}.")
        job = make_job()
        send(job)
    return job


def written_from(preview):
    """The write job of a preview that waits, runs or succeeded, if any."""
    model = type(preview)
    return (
        model.objects.filter(pratinjau=preview)
        .filter(model.still_written)
        .exclude(status__in=[JobStatus.GAGAL, JobStatus.DITOLAK])
        .order_by("-pk")
        .first()
    )


def run_again(job, user):
    """Put a failed job back in the queue, as it was asked for (a user's "Jalankan ulang"); audited."""
    model = type(job)
    with transaction.atomic():
        preview_id = getattr(job, "pratinjau_id", None)
        if preview_id:
            # The write of a preview: under the same lock as save_from_preview, and not if another write of it
            # has run or runs since.
            preview = model.objects.select_for_update().get(pk=preview_id)
            other = written_from(preview)
            if other is not None:
                raise ValidationError(f"Pratinjau ini sudah disimpan: {other._meta.verbose_name} #{other.pk}.")
        locked = model.objects.select_for_update().get(pk=job.pk)
        if locked.status != JobStatus.GAGAL:
            raise ValidationError("Hanya pekerjaan yang gagal yang dapat dijalankan ulang.")
        model.objects.filter(pk=job.pk).update(
            status=JobStatus.MENUNGGU, pesan="", mulai=None, selesai=None, detak=None, dikirim=None, pekerja=""
        )
        AuditLog.objects.create(
            pengguna=user,
            aksi=AuditLog.Aksi.UBAH,
            objek=model._meta.label_lower,
            keterangan={"jalankan_ulang": job.pk, "pesan_sebelumnya": locked.pesan},
        )
        send(locked)
