"""The rows the access walk requests: the demo data set at a small scale, plus, in Gambir, Tanah Abang (the same
kota) and Tebet (Jakarta Selatan), an e-warong with its monitoring rows and a KPM whose NIK, No KK, KKS number and
name appear nowhere else, so that finding one of them in a response means a row left its area.

The roles of the walk are users here: the demo logins, an anggota of Jakarta Pusat and anonymous.
"""

import datetime
from dataclasses import dataclass, field

from django.conf import settings

from penyaluran.registri.models import Kpm
from tests.conftest import GAMBIR, JAKPUS, KEL_GAMBIR, KEL_TANAH_ABANG, KEL_TEBET, TANAH_ABANG, _penugasan
from tests.factories import KpmFactory, UserFactory, beli, kredit, periode
from tests.scoping.conftest import monev_rows
from tikor.models import Bank, Role, User

# Each marked KPM: (kelurahan, bank, serial). Serials no factory reaches, names no name generator makes.
MARKED_KPM = {
    "tebet": (KEL_TEBET, "BNI", 9901),
    "tanah_abang": (KEL_TANAH_ABANG, "BNI", 9902),
    "gambir_bri": (KEL_GAMBIR, "BRI", 9903),
    "gambir": (KEL_GAMBIR, "BNI", 9904),
}


def session_of(client):
    cookie = client.cookies.get(settings.SESSION_COOKIE_NAME)
    return cookie.value if cookie is not None else None


@dataclass
class Role_:
    """A role of the walk: who, and how the client signs in."""

    key: str
    user: User | None
    read_only: bool

    def sign_in(self, client):
        """Sign the client in as this role; returns its session cookie (None for anonymous)."""
        if self.user is None:
            return None
        client.force_login(self.user)
        return session_of(client)


@dataclass
class Dataset:
    roles: dict = field(default_factory=dict)
    marked: dict = field(default_factory=dict)  # key -> Kpm

    def secrets_outside(self, role):
        """The NIK, No KK, KKS number and name of every marked KPM the role may not see."""
        visible = set(Kpm.objects.for_user(role.user).values_list("pk", flat=True)) if role.user else set()
        found = []
        for kpm in self.marked.values():
            if kpm.pk not in visible:
                found += [kpm.nik, kpm.no_kk, kpm.nomor_kks, kpm.nama]
        return found


def marked_kpm(key, kelurahan, bank, serial):
    region = kelurahan.replace(".", "")[:6]
    return KpmFactory(
        nik=f"{region}0101{serial % 100:02d}{serial:04d}"[:16],
        no_kk=f"{region}2703{serial:06d}",
        nomor_kks=f"60198877{serial:08d}",
        nama=f"RAHASIA ZQX {key.upper().replace('_', ' ')}",
        kelurahan_id=kelurahan,
        bank=Bank.objects.get(kode=bank),
    )


def build(client):
    """Called inside the module's transaction, after seed_demo."""
    data = Dataset()
    for key, (kelurahan, bank, serial) in MARKED_KPM.items():
        data.marked[key] = marked_kpm(key, kelurahan, bank, serial)

    users = {user.username: user for user in User.objects.all()}
    sekretariat = users["sekretariat"]
    juli = periode(2021, 7)
    for kelurahan, place, petugas in (
        (KEL_GAMBIR, "Gambir", users["pendamping.gambir"]),
        (KEL_TANAH_ABANG, "Tanah Abang", users["pendamping.tanahabang"]),
        (KEL_TEBET, "Tebet", users.get("pendamping.tebet") or UserFactory(role=Role.PENDAMPING, area=["31.74.01"])),
    ):
        penugasan = _penugasan(kelurahan, f"e-Warong ZQX {place}", petugas)
        monev_rows(client, penugasan, sekretariat, place)
        for kpm in data.marked.values():
            if kpm.kelurahan_id == kelurahan:
                kredit(juli, kpm)
                if kpm.bank_id == penugasan.ewarong.bank_id:  # a card buys only on its own bank's EDC machine
                    kpm.ewarong = penugasan.ewarong
                    kpm.save()
                    beli(juli, kpm, penugasan.ewarong, when=datetime.datetime(2021, 7, 9, 10, tzinfo=datetime.UTC))

    anggota_kota = UserFactory(username="anggota.jakpus", role=Role.ANGGOTA, area=[JAKPUS])
    data.roles = {
        "sekretariat": Role_("sekretariat", sekretariat, read_only=False),
        "tikor_kota": Role_("tikor_kota", users["tikor.jakpus"], read_only=False),
        "pendamping": Role_("pendamping", users["pendamping.gambir"], read_only=False),
        "anggota_provinsi": Role_("anggota_provinsi", users["anggota.tikor"], read_only=True),
        "anggota_kota": Role_("anggota_kota", anggota_kota, read_only=True),
        "bank": Role_("bank", users["anggota.bni"], read_only=True),
        "anonim": Role_("anonim", None, read_only=True),
    }
    assert GAMBIR in users["pendamping.gambir"].scope.codes
    assert TANAH_ABANG not in users["pendamping.gambir"].scope.codes
    return data
