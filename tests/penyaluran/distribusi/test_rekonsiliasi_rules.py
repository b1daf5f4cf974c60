"""Reconciliation of a period's credits and purchases with the registry: each rule on planted rows,
with the rows next to them that must not be listed."""

import datetime
import functools

import pytest

from penyaluran.distribusi import rekonsiliasi
from penyaluran.distribusi.models import Penyaluran
from penyaluran.registri.models import EWarong, Kpm
from tests.conftest import JAKPUS, KEL_GAMBIR, KEL_TANAH_ABANG
from tests.factories import EWarongFactory, KpmFactory, UserFactory, beli, bni, kredit, periode
from tikor.models import Bank, Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def juni():
    return periode(2021, 6)


def names(kode, juni, user, **kwargs):
    return [line.subjek for line in rekonsiliasi.lines(rekonsiliasi.BY_KODE[kode], juni, user, **kwargs)]


def test_credit_for_a_nik_outside_the_registry_is_listed_and_a_registered_one_is_not(juni, sekretariat):
    kredit(juni, kpm=None, nik="3171015008800099")
    kredit(juni, KpmFactory(nama="SITI AMINAH"))

    lines = list(rekonsiliasi.lines(rekonsiliasi.BY_KODE["tidak_terdaftar"], juni, sekretariat))

    assert len(lines) == 1
    assert "3171015008800099" in lines[0].subjek
    assert "tidak ada di registri" in lines[0].alasan


def test_credit_for_deceased_moved_or_inactive_kpm_is_listed_but_not_for_active(juni, sekretariat):
    for status, nama in [("meninggal", "ALM. BUDI"), ("pindah", "PINDAH RINA"), ("nonaktif", "NONAKTIF ANI")]:
        kredit(juni, KpmFactory(nama=nama, status=status))
    kredit(juni, KpmFactory(nama="AKTIF DEDI"))
    kredit(juni, KpmFactory(nama="GAGAL MENINGGAL", status="meninggal"), status=Penyaluran.Status.GAGAL)

    lines = list(rekonsiliasi.lines(rekonsiliasi.BY_KODE["tidak_aktif"], juni, sekretariat))

    assert sorted(line.subjek for line in lines) == ["ALM. BUDI", "NONAKTIF ANI", "PINDAH RINA"]
    assert any("meninggal" in line.alasan for line in lines)


def test_active_kpm_without_credit_is_listed_with_the_reason(juni, sekretariat):
    kredit(juni, KpmFactory(nama="DAPAT"))
    KpmFactory(nama="TIDAK DAPAT")
    kredit(juni, KpmFactory(nama="GAGAL"), status=Penyaluran.Status.GAGAL)
    KpmFactory(nama="SUDAH MENINGGAL", status="meninggal")
    kredit(periode(2021, 7), KpmFactory(nama="HANYA JULI"))

    lines = {
        line.subjek: line.alasan for line in rekonsiliasi.lines(rekonsiliasi.BY_KODE["tanpa_kredit"], juni, sekretariat)
    }

    assert set(lines) == {"TIDAK DAPAT", "GAGAL", "HANYA JULI"}
    assert "penyaluran gagal" in lines["GAGAL"]
    assert "tidak ada data penyaluran" in lines["TIDAK DAPAT"]


def test_nik_or_kks_credited_twice_is_listed_once_per_credit(juni, sekretariat):
    twice = KpmFactory(nama="DUA KALI", nomor_kks="6000910000000011")
    kredit(juni, twice)
    kredit(juni, twice)
    card = KpmFactory(nama="KARTU SAMA", nomor_kks="6000910000000029")
    kredit(juni, card)
    kredit(juni, None, nik="3171015008800077", nomor_kks="6000910000000029")
    kredit(juni, KpmFactory(nama="SEKALI", nomor_kks="6000910000000037"))
    other_period = KpmFactory(nama="BEDA PERIODE", nomor_kks="6000910000000045")
    kredit(juni, other_period)
    kredit(periode(2021, 7), other_period)

    lines = list(rekonsiliasi.lines(rekonsiliasi.BY_KODE["kredit_ganda"], juni, sekretariat))

    subjects = [line.subjek for line in lines]
    assert subjects.count("DUA KALI") == 2
    assert subjects.count("KARTU SAMA") == 1
    assert len(lines) == 4
    assert "SEKALI" not in subjects
    assert "BEDA PERIODE" not in subjects
    assert any("dikreditkan 2 kali" in line.alasan for line in lines)


def test_one_no_kk_with_several_active_kpm_is_listed(juni, sekretariat):
    KpmFactory(nama="AYAH", no_kk="3171011503100001")
    KpmFactory(nama="ANAK", no_kk="3171011503100001")
    KpmFactory(nama="ALMARHUM", no_kk="3171011503100002", status="meninggal")
    KpmFactory(nama="JANDA", no_kk="3171011503100002")

    assert sorted(names("kk_ganda", juni, sekretariat)) == ["ANAK", "AYAH"]


def test_credit_of_a_different_amount_than_the_benefit_is_listed(juni, sekretariat):
    kredit(juni, KpmFactory(nama="KURANG"), jumlah=150_000)
    kredit(juni, KpmFactory(nama="PAS"), jumlah=200_000)

    lines = list(rekonsiliasi.lines(rekonsiliasi.BY_KODE["jumlah_berbeda"], juni, sekretariat))

    assert [line.subjek for line in lines] == ["KURANG"]
    assert "Rp150.000" in lines[0].alasan
    assert "Rp200.000" in lines[0].alasan


def test_card_not_handed_out_is_listed(juni, sekretariat):
    kredit(juni, KpmFactory(nama="BELUM TERIMA KARTU"), status=Penyaluran.Status.KARTU_BELUM_DIBAGIKAN)
    kredit(juni, KpmFactory(nama="SUDAH TERIMA"))

    assert names("kartu_belum", juni, sekretariat) == ["BELUM TERIMA KARTU"]


def test_balance_left_after_n_days_is_listed_but_not_a_spent_or_recent_one(juni, sekretariat):
    ewarong = EWarongFactory()
    idle, spent, recent = KpmFactory(nama="MENGENDAP"), KpmFactory(nama="HABIS"), KpmFactory(nama="BARU")
    kredit(juni, idle)
    beli(juni, idle, ewarong, jumlah=50_000)
    kredit(juni, spent)
    beli(juni, spent, ewarong, jumlah=120_000)
    beli(juni, spent, ewarong, jumlah=80_000)
    kredit(juni, recent, tanggal=datetime.date(2021, 6, 25))
    pada = datetime.date(2021, 7, 10)  # 35 days after the 5th, 15 after the 25th

    lines = list(
        rekonsiliasi.lines(rekonsiliasi.BY_KODE["saldo_mengendap"], juni, sekretariat, saldo_hari=30, pada=pada)
    )

    assert [line.subjek for line in lines] == ["MENGENDAP"]
    assert "sisa saldo Rp150.000" in lines[0].alasan


def test_purchases_at_an_inactive_ewarong_or_unknown_terminal_are_listed_by_outlet(juni, sekretariat):
    closed = EWarongFactory(nama="Warung Tutup", status=EWarong.Status.NONAKTIF)
    coaching = EWarongFactory(nama="Warung Dibina", status=EWarong.Status.PEMBINAAN)
    kpm = KpmFactory()
    beli(juni, kpm, closed, jumlah=100_000)
    beli(juni, kpm, closed, jumlah=50_000)
    beli(juni, kpm, coaching)
    beli(juni, kpm, None, terminal="EDC-99")

    lines = list(rekonsiliasi.lines(rekonsiliasi.BY_KODE["ewarong_tidak_aktif"], juni, sekretariat))

    assert len(lines) == 2
    assert "Warung Tutup" in lines[0].subjek
    assert "2 transaksi, Rp150.000" in lines[0].alasan
    assert lines[1].subjek == "Terminal EDC-99"


def test_pendamping_sees_lines_of_its_kecamatan_only(juni, pendamping_gambir):
    kredit(juni, KpmFactory(nama="DI GAMBIR", status=Kpm.Status.MENINGGAL))
    kredit(juni, KpmFactory(nama="DI TANAH ABANG", status=Kpm.Status.MENINGGAL, kelurahan_id=KEL_TANAH_ABANG))
    kredit(juni, None, nik="3171015008800099")

    assert names("tidak_aktif", juni, pendamping_gambir) == ["DI GAMBIR"]
    # A credit of no registered KPM has no place: only province-wide roles see it.
    assert names("tidak_terdaftar", juni, pendamping_gambir) == []


def test_nik_is_masked_for_roles_without_the_right(juni, anggota_tikor):
    kpm = KpmFactory(status=Kpm.Status.MENINGGAL)
    kredit(juni, kpm)

    [line] = rekonsiliasi.lines(rekonsiliasi.BY_KODE["tidak_aktif"], juni, anggota_tikor)

    assert line.nik != kpm.nik
    assert line.nik.startswith(kpm.nik[:4])
    assert "*" in line.nik


def test_summary_counts_every_rule_in_one_query_each(juni, sekretariat, django_assert_max_num_queries):
    kredit(juni, KpmFactory(status=Kpm.Status.MENINGGAL))

    with django_assert_max_num_queries(len(rekonsiliasi.ATURAN) + 2):
        counts = {a.kode: n for a, n in rekonsiliasi.ringkasan(juni, sekretariat)}

    assert counts["tidak_aktif"] == 1


def test_the_stored_count_equals_the_rules_sql_for_every_role(
    juni, sekretariat, pendamping_gambir, tikor_jakpus, anggota_tikor
):
    """Every rule with a case in Gambir, one in Tanah Abang, one outside the registry; BRI's staff next to BNI's."""
    bri = Bank.objects.get(kode="BRI")
    bri_staff = UserFactory(role=Role.ANGGOTA, area=[JAKPUS], bank=bri)
    pada = datetime.date(2021, 7, 10)
    for kelurahan, bank in ((KEL_GAMBIR, bni()), (KEL_TANAH_ABANG, bri)):
        outlet = EWarongFactory(kelurahan_id=kelurahan, bank=bank)
        closed = EWarongFactory(kelurahan_id=kelurahan, bank=bank, status=EWarong.Status.NONAKTIF)
        kpm = functools.partial(KpmFactory, kelurahan_id=kelurahan, bank=bank, ewarong=outlet)

        kredit(juni, kpm(status=Kpm.Status.MENINGGAL))
        kpm()  # tanpa kredit
        twice = kpm()
        kredit(juni, twice)
        kredit(juni, twice)
        kpm(no_kk=f"31710115031{kelurahan[-4:]}1")
        kpm(no_kk=f"31710115031{kelurahan[-4:]}1")
        kredit(juni, kpm(), jumlah=150_000)
        kredit(juni, kpm(), status=Penyaluran.Status.KARTU_BELUM_DIBAGIKAN)
        idle = kpm()
        kredit(juni, idle)
        beli(juni, idle, closed, jumlah=50_000)
    kredit(juni, None, nik="3171015008800099")
    beli(juni, None, None, terminal="EDC-99")

    rekonsiliasi.hitung(juni, saldo_hari=30, pada=pada)

    for user in (sekretariat, pendamping_gambir, tikor_jakpus, anggota_tikor, bri_staff):
        _state, stored = rekonsiliasi.tersimpan(juni, user)
        live = rekonsiliasi.ringkasan(juni, user, saldo_hari=30, pada=pada)
        # Area roles see a line of purchases at an e-warong in the e-warong's area only (stored per e-warong);
        # the rules' SQL also shows them its KPM's purchases elsewhere. Every other rule is equal for every role.
        if user is not sekretariat:
            stored, live = stored[:-1], live[:-1]
        assert stored == live, user
        for aturan, _n in stored:
            assert [line["baris_subjek"] for line in rekonsiliasi.baris_tersimpan(aturan, juni, user)] == [
                line.subjek for line in rekonsiliasi.lines(aturan, juni, user, saldo_hari=30, pada=pada)
            ], (user, aturan.kode)
    counts = dict(rekonsiliasi.tersimpan(juni, sekretariat)[1])
    assert counts[rekonsiliasi.BY_KODE["tidak_terdaftar"]] == 1
    assert counts[rekonsiliasi.BY_KODE["ewarong_tidak_aktif"]] == 3  # two closed e-warong and the unknown terminal
    masked = rekonsiliasi.baris_tersimpan(rekonsiliasi.BY_KODE["tidak_aktif"], juni, anggota_tikor)
    assert all("*" in line["baris_nik"] for line in masked)
