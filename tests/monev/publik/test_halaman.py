"""A KPM scans the poster: the e-warong's public page by its code, without login, light enough for a cheap phone."""

import datetime

from django.urls import reverse
from django.utils import timezone

from monev.models import HargaAcuan, KodePublik
from tests.factories import periode

BATAS_BERAT = 50_000  # bytes: the whole page, its CSS inline, no script and no picture


def test_kpm_opens_the_page_by_its_code_without_login(client, ewarong_gambir, kode_gambir):
    response = client.get(f"/e-warong/{kode_gambir}/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "e-Warong KUBE Melati Gambir" in html
    assert "Jl. Batu Tulis No. 12" in html
    assert "Kel. Gambir" in html
    assert "Kec. Gambir" in html
    # What a KPM may expect: the benefit, the four groups, free choice, card and PIN, no package, no cash.
    assert "Rp200.000" in html
    for words in ("Karbohidrat", "Protein hewani", "Protein nabati", "Vitamin dan mineral", "bebas memilih",
                  "PIN tetap dipegang KPM", "Tidak ada paket", "Tidak ada uang tunai"):  # fmt: skip
        assert words in html
    # The national channels.
    assert "1708" in html
    assert "lapor.go.id" in html
    assert "171" in html
    assert reverse("publik:aduan", args=[kode_gambir]) in html


def test_the_page_shows_the_reference_prices_in_force_not_the_old_ones(client, kode_gambir):
    html = client.get(f"/e-warong/{kode_gambir}/").content.decode()

    assert "Rp10.900/kg" in html  # HET beras medium since 2023
    assert "Rp9.450" not in html  # the 2017 HET it replaced
    assert "Rp23.000/kg" in html
    assert "Rp34.000/kg" in html
    assert "Nilai bantuan" not in html  # the benefit is a reference row too, but not a price


def test_a_price_the_secretariat_sets_from_tomorrow_is_not_shown_yet(client, kode_gambir):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    HargaAcuan.objects.create(kode="telur", nama="Harga acuan telur", nilai=27_000, berlaku_mulai=tomorrow)

    html = client.get(f"/e-warong/{kode_gambir}/").content.decode()

    assert "Rp23.000/kg" in html
    assert "Rp27.000" not in html


def test_the_benefit_is_the_one_of_this_months_period_when_it_is_loaded(client, kode_gambir):
    today = timezone.localdate()
    periode(today.year, today.month, manfaat=250_000)

    html = client.get(f"/e-warong/{kode_gambir}/").content.decode()

    assert "Rp250.000" in html
    assert "Rp200.000" not in html


def test_the_page_is_light_and_works_without_javascript(client, kode_gambir):
    for url in (f"/e-warong/{kode_gambir}/", f"/e-warong/{kode_gambir}/pengaduan/", "/e-warong/lacak/"):
        response = client.get(url)
        html = response.content.decode()

        assert response.status_code == 200
        assert len(response.content) < BATAS_BERAT, url
        for heavy in ("<script", "<img", 'rel="stylesheet"', "bootstrap"):
            assert heavy not in html.lower(), url
        assert 'name="viewport"' in html


def test_the_code_is_read_in_any_case(client, kode_gambir):
    assert client.get(f"/e-warong/{kode_gambir.lower()}/").status_code == 200


def test_unknown_codes_and_database_ids_answer_404(client, ewarong_gambir, kode_gambir):
    for url in ("/e-warong/ZZZZZZZZ/", f"/e-warong/{ewarong_gambir.pk}/", f"/e-warong/{ewarong_gambir.pk:08d}/",
                f"/e-warong/{ewarong_gambir.kode}/", "/e-warong/ZZZZZZZZ/pengaduan/"):  # fmt: skip
        response = client.get(url)
        assert response.status_code == 404, url
        assert ewarong_gambir.nama not in response.content.decode()


def test_a_retired_code_answers_404_and_the_new_one_works(client, ewarong_gambir, kode_gambir):
    baru = KodePublik.objects.get(kode=kode_gambir).pensiunkan()

    assert client.get(f"/e-warong/{kode_gambir}/").status_code == 404
    assert client.get(f"/e-warong/{kode_gambir}/pengaduan/").status_code == 404
    assert client.get(f"/e-warong/{baru.kode}/").status_code == 200
    assert baru.kode != kode_gambir


def test_every_new_ewarong_gets_an_unguessable_code_of_its_own(ewarong_gambir, ewarong_tanah_abang):
    kode = list(KodePublik.objects.aktif().values_list("ewarong", "kode"))

    assert {e for e, _k in kode} == {ewarong_gambir.pk, ewarong_tanah_abang.pk}
    assert all(len(k) == 8 and str(e) not in k for e, k in kode)
    assert kode[0][1] != kode[1][1]


def test_codes_are_issued_to_ewarong_written_in_bulk(db):
    from penyaluran.registri.models import EWarong
    from tests.factories import EWarongFactory

    EWarong.objects.bulk_create([EWarongFactory.build(kelurahan_id="31.71.01.1001") for _ in range(3)])

    assert KodePublik.lengkapi() == 3
    assert KodePublik.lengkapi() == 0
    assert KodePublik.objects.aktif().count() == 3


def test_the_page_reads_a_fixed_handful_of_rows(client, kode_gambir, django_assert_max_num_queries):
    # The code with its e-warong and region, this month's period, the benefit in force, the prices in force.
    with django_assert_max_num_queries(4):
        assert client.get(f"/e-warong/{kode_gambir}/").status_code == 200
