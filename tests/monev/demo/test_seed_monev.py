"""seed_demo --periode: the monev of the field on the demo data, told through monev's own services.

Seed 5 at scale 0.01 puts Jakarta Pusat's one e-warong in Gambir, where pendamping.gambir works.
"""

import io
import re

import pytest
from django.core.management import call_command
from django.utils import timezone

from monev.models import (
    Jawaban,
    Keparahan,
    Kunjungan,
    Pengaduan,
    Penugasan,
    SkorRisiko,
    Temuan,
    TimMonev,
    TindakLanjut,
)
from penyaluran.distribusi.models import Periode
from penyaluran.registri.models import EWarong
from tests.conftest import GAMBIR, seeded_for_module
from tikor.models import Role, User

pytestmark = pytest.mark.django_db

ARGS = ("--scale", "0.01", "--periode", "3", "--seed", "5")


def seed(*args):
    out = io.StringIO()
    call_command("seed_demo", *ARGS, *args, stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def _seeded_once(django_db_setup, django_db_blocker):
    with seeded_for_module(django_db_blocker, *ARGS) as out:
        yield out


@pytest.fixture
def seeded(_seeded_once, db):
    return _seeded_once


def planted_codes(out):
    line = next(line for line in out.splitlines() if "pola penyelewengan" in line)
    return set(re.findall(r"EW-\d{6}-\d{3}", line))


def monev_rows():
    """The monev rows by what they say, not by their ids."""
    return {
        "kunjungan": sorted(
            Kunjungan.objects.values_list(
                "uuid", "ewarong__kode", "tanggal", "status", "skor_total", "petugas__username", "dikirim_pada"
            )
        ),
        "jawaban": sorted(Jawaban.objects.values_list("kunjungan__uuid", "pertanyaan__kode", "nilai", "patuh")),
        "temuan": sorted(
            Temuan.objects.values_list("kunjungan__uuid", "judul", "keparahan", "status", "batas_waktu", "dibuat_pada")
        ),
        "tindak_lanjut": sorted(
            TindakLanjut.objects.values_list(
                "temuan__kunjungan__uuid", "temuan__judul", "langkah_sanksi", "status", "batas_waktu", "ditutup_pada"
            )
        ),
        "penugasan": sorted(
            Penugasan.objects.values_list("ewarong__kode", "petugas__username", "batas_waktu", "status", "dibuat_pada")
        ),
        "pengaduan": sorted(
            Pengaduan.objects.values_list("nomor", "kanal", "kategori", "status", "diterima_pada", "selesai_pada")
        ),
        "tim": sorted(TimMonev.objects.values_list("nama", "ketua__username")),
    }


def test_visits_are_in_every_status_and_scored_once_sent(seeded):
    statuses = set(Kunjungan.objects.values_list("status", flat=True))

    assert statuses == set(Kunjungan.Status.values)
    assert Kunjungan.objects.count() >= 10
    assert not Kunjungan.objects.filter(status=Kunjungan.Status.DRAF, skor_total__isnull=False).exists()
    assert not Kunjungan.objects.terkirim().filter(skor_total__isnull=True).exists()
    # Verifying a visit closes its assignment, as the secretariat's review does.
    verified = Kunjungan.objects.filter(status=Kunjungan.Status.TERVERIFIKASI)
    assert not verified.exclude(penugasan__status=Penugasan.Status.SELESAI).exists()


def test_visits_lie_in_the_past_and_answer_the_published_instrument(seeded):
    today = timezone.localdate()

    assert not Kunjungan.objects.filter(tanggal__gte=today).exists()
    for kunjungan in Kunjungan.objects.all():
        assert kunjungan.instrumen.status == "terbit"
        assert kunjungan.jawaban.count() >= 18


def test_findings_are_raised_from_broken_answers_and_some_are_overdue(seeded):
    automatic = Temuan.objects.filter(sumber=Temuan.Sumber.OTOMATIS)

    assert automatic.exists()
    for temuan in automatic.select_related("pertanyaan"):
        assert Jawaban.objects.get(kunjungan=temuan.kunjungan_id, pertanyaan=temuan.pertanyaan_id).patuh is False
    assert Temuan.objects.terlambat().exists()
    assert Temuan.objects.filter(status=Temuan.Status.SELESAI).exists()


def test_actions_are_closed_on_time_left_open_and_overdue(seeded):
    closed = TindakLanjut.objects.filter(status=TindakLanjut.Status.SELESAI)

    assert any(timezone.localdate(a.ditutup_pada) <= a.batas_waktu for a in closed)
    assert TindakLanjut.objects.terbuka().exists()
    assert TindakLanjut.objects.terlambat().exists()
    # Closing an action schedules the re-visit that checks it.
    assert Penugasan.objects.filter(asal_tindak_lanjut__in=closed).count() == closed.count()


def test_planted_ewarong_answer_badly_and_climb_the_sanction_ladder(seeded):
    planted = planted_codes(seeded)
    kritis = Temuan.objects.filter(keparahan=Keparahan.KRITIS)

    assert kritis.filter(ewarong__kode__in=planted).count() > kritis.exclude(ewarong__kode__in=planted).count()
    steps = TindakLanjut.objects.exclude(langkah_sanksi="")
    assert steps.filter(temuan__ewarong__kode__in=planted).exists()
    sanctioned = EWarong.objects.filter(kode__in=planted).exclude(status=EWarong.Status.AKTIF)
    assert sanctioned.exists()
    # Deactivation is the bank's own decision: the demo stops at the recommendation.
    assert not EWarong.objects.filter(status=EWarong.Status.NONAKTIF).exists()


def test_complaints_come_through_several_channels_some_settled_some_late(seeded):
    planted = planted_codes(seeded)

    assert Pengaduan.objects.values("kanal").distinct().count() >= 3
    assert Pengaduan.objects.filter(ewarong__kode__in=planted).exists()
    assert Pengaduan.objects.filter(status=Pengaduan.Status.SELESAI).exists()
    assert Pengaduan.objects.terlambat().exists()
    assert not Pengaduan.objects.filter(ditugaskan_ke__isnull=True, kelurahan__kode__startswith=GAMBIR).exists()


def test_pendamping_gambir_sees_visits_due_work_and_findings_of_gambir_only(seeded):
    pendamping = User.objects.get(username="pendamping.gambir")
    visits = Kunjungan.objects.for_user(pendamping)

    assert visits.exists()
    assert all(kode.startswith(f"{GAMBIR}.") for kode in visits.values_list("ewarong__kelurahan_id", flat=True))
    assert Kunjungan.objects.exclude(pk__in=visits).exists()
    due = Penugasan.objects.for_user(pendamping).terbuka().filter(batas_waktu__gte=timezone.localdate())
    assert due.filter(petugas=pendamping).exists()
    assert Temuan.objects.for_user(pendamping).exists()


def test_field_staff_lead_and_join_a_team_per_kota(seeded):
    tim = TimMonev.objects.get(wilayah="31.71")

    assert TimMonev.objects.count() == 6
    assert tim.ketua.username == "tikor.jakpus"
    assert tim.anggota.filter(username="pendamping.gambir").exists()
    field_staff = User.objects.filter(role=Role.PENDAMPING).exclude(username="pendamping.gambir")
    assert field_staff.exists()
    assert not any(user.has_usable_password() for user in field_staff.exclude(username="pendamping.tanahabang"))


def test_risk_of_the_open_periods_counts_open_findings(seeded):
    last = Periode.objects.terbuka().order_by("-bulan").first()
    reasons = [r["jenis"] for skor in SkorRisiko.objects.filter(periode=last) for r in skor.alasan]

    assert "temuan" in reasons


def test_output_counts_the_monev_rows(seeded):
    assert f"{Kunjungan.objects.count()} kunjungan (" in seeded
    assert f"{Pengaduan.objects.count()} pengaduan (" in seeded
    assert "6 tim monev" in seeded


def test_the_same_seed_gives_the_same_monev_rows(seeded):
    first = monev_rows()

    seed("--hapus")

    assert monev_rows() == first


def test_if_empty_on_a_seeded_database_adds_no_monev_rows(seeded):
    before = monev_rows()

    out = seed("--if-empty")

    assert "Monev sudah berisi data" in out
    assert monev_rows() == before
