"""A report as a tikor job: the plain function the Celery task calls with the job's id.

The builder reads as the report's reader, the document is written as XLSX and PDF in the job's own folder,
the figures stay on the job (`ringkasan`), and the asker (the secretariat, for a scheduled report) is told
in the site when it is ready. Rows leave, and are audited, when a file is downloaded.
"""

import logging
import tempfile
import time

from celery.exceptions import SoftTimeLimitExceeded
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.db import InterfaceError, OperationalError, close_old_connections
from django.urls import reverse
from django.utils import timezone

from monev.laporan import builders, pdf, xlsx
from monev.laporan.pembaca import pembaca
from monev.models import Laporan
from penyaluran.distribusi.models import Periode
from tikor import jobs, replica
from tikor.jobs import JobStatus, Outcome
from tikor.models import Notifikasi, Role, User

logger = logging.getLogger(__name__)

# A lost database connection (a failover, a restart) is worth a second and third try; anything else is not.
TRANSIENT = (OperationalError, InterfaceError)
BUILD_ATTEMPTS = 3

RELATED = ["dibuat_oleh", "periode", "wilayah", "bank", "ewarong"]


def run(laporan_id):
    """Build report `laporan_id` once (a waiting job only); returns the Outcome, or None."""
    return jobs.run_job(Laporan, laporan_id, build, related=RELATED)


def build(laporan):
    reader = pembaca(laporan.dibuat_oleh, laporan.wilayah_id, laporan.bank_id)
    generated_at = timezone.now()

    def progress(percent, stage):
        laporan.save_progress(persen=percent, tahap=stage)

    try:
        progress(2, "Mulai membaca data")
        # The figures may come from the read replica; the job's own row and files stay on the primary.
        with replica.reading():
            dokumen = _with_retries(lambda: builders.build(laporan, reader, progress))
        progress(82, "Menulis XLSX")
        with tempfile.TemporaryFile() as target:
            rows = xlsx.write(dokumen, target, generated_at)
            target.seek(0)
            laporan.berkas_xlsx.save(f"{laporan.nama_berkas}.xlsx", File(target), save=False)
        progress(90, "Menulis PDF")
        laporan.berkas_pdf.save(
            f"{laporan.nama_berkas}.pdf", ContentFile(pdf.render(dokumen, generated_at)), save=False
        )
    except SoftTimeLimitExceeded:
        raise ValidationError(
            "Laporan dihentikan karena melewati batas waktu pembuatan; persempit wilayah atau jalankan ulang "
            "saat antrean tidak sibuk."
        ) from None
    laporan.ringkasan = {**dokumen.ringkasan, "baris": rows}
    laporan.persen, laporan.tahap = 100, "Selesai"
    return Outcome(
        JobStatus.SELESAI,
        f"{laporan.judul} siap diunduh ({rows:,} baris data).".replace(",", "."),
        afterwards=lambda: notify_ready(laporan),
    )


def _with_retries(work):
    for attempt in range(1, BUILD_ATTEMPTS + 1):
        try:
            return work()
        except TRANSIENT:
            if attempt == BUILD_ATTEMPTS:
                raise
            logger.warning("Report build lost the database (attempt %s); trying again.", attempt, exc_info=True)
            close_old_connections()
            time.sleep(2**attempt)
    return None


def notify_ready(laporan):
    """A notification in the site for whoever asked (the secretariat, for a scheduled report)."""
    if laporan.dibuat_oleh_id:
        people = [laporan.dibuat_oleh]
    else:
        people = User.objects.filter(role=Role.SEKRETARIAT, is_active=True)
    link = reverse("monev:laporan:detail", args=[laporan.pk])
    Notifikasi.objects.bulk_create(
        [Notifikasi(pengguna=user, judul=f"{laporan} siap diunduh", tautan=link) for user in people]
    )


def ask(jenis, bulan, wilayah, *, user=None, bank=None, ewarong=None):
    """Create a waiting report of the month `bulan` (a date in it) and queue it once the transaction commits;
    `user` None: a scheduled report. A bank's staff always get their bank's report."""
    bulan = bulan.replace(day=1)
    laporan = Laporan.objects.create(
        jenis=jenis,
        bulan=bulan,
        periode=Periode.objects.filter(tahun=bulan.year, bulan=bulan.month).first(),
        wilayah=wilayah,
        bank_id=(user.bank_id if user is not None and user.bank_id else getattr(bank, "pk", None)),
        ewarong=ewarong,
        dibuat_oleh=user,
        terjadwal=user is None,
        tahap="Menunggu antrean",
    )
    jobs.send(laporan)
    return laporan
