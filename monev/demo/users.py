"""The demo logins (printed with their passwords) and the field staff that the demo visits name as officers."""

import os
import random
import re
import secrets

from monev.demo.names import person_name
from tikor.accounts import create_or_update_user
from tikor.models import Role, User, Wilayah

DEMO_USERS = (
    {
        "username": "sekretariat",
        "role": Role.SEKRETARIAT,
        "area": [],
        "first_name": "Rina",
        "last_name": "Marlina",
        "instansi": "Dinas Sosial Provinsi DKI Jakarta",
    },
    {
        "username": "tikor.jakpus",
        "role": Role.TIKOR_KOTA,
        "area": ["31.71"],
        "first_name": "Hendra",
        "last_name": "Gunawan",
        "instansi": "Suku Dinas Sosial Jakarta Pusat",
    },
    {
        "username": "pendamping.gambir",
        "role": Role.PENDAMPING,
        "area": ["31.71.01"],
        "first_name": "Dewi",
        "last_name": "Lestari",
        "instansi": "Pendamping BSP Kecamatan Gambir, Suku Dinas Sosial Jakarta Pusat",
    },
    {
        "username": "pendamping.tanahabang",
        "role": Role.PENDAMPING,
        "area": ["31.71.07"],
        "first_name": "Agus",
        "last_name": "Setiawan",
        "instansi": "Pendamping BSP Kecamatan Tanah Abang, Suku Dinas Sosial Jakarta Pusat",
    },
    {
        "username": "anggota.tikor",
        "role": Role.ANGGOTA,
        "area": [],
        "first_name": "Bambang",
        "last_name": "Prasetyo",
        "instansi": "Bappeda Provinsi DKI Jakarta",
    },
    {
        "username": "anggota.bni",
        "role": Role.ANGGOTA,
        "area": [],
        "bank": "BNI",
        "first_name": "Siti",
        "last_name": "Rahmawati",
        "instansi": "BNI",
    },
)


def demo_password():
    """Twelve letters and digits in three groups, easy to read out: from secrets.token_urlsafe."""
    token = ""
    while len(token) < 12:
        token += "".join(char for char in secrets.token_urlsafe(12) if char.isalnum())
    return f"{token[:4]}-{token[4:8]}-{token[8:12]}"


def ensure_demo_users():
    """Create or update the demo users; returns [(user, password)]. DEMO_PASSWORD, if set, for everyone."""
    shared = os.environ.get("DEMO_PASSWORD") or None
    logins = []
    for spec in DEMO_USERS:
        password = shared or demo_password()
        user, _created = create_or_update_user(
            spec["username"],
            spec["role"],
            spec["area"],
            password,
            bank_kode=spec.get("bank"),
            first_name=spec["first_name"],
            last_name=spec["last_name"],
            instansi=spec["instansi"],
            is_active=True,
        )
        logins.append((user, password))
    return logins


# The Tikor kota staff who lead each kota's monev team; tikor.jakpus is a demo login.
KOTA_USERNAME = {
    "31.01": "tikor.kepseribu",
    "31.71": "tikor.jakpus",
    "31.72": "tikor.jakut",
    "31.73": "tikor.jakbar",
    "31.74": "tikor.jaksel",
    "31.75": "tikor.jaktim",
}


def pendamping_username(nama_kecamatan):
    """pendamping.tanahabang for Tanah Abang, as the demo logins are named."""
    return "pendamping." + re.sub(r"[^a-z]", "", nama_kecamatan.lower())


def ensure_field_staff(seed, kecamatan_codes):
    """({kota: Tikor kota staff}, {kecamatan: pendamping}) for every kota and the kecamatan given.

    The demo logins fill their own places (tikor.jakpus, pendamping.gambir, pendamping.tanahabang); the other
    accounts are made here, active but without a usable password: they are the officers named on demo visits,
    nobody logs in as them. The same seed gives the same names.
    """
    rng = random.Random(f"{seed}:petugas")
    nama = dict(Wilayah.objects.filter(kode__in=[*KOTA_USERNAME, *kecamatan_codes]).values_list("kode", "nama_singkat"))
    demo = {spec["username"] for spec in DEMO_USERS}
    existing = {user.username: user for user in User.objects.filter(username__in=demo)}

    def account(username, role, kode, instansi):
        female = rng.random() < 0.5
        first, _space, last = person_name(rng, female).partition(" ")
        if username in existing:
            return existing[username]
        user, _created = create_or_update_user(
            username, role, [kode], None, first_name=first, last_name=last, instansi=instansi, is_active=True
        )
        return user

    kota_staff = {
        kota: account(username, Role.TIKOR_KOTA, kota, f"Suku Dinas Sosial {nama[kota]}")
        for kota, username in KOTA_USERNAME.items()
    }
    pendamping = {
        kecamatan: account(
            pendamping_username(nama[kecamatan]),
            Role.PENDAMPING,
            kecamatan,
            f"Pendamping BSP Kecamatan {nama[kecamatan]}, Suku Dinas Sosial {nama[kecamatan[:5]]}",
        )
        for kecamatan in sorted(kecamatan_codes)
    }
    return kota_staff, pendamping
