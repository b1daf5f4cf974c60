"""seed_demo: a synthetic registry at DKI Jakarta's 2021 size (scaled down here), and the demo users."""

import io
from collections import Counter

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, F

from monev.demo.geometry import load_kelurahan_shapes, point_in_shape
from monev.demo.kpm import KKS_PREFIX, luhn_digit
from monev.demo.registri import scaled_counts
from penyaluran.registri.models import Agen, EWarong, Kpm, Penyedia
from tikor.models import Role, User, Wilayah
from tikor.nik import normalize_no_kk, parse_nik

SCALE = "0.01"


def seed_demo(*args):
    out = io.StringIO()
    # --periode 0: the registry alone; the distribution data has its own tests (tests/test_risk_score.py).
    call_command("seed_demo", "--scale", SCALE, "--periode", "0", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def seeded(db):
    return seed_demo()


def kota(kode):
    return kode[:5]


def kecamatan(kode):
    return kode[:8]


def test_full_scale_is_the_dki_registry_of_2021():
    assert scaled_counts(1) == {"kpm": 206_438, "ewarong": 253, "agen": 292, "penyedia": 24}


def test_a_tiny_scale_keeps_one_row_of_each_and_six_ewarong():
    assert scaled_counts(0.0001) == {"kpm": 21, "ewarong": 6, "agen": 1, "penyedia": 1}


def test_counts_at_a_small_scale_are_the_2021_figures_times_the_scale(seeded):
    assert Kpm.objects.count() == 2064  # round(206438 * 0.01)
    assert EWarong.objects.count() == 6  # round(2.53) = 3, raised to one per kota
    assert Agen.objects.count() == 3
    assert Penyedia.objects.count() == 1
    assert "Data dimuat: 2.064 KPM, 6 e-warong, 3 agen, 1 penyedia." in seeded


def test_every_nik_is_valid_unique_and_matches_birth_date_and_sex(seeded):
    rows = list(Kpm.objects.values_list("nik", "tanggal_lahir", "jenis_kelamin", "kelurahan_id"))

    assert len({nik for nik, *_ in rows}) == len(rows)
    for nik, born, sex, kelurahan in rows:
        assert parse_nik(nik) == (nik, born, sex)
        assert nik[:6] == kecamatan(kelurahan).replace(".", "")
        assert 20 <= (2021 - born.year) <= 86


def test_every_no_kk_is_a_valid_family_card_number(seeded):
    for no_kk in Kpm.objects.values_list("no_kk", flat=True):
        assert normalize_no_kk(no_kk) == no_kk


def test_kpm_come_from_dtks_2021_with_three_digit_rt_rw(seeded):
    kpm = Kpm.objects.all()

    assert set(kpm.values_list("sumber_data", "tahun_data").distinct()) == {("DTKS Kemensos", 2021)}
    for rt, rw, alamat in kpm.values_list("rt", "rw", "alamat"):
        assert len(rt) == len(rw) == 3
        assert 1 <= int(rt) <= 15
        assert 1 <= int(rw) <= 15
        assert alamat.startswith("Jl. ")
    statuses = Counter(kpm.values_list("status", flat=True))
    assert statuses[Kpm.Status.AKTIF] > 0.9 * len(kpm)


def test_kks_numbers_are_unique_and_start_with_their_bank_prefix(seeded):
    cards = list(Kpm.objects.exclude(nomor_kks="").values_list("nomor_kks", "bank__kode"))

    assert len({number for number, _bank in cards}) == len(cards)
    for number, bank in cards:
        assert len(number) == 16
        assert number.startswith(KKS_PREFIX[bank])
        assert luhn_digit(number[:-1]) == number[-1]


def test_kpm_use_the_bank_of_their_ewarong(seeded):
    assert not Kpm.objects.filter(ewarong__isnull=False).exclude(bank=F("ewarong__bank")).exists()


def test_every_ewarong_lies_inside_its_kelurahan(seeded):
    shapes = load_kelurahan_shapes()

    for ewarong in EWarong.objects.all():
        assert point_in_shape(float(ewarong.longitude), float(ewarong.latitude), shapes[ewarong.kelurahan_id])


def test_point_in_shape_knows_inside_from_outside():
    square_with_hole = [[[(0, 0), (10, 0), (10, 10), (0, 10), (0, 0)], [(4, 4), (6, 4), (6, 6), (4, 6), (4, 4)]]]
    island = [[(20, 20), (21, 20), (21, 21), (20, 21), (20, 20)]]

    assert point_in_shape(1, 1, square_with_hole)
    assert not point_in_shape(5, 5, square_with_hole)
    assert not point_in_shape(15, 15, [*square_with_hole, island])
    assert point_in_shape(20.5, 20.5, [*square_with_hole, island])


def test_every_kota_has_an_ewarong(seeded):
    kota_with_ewarong = {kota(kode) for kode in EWarong.objects.values_list("kelurahan_id", flat=True)}

    assert kota_with_ewarong == set(Wilayah.objects.kota().values_list("kode", flat=True))


def test_kpm_are_served_in_their_kelurahan_else_kecamatan_else_kota(seeded):
    places = list(EWarong.objects.values_list("kelurahan_id", flat=True))
    served = Kpm.objects.filter(ewarong__isnull=False).values_list("kelurahan_id", "ewarong__kelurahan_id")

    def nearest_level(home):
        for level in (lambda k: k, kecamatan, kota):
            if any(level(place) == level(home) for place in places):
                return level
        raise AssertionError(home)

    far = [(home, place) for home, place in served if nearest_level(home)(place) != nearest_level(home)(home)]
    assert len(far) == 1  # the planted one


def test_ewarong_codes_names_and_capacity_look_like_the_field(seeded):
    for ewarong in EWarong.objects.all():
        assert ewarong.kode.startswith(f"EW-{kecamatan(ewarong.kelurahan_id).replace('.', '')}-")
        assert ewarong.nama
        assert ewarong.pemilik
        assert ewarong.penyedia_id
        assert ewarong.kapasitas_kpm >= 1


def test_agen_of_an_ewarong_is_in_its_kelurahan_with_its_bank(seeded):
    linked = EWarong.objects.filter(agen__isnull=False).select_related("agen")

    assert linked.count() == 3  # every agen at this scale belongs to an e-warong
    for ewarong in linked:
        assert (ewarong.agen.kelurahan_id, ewarong.agen.bank_id) == (ewarong.kelurahan_id, ewarong.bank_id)
        assert ewarong.agen.kode.split("-")[0] in {"BNI46", "BRILINK", "MDRAGEN", "BTNAGEN", "BSIAGEN", "DKIAGEN"}


def test_planted_two_kpm_share_one_no_kk(seeded):
    shared = Kpm.objects.values("no_kk").annotate(n=Count("id")).filter(n__gt=1)

    assert [row["n"] for row in shared] == [2]


def test_planted_three_deceased_kpm_are_still_attached_to_an_ewarong(seeded):
    gone = Kpm.objects.exclude(status=Kpm.Status.AKTIF)

    assert gone.filter(status=Kpm.Status.MENINGGAL, ewarong__isnull=False).count() == 3
    assert gone.filter(ewarong__isnull=False).count() == 3


def test_planted_one_kpm_is_served_by_an_ewarong_in_another_kota(seeded):
    served = Kpm.objects.filter(ewarong__isnull=False).values_list("kelurahan_id", "ewarong__kelurahan_id")

    assert sum(kota(home) != kota(place) for home, place in served) == 1


def test_planted_four_kpm_have_no_kks_number(seeded):
    assert Kpm.objects.filter(nomor_kks="").count() == 4


def test_planted_only_the_busiest_ewarong_is_over_capacity(seeded):
    load = EWarong.objects.annotate(n=Count("kpm"))
    over = load.filter(n__gt=F("kapasitas_kpm"))

    assert over.count() == 1
    overloaded = over.get()
    assert overloaded.n >= 2 * overloaded.kapasitas_kpm
    assert overloaded.n == max(row.n for row in load)
    assert overloaded.status == EWarong.Status.AKTIF


def test_the_same_seed_gives_the_same_registry(seeded):
    first = set(Kpm.objects.values_list("nik", "no_kk", "nama", "nomor_kks"))

    seed_demo("--hapus")
    assert set(Kpm.objects.values_list("nik", "no_kk", "nama", "nomor_kks")) == first

    seed_demo("--hapus", "--seed", "7")
    assert set(Kpm.objects.values_list("nik", flat=True)) != {nik for nik, *_ in first}


def test_hapus_replaces_the_registry(seeded):
    old_ids = set(Kpm.objects.values_list("id", flat=True))

    out = seed_demo("--hapus")

    assert "Data lama dihapus (2.064 KPM, 6 e-warong, 3 agen, 1 penyedia)." in out
    assert Kpm.objects.count() == 2064
    assert old_ids.isdisjoint(Kpm.objects.values_list("id", flat=True))


def test_if_empty_leaves_existing_data_untouched(seeded):
    before = set(Kpm.objects.values_list("id", "nik"))

    out = seed_demo("--if-empty", "--seed", "7")

    assert "tidak memuat data (--if-empty)" in out
    assert set(Kpm.objects.values_list("id", "nik")) == before
    assert "Login demo:" in out


def test_seeding_twice_without_if_empty_or_hapus_is_refused(seeded):
    with pytest.raises(CommandError, match="--hapus"):
        seed_demo()

    assert Kpm.objects.count() == 2064


def test_if_empty_and_hapus_cannot_be_combined(db):
    with pytest.raises(CommandError):
        seed_demo("--if-empty", "--hapus")


DEMO_USERS = {
    "sekretariat": (Role.SEKRETARIAT, set(), None),
    "tikor.jakpus": (Role.TIKOR_KOTA, {"31.71"}, None),
    "pendamping.gambir": (Role.PENDAMPING, {"31.71.01"}, None),
    "pendamping.tanahabang": (Role.PENDAMPING, {"31.71.07"}, None),
    "anggota.tikor": (Role.ANGGOTA, set(), None),
    "anggota.bni": (Role.ANGGOTA, set(), "BNI"),
}


def test_demo_users_have_their_role_area_and_bank(seeded):
    for username, (role, area, bank) in DEMO_USERS.items():
        user = User.objects.get(username=username)
        assert user.role == role
        assert set(user.wilayah.values_list("kode", flat=True)) == area
        assert (user.bank.kode if user.bank else None) == bank
        assert user.groups.get().name == role.label
        assert user.first_name
        assert user.instansi
        assert user.is_active


def test_demo_users_log_in_with_demo_password(seeded, demo_password):
    for username in DEMO_USERS:
        assert User.objects.get(username=username).check_password(demo_password)


def test_without_demo_password_each_user_gets_a_fresh_printed_password(db, monkeypatch):
    monkeypatch.delenv("DEMO_PASSWORD")

    out = seed_demo()

    table = out.split("Login demo:")[1].splitlines()[2:8]
    passwords = {line.split()[0]: line.split()[1] for line in table}
    assert set(passwords) == set(DEMO_USERS)
    assert len(set(passwords.values())) == len(DEMO_USERS)
    for username, password in passwords.items():
        assert len(password) >= 12
        assert User.objects.get(username=username).check_password(password)

    rerun = seed_demo("--if-empty")
    assert passwords["sekretariat"] not in rerun
    assert not User.objects.get(username="sekretariat").check_password(passwords["sekretariat"])
