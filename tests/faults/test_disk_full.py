"""A full media folder on upload: the phone's photo and the secretariat's registry file are refused with 507 and a
clear Indonesian message, no half file is left behind and no row points to a missing file."""

import io
import random
import subprocess
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from monev.models import Foto, Kunjungan
from penyaluran.registri.models import ImportJob
from tests.conftest import client_for, visit_payload

pytestmark = pytest.mark.django_db


def noise_jpeg(width, height):
    """A photo that compresses as badly as a phone's: random pixels."""
    buffer = io.BytesIO()
    Image.frombytes("RGB", (width, height), random.Random(7).randbytes(width * height * 3)).save(
        buffer, "JPEG", quality=95
    )
    return buffer.getvalue()


@pytest.fixture
def full_media(tmp_path, settings):
    """A 256 KB tmpfs as the media root (uploads streamed to disk go inside it too)."""
    folder = tmp_path / "media"
    folder.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(folder)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here (needs root): {mounted.stderr.decode().strip()}")
    settings.MEDIA_ROOT = folder
    settings.FILE_UPLOAD_TEMP_DIR = str(folder)
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=True)


def files_in(folder):
    return sorted(str(path.relative_to(folder)) for path in folder.rglob("*") if path.is_file())


def test_a_photo_on_a_full_disk_is_refused_whole_and_the_phone_keeps_it(client, penugasan_gambir, full_media):
    client.force_login(penugasan_gambir.petugas)
    sent = client.post(
        reverse("monev:kunjungan_kirim", args=[penugasan_gambir.pk]), visit_payload(), content_type="application/json"
    )
    assert sent.status_code == 201
    kunjungan = Kunjungan.objects.get()
    photo = noise_jpeg(640, 480)
    assert len(photo) > 256 * 1024

    response = client.post(
        reverse("monev:foto_unggah", args=[kunjungan.uuid]),
        {"uuid": str(uuid.uuid4()), "pertanyaan": "E6", "berkas": SimpleUploadedFile("foto.jpg", photo, "image/jpeg")},
    )

    # 507 is one of the answers the phone's outbox keeps the photo for, to send again.
    assert response.status_code == 507
    assert response.json()["pesan"].startswith("Ruang penyimpanan server penuh, sehingga berkas Anda belum tersimpan")
    assert not Foto.objects.exists()
    assert files_in(full_media) == []


@pytest.mark.parametrize("streamed", [False, True], ids=["in-memory", "streamed-to-disk"])
def test_a_registry_file_on_a_full_disk_gets_a_page_saying_so(sekretariat, full_media, settings, streamed):
    if streamed:  # as a registry file of tens of MB is: written to the temporary folder while it arrives
        settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 64 * 1024
    # With the CSRF check on, as in production: it reads the body first, outside the view.
    client = client_for(Client(enforce_csrf_checks=True, raise_request_exception=False), sekretariat)
    client.get(reverse("penyaluran:impor"))
    rows = "".join(f"{3171010101800000 + i},{3171010101000000 + i},KPM {i},Gambir,BNI\n" for i in range(8000))
    upload = SimpleUploadedFile("kpm.csv", f"NIK,NO KK,NAMA,KELURAHAN,BANK\n{rows}".encode(), "text/csv")
    assert upload.size > 256 * 1024

    response = client.post(
        reverse("penyaluran:impor"),
        {"jenis": "kpm", "berkas": upload, "csrfmiddlewaretoken": client.cookies["csrftoken"].value},
        HTTP_ACCEPT="text/html",
    )

    assert response.status_code == 507
    page = response.content.decode()
    assert "Ruang penyimpanan penuh" in page
    assert "berkas Anda belum tersimpan" in page
    assert not ImportJob.objects.exists()
    assert files_in(full_media) == []
