"""The e-warong list and profile, the KPM search and the KPM page, as the pendamping of Gambir, the secretariat and
an anggota Tikor use them: each sees its own area, numbers are masked unless asked for (and that is audited)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from monev.models import Instrumen, Kunjungan, Pengaduan, Penugasan, SkorAspek, SkorRisiko, Temuan, TindakLanjut
from penyaluran.distribusi.models import Realisasi
from penyaluran.registri.models import EWarong
from tests.conftest import KEL_GAMBIR, KEL_TANAH_ABANG, KEL_TEBET
from tests.factories import EWarongFactory, KpmFactory, beli, kredit, periode
from tikor.models import AuditLog

NIK_SITI = "3171015505800011"
KK_SITI = "3171011503100011"
KKS_SITI = "5264221234567890"


@pytest.fixture
def area(db):
    """An e-warong with KPM in Gambir, in Tanah Abang and in Tebet; Siti Rahmawati lives in Gambir."""
    ewarong = {
        "gambir": EWarongFactory(nama="e-Warong Melati Gambir", kelurahan_id=KEL_GAMBIR, kapasitas_kpm=250),
        "tanah_abang": EWarongFactory(nama="e-Warong Mawar Tanah Abang", kelurahan_id=KEL_TANAH_ABANG),
        "tebet": EWarongFactory(nama="e-Warong Kenanga Tebet", kelurahan_id=KEL_TEBET),
    }
    siti = KpmFactory(nama="SITI RAHMAWATI", nik=NIK_SITI, no_kk=KK_SITI, nomor_kks=KKS_SITI, ewarong=ewarong["gambir"])
    others = {
        "gambir": KpmFactory(nama="SITI AMINAH", ewarong=ewarong["gambir"]),
        "tanah_abang": KpmFactory(nama="SITI RAHAYU", kelurahan_id=KEL_TANAH_ABANG, ewarong=ewarong["tanah_abang"]),
        "tebet": KpmFactory(nama="SITI RAHMAH", kelurahan_id=KEL_TEBET, ewarong=ewarong["tebet"]),
    }
    return {"ewarong": ewarong, "siti": siti, "kpm": others}


def test_pendamping_lists_only_the_ewarong_of_its_kecamatan(client, pendamping_gambir, area):
    client.force_login(pendamping_gambir)

    response = client.get(reverse("monev:ewarong_list"))

    assert response.status_code == 200
    assert [e.nama for e in response.context["page"].object_list] == ["e-Warong Melati Gambir"]


def test_the_secretariat_filters_the_list_by_kecamatan_bank_and_risk(client, sekretariat, area):
    p = periode(2021, 6)
    SkorRisiko.objects.create(ewarong=area["ewarong"]["tebet"], periode=p, skor=95, alasan=[])
    SkorRisiko.objects.create(ewarong=area["ewarong"]["gambir"], periode=p, skor=10, alasan=[])
    client.force_login(sekretariat)

    def names(**query):
        response = client.get(reverse("monev:ewarong_list"), query)
        assert response.status_code == 200
        return {e.nama for e in response.context["page"].object_list}

    assert names(kecamatan="31.71.07") == {"e-Warong Mawar Tanah Abang"}
    assert names(kota="31.74") == {"e-Warong Kenanga Tebet"}
    assert names(risiko="tinggi") == {"e-Warong Kenanga Tebet"}
    assert names(risiko="rendah") == {"e-Warong Melati Gambir"}
    assert names(risiko="nol") == {"e-Warong Mawar Tanah Abang"}
    assert names(bank="BRI") == set()
    assert len(names(bank="BNI")) == 3


def test_the_list_filters_by_last_visit(client, sekretariat, area, penugasan_gambir):
    ewarong = area["ewarong"]["tanah_abang"]
    Kunjungan.objects.create(
        penugasan=penugasan_gambir,
        instrumen=penugasan_gambir.instrumen,
        ewarong=ewarong,
        petugas=penugasan_gambir.petugas,
        tanggal=timezone.localdate() - datetime.timedelta(days=10),
        status=Kunjungan.Status.TERVERIFIKASI,
    )
    client.force_login(sekretariat)

    recent = client.get(reverse("monev:ewarong_list"), {"kunjungan": "30"}).context["page"].object_list
    never = client.get(reverse("monev:ewarong_list"), {"kunjungan": "belum"}).context["page"].object_list

    assert ewarong not in list(recent)
    assert ewarong not in list(never)
    assert area["ewarong"]["tebet"] in list(never)


def test_the_list_reads_a_fixed_number_of_queries(client, sekretariat, area, django_assert_max_num_queries):
    for i in range(20):
        EWarongFactory(nama=f"e-Warong Tambahan {i}", kelurahan_id=KEL_TEBET)
    client.force_login(sekretariat)

    with django_assert_max_num_queries(12):
        response = client.get(reverse("monev:ewarong_list"))

    assert len(response.context["page"].object_list) == 23


def test_ewarong_and_kpm_pages_outside_the_area_answer_404(client, pendamping_gambir, area):
    client.force_login(pendamping_gambir)

    assert client.get(reverse("monev:ewarong", args=[area["ewarong"]["tebet"].pk])).status_code == 404
    assert client.get(reverse("monev:kpm", args=[area["kpm"]["tanah_abang"].pk])).status_code == 404
    assert client.get(reverse("monev:ewarong", args=[area["ewarong"]["gambir"].pk])).status_code == 200
    assert client.get(reverse("monev:kpm", args=[area["siti"].pk])).status_code == 200


def test_pendamping_search_counts_only_its_area(client, pendamping_gambir, sekretariat, area):
    client.force_login(pendamping_gambir)

    response = client.get(reverse("monev:kpm_cari"), {"q": "siti"})

    assert {k.nama for k in response.context["hasil"]} == {"SITI RAHMAWATI", "SITI AMINAH"}
    assert "2 KPM ditemukan" in response.content.decode()
    client.force_login(sekretariat)
    assert len(client.get(reverse("monev:kpm_cari"), {"q": "siti"}).context["hasil"]) == 4


def test_search_by_part_of_the_name_needs_every_word(client, sekretariat, area):
    client.force_login(sekretariat)

    response = client.get(reverse("monev:kpm_cari"), {"q": "rah siti"})

    assert {k.nama for k in response.context["hasil"]} == {"SITI RAHMAWATI", "SITI RAHAYU", "SITI RAHMAH"}


@pytest.mark.parametrize("typed", [NIK_SITI, KK_SITI, KKS_SITI, "3171 0155 0580 0011"])
def test_search_by_whole_nik_no_kk_or_kks(client, pendamping_gambir, area, typed):
    client.force_login(pendamping_gambir)

    response = client.get(reverse("monev:kpm_cari"), {"q": typed})

    assert [k.nama for k in response.context["hasil"]] == ["SITI RAHMAWATI"]


def test_a_nik_outside_the_area_finds_nothing(client, pendamping_gambir, area):
    client.force_login(pendamping_gambir)

    response = client.get(reverse("monev:kpm_cari"), {"q": area["kpm"]["tebet"].nik})

    assert response.context["hasil"] == []
    assert "Tidak ada KPM yang cocok di wilayah Anda" in response.content.decode()


def test_a_search_of_two_letters_is_refused_with_a_reason(client, sekretariat, area):
    client.force_login(sekretariat)

    response = client.get(reverse("monev:kpm_cari"), {"q": "si"})

    assert response.context["hasil"] is None
    assert "Ketik sedikitnya 3 huruf nama" in response.content.decode()


def test_anggota_sees_no_nik_no_kk_or_kks_in_full_on_the_search_and_kpm_pages(client, anggota_tikor, area):
    client.force_login(anggota_tikor)

    # The search box keeps what the user typed; the results below it are masked.
    found = client.get(reverse("monev:kpm_cari"), {"q": NIK_SITI}).content.decode().split('data-testid="hasil-kpm"')[1]
    page = client.get(reverse("monev:kpm", args=[area["siti"].pk])).content.decode()
    asked = client.post(reverse("monev:kpm", args=[area["siti"].pk])).content.decode()

    for html in (found, page, asked):
        assert "SITI RAHMAWATI" in html
        for number in (NIK_SITI, KK_SITI, KKS_SITI):
            assert number not in html
    assert "3171**********11" in page
    assert "5264**********90" in page
    assert "Tampilkan NIK" not in page
    assert not AuditLog.objects.filter(aksi=AuditLog.Aksi.LIHAT).exists()


def test_the_secretariat_sees_full_numbers_on_request_and_it_is_audited(client, sekretariat, area):
    client.force_login(sekretariat)
    url = reverse("monev:kpm", args=[area["siti"].pk])

    first = client.get(url).content.decode()
    asked = client.post(url).content.decode()

    assert NIK_SITI not in first
    assert "Tampilkan NIK, No KK dan KKS lengkap" in first
    assert NIK_SITI in asked
    assert KK_SITI in asked
    assert KKS_SITI in asked
    log = AuditLog.objects.get(aksi=AuditLog.Aksi.LIHAT)
    assert log.pengguna == sekretariat
    assert log.objek == "penyaluran.kpm"
    assert log.keterangan["kpm"] == area["siti"].pk


def test_kpm_page_shows_credits_and_purchases_by_month_and_complaints(client, sekretariat, area):
    siti, ewarong = area["siti"], area["ewarong"]["gambir"]
    juni, juli = periode(2021, 6), periode(2021, 7)
    kredit(juni, siti)
    kredit(juli, siti)
    beli(juni, siti, ewarong, jumlah=120_000)
    beli(juni, siti, ewarong, jumlah=80_000)
    beli(juli, siti, area["ewarong"]["tebet"], jumlah=50_000)
    Pengaduan.objects.create(kanal="sms1708", kpm=siti, kategori="jumlah", isi="Saldo terpotong", anonim=True)
    client.force_login(sekretariat)

    response = client.get(reverse("monev:kpm", args=[siti.pk]))

    months = {m["label"]: m for m in response.context["bulanan"]}
    assert months["Juni 2021"]["disalurkan"] == 200_000
    assert months["Juni 2021"]["belanja"] == 200_000
    assert months["Juni 2021"]["transaksi"] == 2
    assert months["Juli 2021"]["sisa"] == 150_000
    assert [e["nama"] for e in months["Juli 2021"]["ewarong"]] == ["e-Warong Kenanga Tebet"]
    html = response.content.decode()
    assert "Rp150.000" in html
    assert "Saldo terpotong" not in html
    assert "Pengaduan tentang KPM ini" in html
    assert len(response.context["pengaduan"]) == 1


def test_ewarong_profile_brings_registry_realisation_risk_and_timeline_together(
    client, sekretariat, pendamping_gambir, area
):
    ewarong = area["ewarong"]["gambir"]
    p = periode(2021, 6)
    Realisasi.objects.create(
        periode=p,
        tingkat=Realisasi.Tingkat.EWARONG,
        ewarong=ewarong,
        nama=ewarong.nama,
        kpm_disalurkan=2,
        jumlah_disalurkan=400_000,
        jumlah_dibelanjakan=300_000,
        jumlah_transaksi=5,
    )
    SkorRisiko.objects.create(
        ewarong=ewarong, periode=p, skor=85, alasan=[{"label": "Gesek kolektif", "poin": 40, "uraian": "25 kartu"}]
    )
    from penyaluran.risiko.models import SinyalRisiko

    SinyalRisiko.objects.create(
        ewarong=ewarong,
        periode=p,
        jenis="gesek_kolektif",
        nilai=25,
        ambang=10,
        uraian="25 kartu dalam lima menit",
        bukti=[{"kpm": "SITI RAHMAWATI", "nik": "3171**********11", "waktu": "10.01"}],
    )
    instrumen = Instrumen.objects.terbaru(Instrumen.Jenis.EWARONG)
    penugasan = Penugasan.objects.create(
        ewarong=ewarong, instrumen=instrumen, petugas=pendamping_gambir, batas_waktu=datetime.date(2021, 6, 30)
    )
    visit = Kunjungan.objects.create(
        penugasan=penugasan,
        instrumen=instrumen,
        ewarong=ewarong,
        petugas=pendamping_gambir,
        tanggal=datetime.date(2021, 6, 20),
        status=Kunjungan.Status.TERVERIFIKASI,
        skor_total=62,
    )
    SkorAspek.objects.create(kunjungan=visit, aspek="harga", bobot_patuh=1, bobot_total=2)
    temuan = Temuan.objects.create(
        ewarong=ewarong, kunjungan=visit, judul="Harga beras di atas acuan", aspek="harga", keparahan="tinggi"
    )
    TindakLanjut.objects.create(
        temuan=temuan, uraian="Teguran tertulis kepada pemilik", penanggung_jawab="Pendamping", langkah_sanksi="teguran"
    )
    Pengaduan.objects.create(kanal="lapor", ewarong=ewarong, kategori="harga", isi="Harga mahal", anonim=True)
    ewarong.status = EWarong.Status.TEGURAN
    ewarong._change_reason = "Teguran tertulis atas temuan"
    ewarong.save()
    client.force_login(sekretariat)

    response = client.get(reverse("monev:ewarong", args=[ewarong.pk]))

    assert response.status_code == 200
    html = response.content.decode()
    assert response.context["kpm"] == {"aktif": 2, "semua": 2}
    assert "Rp300.000" in html
    assert "75,0%" in html
    assert "Gesek kolektif" in html
    assert "<th>NIK</th>" in html
    assert "<th>KPM</th>" in html
    kinds = [p.jenis for p in response.context["peristiwa"]]
    assert {"kunjungan", "temuan", "tindak_lanjut", "pengaduan", "sanksi"} <= set(kinds)
    visit_event = next(p for p in response.context["peristiwa"] if p.jenis == "kunjungan")
    assert visit_event.skor == [("Tepat harga", 50.0)]
    assert "Status menjadi Teguran tertulis" in html
    assert f"{reverse('monev:temuan_baru')}?ewarong={ewarong.pk}" in html
    assert f"{reverse('monev:penugasan_rencana')}?q={ewarong.kode}&ewarong={ewarong.pk}" in html


def test_catat_temuan_from_the_profile_starts_with_its_ewarong(client, sekretariat, area):
    ewarong = area["ewarong"]["gambir"]
    client.force_login(sekretariat)

    response = client.get(reverse("monev:temuan_baru"), {"ewarong": ewarong.pk})

    assert response.context["form"]["ewarong"].value() == str(ewarong.pk)


def test_anggota_reads_the_profile_without_action_buttons(client, anggota_tikor, area):
    client.force_login(anggota_tikor)

    html = client.get(reverse("monev:ewarong", args=[area["ewarong"]["gambir"].pk])).content.decode()

    assert "Tugaskan kunjungan" not in html
    assert "Catat temuan" not in html


def test_an_ewarong_outside_the_area_is_named_on_the_kpm_page_but_not_linked(client, pendamping_gambir, area):
    siti, tebet = area["siti"], area["ewarong"]["tebet"]
    juni = periode(2021, 6)
    kredit(juni, siti)
    beli(juni, siti, tebet, jumlah=50_000)
    client.force_login(pendamping_gambir)

    html = client.get(reverse("monev:kpm", args=[siti.pk])).content.decode()

    assert "e-Warong Kenanga Tebet" in html
    assert reverse("monev:ewarong", args=[tebet.pk]) not in html
    assert reverse("monev:ewarong", args=[area["ewarong"]["gambir"].pk]) in html
