"""Every factory of the suite: users and the registry (factory-boy), then periods, credits and purchases."""

import contextlib
import datetime
import itertools
from zoneinfo import ZoneInfo

import factory

from penyaluran.distribusi.models import Penyaluran, Periode, Transaksi
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


def bni():
    return Bank.objects.get(kode="BNI")


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


class _OutletFactory(factory.django.DjangoModelFactory):
    """Agents and e-warong: a bank's outlets, by default BNI's in Gambir."""

    class Meta:
        abstract = True

    bank = factory.LazyFunction(bni)
    kelurahan_id = "31.71.01.1001"


class AgenFactory(_OutletFactory):
    class Meta:
        model = Agen

    kode = factory.Sequence(lambda n: f"AGEN-{n:04d}")
    nama = factory.Sequence(lambda n: f"Agen46 Berkah {n}")


class EWarongFactory(_OutletFactory):
    class Meta:
        model = EWarong

    kode = factory.Sequence(lambda n: f"EW-{n:04d}")
    nama = factory.Sequence(lambda n: f"e-Warong KUBE Melati {n}")


class KpmFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Kpm

    nik = factory.LazyAttribute(lambda o: make_nik(o.kelurahan_id or "31.71.01.1001"))
    no_kk = factory.LazyAttribute(lambda o: make_no_kk(o.kelurahan_id or "31.71.01.1001"))
    nama = factory.Faker("name", locale="id_ID")
    jenis_kelamin = Kpm.JenisKelamin.LAKI_LAKI
    kelurahan_id = "31.71.01.1001"
    bank = factory.LazyFunction(bni)


# --- Distribution: periods, credits and purchases ----------------------------------------------------------

JAKARTA = ZoneInfo("Asia/Jakarta")
_ref = itertools.count(1)


def periode(tahun=2021, bulan=6, manfaat=200_000, **kwargs):
    return Periode.objects.get_or_create(tahun=tahun, bulan=bulan, defaults={"manfaat_per_kpm": manfaat, **kwargs})[0]


def kredit(periode, kpm=None, jumlah=None, status=Penyaluran.Status.TERSALUR, tanggal=None, **kwargs):
    """One credit; without a KPM give nik= for a credit outside the registry."""
    fields = {
        "periode": periode,
        "bank": kpm.bank if kpm and kpm.bank_id else bni(),
        "referensi": f"KR{next(_ref):08d}",
        "kpm": kpm,
        "nik": kpm.nik if kpm else "",
        "nomor_kks": kpm.nomor_kks if kpm else "",
        "jumlah": periode.manfaat_per_kpm if jumlah is None else jumlah,
        "tanggal": tanggal or datetime.date(periode.tahun, periode.bulan, 5),
        "status": status,
    }
    fields.update(kwargs)
    return Penyaluran.objects.create(**fields)


def waktu(periode, day=10, hour=10, minute=0, second=0):
    """A Jakarta time in the period; seconds may run past 59 (a burst written as start + i x 20 s)."""
    start = datetime.datetime(periode.tahun, periode.bulan, day, hour, minute, tzinfo=JAKARTA)
    return start + datetime.timedelta(seconds=second)


def beli(periode, kpm, ewarong, jumlah=100_000, when=None, **kwargs):
    """One purchase at an e-warong's EDC machine."""
    fields = {
        "periode": periode,
        "bank": ewarong.bank if ewarong else bni(),
        "referensi": f"TRX{next(_ref):010d}",
        "kpm": kpm,
        "nomor_kks": kpm.nomor_kks if kpm else "",
        "ewarong": ewarong,
        "terminal": ewarong.kode if ewarong else "EDC-X",
        "waktu": when or waktu(periode),
        "jumlah": jumlah,
    }
    fields.update(kwargs)
    return Transaksi.objects.create(**fields)


@contextlib.contextmanager
def eager_tasks():
    """Run Celery tasks in the request: with REDIS_URL set (CI) they would wait for a worker."""
    from tikor.celery import app

    previous, app.conf.task_always_eager = app.conf.task_always_eager, True
    try:
        yield
    finally:
        app.conf.task_always_eager = previous
