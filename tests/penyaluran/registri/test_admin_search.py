"""Searching the registry and the bank rows in the admin: exact numbers, names by their words, within the area.

The admin's "=field" search compares UPPER() of both sides, which no index serves: at full scale one NIK
search read all 206.438 KPM and one reference search all 6,5 M purchases (bench/distribusi.py, stage 6).
"""

import pytest
from django.urls import reverse

from penyaluran.distribusi.models import Penyaluran, Transaksi
from penyaluran.registri.models import Kpm
from tests.conftest import KEL_TEBET
from tests.factories import EWarongFactory, KpmFactory, beli, kredit, make_nik, make_no_kk, periode

pytestmark = pytest.mark.django_db


def changelist(model):
    return reverse(f"admin:penyaluran_{model._meta.model_name}_changelist")


def found(client, model, term):
    response = client.get(changelist(model), {"q": term})
    assert response.status_code == 200
    return list(response.context["cl"].result_list)


@pytest.fixture
def families():
    kk = make_no_kk(serial=77)
    siti = KpmFactory(nama="SITI AMINAH", nik=make_nik(serial=11, female=True), no_kk=kk, nomor_kks="6000100000000011")
    suami = KpmFactory(nama="AHMAD", nik=make_nik(serial=12), no_kk=kk, nomor_kks="6000100000000029")
    rahma = KpmFactory(nama="SITI RAHMA", nik=make_nik(serial=13, female=True), nomor_kks="6000100000000037")
    return siti, suami, rahma


def test_a_number_finds_the_kpm_by_nik_no_kk_or_card_even_written_with_spaces(client, sekretariat, families):
    siti, suami, rahma = families
    client.force_login(sekretariat)

    nik_with_spaces = " ".join([siti.nik[:6], siti.nik[6:12], siti.nik[12:]])

    assert found(client, Kpm, nik_with_spaces) == [siti]
    assert set(found(client, Kpm, siti.no_kk)) == {siti, suami}
    assert found(client, Kpm, rahma.nomor_kks) == [rahma]
    assert found(client, Kpm, siti.nik[:15]) == []  # a number is matched whole, never as a part


def test_a_name_search_wants_every_word_in_any_order_and_case(client, sekretariat, families):
    siti, _suami, rahma = families
    client.force_login(sekretariat)

    assert found(client, Kpm, "aminah  siti") == [siti]
    assert set(found(client, Kpm, "Siti")) == {siti, rahma}
    assert found(client, Kpm, "siti budi") == []


def test_a_common_name_part_lists_a_bounded_number_of_matches_in_name_order_and_says_so(
    client, sekretariat, families, monkeypatch
):
    from penyaluran.registri.admin import KpmAdmin

    monkeypatch.setattr(KpmAdmin, "NAME_MATCHES_SHOWN", 3)
    for name in ["SITI ZAHRA", "SITI BUDIARTI", "SITI CAHYA"]:
        KpmFactory(nama=name)
    client.force_login(sekretariat)

    response = client.get(changelist(Kpm), {"q": "siti"})
    rows = list(response.context["cl"].result_list)

    assert len(rows) == 3  # of the five SITI
    assert all("SITI" in kpm.nama for kpm in rows)
    assert [kpm.nama for kpm in rows] == sorted(kpm.nama for kpm in rows)
    assert "Lebih dari 3 KPM cocok" in response.content.decode()
    # Up to the bound, every match and no message.
    assert set(found(client, Kpm, "aminah")) == {families[0]}
    assert "Lebih dari" not in client.get(changelist(Kpm), {"q": "aminah"}).content.decode()


def test_a_pendamping_finds_no_kpm_outside_its_area_even_by_full_nik(client, pendamping_gambir, families):
    outside = KpmFactory(nama="WARGA TEBET", kelurahan_id=KEL_TEBET)
    client.force_login(pendamping_gambir)

    assert found(client, Kpm, outside.nik) == []
    assert found(client, Kpm, "warga tebet") == []
    assert found(client, Kpm, families[0].nik) == [families[0]]  # the factory's KPM live in Gambir


def test_bank_rows_are_found_by_reference_or_card_and_listed_newest_first(client, sekretariat, families):
    siti, _suami, rahma = families
    juni = periode(2021, 6)
    ewarong = EWarongFactory()
    first = beli(juni, siti, ewarong, referensi="TRX-A1")
    second = beli(juni, siti, ewarong, referensi="TRX-A2")
    other = beli(juni, rahma, ewarong, referensi="TRX-B1")
    credit = kredit(juni, rahma, referensi="KR-9")
    client.force_login(sekretariat)

    assert found(client, Transaksi, "TRX-B1") == [other]
    assert found(client, Transaksi, " trx-b1 ") == [other]  # banks write references in capitals
    assert found(client, Transaksi, "TRX-B") == []  # whole values only
    assert found(client, Transaksi, siti.nomor_kks) == [second, first]
    assert found(client, Transaksi, "") == [other, second, first]
    assert found(client, Penyaluran, "KR-9") == [credit]
    assert found(client, Penyaluran, rahma.nik) == [credit]
    assert found(client, Penyaluran, " ".join([rahma.nik[:8], rahma.nik[8:]])) == [credit]
    assert found(client, Penyaluran, siti.nomor_kks) == []


def test_the_purchase_list_opens_on_the_latest_month_and_a_search_looks_in_every_month(client, sekretariat, families):
    siti, _suami, rahma = families
    ewarong = EWarongFactory()
    may = beli(periode(2021, 5), siti, ewarong, referensi="TRX-MEI")
    june = beli(periode(2021, 6), rahma, ewarong, referensi="TRX-JUNI")
    client.force_login(sekretariat)

    assert found(client, Transaksi, "") == [june]
    response = client.get(changelist(Transaksi), {"periode": "semua"})
    assert list(response.context["cl"].result_list) == [june, may]
    response = client.get(changelist(Transaksi), {"periode": str(may.periode_id)})
    assert list(response.context["cl"].result_list) == [may]
    # A complaint's reference is found whatever its month, unless a month is chosen.
    assert found(client, Transaksi, "TRX-MEI") == [may]
    response = client.get(changelist(Transaksi), {"q": "TRX-MEI", "periode": str(june.periode_id)})
    assert list(response.context["cl"].result_list) == []
    assert "Semua periode" in client.get(changelist(Transaksi)).content.decode()
