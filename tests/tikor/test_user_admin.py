"""The secretariat manages accounts; nobody else can, and nobody can make a superuser through the form."""

import pytest
from django.urls import reverse

from tests.conftest import GAMBIR, JAKPUS
from tests.factories import UserFactory
from tikor.models import Role, User


@pytest.fixture
def budi(db):
    return UserFactory(username="budi", role=Role.PENDAMPING, area=[GAMBIR])


def user_form(user, **changes):
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": "",
        "email": "",
        "telepon": "",
        "instansi": "",
        "role": user.role,
        "wilayah": [w.kode for w in user.wilayah.all()],
        "bank": "",
        "is_active": "on",
    }
    data.update(changes)
    return data


def test_sekretariat_changes_a_pendamping_into_tikor_kota_and_the_group_follows(client, sekretariat, budi):
    client.force_login(sekretariat)

    response = client.post(
        reverse("admin:tikor_user_change", args=[budi.pk]), user_form(budi, role=Role.TIKOR_KOTA, wilayah=[JAKPUS])
    )

    assert response.status_code == 302
    budi.refresh_from_db()
    assert budi.role == Role.TIKOR_KOTA
    assert [g.name for g in budi.groups.all()] == ["Tikor Kota"]
    assert [w.kode for w in budi.wilayah.all()] == [JAKPUS]


def test_an_area_at_the_wrong_level_is_refused_in_indonesian(client, sekretariat, budi):
    client.force_login(sekretariat)

    response = client.post(
        reverse("admin:tikor_user_change", args=[budi.pk]), user_form(budi, role=Role.TIKOR_KOTA, wilayah=[GAMBIR])
    )

    assert response.status_code == 200
    assert "harus Kota/Kab. Adm." in str(response.context["adminform"].form.errors["wilayah"])
    budi.refresh_from_db()
    assert budi.role == Role.PENDAMPING


def test_sekretariat_cannot_grant_superuser_rights(client, sekretariat, budi):
    client.force_login(sekretariat)

    client.post(reverse("admin:tikor_user_change", args=[budi.pk]), user_form(budi, is_superuser="on"))

    assert not User.objects.get(pk=budi.pk).is_superuser


@pytest.mark.parametrize("who", ["pendamping_gambir", "tikor_jakpus", "anggota_tikor"])
def test_other_roles_cannot_open_accounts(client, request, who, budi):
    client.force_login(request.getfixturevalue(who))

    assert client.get(reverse("admin:tikor_user_changelist")).status_code == 403
    assert client.get(reverse("admin:tikor_user_change", args=[budi.pk])).status_code == 403


def add_siti(client, **fields):
    return client.post(
        reverse("admin:tikor_user_add"),
        {
            "username": "siti",
            "password1": "Sembako-2026-aman",
            "password2": "Sembako-2026-aman",
            "usable_password": "true",
            "role": Role.PENDAMPING,
            **fields,
        },
    )


def test_sekretariat_adds_a_pendamping_with_its_kecamatan(client, sekretariat):
    client.force_login(sekretariat)

    response = add_siti(client, wilayah=[GAMBIR])

    assert response.status_code == 302
    siti = User.objects.get(username="siti")
    assert (siti.role, siti.is_staff, [g.name for g in siti.groups.all()]) == (
        Role.PENDAMPING,
        True,
        ["Pendamping Kecamatan"],
    )


def test_a_pendamping_without_kecamatan_cannot_be_added(client, sekretariat):
    client.force_login(sekretariat)

    response = add_siti(client)

    assert response.status_code == 200
    assert "minimal satu kecamatan" in str(response.context["adminform"].form.errors["wilayah"])
    assert not User.objects.filter(username="siti").exists()
