import pytest
from django.urls import reverse

from tests.conftest import KEL_GAMBIR, KEL_TANAH_ABANG, KEL_TEBET
from tests.factories import AgenFactory, EWarongFactory, KpmFactory, PenyediaFactory


@pytest.fixture
def registry(db):
    for kelurahan, kpm in ((KEL_GAMBIR, 3), (KEL_TANAH_ABANG, 5), (KEL_TEBET, 7)):
        penyedia = PenyediaFactory(kelurahan_id=kelurahan)
        ewarong = EWarongFactory(kelurahan_id=kelurahan, penyedia=penyedia)
        AgenFactory(kelurahan_id=kelurahan)
        KpmFactory.create_batch(kpm, kelurahan_id=kelurahan, ewarong=ewarong)


def counts(response):
    figures = response.context["ringkasan"]
    return {"kpm_aktif": figures["kpm_aktif"], "ewarong_aktif": figures["ewarong_aktif"]}


def test_beranda_asks_for_login_first(client):
    response = client.get(reverse("beranda"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("masuk"))


def test_pendamping_gambir_sees_who_it_is_and_only_gambir_counts(client, pendamping_gambir, registry):
    client.force_login(pendamping_gambir)

    response = client.get(reverse("beranda"))

    page = response.content.decode()
    assert "Pendamping Kecamatan" in page
    assert "Kec. Gambir" in page
    assert counts(response) == {"kpm_aktif": 3, "ewarong_aktif": 1}


def test_tikor_kota_sees_counts_of_its_kota(client, tikor_jakpus, registry):
    client.force_login(tikor_jakpus)

    assert counts(client.get(reverse("beranda")))["kpm_aktif"] == 8


def test_sekretariat_sees_all_of_dki_with_indonesian_number_format(client, sekretariat, registry):
    KpmFactory.create_batch(1000, kelurahan_id=KEL_TEBET)
    client.force_login(sekretariat)

    response = client.get(reverse("beranda"))

    assert counts(response)["kpm_aktif"] == 1015
    assert 'data-testid="kpm-aktif">1.015<' in response.content.decode()
    assert "DKI Jakarta" in response.content.decode()


def test_health_check_answers_without_login(client, db):
    response = client.get(reverse("sehat"))

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
