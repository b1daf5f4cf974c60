"""Receiving a visit from a phone (idempotent by its uuid), submitting it (score, findings), and its photos (each
on its own, with a size cap)."""

import datetime
import math

from django.db import IntegrityError, transaction
from django.utils import timezone
from PIL import ExifTags, Image

from monev import conf
from monev.findings import raise_findings
from monev.models import Foto, Jawaban, Kunjungan
from monev.scoring import score_visit

EARTH_RADIUS_M = 6_371_000


def haversine_m(lat1, lng1, lat2, lng2):
    """Great-circle distance in metres between two points given in degrees."""
    phi1, phi2 = math.radians(float(lat1)), math.radians(float(lat2))
    dphi = phi2 - phi1
    dlmb = math.radians(float(lng2) - float(lng1))
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(a))


@transaction.atomic
def submit_kunjungan(kunjungan):
    """Draft or returned → submitted: score the answers and raise findings from them; returns the new findings."""
    kunjungan.tandai_dikirim()
    score_visit(kunjungan)
    kunjungan.save(update_fields=["status", "dikirim_pada", "skor_total"])
    return raise_findings(kunjungan)


class DuplicateElsewhere(Exception):
    """The uuid already names a visit of another assignment: a client bug, never silently merged."""


def receive_visit(form, user):
    """Store a validated visit and submit it; the same uuid again returns the stored visit, created=False.

    Two concurrent posts with one uuid: the unique index makes the second insert wait for the first
    transaction and then fail; get_or_create catches that and reads the committed row.
    """
    data = form.cleaned_data
    penugasan = form.penugasan
    ewarong = penugasan.ewarong
    distance = None
    if data.get("latitude") is not None and ewarong.latitude is not None and ewarong.longitude is not None:
        distance = round(haversine_m(data["latitude"], data["longitude"], ewarong.latitude, ewarong.longitude))
    with transaction.atomic():
        try:
            kunjungan, created = Kunjungan.objects.get_or_create(
                uuid=data["uuid"],
                defaults={
                    "penugasan": penugasan,
                    "instrumen": penugasan.instrumen,
                    "ewarong": ewarong,
                    "kpm": data.get("kpm"),
                    "petugas": user,
                    "tanggal": data["tanggal"],
                    "latitude": data.get("latitude"),
                    "longitude": data.get("longitude"),
                    "akurasi_gps": data.get("akurasi_gps"),
                    "jarak_ewarong": distance,
                    "catatan": data.get("catatan", ""),
                },
            )
        except IntegrityError:  # pragma: no cover - get_or_create already retries the read
            kunjungan, created = Kunjungan.objects.get(uuid=data["uuid"]), False
        if kunjungan.penugasan_id != penugasan.pk:
            raise DuplicateElsewhere
        if created:
            Jawaban.objects.bulk_create(
                [
                    Jawaban(kunjungan=kunjungan, pertanyaan=q, nilai=value, keterangan=note)
                    for q, value, note in form.answers()
                ]
            )
            submit_kunjungan(kunjungan)
    return kunjungan, created


class PhotoTooLarge(Exception):
    pass


def _mb(size):
    return f"{size / (1024 * 1024):.1f}".replace(".", ",")


def check_photo_size(upload):
    limit = conf.get("MONEV_FOTO_MAKS_BYTE")
    if upload.size > limit:
        raise PhotoTooLarge(
            f"Ukuran foto {_mb(upload.size)} MB melebihi batas {_mb(limit)} MB. "
            "Ambil ulang foto atau kecilkan resolusi kamera, lalu kirim lagi."
        )


EXIF_IFD = 0x8769
DATETIME_ORIGINAL = 0x9003


def exif_taken_at(upload):
    """DateTimeOriginal of a JPEG as an aware datetime in Asia/Jakarta, or None (resized photos lose EXIF)."""
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            exif = image.getexif()
            raw = exif.get_ifd(EXIF_IFD).get(DATETIME_ORIGINAL) or exif.get(ExifTags.Base.DateTime)
    except Exception:  # a photo without readable EXIF is still a photo
        return None
    finally:
        upload.seek(0)
    if not raw:
        return None
    try:
        naive = datetime.datetime.strptime(str(raw).strip("\x00 "), "%Y:%m:%d %H:%M:%S")
    except ValueError:
        return None
    return timezone.make_aware(naive)


def store_photo(kunjungan, form):
    """Save one photo once (idempotent by its uuid); EXIF time from the file, else the time the phone read."""
    data = form.cleaned_data
    upload = data["berkas"]
    check_photo_size(upload)
    pertanyaan = None
    if data.get("pertanyaan"):
        pertanyaan = kunjungan.instrumen.pertanyaan.filter(kode=data["pertanyaan"]).first()
    foto, created = Foto.objects.get_or_create(
        uuid=data["uuid"],
        defaults={
            "kunjungan": kunjungan,
            "pertanyaan": pertanyaan,
            "berkas": upload,
            "ukuran": upload.size,
            "diambil_pada": exif_taken_at(upload) or data.get("diambil_pada"),
        },
    )
    return foto, created
