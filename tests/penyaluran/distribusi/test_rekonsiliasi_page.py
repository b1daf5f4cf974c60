"""The reconciliation page and its XLSX: counts per rule, lines of the chosen rule, inside the user's area."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from penyaluran.distribusi import rekonsiliasi
from penyaluran.registri.models import Kpm
from tests.conftest import KEL_TANAH_ABANG, client_for
from tests.factories import KpmFactory, kredit, periode

pytestmark = pytest.mark.django_db


@pytest.fixture
def juni():
    juni = periode(2021, 6)
    kredit(juni, KpmFactory(nama="ALM. GAMBIR", status=Kpm.Status.MENINGGAL))
    kredit(juni, KpmFactory(nama="ALM. TANAH ABANG", status=Kpm.Status.MENINGGAL, kelurahan_id=KEL_TANAH_ABANG))
    kredit(juni, KpmFactory(nama="AKTIF GAMBIR"), jumlah=150_000)
    rekonsiliasi.hitung(juni)  # what an import does after writing
    return juni


def test_page_counts_each_rule_and_lists_the_chosen_one(client, sekretariat, juni):
    response = client_for(client, sekretariat).get(
        reverse("distribusi:rekonsiliasi"), {"periode": juni.pk, "aturan": "tidak_aktif"}
    )

    counts = {a.kode: n for a, n in response.context["ringkasan"]}
    assert counts["tidak_aktif"] == 2
    assert counts["jumlah_berbeda"] == 1
    assert sorted(line["baris_subjek"] for line in response.context["page"]) == ["ALM. GAMBIR", "ALM. TANAH ABANG"]
    assert "KPM berstatus meninggal tetapi dikreditkan Rp200.000" in response.content.decode()
    assert "Dihitung " in response.content.decode()


def test_pendamping_sees_only_its_kecamatan_on_the_page_and_in_the_xlsx(client, pendamping_gambir, juni):
    client = client_for(client, pendamping_gambir)

    page = client.get(reverse("distribusi:rekonsiliasi"), {"periode": juni.pk, "aturan": "tidak_aktif"})
    xlsx = client.get(reverse("distribusi:rekonsiliasi_xlsx"), {"periode": juni.pk})

    assert [line["baris_subjek"] for line in page.context["page"]] == ["ALM. GAMBIR"]
    rows = list(load_workbook(io.BytesIO(xlsx.content)).active.iter_rows(values_only=True))
    assert rows[0] == ("Aturan", "KPM / e-warong", "NIK", "Kelurahan", "Alasan")
    subjects = [row[1] for row in rows[1:]]
    assert "ALM. GAMBIR" in subjects
    assert "ALM. TANAH ABANG" not in subjects
    assert xlsx["Content-Disposition"] == 'attachment; filename="rekonsiliasi-2021-06.xlsx"'


def test_unknown_rule_answers_404(client, sekretariat, juni):
    response = client_for(client, sekretariat).get(reverse("distribusi:rekonsiliasi"), {"aturan": "tidak-ada"})

    assert response.status_code == 404


def test_page_needs_a_login(client, juni):
    response = client.get(reverse("distribusi:rekonsiliasi"))

    assert response.status_code == 302


def test_page_queries_stay_few(client, sekretariat, juni, django_assert_max_num_queries):
    client = client_for(client, sekretariat)
    with django_assert_max_num_queries(20):
        client.get(reverse("distribusi:rekonsiliasi"), {"periode": juni.pk})


def test_a_period_not_yet_counted_says_so_and_offers_no_download(client, sekretariat):
    juli = periode(2021, 7)
    kredit(juli, KpmFactory(nama="BELUM DIHITUNG", status=Kpm.Status.MENINGGAL))
    client = client_for(client, sekretariat)

    page = client.get(reverse("distribusi:rekonsiliasi"), {"periode": juli.pk})
    xlsx = client.get(reverse("distribusi:rekonsiliasi_xlsx"), {"periode": juli.pk})

    assert "belum dihitung" in page.content.decode()
    assert xlsx.status_code == 404


def test_the_secretariat_asks_for_a_recount_and_others_may_not(
    client, sekretariat, pendamping_gambir, juni, celery_eager
):
    KpmFactory(nama="BARU MENINGGAL", status=Kpm.Status.MENINGGAL)  # no credit: not in tidak_aktif
    kredit(juni, KpmFactory(nama="KREDIT BARU", status=Kpm.Status.PINDAH))
    url = reverse("distribusi:rekonsiliasi_hitung") + f"?periode={juni.pk}"

    refused = client_for(client, pendamping_gambir).post(url)
    assert refused.status_code == 403
    assert not rekonsiliasi.BarisRekonsiliasi.objects.filter(subjek="KREDIT BARU").exists()

    response = client_for(client, sekretariat).post(url)  # Celery runs eagerly in the tests

    assert response.status_code == 302
    assert rekonsiliasi.BarisRekonsiliasi.objects.filter(
        periode=juni, aturan="tidak_aktif", subjek="KREDIT BARU"
    ).exists()
