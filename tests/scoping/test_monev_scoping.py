"""A pendamping sees and posts only inside its area: every monev endpoint answers 404 outside it, and an
Anggota Tikor, who reads, gets 403 when posting inside it."""

import pytest
from django.urls import reverse

from monev.models import Kunjungan, Pengaduan, TindakLanjut
from tests.conftest import visit_payload
from tests.scoping.conftest import detail_pages, monev_rows

ADMIN_CHANGE_PAGES = ("kunjungan", "temuan", "pengaduan", "penugasan")


@pytest.fixture
def area(client, penugasan_gambir, penugasan_tanah_abang, sekretariat):
    """In each kecamatan: an assignment, a visit with a finding (E9 bundling), an action and a complaint."""
    return {
        "gambir": monev_rows(client, penugasan_gambir, sekretariat, "gambir"),
        "tanahabang": monev_rows(client, penugasan_tanah_abang, sekretariat, "tanahabang"),
    }


def reads(rows):
    """The detail pages, the visit form, and the admin change page of each row."""
    admin = [reverse(f"admin:monev_{key}_change", args=[rows[key].pk]) for key in ADMIN_CHANGE_PAGES]
    return [*detail_pages(rows), reverse("monev:kunjungan_isi", args=[rows["penugasan"].pk]), *admin]


def writes(rows):
    return [
        (reverse("monev:kunjungan_kirim", args=[rows["penugasan"].pk]), visit_payload(), "application/json"),
        (reverse("monev:foto_unggah", args=[rows["kunjungan"].uuid]), {"uuid": "x"}, None),
        (reverse("monev:tindak_lanjut_baru", args=[rows["temuan"].pk]), {"uraian": "x", "penanggung_jawab": "x"}, None),
        (reverse("monev:tindak_lanjut_tutup", args=[rows["tindaklanjut"].pk]), {"catatan": "selesai"}, None),
        (reverse("monev:pengaduan", args=[rows["pengaduan"].pk]), {"tanggapan": "x", "status": "selesai"}, None),
        (reverse("monev:kunjungan_verifikasi", args=[rows["kunjungan"].pk]), {"keputusan": "verifikasi"}, None),
    ]


def post(client, url, data, content_type):
    if content_type:
        return client.post(url, data, content_type=content_type)
    return client.post(url, data)


def test_pendamping_gambir_gets_404_for_every_page_of_tanah_abang(client, area, pendamping_gambir):
    client.force_login(pendamping_gambir)

    for url in reads(area["tanahabang"]):
        assert client.get(url).status_code == 404, url


def test_pendamping_gambir_gets_404_posting_to_tanah_abang_and_nothing_changes(client, area, pendamping_gambir):
    client.force_login(pendamping_gambir)
    before = (Kunjungan.objects.count(), TindakLanjut.objects.count())

    for url, data, content_type in writes(area["tanahabang"]):
        assert post(client, url, data, content_type).status_code == 404, url

    assert (Kunjungan.objects.count(), TindakLanjut.objects.count()) == before
    assert TindakLanjut.objects.get(pk=area["tanahabang"]["tindaklanjut"].pk).status == "direncanakan"
    assert Pengaduan.objects.get(pk=area["tanahabang"]["pengaduan"].pk).status == "baru"


def test_pendamping_gambir_opens_its_own_pages(client, area, pendamping_gambir):
    client.force_login(pendamping_gambir)

    for url in reads(area["gambir"]):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("monev:penugasan_list", "penugasan"),
        ("monev:kunjungan_list", "kunjungan"),
        ("monev:temuan_list", "temuan"),
        ("monev:pengaduan_list", "pengaduan"),
    ],
)
def test_lists_hold_only_the_pendamping_area(client, area, pendamping_gambir, tikor_jakpus, name, key):
    client.force_login(pendamping_gambir)
    response = client.get(reverse(name))
    assert list(response.context["page"].object_list) == [area["gambir"][key]]

    client.force_login(tikor_jakpus)
    response = client.get(reverse(name))
    assert set(response.context["page"].object_list) == {area["gambir"][key], area["tanahabang"][key]}


def test_the_overdue_and_scorecard_lists_stay_inside_the_area(client, area, pendamping_gambir):
    client.force_login(pendamping_gambir)

    response = client.get(reverse("monev:skor"))

    assert [row["nama"] for row in response.context["baris"]] == [area["gambir"]["penugasan"].ewarong.nama]


def test_anggota_tikor_reads_but_gets_403_when_posting(client, area, anggota_tikor):
    client.force_login(anggota_tikor)
    rows = area["gambir"]

    for url in reads(rows):
        if "/isi/" in url:
            continue
        assert client.get(url).status_code == 200, url
    assert client.get(reverse("monev:kunjungan_isi", args=[rows["penugasan"].pk])).status_code == 403
    for url, data, content_type in writes(rows):
        assert post(client, url, data, content_type).status_code == 403, url
    assert client.get(reverse("monev:pengaduan_baru")).status_code == 403
    assert client.get(reverse("monev:temuan_baru")).status_code == 403
    assert Kunjungan.objects.count() == 2


def test_pendamping_cannot_file_a_complaint_or_finding_about_another_area(client, area, pendamping_gambir):
    client.force_login(pendamping_gambir)
    other = area["tanahabang"]["penugasan"].ewarong

    complaint = client.post(
        reverse("monev:pengaduan_baru"),
        {"kanal": "telepon", "anonim": "on", "ewarong": other.pk, "kategori": "harga", "penanganan": "informasi",
         "isi": "Mahal"},
    )  # fmt: skip
    finding = client.post(
        reverse("monev:temuan_baru"),
        {"ewarong": other.pk, "judul": "x", "aspek": "harga", "keparahan": "rendah"},
    )

    assert complaint.status_code == finding.status_code == 200
    assert "ewarong" in complaint.context["form"].errors
    assert "ewarong" in finding.context["form"].errors
    assert Pengaduan.objects.count() == 2


def test_pendamping_files_a_complaint_in_its_area_routed_to_itself(client, area, pendamping_gambir):
    client.force_login(pendamping_gambir)

    response = client.post(
        reverse("monev:pengaduan_baru"),
        {"kanal": "tatap_muka", "nama_pelapor": "Ibu Sari", "ewarong": area["gambir"]["penugasan"].ewarong.pk,
         "kategori": "kks", "penanganan": "cek_lapangan", "isi": "KKS dipegang ketua RT"},
    )  # fmt: skip

    assert response.status_code == 302
    pengaduan = Pengaduan.objects.latest("id")
    assert (pengaduan.ditugaskan_ke, pengaduan.dicatat_oleh) == (pendamping_gambir, pendamping_gambir)
