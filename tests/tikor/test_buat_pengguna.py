"""buat_pengguna: the sekretariat creates and updates accounts from the command line."""

import io

import pytest
from django.core.management import CommandError, call_command

from tikor.models import Role, User

PASSWORD = "Kecamatan-Senen-2021"


@pytest.fixture(autouse=True)
def _fast_hashes(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def password_env(monkeypatch):
    monkeypatch.setenv("SANDI_BARU", PASSWORD)
    return "SANDI_BARU"


@pytest.fixture
def typed_passwords(monkeypatch):
    """What the person types at the two password prompts."""
    typed = []

    def fake_getpass(prompt):
        return typed.pop(0)

    monkeypatch.setattr("getpass.getpass", fake_getpass)
    return typed


def buat_pengguna(*args):
    out = io.StringIO()
    call_command("buat_pengguna", *args, stdout=out)
    return out.getvalue()


def test_a_pendamping_is_created_for_two_kecamatan(db, password_env):
    out = buat_pengguna(
        "pendamping.senen",
        "--peran", "pendamping",
        "--wilayah", "31.71.04", "31.71.05",
        "--nama", "Dewi Lestari Handayani",
        "--instansi", "Suku Dinas Sosial Jakarta Pusat",
        "--email", "dewi@example.org",
        "--password-env", password_env,
    )  # fmt: skip

    user = User.objects.get(username="pendamping.senen")
    assert user.role == Role.PENDAMPING
    assert set(user.wilayah.values_list("kode", flat=True)) == {"31.71.04", "31.71.05"}
    assert (user.first_name, user.last_name) == ("Dewi", "Lestari Handayani")
    assert (user.instansi, user.email) == ("Suku Dinas Sosial Jakarta Pusat", "dewi@example.org")
    assert user.check_password(PASSWORD)
    assert user.groups.get().name == Role.PENDAMPING.label
    assert "Pengguna pendamping.senen dibuat: Pendamping Kecamatan, Kec. Senen, Kec. Cempaka Putih." in out


def test_the_password_is_asked_twice_when_no_variable_is_named(db, typed_passwords):
    typed_passwords.extend([PASSWORD, PASSWORD])

    buat_pengguna("sekretariat.baru", "--peran", "sekretariat")

    assert User.objects.get(username="sekretariat.baru").check_password(PASSWORD)
    assert typed_passwords == []


def test_two_different_passwords_are_refused(db, typed_passwords):
    typed_passwords.extend([PASSWORD, PASSWORD + "x"])

    with pytest.raises(CommandError, match="Kedua kata sandi tidak sama"):
        buat_pengguna("sekretariat.baru", "--peran", "sekretariat")

    assert not User.objects.filter(username="sekretariat.baru").exists()


def test_a_weak_password_is_refused_in_indonesian(db, typed_passwords):
    typed_passwords.extend(["12345", "12345"])

    with pytest.raises(CommandError, match="Kata sandi ditolak: .*terlalu pendek"):
        buat_pengguna("sekretariat.baru", "--peran", "sekretariat")


def test_a_missing_password_variable_is_refused(db, monkeypatch):
    monkeypatch.delenv("SANDI_TIDAK_ADA", raising=False)

    with pytest.raises(CommandError, match="Variabel lingkungan SANDI_TIDAK_ADA kosong"):
        buat_pengguna("sekretariat.baru", "--peran", "sekretariat", "--password-env", "SANDI_TIDAK_ADA")


def test_an_unknown_role_is_refused_before_asking_for_a_password(db, typed_passwords):
    with pytest.raises(CommandError, match="Peran 'admin' tidak dikenal. Pilih salah satu: sekretariat, tikor_kota"):
        buat_pengguna("orang.baru", "--peran", "admin")

    assert not User.objects.filter(username="orang.baru").exists()


def test_an_unknown_wilayah_code_is_refused(db, password_env):
    with pytest.raises(CommandError, match=r"Kode wilayah tidak dikenal: 31\.71\.99\."):
        buat_pengguna("pendamping.x", "--peran", "pendamping", "--wilayah", "31.71.99", "--password-env", password_env)


def test_a_wilayah_at_the_wrong_level_for_the_role_is_refused(db, password_env):
    with pytest.raises(CommandError, match="harus Kecamatan: Jakarta Pusat tidak sesuai"):
        buat_pengguna("pendamping.x", "--peran", "pendamping", "--wilayah", "31.71", "--password-env", password_env)


def test_a_tikor_kota_without_a_kota_is_refused(db, password_env):
    with pytest.raises(CommandError, match="Tikor kota harus punya tepat satu kota"):
        buat_pengguna("tikor.x", "--peran", "tikor_kota", "--password-env", password_env)


def test_an_unknown_bank_is_refused(db, password_env):
    with pytest.raises(CommandError, match="Bank 'BCA' tidak dikenal. Pilih salah satu: .*BNI"):
        buat_pengguna("anggota.bca", "--peran", "anggota", "--bank", "BCA", "--password-env", password_env)


def test_bank_staff_are_limited_to_their_bank(db, password_env):
    buat_pengguna("anggota.bri", "--peran", "anggota", "--bank", "bri", "--password-env", password_env)

    assert User.objects.get(username="anggota.bri").bank.kode == "BRI"


def test_running_again_updates_role_and_area_of_the_same_user(db, password_env):
    buat_pengguna("hendra", "--peran", "anggota", "--nama", "Hendra Gunawan", "--password-env", password_env)

    out = buat_pengguna("hendra", "--peran", "tikor_kota", "--wilayah", "31.71", "--password-env", password_env)

    user = User.objects.get(username="hendra")
    assert user.role == Role.TIKOR_KOTA
    assert list(user.wilayah.values_list("kode", flat=True)) == ["31.71"]
    assert user.get_full_name() == "Hendra Gunawan"
    assert user.groups.get().name == Role.TIKOR_KOTA.label
    assert "Pengguna hendra diperbarui: Tikor Kota, Jakarta Pusat." in out
    assert User.objects.filter(username="hendra").count() == 1
