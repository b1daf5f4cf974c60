"""The staff complaint form finds the KPM by NIK, No KK, KKS or name inside the user's area, not by a database id."""

import pytest
from django.urls import reverse

from monev.models import Pengaduan
from tests.conftest import KEL_TANAH_ABANG
from tests.factories import KpmFactory

NIK = "3171014506800021"
KKS = "5264229876543210"


@pytest.fixture
def kpm(db):
    return {
        "sri": KpmFactory(nama="SRI WAHYUNI", nik=NIK, nomor_kks=KKS),
        "sri_lain": KpmFactory(nama="SRI WAHYUNINGSIH"),
        "tanah_abang": KpmFactory(nama="SRI WAHYUNI TANAH ABANG", kelurahan_id=KEL_TANAH_ABANG),
    }


def complaint(client, **fields):
    data = {"kanal": "tatap_muka", "anonim": "on", "kategori": "jumlah", "penanganan": "informasi",
            "isi": "Saldo berkurang tanpa belanja", **fields}  # fmt: skip
    return client.post(reverse("monev:pengaduan_baru"), data)


def test_the_form_no_longer_asks_for_an_id(client, pendamping_gambir):
    client.force_login(pendamping_gambir)

    html = client.get(reverse("monev:pengaduan_baru")).content.decode()

    assert "ID KPM" not in html
    assert 'name="kpm_cari"' in html


def test_the_lookup_offers_matches_of_the_area_only_and_masked(client, pendamping_gambir, kpm):
    client.force_login(pendamping_gambir)

    response = client.get(reverse("monev:kpm_pilih"), {"kpm_cari": "sri wahyu"})

    assert [k.nama for k in response.context["matches"]] == ["SRI WAHYUNI", "SRI WAHYUNINGSIH"]
    html = response.content.decode()
    assert 'type="radio" name="kpm"' in html
    assert NIK not in html
    assert "3171**********21" in html


@pytest.mark.parametrize("typed", [NIK, KKS])
def test_a_complaint_typed_with_a_nik_or_kks_finds_its_kpm(client, pendamping_gambir, kpm, typed):
    client.force_login(pendamping_gambir)

    response = complaint(client, kpm_cari=typed)

    assert response.status_code == 302
    assert Pengaduan.objects.get().kpm == kpm["sri"]


def test_a_kpm_picked_from_the_list_is_recorded(client, pendamping_gambir, kpm):
    client.force_login(pendamping_gambir)

    complaint(client, kpm_cari="sri wahyu", kpm=kpm["sri_lain"].pk)

    assert Pengaduan.objects.get().kpm == kpm["sri_lain"]


def test_a_name_that_fits_several_asks_to_pick_one(client, pendamping_gambir, kpm):
    client.force_login(pendamping_gambir)

    response = complaint(client, kpm_cari="sri wahyu")

    assert response.status_code == 200
    assert "Lebih dari satu KPM cocok" in response.content.decode()
    assert not Pengaduan.objects.exists()


def test_a_kpm_outside_the_area_is_not_found_nor_accepted_by_id(client, pendamping_gambir, kpm):
    client.force_login(pendamping_gambir)

    typed = complaint(client, kpm_cari=kpm["tanah_abang"].nik)
    forged = complaint(client, kpm=kpm["tanah_abang"].pk)

    assert "Tidak ada KPM dengan NIK, No KK, KKS atau nama" in typed.content.decode()
    assert forged.status_code == 200
    assert not Pengaduan.objects.exists()


def test_opened_from_a_kpm_page_the_form_starts_with_that_kpm(client, pendamping_gambir, kpm):
    client.force_login(pendamping_gambir)

    html = client.get(reverse("monev:pengaduan_baru"), {"kpm": kpm["sri"].pk}).content.decode()

    assert f'value="{kpm["sri"].pk}" checked' in html
