"""A closed period is read-only: its credits and purchases cannot be changed by save, bulk paths or the admin."""

import pytest
from django.urls import reverse

from penyaluran.distribusi.models import Penyaluran, Periode, PeriodeTertutup, Transaksi
from penyaluran.distribusi.periode import buka_periode, manfaat_bawaan, tutup_periode
from tests.conftest import client_for
from tests.factories import EWarongFactory, KpmFactory, beli, kredit, periode

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed():
    juni = periode(2021, 6)
    credit = kredit(juni, KpmFactory())
    purchase = beli(juni, credit.kpm, EWarongFactory())
    tutup_periode(juni)
    return juni, credit, purchase


def test_benefit_follows_the_pedum_by_date():
    assert manfaat_bawaan(2019, 12) == 110_000
    assert manfaat_bawaan(2020, 2) == 150_000
    assert manfaat_bawaan(2020, 3) == 200_000


def test_a_period_reads_as_its_month_in_indonesian():
    assert str(Periode(tahun=2021, bulan=8, manfaat_per_kpm=200_000)) == "Agustus 2021"


def test_saving_a_credit_or_purchase_of_a_closed_period_is_refused(closed):
    _juni, credit, purchase = closed
    credit.jumlah = 1
    purchase.jumlah = 1

    with pytest.raises(PeriodeTertutup):
        credit.save()
    with pytest.raises(PeriodeTertutup):
        purchase.save()
    with pytest.raises(PeriodeTertutup):
        purchase.delete()

    assert Penyaluran.objects.get(pk=credit.pk).jumlah == 200_000
    assert Transaksi.objects.filter(pk=purchase.pk).exists()


def test_bulk_update_delete_and_create_in_a_closed_period_are_refused(closed):
    juni, credit, purchase = closed

    with pytest.raises(PeriodeTertutup):
        Penyaluran.objects.filter(pk=credit.pk).update(jumlah=1)
    with pytest.raises(PeriodeTertutup):
        Transaksi.objects.all().delete()
    with pytest.raises(PeriodeTertutup):
        Transaksi.objects.bulk_create(
            [Transaksi(periode=juni, bank=purchase.bank, referensi="X", waktu=purchase.waktu, jumlah=1)]
        )

    assert Transaksi.objects.count() == 1


def test_moving_a_row_into_a_closed_period_is_refused(closed):
    juni, _credit, _purchase = closed
    juli = periode(2021, 7)
    open_credit = kredit(juli, KpmFactory())

    with pytest.raises(PeriodeTertutup):
        Penyaluran.objects.filter(pk=open_credit.pk).update(periode=juni)
    open_credit.periode = juni
    with pytest.raises(PeriodeTertutup):
        open_credit.save()


def test_a_closed_period_keeps_its_benefit_until_reopened(closed):
    juni, credit, _purchase = closed
    juni.manfaat_per_kpm = 150_000
    with pytest.raises(PeriodeTertutup):
        juni.save()

    buka_periode(juni)
    credit.refresh_from_db()
    credit.jumlah = 150_000
    credit.save()

    assert Penyaluran.objects.get(pk=credit.pk).jumlah == 150_000


def test_admin_refuses_to_change_or_delete_a_credit_of_a_closed_period(client, sekretariat, closed):
    _juni, credit, _purchase = closed
    client = client_for(client, sekretariat)
    url = reverse("admin:penyaluran_penyaluran_change", args=[credit.pk])

    page = client.get(url)
    posted = client.post(url, {"jumlah": 1})
    deleted = client.post(reverse("admin:penyaluran_penyaluran_delete", args=[credit.pk]), {"post": "yes"})

    assert page.status_code == 200
    assert b'name="jumlah"' not in page.content
    assert posted.status_code == 403
    assert deleted.status_code == 403
    assert Penyaluran.objects.get(pk=credit.pk).jumlah == 200_000


def test_admin_shows_a_closed_periods_benefit_read_only(client, sekretariat, closed):
    juni, _credit, _purchase = closed
    client = client_for(client, sekretariat)

    client.post(
        reverse("admin:penyaluran_periode_change", args=[juni.pk]),
        {"tahun": 2021, "bulan": 6, "manfaat_per_kpm": 1, "status": "tutup"},
    )

    assert Periode.objects.get(pk=juni.pk).manfaat_per_kpm == 200_000


def test_admin_changes_a_credit_of_an_open_period(client, sekretariat):
    juli = periode(2021, 7)
    credit = kredit(juli, KpmFactory())
    client = client_for(client, sekretariat)

    response = client.post(
        reverse("admin:penyaluran_penyaluran_change", args=[credit.pk]),
        {
            "periode": juli.pk,
            "bank": credit.bank_id,
            "referensi": credit.referensi,
            "kpm": credit.kpm_id,
            "nik": credit.nik,
            "nomor_kks": "",
            "jumlah": 150_000,
            "tanggal": "05-07-2021",
            "kanal": "kks",
            "status": "tersalur",
        },
    )

    assert response.status_code == 302
    assert Penyaluran.objects.get(pk=credit.pk).jumlah == 150_000


def test_pendamping_cannot_open_a_credit_outside_its_kecamatan(client, pendamping_tanah_abang, closed):
    _juni, credit, _purchase = closed

    response = client_for(client, pendamping_tanah_abang).get(
        reverse("admin:penyaluran_penyaluran_change", args=[credit.pk])
    )

    assert response.status_code == 404
