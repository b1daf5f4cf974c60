"""Recording a complaint: route it to the kecamatan's pendamping and flag repeated complaints about one outlet."""

import datetime

from django.db import transaction
from django.utils import timezone

from monev import conf
from monev.models import Pengaduan
from tikor.models import Role, User


def pendamping_for(kelurahan_kode):
    """The first active pendamping whose area holds the kelurahan's kecamatan, or None."""
    if not kelurahan_kode:
        return None
    kecamatan = kelurahan_kode.rsplit(".", 1)[0]
    return User.objects.filter(role=Role.PENDAMPING, is_active=True, wilayah__kode=kecamatan).order_by("id").first()


@transaction.atomic
def record_complaint(pengaduan, user):
    """Save a new complaint with its SLA dates, routed, and flag the outlet when complaints repeat."""
    pengaduan.dicatat_oleh = user
    pengaduan.save()
    if not pengaduan.ditugaskan_ke_id:
        pengaduan.ditugaskan_ke = pendamping_for(pengaduan.kelurahan_id)
        pengaduan.save(update_fields=["ditugaskan_ke"])
    flag_repeats(pengaduan)
    return pengaduan


def flag_repeats(pengaduan):
    """When an e-warong has the threshold of complaints within the window, mark all of them as repeated."""
    if not pengaduan.ewarong_id:
        return False
    window = datetime.timedelta(days=conf.get("MONEV_PENGADUAN_BERULANG_HARI"))
    recent = Pengaduan.objects.filter(
        ewarong_id=pengaduan.ewarong_id,
        diterima_pada__gt=pengaduan.diterima_pada - window,
        diterima_pada__lte=pengaduan.diterima_pada,
    )
    if recent.count() < conf.get("MONEV_PENGADUAN_BERULANG_JUMLAH"):
        return False
    recent.update(berulang=True)
    pengaduan.berulang = True
    return True


def respond(pengaduan, tanggapan, status, publik=False):
    """Record a response; the first one stamps the response time, finishing stamps the closing time.

    `publik`: the reporter may read this response on the public status page (complaints sent by QR only).
    """
    now = timezone.now()
    pengaduan.tanggapan = tanggapan
    pengaduan.status = status
    pengaduan.tanggapan_publik = bool(publik and pengaduan.kode_lacak)
    if pengaduan.direspons_pada is None:
        pengaduan.direspons_pada = now
    if status == Pengaduan.Status.SELESAI and pengaduan.selesai_pada is None:
        pengaduan.selesai_pada = now
    pengaduan.save(update_fields=["tanggapan", "status", "tanggapan_publik", "direspons_pada", "selesai_pada"])
    return pengaduan
