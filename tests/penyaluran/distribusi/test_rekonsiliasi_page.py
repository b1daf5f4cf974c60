"""The reconciliation page and its XLSX: counts per rule, lines of the chosen rule, inside the user's area."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

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
    return juni


def test_page_counts_each_rule_and_lists_the_chosen_one(client, sekretariat, juni):
    response = client_for(client, sekretariat).get(
        reverse("distribusi:rekonsiliasi"), {"periode": juni.pk, "aturan": "tidak_aktif"}
    )

    counts = {a.kode: n for a, n in response.context["ringkasan"]}
    assert counts["tidak_aktif"] == 2
    assert counts["jumlah_berbeda"] == 1
    assert sorted(line.subjek for line in response.context["lines"]) == ["ALM. GAMBIR", "ALM. TANAH ABANG"]
    assert "KPM berstatus meninggal tetapi dikreditkan Rp200.000" in response.content.decode()


def test_pendamping_sees_only_its_kecamatan_on_the_page_and_in_the_xlsx(client, pendamping_gambir, juni):
    client = client_for(client, pendamping_gambir)

    page = client.get(reverse("distribusi:rekonsiliasi"), {"periode": juni.pk, "aturan": "tidak_aktif"})
    xlsx = client.get(reverse("distribusi:rekonsiliasi_xlsx"), {"periode": juni.pk})

    assert [line.subjek for line in page.context["lines"]] == ["ALM. GAMBIR"]
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
