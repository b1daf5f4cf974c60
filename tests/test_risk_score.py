"""E-warong risk score: weighted signals plus monev findings, a ranked list with reasons, evidence, and
turning a signal into a finding. On the demo data the planted e-warong rank first."""

import io
import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from monev.models import SkorRisiko, Temuan
from penyaluran.distribusi.periode import refresh_after_import
from penyaluran.registri.models import Kpm
from penyaluran.risiko import detectors as risk
from penyaluran.risiko.models import ParameterRisiko, SinyalRisiko
from tests.conftest import KEL_TANAH_ABANG, client_for
from tests.distribusi_factories import beli, eager_tasks, kredit, periode, waktu
from tests.factories import EWarongFactory, KpmFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def juni():
    return periode(2021, 6)


@pytest.fixture
def risky(juni):
    """In Gambir an e-warong where a deceased KPM shops at night; in Tanah Abang one with a deceased KPM."""
    gambir = EWarongFactory(nama="Warung Malam Gambir")
    for i in range(10):
        kpm = KpmFactory(ewarong=gambir, status=Kpm.Status.MENINGGAL if i == 0 else Kpm.Status.AKTIF)
        kredit(juni, kpm)
        beli(juni, kpm, gambir, 200_000 - 50_000, waktu(juni, 10 + i, 23 if i < 5 else 10))
        beli(juni, kpm, gambir, 50_000, waktu(juni, 12 + i, 11))
    tanah_abang = EWarongFactory(nama="Warung Tanah Abang", kelurahan_id=KEL_TANAH_ABANG)
    kpm = KpmFactory(kelurahan_id=KEL_TANAH_ABANG, status=Kpm.Status.PINDAH)
    kredit(juni, kpm)
    beli(juni, kpm, tanah_abang, 200_000 - 1)
    refresh_after_import(juni)
    return gambir, tanah_abang


def test_score_adds_weights_scaled_by_how_far_the_threshold_is_passed():
    p = risk.parameters()
    hits = {
        "tidak_aktif": {1: risk.Hit(1, 1, "1 KPM")},
        "luar_jam": {1: risk.Hit(0.5, 0.2, "50%"), 2: risk.Hit(0.3, 0.2, "30%")},
    }

    scores = risk.score(hits, p, temuan={2: 5})

    assert scores[1][0] == pytest.approx(25 * 1 + 20 * 2)
    assert scores[2][0] == pytest.approx(20 * 1.5 + 10 * 3)  # findings count at most three times
    assert [r["jenis"] for r in scores[1][1]] == ["luar_jam", "tidak_aktif"]  # weightiest reason first


def test_refresh_stores_signals_and_scores_per_ewarong_and_period(juni, risky):
    gambir, tanah_abang = risky

    assert set(SinyalRisiko.objects.filter(ewarong=gambir).values_list("jenis", flat=True)) == {
        "luar_jam",
        "tidak_aktif",
    }
    assert SkorRisiko.objects.get(ewarong=gambir, periode=juni).skor > SkorRisiko.objects.get(ewarong=tanah_abang).skor


def test_weights_are_tunable_by_the_secretariat(juni, risky):
    gambir, _tanah_abang = risky
    before = SkorRisiko.objects.get(ewarong=gambir)
    night = next(r["poin"] for r in before.alasan if r["jenis"] == "luar_jam")

    ParameterRisiko.objects.create(kode="bobot_luar_jam", nilai=0)
    risk.refresh(juni)

    assert night == pytest.approx(20 * 1.25)  # 25% of purchases at night against a 20% threshold
    assert SkorRisiko.objects.get(ewarong=gambir).skor == pytest.approx(before.skor - night)


def test_open_monev_findings_raise_the_score(juni, risky, sekretariat):
    _gambir, tanah_abang = risky
    before = SkorRisiko.objects.get(ewarong=tanah_abang).skor
    Temuan.objects.create(ewarong=tanah_abang, judul="Paket sembako", aspek="jumlah", keparahan="tinggi")

    risk.refresh(juni)

    score = SkorRisiko.objects.get(ewarong=tanah_abang)
    assert score.skor == pytest.approx(before + 10)
    assert "Temuan monev terbuka" in [r["label"] for r in score.alasan]


def test_risk_list_ranks_ewarong_with_reasons(client, sekretariat, juni, risky):
    gambir, tanah_abang = risky

    response = client_for(client, sekretariat).get(reverse("distribusi:risiko"), {"periode": juni.pk})

    assert [s.ewarong for s in response.context["page"]] == [gambir, tanah_abang]
    assert "Transaksi di luar jam buka" in response.content.decode()


def test_pendamping_sees_scores_of_its_kecamatan_only(client, pendamping_gambir, juni, risky):
    gambir, tanah_abang = risky
    client = client_for(client, pendamping_gambir)

    listing = client.get(reverse("distribusi:risiko"), {"periode": juni.pk})
    outside = client.get(reverse("distribusi:risiko_ewarong", args=[tanah_abang.pk]), {"periode": juni.pk})
    inside = client.get(reverse("distribusi:risiko_ewarong", args=[gambir.pk]), {"periode": juni.pk})

    assert [s.ewarong for s in listing.context["page"]] == [gambir]
    assert outside.status_code == 404
    assert inside.status_code == 200
    assert "Meninggal" in inside.content.decode()  # the evidence row


def test_risk_list_reads_stored_scores_in_a_few_queries(
    client, sekretariat, juni, risky, django_assert_max_num_queries
):
    client = client_for(client, sekretariat)
    with django_assert_max_num_queries(8):
        client.get(reverse("distribusi:risiko"), {"periode": juni.pk})


def test_signal_becomes_a_monev_finding_once(client, sekretariat, juni, risky):
    gambir, _tanah_abang = risky
    signal = SinyalRisiko.objects.get(ewarong=gambir, jenis="tidak_aktif")
    client = client_for(client, sekretariat)

    first = client.post(reverse("distribusi:sinyal_temuan", args=[signal.pk]))
    again = client.post(reverse("distribusi:sinyal_temuan", args=[signal.pk]))

    temuan = Temuan.objects.get(ewarong=gambir)
    assert first.status_code == again.status_code == 302
    assert first["Location"] == temuan.get_absolute_url()
    assert temuan.judul == "KPM tidak aktif bertransaksi – Juni 2021"
    assert temuan.aspek == "sasaran"
    assert temuan.dibuat_oleh == sekretariat
    assert "1 KPM berstatus" in temuan.uraian


def test_anggota_tikor_may_read_signals_but_not_make_findings(client, anggota_tikor, juni, risky):
    gambir, _tanah_abang = risky
    signal = SinyalRisiko.objects.get(ewarong=gambir, jenis="tidak_aktif")
    client = client_for(client, anggota_tikor)

    assert client.get(reverse("distribusi:risiko_ewarong", args=[gambir.pk])).status_code == 200
    assert client.post(reverse("distribusi:sinyal_temuan", args=[signal.pk])).status_code == 403
    assert not Temuan.objects.exists()


def test_pendamping_cannot_turn_a_signal_outside_its_area_into_a_finding(client, pendamping_tanah_abang, juni, risky):
    gambir, _tanah_abang = risky
    signal = SinyalRisiko.objects.get(ewarong=gambir, jenis="tidak_aktif")

    response = client_for(client, pendamping_tanah_abang).post(reverse("distribusi:sinyal_temuan", args=[signal.pk]))

    assert response.status_code == 404
    assert not Temuan.objects.exists()


def test_planted_ewarong_rank_first_on_the_demo_data(settings, monkeypatch):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    monkeypatch.setenv("DEMO_PASSWORD", "sandi-demo-uji")
    out = io.StringIO()
    call_command("seed_demo", "--scale", "0.02", "--periode", "2", stdout=out)

    lines = out.getvalue().splitlines()
    planted = set(re.findall(r"EW-\d{6}-\d{3}", next(line for line in lines if "pola penyelewengan" in line)))
    overloaded = set(re.findall(r"EW-\d{6}-\d{3}", next(line for line in lines if "sengaja ditanam: 2 KPM" in line)))
    ranking = SkorRisiko.objects.filter(periode__bulan=2).select_related("ewarong").order_by("-skor")
    top = [s.ewarong.kode for s in ranking]

    assert len(planted) == 3
    assert len(overloaded) == 1
    assert set(top[:4]) == planted | overloaded
    assert all(s.alasan for s in ranking[:4])


def test_secretariat_tunes_parameters_listed_with_their_defaults_in_the_admin(client, sekretariat):
    response = client_for(client, sekretariat).get(reverse("admin:penyaluran_parameterrisiko_changelist"))

    assert response.status_code == 200
    assert ParameterRisiko.objects.get(kode="gesek_kolektif_kpm").nilai == 15
    assert ParameterRisiko.objects.count() == len(risk.PARAMETER)


def test_admin_action_recomputes_a_period_after_tuning(
    client, sekretariat, juni, risky, django_capture_on_commit_callbacks
):
    gambir, _tanah_abang = risky
    ParameterRisiko.objects.create(kode="luar_jam_porsi", nilai=0.9)

    with eager_tasks(), django_capture_on_commit_callbacks(execute=True):
        client_for(client, sekretariat).post(
            reverse("admin:penyaluran_periode_changelist"),
            {"action": "hitung_ulang", "_selected_action": [juni.pk]},
        )

    assert not SinyalRisiko.objects.filter(ewarong=gambir, jenis="luar_jam").exists()
