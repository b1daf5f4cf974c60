"""Realisation summary: the same figures as a direct SQL sum, at every level, scoped on the page."""

import pytest
from django.db import connection
from django.urls import reverse

from penyaluran.distribusi import realisasi
from penyaluran.distribusi.models import Penyaluran, Realisasi
from tests.conftest import KEL_GAMBIR, KEL_TANAH_ABANG, KEL_TEBET, client_for
from tests.factories import EWarongFactory, KpmFactory, beli, kredit, periode

pytestmark = pytest.mark.django_db


@pytest.fixture
def juni():
    """Credits and purchases in Gambir, Tanah Abang (both Jakarta Pusat) and Tebet (Jakarta Selatan)."""
    juni = periode(2021, 6)
    for kelurahan, n, spend in ((KEL_GAMBIR, 5, 150_000), (KEL_TANAH_ABANG, 3, 200_000), (KEL_TEBET, 4, 50_000)):
        ewarong = EWarongFactory(kelurahan_id=kelurahan)
        for _ in range(n):
            kpm = KpmFactory(kelurahan_id=kelurahan, ewarong=ewarong)
            kredit(juni, kpm)
            beli(juni, kpm, ewarong, spend - 20_000)
            beli(juni, kpm, ewarong, 20_000)
    kredit(juni, KpmFactory(kelurahan_id=KEL_GAMBIR), status=Penyaluran.Status.GAGAL)
    kredit(juni, None, nik="3171015008800099")
    kredit(periode(2021, 7), KpmFactory(kelurahan_id=KEL_GAMBIR))
    realisasi.refresh_summary(juni)
    return juni


def sql_sums(periode_id, kota):
    """The same figures, straight from the tables."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COUNT(DISTINCT p.kpm_id), SUM(p.jumlah) FROM penyaluran_penyaluran p "
            "JOIN penyaluran_kpm k ON k.id = p.kpm_id WHERE p.periode_id = %s AND p.status = 'tersalur' "
            "AND k.kelurahan_id LIKE %s",
            [periode_id, f"{kota}.%"],
        )
        kpm, credited = cursor.fetchone()
        cursor.execute(
            "SELECT COUNT(*), SUM(t.jumlah) FROM penyaluran_transaksi t JOIN penyaluran_kpm k ON k.id = t.kpm_id "
            "WHERE t.periode_id = %s AND k.kelurahan_id LIKE %s",
            [periode_id, f"{kota}.%"],
        )
        n, spent = cursor.fetchone()
    return {"kpm_disalurkan": kpm, "jumlah_disalurkan": credited, "jumlah_transaksi": n, "jumlah_dibelanjakan": spent}


@pytest.mark.parametrize("kota", ["31.71", "31.74"])
def test_kota_totals_equal_a_direct_sql_sum(juni, kota):
    row = Realisasi.objects.get(periode=juni, tingkat="kota", wilayah_id=kota, bank=None)

    figures = {name: getattr(row, name) for name in realisasi.FIGURES}

    assert figures == sql_sums(juni.pk, kota)


def test_every_level_adds_up_to_the_province(juni):
    rows = Realisasi.objects.filter(periode=juni)
    province = rows.get(tingkat="provinsi", bank=None)

    for tingkat in ("kota", "kecamatan", "kelurahan"):
        level = rows.filter(tingkat=tingkat, bank=None)
        # The province also counts the credit of a NIK outside the registry.
        assert sum(r.jumlah_disalurkan for r in level) == province.jumlah_disalurkan - 200_000
    assert sum(r.jumlah_disalurkan for r in rows.filter(tingkat="bank")) == province.jumlah_disalurkan
    assert sum(r.jumlah_dibelanjakan for r in rows.filter(tingkat="ewarong")) == province.jumlah_dibelanjakan
    assert province.kpm_disalurkan == 12
    assert province.jumlah_dibelanjakan == 5 * 150_000 + 3 * 200_000 + 4 * 50_000
    assert province.sisa_saldo == 13 * 200_000 - province.jumlah_dibelanjakan


def test_refreshing_twice_replaces_the_rows(juni):
    before = Realisasi.objects.filter(periode=juni).count()

    realisasi.refresh_summary(juni)

    assert Realisasi.objects.filter(periode=juni).count() == before


def test_sekretariat_sees_every_kota_with_percent_and_rupiah(client, sekretariat, juni):
    response = client_for(client, sekretariat).get(reverse("distribusi:realisasi"), {"periode": juni.pk})

    assert response.status_code == 200
    names = [r.nama for r in response.context["rows"]]
    assert names == ["Jakarta Pusat", "Jakarta Selatan"]
    assert "Rp1.600.000" in response.content.decode()  # Jakarta Pusat: 8 KPM x Rp200.000
    # The total is the province: Rp1.550.000 spent of Rp2.600.000, with the credit of the NIK outside the registry.
    assert response.context["total"].jumlah_disalurkan == 2_600_000
    assert "59,6%" in response.content.decode()


def test_pendamping_sees_its_kecamatan_only_and_not_the_kota_above(client, pendamping_gambir, juni):
    client = client_for(client, pendamping_gambir)

    page = client.get(reverse("distribusi:realisasi"), {"periode": juni.pk})
    kelurahan = client.get(reverse("distribusi:realisasi"), {"periode": juni.pk, "tingkat": "kelurahan"})
    ewarong = client.get(reverse("distribusi:realisasi"), {"periode": juni.pk, "tingkat": "ewarong"})
    above = client.get(reverse("distribusi:realisasi"), {"periode": juni.pk, "tingkat": "kecamatan", "induk": "31.71"})

    assert [r.nama for r in page.context["rows"]] == ["Kec. Gambir"]
    assert [r.wilayah_id for r in kelurahan.context["rows"]] == [KEL_GAMBIR]
    assert len(ewarong.context["rows"]) == 1
    assert above.status_code == 404


def test_realisation_page_reads_the_summary_in_a_few_queries(client, sekretariat, juni, django_assert_max_num_queries):
    client = client_for(client, sekretariat)
    with django_assert_max_num_queries(10):  # 9, and the notification bell's count
        response = client.get(reverse("distribusi:realisasi"), {"periode": juni.pk, "tingkat": "kelurahan"})
    assert len(response.context["rows"]) == 3


def test_unknown_period_answers_404(client, sekretariat, juni):
    response = client_for(client, sekretariat).get(reverse("distribusi:realisasi"), {"periode": 999999})

    assert response.status_code == 404


def test_a_banks_staff_see_only_their_banks_figures(client, sekretariat, juni):
    from tests.factories import UserFactory
    from tikor.models import Bank, Role

    bri = Bank.objects.get(kode="BRI")
    outlet = EWarongFactory(kelurahan_id=KEL_GAMBIR, bank=bri)
    kpm = KpmFactory(kelurahan_id=KEL_GAMBIR, ewarong=outlet, bank=bri)
    kredit(juni, kpm, jumlah=300_000)
    beli(juni, kpm, outlet, 100_000)
    realisasi.refresh_summary(juni)
    staff = UserFactory(username="staf.bni", role=Role.ANGGOTA, bank=Bank.objects.get(kode="BNI"))

    def page(user, **params):
        client.force_login(user)
        return client.get(reverse("distribusi:realisasi"), {"periode": juni.pk, **params}).context

    bni_kota = {r.nama: r.jumlah_disalurkan for r in page(staff)["rows"]}
    all_kota = {r.nama: r.jumlah_disalurkan for r in page(sekretariat)["rows"]}
    bni_outlets = {r.ewarong_id for r in page(staff, tingkat="ewarong")["rows"]}
    bni_banks = [r.nama for r in page(staff, tingkat="bank")["rows"]]

    assert bni_kota == {"Jakarta Pusat": 1_600_000, "Jakarta Selatan": 800_000}
    assert all_kota == {"Jakarta Pusat": 1_900_000, "Jakarta Selatan": 800_000}
    assert outlet.pk not in bni_outlets
    assert len(bni_outlets) == 3
    assert bni_banks == ["BNI"]
    assert page(staff)["total"].jumlah_disalurkan == 2_600_000  # BNI's province row, with the NIK outside
    assert page(sekretariat)["total"].jumlah_disalurkan == 2_900_000
