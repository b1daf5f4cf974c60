"""What beat runs on schedule (django-celery-beat, editable by the secretariat in the admin):
the monthly realisation report and the daily digest of overdue corrective actions."""

import datetime
import logging

from django.conf import settings
from django.core import mail
from django.template.loader import render_to_string
from django.urls import reverse

from monev.laporan import jobs
from monev.models import Laporan, TindakLanjut, today
from penyaluran.distribusi.models import Periode
from tikor.models import Notifikasi, Role, User, Wilayah

logger = logging.getLogger(__name__)

PROVINSI = "31"


def previous_month(day):
    return (day.year - 1, 12) if day.month == 1 else (day.year, day.month - 1)


def laporan_bulanan(pada=None):
    """The province's realisation report of the month before `pada` (today); None when that period does not
    exist, or its scheduled report was already asked for (beat may fire twice)."""
    tahun, bulan = previous_month(pada or today())
    if not Periode.objects.filter(tahun=tahun, bulan=bulan).exists():
        logger.warning("Monthly report: no period %s-%02d; nothing to report.", tahun, bulan)
        return None
    month = datetime.date(tahun, bulan, 1)
    if Laporan.objects.filter(jenis=Laporan.Jenis.REALISASI, bulan=month, terjadwal=True).exists():
        return None
    return jobs.ask(Laporan.Jenis.REALISASI, month, Wilayah.objects.get(kode=PROVINSI))


def ringkasan_tindak_lanjut(pada=None):
    """Tell each active pendamping of the overdue actions in their area: a notification, and an e-mail when
    they have an address. Returns how many pendamping were told."""
    pada = pada or today()
    link = f"{settings.SITE_URL.rstrip('/')}{reverse('monev:tindak_lanjut_terlambat')}"
    told = 0
    messages = []
    for user in User.objects.filter(role=Role.PENDAMPING, is_active=True).order_by("username"):
        overdue = list(
            TindakLanjut.objects.for_user(user)
            .terlambat(pada)
            .select_related("temuan__ewarong")
            .order_by("batas_waktu", "id")
        )
        if not overdue:
            continue
        context = {"pengguna": user, "tindak_lanjut": overdue, "pada": pada, "tautan": link}
        subject = f"{len(overdue)} tindak lanjut lewat batas waktu di wilayah Anda"
        body = render_to_string("laporan/email_ringkasan.txt", context)
        Notifikasi.objects.create(
            pengguna=user, judul=subject, isi=body, tautan=reverse("monev:tindak_lanjut_terlambat")
        )
        if user.email:
            messages.append(mail.EmailMessage(subject, body, to=[user.email]))
        told += 1
    if messages:
        with mail.get_connection() as connection:
            connection.send_messages(messages)
    return told
