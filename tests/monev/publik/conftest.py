"""The e-warong of the public-page stories: one in Gambir and one in Tanah Abang, each with its code, and a KPM's
phone photo that carries the position where it was taken."""

import io

import pytest
from django.core.cache import cache
from PIL import Image

from monev.models import KodePublik
from tests.conftest import KEL_GAMBIR, KEL_TANAH_ABANG
from tests.factories import EWarongFactory, KpmFactory

GPS_IFD = 0x8825


@pytest.fixture(autouse=True)
def _fresh_rate_limits(settings, tmp_path):
    """Rate-limit counters live in the cache (Redis in CI): every story starts with none; photos go to tmp."""
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def ewarong_gambir(db):
    return EWarongFactory(
        nama="e-Warong KUBE Melati Gambir",
        pemilik="Siti Rahmawati",
        alamat="Jl. Batu Tulis No. 12",
        kelurahan_id=KEL_GAMBIR,
    )


@pytest.fixture
def ewarong_tanah_abang(db):
    return EWarongFactory(nama="e-Warong Mawar Tanah Abang", pemilik="Bambang Sutrisno", kelurahan_id=KEL_TANAH_ABANG)


@pytest.fixture
def kode_gambir(ewarong_gambir):
    return KodePublik.untuk(ewarong_gambir).kode


@pytest.fixture
def kpm_gambir(ewarong_gambir):
    return KpmFactory(nama="Sumarni Wulandari", ewarong=ewarong_gambir)


def foto_dengan_gps(width=2400, height=1800, fmt="JPEG"):
    """A phone photo with EXIF GPS (Monas) and a camera serial, as a KPM's phone would send it."""
    image = Image.new("RGB", (width, height), (200, 120, 40))
    exif = Image.Exif()
    exif[0x0110] = "KPM-Phone X1"  # Model
    exif[0xA431] = "SN-123456789"  # BodySerialNumber (in IFD0 for the test)
    gps = exif.get_ifd(GPS_IFD)
    gps[1], gps[2], gps[3], gps[4] = "S", (6.0, 10.0, 31.0), "E", (106.0, 49.0, 37.0)
    buffer = io.BytesIO()
    image.save(buffer, fmt, exif=exif, quality=80)
    return buffer.getvalue()
