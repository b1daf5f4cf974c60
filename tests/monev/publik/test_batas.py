"""A flood of complaints or page requests is answered 429 in Indonesian and stores nothing; a bot that fills the
hidden field is refused; limits count per address and per e-warong in the cache."""

from monev.models import Pengaduan
from tests.monev.publik.test_aduan import kirim


def dari(client, alamat):
    client.defaults["REMOTE_ADDR"] = alamat
    return client


def test_complaints_past_the_limit_of_one_address_are_refused_and_not_stored(client, kode_gambir, settings):
    settings.MONEV_PUBLIK_ADUAN_PER_ALAMAT = "2/h"

    sent = [kirim(client, kode_gambir).status_code for _n in range(4)]

    assert sent == [302, 302, 429, 429]
    assert Pengaduan.objects.count() == 2
    refused = kirim(client, kode_gambir)
    assert "Terlalu banyak pengaduan" in refused.content.decode()
    assert refused["Retry-After"] == "600"


def test_another_address_may_still_send_when_one_is_limited(client, kode_gambir, settings):
    settings.MONEV_PUBLIK_ADUAN_PER_ALAMAT = "1/h"

    first = kirim(dari(client, "10.0.0.1"), kode_gambir).status_code
    again = kirim(dari(client, "10.0.0.1"), kode_gambir).status_code
    other = kirim(dari(client, "10.0.0.2"), kode_gambir).status_code

    assert (first, again, other) == (302, 429, 302)
    assert Pengaduan.objects.count() == 2


def test_a_flood_about_one_ewarong_from_many_addresses_is_cut_off(client, kode_gambir, ewarong_tanah_abang, settings):
    from monev.models import KodePublik

    settings.MONEV_PUBLIK_ADUAN_PER_EWARONG = "3/h"
    kode_lain = KodePublik.untuk(ewarong_tanah_abang).kode

    sent = [kirim(dari(client, f"10.1.0.{n}"), kode_gambir).status_code for n in range(5)]
    elsewhere = kirim(dari(client, "10.1.0.9"), kode_lain).status_code

    assert sent == [302, 302, 302, 429, 429]
    assert elsewhere == 302
    assert Pengaduan.objects.filter(ewarong__kelurahan_id="31.71.01.1001").count() == 3


def test_invalid_posts_count_too_so_a_flood_of_them_is_cut_off(client, kode_gambir, settings):
    settings.MONEV_PUBLIK_ADUAN_PER_ALAMAT = "2/h"

    statuses = [kirim(client, kode_gambir, isi="x").status_code for _n in range(3)]
    valid_after = kirim(client, kode_gambir).status_code

    assert statuses == [400, 400, 429]
    assert valid_after == 429
    assert not Pengaduan.objects.exists()


def test_the_honeypot_refuses_a_bot_and_stores_nothing(client, kode_gambir):
    response = kirim(client, kode_gambir, situs="http://promo.example")

    assert response.status_code == 400
    assert "Pengaduan tidak dapat diterima" in response.content.decode()
    assert not Pengaduan.objects.exists()


def test_the_honeypot_is_hidden_from_people_but_present(client, kode_gambir):
    html = client.get(f"/e-warong/{kode_gambir}/pengaduan/").content.decode()

    assert '<div class="hp" aria-hidden="true">' in html
    assert 'name="situs"' in html
    assert 'tabindex="-1"' in html


def test_guessing_codes_runs_out_of_pages(client, kode_gambir, settings):
    settings.MONEV_PUBLIK_HALAMAN_PER_ALAMAT = "5/m"

    guesses = [client.get(f"/e-warong/ABCDEF{n:02d}/").status_code for n in range(5)]
    real = client.get(f"/e-warong/{kode_gambir}/")
    status_guess = client.get("/e-warong/lacak/ABCDEFGH/")

    assert guesses == [404] * 5
    assert real.status_code == 429
    assert "Terlalu banyak permintaan" in real.content.decode()
    assert status_guess.status_code == 429
