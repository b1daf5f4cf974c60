"""The admin speaks Indonesian on django-import-export's pages too, and an anggota Tikor sees no NIK, No KK or KKS in
full anywhere in it: KPM lists and forms, credits and purchases, and every export."""

import re

import pytest
from django.urls import reverse

from tests.conftest import client_for, visible_text
from tests.factories import EWarongFactory, KpmFactory, beli, kredit, periode

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("celery_eager")]

NIK = "3171015505800031"
NO_KK = "3171011503100031"
KKS = "5264221234500031"

# What django-import-export 4.4 writes in English on the admin's pages, and Django's raw labels of our fields.
ENGLISH = [
    "This exporter will export the following fields",
    "This importer will import the following fields",
    "Select all",
    "Submit",
    "SUBMIT",
    "Export",
    "EXPORT",
    "Import",
    "IMPORT",
    "Resource",
    "File to import",
    "Home",
    "Nik (NIK)",
    "No Kk",
    "Kelurahan Induk Nama",
    "Kelurahan Id",
    "Nomor Kks",
    "Ewarong Kode",
    "Kapasitas Kpm",
]


@pytest.fixture
def kpm(db):
    ewarong = EWarongFactory()
    siti = KpmFactory(nama="SITI NURHALIZA", nik=NIK, no_kk=NO_KK, nomor_kks=KKS, ewarong=ewarong, tahun_data=2021)
    juni = periode(2021, 6)
    return {"kpm": siti, "kredit": kredit(juni, siti), "beli": beli(juni, siti, ewarong)}


def buttons_and_labels(response):
    """Text of buttons and inputs' values too (Submit is an <input type=submit value=...>)."""
    page = response.content.decode()
    return visible_text(response) + " ".join(re.findall(r'<input[^>]+type="submit"[^>]+value="([^"]*)"', page))


@pytest.mark.parametrize("model", ["kpm", "ewarong", "agen", "penyedia"])
def test_the_export_page_has_no_english_left(client, sekretariat, kpm, model):
    client_for(client, sekretariat)

    response = client.get(reverse(f"admin:penyaluran_{model}_export"))

    assert response.status_code == 200
    text = buttons_and_labels(response)
    left = [word for word in ENGLISH if re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", text)]
    assert left == []
    assert "Kolom yang akan diekspor" in text
    assert "Pilih semua" in text


def test_the_export_page_names_columns_as_the_file_does(client, sekretariat, kpm):
    client_for(client, sekretariat)

    form = client.get(reverse("admin:penyaluran_kpm_export")).context["form"]

    labels = [f.label for name, f in form.fields.items() if name.startswith("kpmresource_")]
    assert labels[:3] == ["NIK", "No KK", "Nama KPM"]
    assert "Kecamatan" in labels
    assert "Nomor KKS" in labels


def test_the_change_list_buttons_are_indonesian(client, sekretariat, kpm):
    client_for(client, sekretariat)

    text = visible_text(client.get(reverse("admin:penyaluran_kpm_changelist")))

    assert "Ekspor" in text
    assert "Impor" in text
    assert not re.search(r"\b(Export|Import|EXPORT|IMPORT)\b", text)


@pytest.mark.parametrize(
    "url",
    [
        lambda k: reverse("admin:penyaluran_kpm_changelist"),
        lambda k: reverse("admin:penyaluran_kpm_change", args=[k["kpm"].pk]),
        lambda k: reverse("admin:penyaluran_penyaluran_change", args=[k["kredit"].pk]),
        lambda k: reverse("admin:penyaluran_transaksi_change", args=[k["beli"].pk]),
        lambda k: reverse("admin:penyaluran_penyaluran_changelist"),
        lambda k: reverse("admin:penyaluran_transaksi_changelist"),
    ],
)
def test_anggota_sees_no_nik_no_kk_or_kks_in_full_in_the_admin(client, anggota_tikor, kpm, url):
    client_for(client, anggota_tikor)

    response = client.get(url(kpm))

    assert response.status_code == 200
    page = response.content.decode()
    for number in (NIK, NO_KK, KKS):
        assert number not in page


def test_anggota_reads_the_kks_masked_and_the_data_year_as_a_year(client, anggota_tikor, kpm):
    client_for(client, anggota_tikor)

    text = visible_text(client.get(reverse("admin:penyaluran_kpm_change", args=[kpm["kpm"].pk])))

    assert "5264**********31" in text
    assert "2021" in text
    assert "2.021" not in text


def test_the_secretariat_still_sees_and_edits_the_kks(client, sekretariat, kpm):
    client_for(client, sekretariat)

    page = client.get(reverse("admin:penyaluran_kpm_change", args=[kpm["kpm"].pk])).content.decode()

    assert f'name="nomor_kks" value="{KKS}"' in page


def test_anggota_exports_the_kks_masked(client, anggota_tikor, kpm):
    client_for(client, anggota_tikor)

    page_export = client.get(reverse("penyaluran:ekspor", args=["kpm"]), {"format": "csv"})
    form = client.get(reverse("admin:penyaluran_kpm_export")).context["form"]
    fields = {name: "on" for name in form.fields if name.startswith("kpmresource_")}
    admin_export = client.post(reverse("admin:penyaluran_kpm_export"), {"format": "0", "resource": "0", **fields})

    for body in (b"".join(page_export.streaming_content).decode("utf-8-sig"), admin_export.content.decode()):
        assert "SITI NURHALIZA" in body
        for number in (NIK, NO_KK, KKS):
            assert number not in body
        assert "5264**********31" in body


def test_risk_evidence_headers_read_nik_and_kpm(client, sekretariat, kpm):
    from penyaluran.risiko.models import SinyalRisiko

    sinyal = SinyalRisiko.objects.create(
        ewarong=kpm["kpm"].ewarong,
        periode=periode(2021, 6),
        jenis="gesek_kolektif",
        nilai=25,
        ambang=10,
        uraian="25 kartu",
        bukti=[{"kpm": "SITI", "nik": "3171**********31", "waktu": "10.00"}],
    )
    client_for(client, sekretariat)

    page = client.get(reverse("monev:risiko_ewarong", args=[sinyal.ewarong_id]), {"periode": sinyal.periode_id})

    assert "<th>KPM</th><th>NIK</th><th>Waktu</th>" in page.content.decode()
