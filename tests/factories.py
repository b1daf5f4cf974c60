import datetime
import itertools

import factory

from penyaluran.registri.models import Agen, EWarong, Kpm, Penyedia
from tikor.models import Bank, Role, User, Wilayah

_serial = itertools.count(1)


def make_nik(kelurahan_kode="31.71.01.1001", born=datetime.date(1980, 5, 17), female=False, serial=None):
    """A valid NIK for a person registered in the kelurahan's kecamatan."""
    region = kelurahan_kode.replace(".", "")[:6]
    day = born.day + (40 if female else 0)
    serial = next(_serial) if serial is None else serial
    return f"{region}{day:02d}{born:%m%y}{serial:04d}"


def make_no_kk(kelurahan_kode="31.71.01.1001", serial=None):
    region = kelurahan_kode.replace(".", "")[:6]
    serial = next(_serial) if serial is None else serial
    return f"{region}150310{serial:04d}"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"pengguna{n}")
    first_name = factory.Faker("first_name", locale="id_ID")
    role = Role.SEKRETARIAT
    password = factory.django.Password("kata-sandi-uji-123")

    @factory.post_generation
    def area(self, create, codes, **kwargs):
        if create and codes:
            self.wilayah.set(Wilayah.objects.filter(kode__in=codes))


class PenyediaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Penyedia

    kode = factory.Sequence(lambda n: f"PNY-{n:03d}")
    nama = factory.Sequence(lambda n: f"PT Sumber Pangan {n}")
    kelurahan_id = "31.71.01.1001"


class AgenFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agen

    kode = factory.Sequence(lambda n: f"AGEN-{n:04d}")
    nama = factory.Sequence(lambda n: f"Agen46 Berkah {n}")
    bank = factory.LazyFunction(lambda: Bank.objects.get(kode="BNI"))
    kelurahan_id = "31.71.01.1001"


class EWarongFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EWarong

    kode = factory.Sequence(lambda n: f"EW-{n:04d}")
    nama = factory.Sequence(lambda n: f"e-Warong KUBE Melati {n}")
    bank = factory.LazyFunction(lambda: Bank.objects.get(kode="BNI"))
    kelurahan_id = "31.71.01.1001"


class KpmFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Kpm

    nik = factory.LazyAttribute(lambda o: make_nik(o.kelurahan_id or "31.71.01.1001"))
    no_kk = factory.LazyAttribute(lambda o: make_no_kk(o.kelurahan_id or "31.71.01.1001"))
    nama = factory.Faker("name", locale="id_ID")
    jenis_kelamin = Kpm.JenisKelamin.LAKI_LAKI
    kelurahan_id = "31.71.01.1001"
    bank = factory.LazyFunction(lambda: Bank.objects.get(kode="BNI"))
