"""seed_demo fills the public e-warong pages: every e-warong a code, and QR complaints at the Gambir e-warong and
the planted ones, some with a reply the reporter may read."""

import pytest
from django.core.cache import cache
from django.test import Client

from monev.models import KodePublik, Pengaduan
from penyaluran.registri.models import EWarong
from tests.conftest import GAMBIR, client_for
from tests.monev.demo.test_seed_monev import seed
from tikor.models import User

pytestmark = pytest.mark.django_db


def test_seed_gives_every_ewarong_a_code_and_qr_complaints_with_public_replies(client):
    cache.clear()
    out = seed()

    assert KodePublik.objects.aktif().count() == EWarong.objects.count()
    qr = Pengaduan.objects.filter(kanal=Pengaduan.Kanal.QR_EWARONG)
    assert "QR e-warong" in out
    assert qr.filter(ewarong__kelurahan__induk=GAMBIR).exists()
    answered = qr.filter(tanggapan_publik=True).first()
    assert answered is not None
    status = Client().get(f"/e-warong/lacak/{answered.kode_lacak}/").content.decode()
    assert answered.tanggapan in status
    pendamping = User.objects.get(username="pendamping.gambir")
    mine = qr.filter(ewarong__kelurahan__induk=GAMBIR).first()
    assert mine.nomor in client_for(client, pendamping).get("/monev/pengaduan/?filter=semua").content.decode()
    kode = KodePublik.objects.aktif().first().kode
    assert Client().get(f"/e-warong/{kode}/").status_code == 200
