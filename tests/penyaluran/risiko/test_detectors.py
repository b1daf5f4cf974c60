"""Misuse detectors: each fires on a planted e-warong and stays quiet on an ordinary one next to it."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from penyaluran.distribusi import realisasi
from penyaluran.distribusi.models import ParameterRisiko, Penyaluran
from penyaluran.distribusi.parameters import parameters
from penyaluran.registri.models import EWarong, Kpm
from penyaluran.risiko import detectors as risk
from tests.conftest import KEL_GAMBIR, KEL_TEBET
from tests.factories import EWarongFactory, KpmFactory, PenyediaFactory, beli, kredit, periode, waktu

pytestmark = pytest.mark.django_db


@pytest.fixture
def juni():
    return periode(2021, 6)


def members(ewarong, n, **kwargs):
    return [KpmFactory(ewarong=ewarong, kelurahan_id=ewarong.kelurahan_id, **kwargs) for _ in range(n)]


def run(detector, juni):
    return getattr(risk, detector)(juni, parameters())


def ordinary_month(juni, ewarong, kpm_list, start_day=6):
    """Each KPM credited and spending in two visits on different days in the afternoon."""
    for i, kpm in enumerate(kpm_list):
        kredit(juni, kpm)
        beli(juni, kpm, ewarong, 120_000, waktu(juni, start_day + i % 20, 9 + i % 8, (i * 7) % 60))
        beli(juni, kpm, ewarong, 80_000, waktu(juni, start_day + 1 + i % 20, 14, (i * 11) % 60))


def test_collective_swiping_fires_for_many_cards_in_minutes_and_not_for_a_steady_day(juni):
    held, steady = EWarongFactory(), EWarongFactory()
    for i, kpm in enumerate(members(held, 16)):
        beli(juni, kpm, held, 200_000, waktu(juni, 6, 9, 1, i * 20))  # 16 cards between 09:01 and 09:06
    for i, kpm in enumerate(members(steady, 16)):
        beli(juni, kpm, steady, 200_000, waktu(juni, 6, 8 + i // 2, 5 + (i % 2) * 30))  # two an hour all day

    hits = run("gesek_kolektif", juni)

    assert set(hits) == {held.pk}
    assert hits[held.pk].nilai == 16
    assert hits[held.pk].bukti[0]["waktu"] == "06-06-2021 09:00"


def test_collective_swiping_threshold_is_tunable(juni):
    ewarong = EWarongFactory()
    for i, kpm in enumerate(members(ewarong, 8)):
        beli(juni, kpm, ewarong, 200_000, waktu(juni, 6, 9, 1, i * 20))
    assert run("gesek_kolektif", juni) == {}

    ParameterRisiko.objects.create(kode="gesek_kolektif_kpm", nilai=8)

    assert set(run("gesek_kolektif", juni)) == {ewarong.pk}


def test_full_balance_in_one_purchase_fires_when_most_kpm_do_it(juni):
    paket, normal = EWarongFactory(), EWarongFactory()
    for i, kpm in enumerate(members(paket, 20)):
        beli(juni, kpm, paket, 200_000 if i < 15 else 100_000)
    ordinary_month(juni, normal, members(normal, 20))

    hits = run("saldo_penuh", juni)

    assert set(hits) == {paket.pk}
    assert hits[paket.pk].nilai == pytest.approx(0.75)
    assert "15 dari 20 KPM (75%)" in hits[paket.pk].uraian


def test_full_balance_is_not_judged_on_too_few_kpm(juni):
    small = EWarongFactory()
    for kpm in members(small, 5):
        beli(juni, kpm, small, 200_000)

    assert run("saldo_penuh", juni) == {}


def test_night_purchases_fire_by_jakarta_clock_not_utc(juni):
    night, day = EWarongFactory(), EWarongFactory()
    for i, kpm in enumerate(members(night, 10)):
        beli(juni, kpm, night, when=waktu(juni, 10, 23 if i < 4 else 10, 15))
    # 23.00 UTC is 06.00 in Jakarta: opening time, not night.
    for kpm in members(day, 10):
        beli(juni, kpm, day, when=datetime.datetime(2021, 6, 9, 23, 0, tzinfo=datetime.UTC))

    hits = run("luar_jam", juni)

    assert set(hits) == {night.pk}
    assert hits[night.pk].nilai == pytest.approx(0.4)


def test_kpm_from_another_kota_fire_only_above_the_count(juni):
    magnet, mild = EWarongFactory(kelurahan_id=KEL_GAMBIR), EWarongFactory(kelurahan_id=KEL_GAMBIR)
    for kpm in [KpmFactory(kelurahan_id=KEL_TEBET) for _ in range(10)]:
        beli(juni, kpm, magnet)
    for kpm in [KpmFactory(kelurahan_id=KEL_TEBET) for _ in range(3)] + members(mild, 10):
        beli(juni, kpm, mild)

    hits = run("jauh", juni)

    assert set(hits) == {magnet.pk}
    assert hits[magnet.pk].nilai == 10
    assert hits[magnet.pk].bukti[0]["kelurahan"]


def test_ewarong_serving_more_kpm_than_its_capacity_fires(juni):
    full, roomy = EWarongFactory(kapasitas_kpm=5), EWarongFactory(kapasitas_kpm=250)
    for kpm in members(full, 6):
        beli(juni, kpm, full)
    for kpm in members(roomy, 6):
        beli(juni, kpm, roomy)

    hits = run("kapasitas", juni)

    assert set(hits) == {full.pk}
    assert "melayani 6 KPM, kapasitas 5 KPM" in hits[full.pk].uraian


def test_deceased_or_inactive_kpm_buying_fires_and_active_do_not(juni):
    suspect, clean = EWarongFactory(), EWarongFactory()
    beli(juni, KpmFactory(nama="ALMARHUM", status=Kpm.Status.MENINGGAL), suspect)
    for kpm in members(clean, 5):
        beli(juni, kpm, clean)

    hits = run("tidak_aktif", juni)

    assert set(hits) == {suspect.pk}
    assert hits[suspect.pk].bukti[0]["kpm"] == "ALMARHUM"
    assert hits[suspect.pk].bukti[0]["status"] == "Meninggal"


def test_one_card_at_many_outlets_is_counted_at_the_kpm_own_ewarong(juni):
    home, quiet = EWarongFactory(), EWarongFactory()
    others = [EWarongFactory() for _ in range(3)]
    for kpm in members(home, 3):
        for where in [home, *others]:
            beli(juni, kpm, where, 50_000)
    for kpm in members(quiet, 3):
        beli(juni, kpm, quiet)
        beli(juni, kpm, others[0])  # a second shop now and then is normal

    hits = run("banyak_outlet", juni)

    assert set(hits) == {home.pk}
    assert hits[home.pk].nilai == 3


def test_purchases_before_the_card_was_handed_out_fire(juni):
    suspect, clean = EWarongFactory(), EWarongFactory()
    no_card, late_card, handed = KpmFactory(), KpmFactory(), KpmFactory()
    kredit(juni, no_card, status=Penyaluran.Status.KARTU_BELUM_DIBAGIKAN)
    beli(juni, no_card, suspect, when=waktu(juni, 8))
    kredit(juni, late_card, kartu_dibagikan_pada=datetime.date(2021, 6, 20))
    beli(juni, late_card, suspect, when=waktu(juni, 12))
    kredit(juni, handed, kartu_dibagikan_pada=datetime.date(2021, 6, 1))
    beli(juni, handed, clean, when=waktu(juni, 12))

    hits = run("sebelum_kartu", juni)

    assert set(hits) == {suspect.pk}
    assert hits[suspect.pk].nilai == 2


def test_very_low_realisation_fires_from_the_summary(juni):
    idle, busy = EWarongFactory(), EWarongFactory()
    for i, kpm in enumerate(members(idle, 20)):
        kredit(juni, kpm)
        if i < 4:
            beli(juni, kpm, idle, 200_000)
    ordinary_month(juni, busy, members(busy, 20))
    realisasi.refresh_summary(juni)

    hits = run("realisasi_rendah", juni)

    assert set(hits) == {idle.pk}
    assert hits[idle.pk].nilai == pytest.approx(0.2)


def test_one_penyedia_supplying_most_ewarong_of_a_kecamatan_fires_there_only(juni):
    cartel, other = PenyediaFactory(nama="PT Kartel"), PenyediaFactory()
    dominated = [EWarongFactory(penyedia=cartel, kelurahan_id=KEL_GAMBIR) for _ in range(4)]
    EWarongFactory(penyedia=cartel, kelurahan_id=KEL_GAMBIR, status=EWarong.Status.NONAKTIF)
    mixed = [EWarongFactory(penyedia=p, kelurahan_id=KEL_TEBET) for p in (cartel, cartel, other, other)]

    hits = run("penyedia_dominan", juni)

    assert set(hits) == {e.pk for e in dominated}
    assert not set(hits) & {e.pk for e in mixed}
    assert "PT Kartel memasok 4 dari 4" in hits[dominated[0].pk].uraian


def test_an_ordinary_month_raises_no_signal_at_all(juni):
    ewarong = EWarongFactory()
    ordinary_month(juni, ewarong, members(ewarong, 30))
    realisasi.refresh_summary(juni)

    assert {jenis: hits for jenis, hits in risk.detect(juni).items() if hits} == {}


def test_detectors_run_with_query_logging_on_as_under_debug(juni):
    # Under DEBUG every query is logged with its parameters interpolated; a literal "%" in SQL breaks that.
    ewarong = EWarongFactory()
    ordinary_month(juni, ewarong, members(ewarong, 5))

    with CaptureQueriesContext(connection) as queries:
        risk.refresh_signals(juni)

    assert len(queries) > 0
