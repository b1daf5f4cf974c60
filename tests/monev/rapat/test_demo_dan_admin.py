"""The demo Tikor fills every page: agencies and people with the demo logins among them, a past meeting with
decisions done, in progress and late, and next week's meeting with the late ones on its proposed agenda.
The membership is kept in the admin, inside the user's area."""

import pytest
from django.utils import timezone

from monev.demo.rapat import seed_rapat
from monev.demo.users import ensure_demo_users
from monev.models import Instansi, Keputusan, Rapat, TimKoordinasi, instansi_of
from tests.conftest import client_for
from tikor.models import User

pytestmark = pytest.mark.django_db


def test_demo_tikor_has_meetings_decisions_in_every_state_and_a_proposed_agenda(demo_password):
    ensure_demo_users()
    assert seed_rapat() == 3
    assert seed_rapat() == 0  # once
    assert list(instansi_of(User.objects.get(username="anggota.tikor")).values_list("singkatan", flat=True)) == [
        "Bappeda"
    ]
    past = Rapat.objects.filter(tanggal__lt=timezone.now(), wilayah_id="31").get()
    states = {k.status_efektif for k in past.keputusan.all()}
    assert states == {"selesai", "berjalan", "terlambat", "terbuka"}
    assert past.kehadiran.count() == 9
    coming = Rapat.objects.get(tanggal__gt=timezone.now())
    first = coming.agenda.order_by("urutan").first()
    assert first.jenis == "keputusan_lalu"
    assert first.data["terlambat"] == Keputusan.objects.filter(rapat=past).terlambat(coming.tanggal_lokal).count() > 0
    assert TimKoordinasi.objects.get(wilayah_id="31").sk.nomor == "437 Tahun 2021"


def test_membership_admin_is_scoped(client, sekretariat, tikor_jakpus, demo_password):
    ensure_demo_users()  # same usernames: the fixtures' users now carry the demo password
    seed_rapat()
    sekretariat.refresh_from_db()
    tikor_jakpus.refresh_from_db()
    client_for(client, sekretariat)
    assert client.get("/admin/monev/timkoordinasi/").status_code == 200
    dki = TimKoordinasi.objects.get(wilayah_id="31")
    page = client.get(f"/admin/monev/timkoordinasi/{dki.pk}/change/").content.decode()
    assert "Bambang Prasetyo" in page
    assert Instansi.objects.count() == 10

    client_for(client, tikor_jakpus)
    assert client.get(f"/admin/monev/timkoordinasi/{dki.pk}/change/").status_code == 404
