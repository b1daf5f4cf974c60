"""The secretariat lets the pendamping of Gambir cover Tanah Abang for a while: inside the period Tanah Abang's KPM
open, every request is logged with the grant, and after the end (or a revocation) they answer 404 again."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.conftest import KEL_TANAH_ABANG, TANAH_ABANG
from tests.factories import KpmFactory
from tikor.models import AksesSementara, AuditLog

pytestmark = pytest.mark.django_db


def form(pengguna, wilayah=TANAH_ABANG, hours=(-1, 8), alasan="Pendamping Tanah Abang cuti"):
    now = timezone.localtime()
    mulai, selesai = (now + datetime.timedelta(hours=h) for h in hours)
    return {
        "pengguna": pengguna.pk,
        "wilayah": wilayah,
        "alasan": alasan,
        "mulai": mulai.strftime("%Y-%m-%dT%H:%M"),
        "selesai": selesai.strftime("%Y-%m-%dT%H:%M"),
    }


def test_a_grant_opens_the_kecamatan_in_its_period_is_logged_and_closes_by_itself(
    client, sekretariat, pendamping_gambir
):
    rahayu = KpmFactory(nama="SITI RAHAYU", kelurahan_id=KEL_TANAH_ABANG)
    page = reverse("monev:kpm", args=[rahayu.pk])
    client.force_login(pendamping_gambir)
    assert client.get(page).status_code == 404

    client.force_login(sekretariat)
    response = client.post(reverse("akses_list"), form(pendamping_gambir))
    assert response.status_code == 302
    akses = AksesSementara.objects.get()
    assert (akses.pengguna, akses.wilayah_id, akses.dibuat_oleh) == (pendamping_gambir, TANAH_ABANG, sekretariat)

    client.force_login(pendamping_gambir)
    assert client.get(page).status_code == 200
    use = AuditLog.objects.get(aksi=AuditLog.Aksi.AKSES_SEMENTARA)
    assert (use.pengguna, use.keterangan["akses"], use.keterangan["halaman"]) == (pendamping_gambir, [akses.pk], page)
    # The secretariat reads the use on the audit page.
    client.force_login(sekretariat)
    assert page in client.get(reverse("audit_list"), {"aksi": "akses"}).content.decode()

    # Time passes: no job runs, the scope checks the end itself.
    AksesSementara.objects.filter(pk=akses.pk).update(selesai=timezone.now() - datetime.timedelta(seconds=1))
    client.force_login(pendamping_gambir)
    assert client.get(page).status_code == 404
    assert AuditLog.objects.filter(aksi=AuditLog.Aksi.AKSES_SEMENTARA).count() == 1


def test_a_revoked_grant_closes_at_once(client, sekretariat, pendamping_gambir):
    rahayu = KpmFactory(kelurahan_id=KEL_TANAH_ABANG)
    now = timezone.now()
    akses = AksesSementara.objects.create(
        pengguna=pendamping_gambir,
        wilayah_id=TANAH_ABANG,
        alasan="cuti",
        mulai=now - datetime.timedelta(hours=1),
        selesai=now + datetime.timedelta(days=1),
        dibuat_oleh=sekretariat,
    )
    client.force_login(sekretariat)
    assert client.post(reverse("akses_cabut", args=[akses.pk])).status_code == 302

    akses.refresh_from_db()
    assert akses.dicabut_oleh == sekretariat
    client.force_login(pendamping_gambir)
    assert client.get(reverse("monev:kpm", args=[rahayu.pk])).status_code == 404
    assert not AuditLog.objects.filter(aksi=AuditLog.Aksi.AKSES_SEMENTARA).exists()


def test_only_the_secretariat_grants_and_only_to_a_pendamping_for_a_sound_period(
    client, sekretariat, pendamping_gambir, tikor_jakpus
):
    client.force_login(pendamping_gambir)
    assert client.post(reverse("akses_list"), form(pendamping_gambir)).status_code == 403
    client.force_login(tikor_jakpus)
    assert client.post(reverse("akses_list"), form(pendamping_gambir)).status_code == 403

    client.force_login(sekretariat)
    refused = {
        "not a pendamping": form(tikor_jakpus),
        "ends before it starts": form(pendamping_gambir, hours=(5, 1)),
        "longer than 90 days": form(pendamping_gambir, hours=(0, 24 * 91)),
        "its own kecamatan": form(pendamping_gambir, wilayah="31.71.01"),
        "a kelurahan": form(pendamping_gambir, wilayah=KEL_TANAH_ABANG),
        "no reason": form(pendamping_gambir, alasan=""),
    }
    for why, data in refused.items():
        response = client.post(reverse("akses_list"), data)
        assert response.status_code == 200, why
        assert response.context["form"].errors, why
    assert not AksesSementara.objects.exists()
