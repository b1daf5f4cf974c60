"""seed_demo without periods loads the registry only, no monev. Apart from test_seed_monev, whose tests share one
seeded database: this one needs an empty one."""

import io

import pytest
from django.core.management import call_command

from monev.models import Kunjungan, Pengaduan, Penugasan, TimMonev

pytestmark = pytest.mark.django_db


def test_without_periods_no_monev_is_seeded():
    call_command("seed_demo", "--scale", "0.01", "--periode", "0", "--seed", "5", stdout=io.StringIO())

    assert not Kunjungan.objects.exists()
    assert not Penugasan.objects.exists()
    assert not Pengaduan.objects.exists()
    assert not TimMonev.objects.exists()
