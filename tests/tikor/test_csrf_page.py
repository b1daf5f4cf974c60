"""A form posted without its CSRF token is refused with an Indonesian page, and nothing is written."""

import pytest
from django.test import Client

from monev.models import Pengaduan

pytestmark = pytest.mark.django_db


def test_a_post_without_the_csrf_token_gets_an_indonesian_page_and_writes_nothing(sekretariat):
    client = Client(enforce_csrf_checks=True)
    client.force_login(sekretariat)

    response = client.post("/monev/pengaduan/baru/", {"uraian": "tanpa token"})

    assert response.status_code == 403
    page = response.content.decode()
    assert "Formulir tidak dapat diproses" in page
    assert "Tidak ada data yang disimpan" in page
    assert "CSRF verification failed" not in page
    assert not Pengaduan.objects.exists()
