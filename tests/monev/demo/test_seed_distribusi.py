"""seed_demo --periode: months of credits and purchases on the demo registry, with the planted cases."""

import io

import pytest
from django.core.management import call_command
from django.db.models import Count

from monev.models import SkorRisiko
from penyaluran.distribusi import rekonsiliasi
from penyaluran.distribusi.models import Penyaluran, Periode, Transaksi
from penyaluran.registri.models import Kpm
from tikor.models import User

pytestmark = pytest.mark.django_db


def seed(*args):
    out = io.StringIO()
    call_command("seed_demo", "--scale", "0.01", *args, stdout=out)
    return out.getvalue()


def test_periods_are_filled_with_credits_and_two_to_three_purchases_per_kpm():
    out = seed("--periode", "3")

    assert list(Periode.objects.order_by("bulan").values_list("bulan", "status")) == [
        (1, "tutup"),
        (2, "buka"),
        (3, "buka"),
    ]
    active = Kpm.objects.aktif().exclude(nomor_kks="").count()
    maret = Periode.objects.get(bulan=3)
    assert Penyaluran.objects.filter(periode=maret).tersalur().count() >= active * 0.99
    per_kpm = Transaksi.objects.filter(periode=maret).count() / active
    assert 2.0 <= per_kpm <= 3.0
    assert "Penyaluran dimuat: 3 periode" in out
    assert SkorRisiko.objects.filter(periode=maret).exists()


def test_the_planted_reconciliation_cases_are_found_every_month():
    seed("--periode", "1")
    januari = Periode.objects.get()
    sekretariat = User.objects.get(username="sekretariat")

    counts = {a.kode: n for a, n in rekonsiliasi.ringkasan(januari, sekretariat)}

    assert counts["tidak_terdaftar"] == 2
    assert counts["kredit_ganda"] == 2
    assert counts["jumlah_berbeda"] == 1
    assert counts["kk_ganda"] == 2
    assert counts["tidak_aktif"] == 3  # the registry's deceased KPM still attached to an e-warong
    assert counts["kartu_belum"] == 4  # the KPM without a KKS number
    assert counts["ewarong_tidak_aktif"] == 1  # purchases on an unknown terminal


def test_references_are_unique_per_bank():
    seed("--periode", "2")

    assert not Transaksi.objects.values("bank", "referensi").annotate(n=Count("id")).filter(n__gt=1).exists()


def test_hapus_replaces_registry_and_distribution_even_with_closed_periods():
    seed("--periode", "3")

    seed("--hapus", "--periode", "1")

    assert Periode.objects.count() == 1
    assert not Transaksi.objects.exclude(periode__bulan=1).exists()


def test_if_empty_adds_distribution_to_an_existing_registry():
    seed("--periode", "0")
    assert not Periode.objects.exists()

    seed("--if-empty", "--periode", "1")

    assert Periode.objects.count() == 1
    assert Transaksi.objects.exists()
