"""The Tikor of the stories: Dinsos (the secretariat), Bappeda (anggota Tikor's agency) and BNI as member agencies;
a province meeting and a Jakarta Selatan meeting that Jakarta Pusat's Tikor must not see."""

import datetime

import pytest
from django.utils import timezone

from monev.models import AnggotaTikor, Instansi, Keputusan, Rapat, TimKoordinasi
from tests.factories import UserFactory
from tikor.models import Role, Wilayah

JAKSEL = "31.74"


def at(day, hour=9):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


@pytest.fixture
def tikor_dki(db):
    return TimKoordinasi.objects.create(nama="Tikor BSP Provinsi DKI Jakarta", wilayah_id="31")


@pytest.fixture
def dinsos(db):
    return Instansi.objects.create(nama="Dinas Sosial Provinsi DKI Jakarta", singkatan="Dinsos", jenis="dinsos")


@pytest.fixture
def bappeda(db):
    return Instansi.objects.create(nama="Bappeda Provinsi DKI Jakarta", singkatan="Bappeda", jenis="perencanaan")


@pytest.fixture
def bank_bni(db):
    return Instansi.objects.create(nama="PT Bank Negara Indonesia (Persero) Tbk", singkatan="BNI", jenis="bank")


@pytest.fixture
def anggota_bappeda(anggota_tikor, tikor_dki, bappeda):
    """anggota.tikor works at Bappeda: the member agency that owns some decisions."""
    AnggotaTikor.objects.create(tikor=tikor_dki, instansi=bappeda, nama="Bambang Prasetyo", pengguna=anggota_tikor)
    return anggota_tikor


@pytest.fixture
def anggota_bni(tikor_dki, bank_bni):
    user = UserFactory(username="anggota.bni", role=Role.ANGGOTA)
    AnggotaTikor.objects.create(tikor=tikor_dki, instansi=bank_bni, nama="Siti Rahmawati", pengguna=user)
    return user


@pytest.fixture
def rapat_provinsi(sekretariat, dinsos, bappeda, bank_bni):
    rapat = Rapat.objects.create(
        judul="Rapat koordinasi Tikor BSP triwulan IV",
        tingkat=Rapat.Tingkat.PROVINSI,
        wilayah_id="31",
        tanggal=at(timezone.localdate() - datetime.timedelta(days=20)),
        tempat="Ruang rapat Dinas Sosial",
        dibuat_oleh=sekretariat,
    )
    rapat.diundang.set([dinsos, bappeda, bank_bni])
    return rapat


@pytest.fixture
def rapat_jaksel(sekretariat, dinsos):
    return Rapat.objects.create(
        judul="Rapat Tikor Jakarta Selatan",
        tingkat=Rapat.Tingkat.KOTA,
        wilayah=Wilayah.objects.get(kode=JAKSEL),
        tanggal=at(timezone.localdate() - datetime.timedelta(days=10)),
        tempat="Kantor Wali Kota Jakarta Selatan",
    )


@pytest.fixture
def keputusan_bappeda(rapat_provinsi, bappeda):
    return Keputusan.objects.create(
        rapat=rapat_provinsi,
        teks="Menyusun mekanisme evaluasi 2022",
        instansi=bappeda,
        penanggung_jawab="Kabid Sosial Budaya",
        batas_waktu=timezone.localdate() + datetime.timedelta(days=14),
    )
