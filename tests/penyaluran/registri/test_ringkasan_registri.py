"""The registry counts pages read (RingkasanRegistri) equal a direct count of the registry for every role, after
single saves, moves, status changes and deletes, after an import, and on the dashboard."""

import datetime

import pytest

from penyaluran.registri import imports, summary
from penyaluran.registri.models import EWarong, Kpm, RingkasanRegistri
from tests.conftest import JAKPUS, KEL_GAMBIR, KEL_TANAH_ABANG, KEL_TEBET, client_for
from tests.factories import EWarongFactory, KpmFactory, UserFactory, make_nik, make_no_kk, periode
from tests.registry_files import write_csv
from tikor.models import Bank, Role

pytestmark = pytest.mark.django_db


def direct(user):
    kpm = Kpm.objects.for_user(user)
    ewarong = EWarong.objects.for_user(user)
    return {
        "kpm": kpm.count(),
        "kpm_aktif": kpm.aktif().count(),
        "ewarong": ewarong.count(),
        "ewarong_aktif": ewarong.aktif().count(),
    }


@pytest.fixture
def users(sekretariat, pendamping_gambir, tikor_jakpus):
    bri = Bank.objects.get(kode="BRI")
    return [sekretariat, pendamping_gambir, tikor_jakpus, UserFactory(role=Role.ANGGOTA, area=[JAKPUS], bank=bri)]


def assert_counts_match(users):
    for user in users:
        assert summary.registry_counts(user) == direct(user), user


def test_single_saves_moves_status_changes_and_deletes_keep_the_counts(users):
    bri = Bank.objects.get(kode="BRI")
    EWarongFactory(kelurahan_id=KEL_GAMBIR)
    closed = EWarongFactory(kelurahan_id=KEL_TANAH_ABANG, bank=bri, status=EWarong.Status.NONAKTIF)
    gambir = [KpmFactory(kelurahan_id=KEL_GAMBIR) for _ in range(3)]
    KpmFactory(kelurahan_id=KEL_TANAH_ABANG, bank=bri)
    KpmFactory(kelurahan_id=KEL_TEBET, status=Kpm.Status.MENINGGAL)
    assert_counts_match(users)
    assert summary.registry_counts(users[1])["kpm_aktif"] == 3  # the pendamping of Gambir

    moved = gambir[0]
    moved.kelurahan_id = KEL_TANAH_ABANG  # leaves Gambir: both kelurahan are counted again
    moved.save()
    gambir[1].status = Kpm.Status.PINDAH
    gambir[1].save()
    gambir[2].bank = bri
    gambir[2].save()
    closed.status = EWarong.Status.AKTIF
    closed.save()
    assert_counts_match(users)
    assert summary.registry_counts(users[1])["kpm_aktif"] == 1

    gambir[2].delete()
    Kpm.objects.filter(kelurahan_id=KEL_TEBET).first().delete()
    assert_counts_match(users)
    assert summary.registry_counts(users[1]) == {"kpm": 1, "kpm_aktif": 0, "ewarong": 1, "ewarong_aktif": 1}


def test_a_registry_import_refreshes_the_counts(tmp_path, users):
    born = datetime.date(1970, 1, 1)
    rows = [["NIK", "NO KK", "NAMA", "KELURAHAN", "BANK"]] + [
        [make_nik(serial=i, born=born), make_no_kk(serial=i), f"KPM {i}", "Gambir", "BNI"] for i in range(1, 8)
    ]
    before = summary.registry_counts(users[0])["kpm"]

    result = imports.import_file("kpm", write_csv(tmp_path / "kpm.csv", rows), dry_run=False)

    assert result.written == 7
    assert summary.registry_counts(users[0])["kpm"] == before + 7
    assert_counts_match(users)


def test_the_whole_rebuild_repairs_counts_that_a_bulk_update_bypassed(users):
    KpmFactory.create_batch(4, kelurahan_id=KEL_GAMBIR)
    Kpm.objects.update(status=Kpm.Status.NONAKTIF)  # no signal: the summary is stale until the nightly rebuild
    assert summary.registry_counts(users[0])["kpm_aktif"] == 4

    summary.refresh()

    assert_counts_match(users)
    assert RingkasanRegistri.objects.filter(kelurahan_id=KEL_GAMBIR).get().kpm_aktif == 0


def test_the_dashboard_reads_the_summary_for_its_active_kpm(client, pendamping_gambir):
    periode(2021, 6)
    KpmFactory.create_batch(5, kelurahan_id=KEL_GAMBIR)
    KpmFactory(kelurahan_id=KEL_TANAH_ABANG)
    RingkasanRegistri.objects.filter(kelurahan_id=KEL_GAMBIR).update(kpm_aktif=41)  # what the page must read

    response = client_for(client, pendamping_gambir).get("/")

    assert response.context["ringkasan"]["kpm_aktif"] == 41
