"""The household check, complaint responses, guideline documents, the admin path of sanctions, and the pages
a pendamping opens every day (with their query counts pinned)."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from monev.complaints import record_complaint
from monev.models import Dokumen, Instrumen, Kunjungan, Pengaduan, Penugasan, Temuan
from penyaluran.registri.models import EWarong
from tests.conftest import visit_payload
from tests.factories import KpmFactory

KPM_OK = {
    "K1": "ya", "K2": "layak", "K3": "ya", "K4": "ya", "K5": "200000", "K6": "0", "K7": "ya", "K8": "tidak",
    "K9": "200000", "K10": "baik", "K11": "tidak", "K12": "0", "K13": "ya", "K14": "ya",
}  # fmt: skip


@pytest.fixture
def household_check(penugasan_gambir):
    # Ids above 999 on purpose: the page must not write them as "12.001" (Indonesian thousands).
    for i in range(8):
        KpmFactory(id=12_001 + i, ewarong=penugasan_gambir.ewarong)
    return Penugasan.objects.create(
        ewarong=penugasan_gambir.ewarong,
        instrumen=Instrumen.objects.terbaru(Instrumen.Jenis.KPM),
        petugas=penugasan_gambir.petugas,
        batas_waktu=penugasan_gambir.batas_waktu,
        jumlah_sampel_kpm=3,
    )


def household_payload(kpm, **answers):
    payload = visit_payload()
    payload["jawaban"] = {**KPM_OK, **answers}
    payload["kpm"] = kpm.pk if kpm else None
    return payload


def test_a_household_check_of_a_sampled_kpm_paid_short_raises_a_critical_finding(client, household_check):
    client.force_login(household_check.petugas)
    kpm = household_check.sampel_kpm(household_check.petugas).first()
    url = reverse("monev:kunjungan_kirim", args=[household_check.pk])

    response = client.post(url, household_payload(kpm, K5="150000"), content_type="application/json")

    assert response.status_code == 201
    assert Kunjungan.objects.get().kpm == kpm
    temuan = Temuan.objects.get()
    assert (temuan.pertanyaan.kode, temuan.keparahan) == ("K5", "kritis")


def test_a_household_check_needs_a_kpm_of_that_ewarong(client, household_check, penugasan_tanah_abang):
    client.force_login(household_check.petugas)
    url = reverse("monev:kunjungan_kirim", args=[household_check.pk])
    stranger = KpmFactory(
        ewarong=penugasan_tanah_abang.ewarong, kelurahan_id=penugasan_tanah_abang.ewarong.kelurahan_id
    )

    missing = client.post(url, household_payload(None), content_type="application/json")
    elsewhere = client.post(url, household_payload(stranger), content_type="application/json")

    assert missing.status_code == elsewhere.status_code == 400
    assert "kpm" in missing.json()["galat"]
    assert "kpm" in elsewhere.json()["galat"]


def test_the_form_page_shows_the_kpm_sample_one_section_per_screen(client, household_check):
    client.force_login(household_check.petugas)

    response = client.get(reverse("monev:kunjungan_isi", args=[household_check.pk]))

    body = response.content.decode()
    assert body.count('class="form-step"') == 1 + 4 + 1  # KPM choice, four sections, send
    for kpm in household_check.sampel_kpm(household_check.petugas):
        assert f'value="{kpm.pk}"' in body
    assert "js/kunjungan-form.js" in body


def test_pendamping_responds_to_a_complaint_and_the_times_are_stamped(client, penugasan_gambir, pendamping_gambir):
    pengaduan = record_complaint(
        Pengaduan(
            ewarong=penugasan_gambir.ewarong, kanal="lapor", kategori="kualitas", isi="Beras berkutu", anonim=True
        ),
        None,
    )
    client.force_login(pendamping_gambir)
    url = reverse("monev:pengaduan", args=[pengaduan.pk])

    client.post(url, {"tanggapan": "Sudah dicek ke e-warong", "status": "diproses"})
    client.post(url, {"tanggapan": "Beras diganti", "status": "selesai"})

    pengaduan.refresh_from_db()
    assert pengaduan.status == "selesai"
    assert pengaduan.direspons_pada <= pengaduan.selesai_pada


@pytest.fixture
def dokumen(sekretariat, settings, tmp_path, client):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(sekretariat)
    client.post(
        reverse("admin:monev_dokumen_add"),
        {
            "jenis": "keputusan",
            "judul": "Tim Koordinasi Bantuan Sosial Pangan",
            "nomor": "Kepgub DKI 437/2021",
            "versi": "1",
            "berlaku_mulai": "2021-05-01",
            "berkas": SimpleUploadedFile("kepgub-437-2021.pdf", b"%PDF-1.4 uji", content_type="application/pdf"),
        },
    )
    client.logout()
    return Dokumen.objects.get()


def test_sekretariat_uploads_a_decree_under_media_root(dokumen, sekretariat, tmp_path):
    assert dokumen.diunggah_oleh == sekretariat
    assert (tmp_path / dokumen.berkas.name).read_bytes() == b"%PDF-1.4 uji"
    assert dokumen.berkas.name.startswith("dokumen/")


def test_every_role_reads_documents_but_only_the_secretariat_manages_them(
    client, dokumen, anggota_tikor, pendamping_gambir
):
    for user in (anggota_tikor, pendamping_gambir):
        client.force_login(user)
        listing = client.get(reverse("monev:dokumen_list"))
        download = client.get(reverse("monev:dokumen_unduh", args=[dokumen.pk]))
        assert listing.status_code == 200
        assert "Kepgub DKI 437/2021" in listing.content.decode()
        assert b"".join(download.streaming_content) == b"%PDF-1.4 uji"
        assert client.get(reverse("admin:monev_dokumen_add")).status_code == 403
        assert client.post(reverse("admin:monev_dokumen_delete", args=[dokumen.pk]), {"post": "yes"}).status_code == 403
    assert Dokumen.objects.count() == 1


def test_reference_prices_are_shown_in_rupiah(client, anggota_tikor):
    client.force_login(anggota_tikor)

    body = client.get(reverse("monev:dokumen_list")).content.decode()

    assert "Rp10.900/kg" in body
    assert "16 Maret 2023" in body


def test_a_sanction_step_recorded_in_the_admin_moves_the_ewarong(client, penugasan_gambir, sekretariat):
    temuan = Temuan.objects.create(ewarong=penugasan_gambir.ewarong, judul="Paket", aspek="harga", keparahan="tinggi")
    client.force_login(sekretariat)

    response = client.post(
        reverse("admin:monev_tindaklanjut_add"),
        {"temuan": temuan.pk, "uraian": "Rekomendasi penonaktifan ke BNI", "penanggung_jawab": "Sekretariat",
         "batas_waktu": "", "status": "direncanakan", "langkah_sanksi": "rekomendasi_bank"},
    )  # fmt: skip

    assert response.status_code == 302, response.context["adminform"].form.errors
    ewarong = EWarong.objects.get(pk=penugasan_gambir.ewarong_id)
    assert ewarong.status == EWarong.Status.DIREKOMENDASIKAN_NONAKTIF
    assert ewarong.history.first().history_user == sekretariat
    assert temuan.tindak_lanjut.get().batas_waktu == timezone.localdate() + datetime.timedelta(days=14)


@pytest.fixture
def busy_area(client, penugasan_gambir):
    """Ten visits with findings and ten complaints in Gambir."""
    client.force_login(penugasan_gambir.petugas)
    url = reverse("monev:kunjungan_kirim", args=[penugasan_gambir.pk])
    for _ in range(10):
        client.post(url, visit_payload(E9="ya", E6="tidak"), content_type="application/json")
        record_complaint(
            Pengaduan(ewarong=penugasan_gambir.ewarong, kanal="sms1708", kategori="harga", isi="x", anonim=True), None
        )
    return penugasan_gambir


@pytest.mark.parametrize(
    "name",
    [
        "monev:beranda",
        "monev:penugasan_list",
        "monev:kunjungan_list",
        "monev:temuan_list",
        "monev:tindak_lanjut_terlambat",
        "monev:pengaduan_list",
        "monev:skor",
        "monev:dokumen_list",
    ],
)
def test_daily_pages_answer_with_a_fixed_number_of_queries(client, busy_area, django_assert_max_num_queries, name):
    client.force_login(busy_area.petugas)

    with django_assert_max_num_queries(15):  # 14, and the notification bell's count
        response = client.get(reverse(name))

    assert response.status_code == 200
    assert '<html lang="id">' in response.content.decode()


def test_the_secretariat_admin_pages_open(client, busy_area, sekretariat):
    client.force_login(sekretariat)
    instrumen = busy_area.instrumen
    pages = [
        reverse(f"admin:monev_{model}_changelist")
        for model in ("instrumen", "hargaacuan", "timmonev", "penugasan", "kunjungan", "temuan", "tindaklanjut",
                      "pengaduan", "dokumen", "foto")
    ] + [
        reverse("admin:monev_instrumen_change", args=[instrumen.pk]),
        reverse("admin:monev_kunjungan_change", args=[Kunjungan.objects.first().pk]),
        reverse("admin:monev_penugasan_add"),
        reverse("admin:monev_tindaklanjut_add"),
    ]  # fmt: skip

    for url in pages:
        assert client.get(url).status_code == 200, url


def test_the_secretariat_makes_a_new_instrument_version_in_the_admin(client, sekretariat):
    client.force_login(sekretariat)
    instrumen = Instrumen.objects.terbaru(Instrumen.Jenis.KPM)

    client.post(
        reverse("admin:monev_instrumen_changelist"),
        {"action": "buat_versi_baru", "_selected_action": [instrumen.pk]},
    )

    draft = Instrumen.objects.get(kode=instrumen.kode, versi=2)
    assert draft.status == Instrumen.Status.DRAF
    assert client.get(reverse("admin:monev_instrumen_change", args=[draft.pk])).status_code == 200


def test_the_secretariat_assigns_many_ewarong_to_their_kecamatan_pendamping(
    client, sekretariat, pendamping_gambir, pendamping_tanah_abang
):
    from tests.conftest import KEL_GAMBIR, KEL_TANAH_ABANG
    from tests.factories import EWarongFactory

    gambir, tanah_abang = EWarongFactory(kelurahan_id=KEL_GAMBIR), EWarongFactory(kelurahan_id=KEL_TANAH_ABANG)
    client.force_login(sekretariat)
    due = timezone.localdate() + datetime.timedelta(days=10)

    response = client.post(
        reverse("monev:penugasan_rencana"),
        {"ewarong": [gambir.pk, tanah_abang.pk], "instrumen": Instrumen.objects.terbaru("ewarong").pk,
         "batas_waktu": due.isoformat(), "jumlah_sampel_kpm": 5},
    )  # fmt: skip

    assert response.status_code == 302
    assert dict(Penugasan.objects.values_list("ewarong", "petugas")) == {
        gambir.pk: pendamping_gambir.pk,
        tanah_abang.pk: pendamping_tanah_abang.pk,
    }


def test_an_officer_is_not_assigned_outside_their_area_and_the_planner_says_so(
    client, sekretariat, pendamping_gambir, penugasan_tanah_abang
):
    client.force_login(sekretariat)
    before = Penugasan.objects.count()
    tanah_abang = penugasan_tanah_abang.ewarong
    penugasan_tanah_abang.delete()

    response = client.post(
        reverse("monev:penugasan_rencana"),
        {"ewarong": [tanah_abang.pk], "instrumen": Instrumen.objects.terbaru("ewarong").pk,
         "petugas": pendamping_gambir.pk, "batas_waktu": timezone.localdate().isoformat(), "jumlah_sampel_kpm": 5},
        follow=True,
    )  # fmt: skip

    assert response.status_code == 200
    assert f"{tanah_abang.kode} {tanah_abang.nama} dilewati: e-warong ini berada di luar wilayah tugas petugas." in (
        response.content.decode()
    )
    assert Penugasan.objects.count() == before - 1


def test_pendamping_cannot_create_assignments(client, pendamping_gambir):
    client.force_login(pendamping_gambir)

    assert client.get(reverse("monev:penugasan_baru")).status_code == 403
    assert client.get(reverse("monev:penugasan_rencana")).status_code == 403


def test_the_service_worker_is_served_from_monev_so_it_covers_the_forms(client):
    response = client.get(reverse("monev:service_worker"))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/javascript"
    assert b"monev-halaman" in b"".join(response.streaming_content)
