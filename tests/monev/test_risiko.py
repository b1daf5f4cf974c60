"""E-warong risk score: weighted signals plus open findings and complaints and a low latest visit score, a ranked
list with reasons, evidence, and turning a signal into a finding. The score follows the field as it changes, not
only bank imports. On the demo data the planted e-warong rank first."""

import functools
import io
import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from monev.complaints import record_complaint, respond
from monev.models import Pengaduan, SkorRisiko, Temuan
from monev.risiko.scores import combine, recompute
from penyaluran.distribusi.models import ParameterRisiko
from penyaluran.distribusi.parameters import PARAMETER, parameters
from penyaluran.distribusi.periode import refresh_after_import
from penyaluran.registri.models import Kpm
from penyaluran.risiko.detectors import refresh_signals
from penyaluran.risiko.models import SinyalRisiko
from tests.conftest import KEL_TANAH_ABANG, client_for, visit_payload
from tests.factories import EWarongFactory, KpmFactory, beli, eager_tasks, kredit, periode, waktu

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
    p = parameters()
    signals = [
        SinyalRisiko(ewarong_id=1, jenis="tidak_aktif", nilai=1, ambang=1, uraian="1 KPM"),
        SinyalRisiko(ewarong_id=1, jenis="luar_jam", nilai=0.5, ambang=0.2, uraian="50%"),
        SinyalRisiko(ewarong_id=2, jenis="luar_jam", nilai=0.3, ambang=0.2, uraian="30%"),
    ]

    scores = combine(signals, p, temuan={2: 5})

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
    refresh_signals(juni)

    assert night == pytest.approx(20 * 1.25)  # 25% of purchases at night against a 20% threshold
    assert SkorRisiko.objects.get(ewarong=gambir).skor == pytest.approx(before.skor - night)


def test_open_monev_findings_raise_the_score(juni, risky, sekretariat):
    _gambir, tanah_abang = risky
    before = SkorRisiko.objects.get(ewarong=tanah_abang).skor
    Temuan.objects.create(ewarong=tanah_abang, judul="Paket sembako", aspek="jumlah", keparahan="tinggi")

    refresh_signals(juni)

    score = SkorRisiko.objects.get(ewarong=tanah_abang)
    assert score.skor == pytest.approx(before + 10)
    assert "Temuan monev terbuka" in [r["label"] for r in score.alasan]


def test_risk_list_ranks_ewarong_with_reasons(client, sekretariat, juni, risky):
    gambir, tanah_abang = risky

    response = client_for(client, sekretariat).get(reverse("monev:risiko"), {"periode": juni.pk})

    assert [s.ewarong for s in response.context["page"]] == [gambir, tanah_abang]
    assert "Transaksi di luar jam buka" in response.content.decode()


def test_pendamping_sees_scores_of_its_kecamatan_only(client, pendamping_gambir, juni, risky):
    gambir, tanah_abang = risky
    client = client_for(client, pendamping_gambir)

    listing = client.get(reverse("monev:risiko"), {"periode": juni.pk})
    outside = client.get(reverse("monev:risiko_ewarong", args=[tanah_abang.pk]), {"periode": juni.pk})
    inside = client.get(reverse("monev:risiko_ewarong", args=[gambir.pk]), {"periode": juni.pk})

    assert [s.ewarong for s in listing.context["page"]] == [gambir]
    assert outside.status_code == 404
    assert inside.status_code == 200
    assert "Meninggal" in inside.content.decode()  # the evidence row


def test_risk_list_reads_stored_scores_in_a_few_queries(
    client, sekretariat, juni, risky, django_assert_max_num_queries
):
    client = client_for(client, sekretariat)
    with django_assert_max_num_queries(9):  # 8, and the notification bell's count
        client.get(reverse("monev:risiko"), {"periode": juni.pk})


def test_signal_becomes_a_monev_finding_once(client, sekretariat, juni, risky):
    gambir, _tanah_abang = risky
    signal = SinyalRisiko.objects.get(ewarong=gambir, jenis="tidak_aktif")
    client = client_for(client, sekretariat)

    first = client.post(reverse("monev:sinyal_temuan", args=[signal.pk]))
    again = client.post(reverse("monev:sinyal_temuan", args=[signal.pk]))

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

    assert client.get(reverse("monev:risiko_ewarong", args=[gambir.pk])).status_code == 200
    assert client.post(reverse("monev:sinyal_temuan", args=[signal.pk])).status_code == 403
    assert not Temuan.objects.exists()


def test_pendamping_cannot_turn_a_signal_outside_its_area_into_a_finding(client, pendamping_tanah_abang, juni, risky):
    gambir, _tanah_abang = risky
    signal = SinyalRisiko.objects.get(ewarong=gambir, jenis="tidak_aktif")

    response = client_for(client, pendamping_tanah_abang).post(reverse("monev:sinyal_temuan", args=[signal.pk]))

    assert response.status_code == 404
    assert not Temuan.objects.exists()


@pytest.mark.usefixtures("demo_password")
def test_planted_ewarong_rank_first_on_the_demo_data():
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
    assert ParameterRisiko.objects.count() == len(PARAMETER)


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


# --- The combined risk follows the field: findings, complaints and visits, without waiting for a bank file ------


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """A block whose transaction commits: the risk recompute waiting on the commit runs at its end."""
    return functools.partial(django_capture_on_commit_callbacks, execute=True)


def send_visit(client, penugasan, committed, **answers):
    """The pendamping sends a visit from the phone; returns it."""
    client.force_login(penugasan.petugas)
    with committed():
        url = reverse("monev:kunjungan_kirim", args=[penugasan.pk])
        client.post(url, visit_payload(**answers), content_type="application/json")
    return penugasan.kunjungan.get()


def close(temuan, committed):
    with committed():
        temuan.status = Temuan.Status.SELESAI
        temuan.save()


# Answers breaking many rules of the default instrument: cards held, cash-out, bundling, goods outside the list,
# no sign, no complaint poster, no price list, no receipt.
POOR_VISIT = {
    "E8": "ya", "E18": "ya", "E9": "ya", "E10": "ya", "E4": "tidak", "E5": "tidak", "E6": "tidak", "E19": "tidak",
}  # fmt: skip


def test_a_visit_raising_findings_puts_the_ewarong_on_the_risk_list_without_a_bank_import(
    client, sekretariat, penugasan_gambir, committed
):
    mei, juni = periode(2021, 5), periode(2021, 6)
    ewarong = penugasan_gambir.ewarong

    send_visit(client, penugasan_gambir, committed, E8="ya", E18="ya")
    response = client_for(client, sekretariat).get(reverse("monev:risiko"))

    assert response.context["periode"] == juni
    assert [s.ewarong for s in response.context["page"]] == [ewarong]
    skor = SkorRisiko.objects.get(ewarong=ewarong, periode=juni)
    assert skor.skor == 20  # two open findings, ten points each
    assert [(r["label"], r["uraian"]) for r in skor.alasan] == [("Temuan monev terbuka", "2 temuan monev terbuka")]
    assert "2 temuan monev terbuka" in response.content.decode()
    assert not SkorRisiko.objects.filter(periode=mei).exists()


def test_closing_the_findings_lowers_then_removes_the_score(client, sekretariat, penugasan_gambir, juni, committed):
    ewarong = penugasan_gambir.ewarong
    send_visit(client, penugasan_gambir, committed, E8="ya", E18="ya")
    first, second = Temuan.objects.order_by("id")

    close(first, committed)
    lowered = SkorRisiko.objects.get(ewarong=ewarong, periode=juni).skor
    close(second, committed)
    response = client_for(client, sekretariat).get(reverse("monev:risiko"))

    assert lowered == 10
    assert not SkorRisiko.objects.filter(ewarong=ewarong).exists()
    assert "Tidak ada e-warong berisiko" in response.content.decode()


def test_an_open_complaint_about_the_ewarong_counts_until_it_is_settled(sekretariat, penugasan_gambir, juni, committed):
    ewarong = penugasan_gambir.ewarong
    pengaduan = Pengaduan(kanal="sms1708", kategori="harga", isi="Harga beras di atas HET", ewarong=ewarong)

    with committed():
        record_complaint(pengaduan, sekretariat)
    skor = SkorRisiko.objects.get(ewarong=ewarong, periode=juni)
    with committed():
        respond(pengaduan, "Harga sudah diturunkan", Pengaduan.Status.SELESAI)

    assert skor.skor == 5
    assert skor.alasan[0]["label"] == "Pengaduan terbuka"
    assert not SkorRisiko.objects.filter(ewarong=ewarong).exists()


def test_a_low_score_on_the_latest_verified_visit_counts(client, sekretariat, penugasan_gambir, juni, committed):
    ewarong = penugasan_gambir.ewarong
    kunjungan = send_visit(client, penugasan_gambir, committed, **POOR_VISIT)
    sent = {r["jenis"] for r in SkorRisiko.objects.get(ewarong=ewarong).alasan}

    with committed():
        client_for(client, sekretariat).post(
            reverse("monev:kunjungan_verifikasi", args=[kunjungan.pk]), {"keputusan": "verifikasi"}
        )

    skor = SkorRisiko.objects.get(ewarong=ewarong, periode=juni)
    visit = next(r for r in skor.alasan if r["jenis"] == "kunjungan")
    assert kunjungan.skor_total < 70
    assert sent == {"temuan"}  # a visit counts once the secretariat verified it
    assert visit["label"] == "Skor kunjungan rendah"
    assert visit["poin"] == pytest.approx(20 * min(2, 70 / float(kunjungan.skor_total)), abs=0.1)
    assert skor.skor == pytest.approx(10 * 3 + visit["poin"])  # findings count at most three times


def test_perbarui_ringkasan_rebuilds_the_combined_scores_with_the_field(juni, risky):
    _gambir, tanah_abang = risky
    before = SkorRisiko.objects.get(ewarong=tanah_abang).skor
    Temuan.objects.create(ewarong=tanah_abang, judul="KKS ditahan", aspek="sasaran", keparahan="kritis")

    call_command("perbarui_ringkasan", "2021", "6", stdout=io.StringIO())

    assert SkorRisiko.objects.get(ewarong=tanah_abang).skor == pytest.approx(before + 10)


def test_recomputing_a_period_takes_as_many_queries_for_many_ewarong_as_for_one(juni, risky):
    gambir, _tanah_abang = risky

    def queries_to_recompute():
        with CaptureQueriesContext(connection) as queries:
            recompute(juni)
        return len(queries)

    Temuan.objects.create(ewarong=gambir, judul="Paket", aspek="harga", keparahan="tinggi")
    few = queries_to_recompute()
    for _ in range(5):
        Temuan.objects.create(ewarong=EWarongFactory(), judul="Paket", aspek="harga", keparahan="tinggi")
    many = queries_to_recompute()

    assert few == many
    assert SkorRisiko.objects.filter(periode=juni).count() == 7


def test_old_risk_addresses_redirect_permanently_to_monev(client, sekretariat, juni, risky):
    gambir, _tanah_abang = risky
    client = client_for(client, sekretariat)

    listing = client.get("/distribusi/risiko/", {"periode": juni.pk})
    page = client.get(f"/distribusi/risiko/ewarong/{gambir.pk}/")

    assert (listing.status_code, listing["Location"]) == (301, f"/monev/risiko/?periode={juni.pk}")
    assert (page.status_code, page["Location"]) == (301, f"/monev/risiko/ewarong/{gambir.pk}/")


def test_pendamping_cannot_open_the_risk_page_of_an_ewarong_in_another_kecamatan(
    client, pendamping_tanah_abang, juni, risky
):
    gambir, tanah_abang = risky
    client = client_for(client, pendamping_tanah_abang)

    outside = client.get(reverse("monev:risiko_ewarong", args=[gambir.pk]), {"periode": juni.pk})
    inside = client.get(reverse("monev:risiko_ewarong", args=[tanah_abang.pk]), {"periode": juni.pk})

    assert outside.status_code == 404
    assert inside.status_code == 200
