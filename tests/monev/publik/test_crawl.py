"""A crawl of every public page reachable from an e-warong's code, and the status pages of its complaints, finds
nothing personal: no KPM, no owner, no other complaint, no staff name, no reporter's number."""

import re
from html.parser import HTMLParser

from django.test import Client

from monev.complaints import record_complaint, respond
from monev.models import KodePublik, Pengaduan
from tests.monev.publik.test_halaman import BATAS_BERAT


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.found.append(attrs["href"])
        if tag == "form" and attrs.get("action"):
            self.found.append(attrs["action"])


def crawl(client, start):
    """Every /e-warong/ page reachable by links from `start`: {url: response}."""
    seen, queue = {}, list(start)
    while queue:
        url = queue.pop(0)
        if url in seen or not url.startswith("/e-warong/"):
            continue
        seen[url] = client.get(url)
        parser = Links()
        parser.feed(seen[url].content.decode())
        queue.extend(parser.found)
    return seen


def test_no_public_page_shows_anything_personal(
    ewarong_gambir, kode_gambir, kpm_gambir, ewarong_tanah_abang, pendamping_gambir, pendamping_tanah_abang,
    sekretariat,
):  # fmt: skip
    pendamping_gambir.first_name, pendamping_gambir.last_name = "Rudi", "Hartono"
    pendamping_gambir.save()
    mine = record_complaint(
        Pengaduan(
            kanal=Pengaduan.Kanal.QR_EWARONG, kategori="harga", pola="paket", anonim=True,
            kontak_pelapor="081298765432", isi="Disuruh beli paket oleh pengelola", ewarong=ewarong_gambir,
        ),
        None,
    )  # fmt: skip
    respond(mine, "Sudah dicek ke e-warong, pengelola dibina.", Pengaduan.Status.SELESAI, publik=True)
    internal = record_complaint(
        Pengaduan(
            kanal=Pengaduan.Kanal.QR_EWARONG, kategori="jumlah", pola="tunai", anonim=True,
            isi="Sisa saldo dibayar Rp150 ribu oleh kasir", ewarong=ewarong_gambir,
        ),
        None,
    )  # fmt: skip
    respond(internal, f"Hubungi KPM {kpm_gambir.nama} ({kpm_gambir.nik}) lewat Rudi Hartono", "diproses")
    other = record_complaint(
        Pengaduan(kanal="sms1708", kategori="harga", nama_pelapor="Dewi Lestari", kontak_pelapor="081377711122",
                  isi="Harga telur mahal sekali", ewarong=ewarong_gambir, kpm=kpm_gambir),
        sekretariat,
    )  # fmt: skip

    pages = crawl(
        Client(),
        [f"/e-warong/{kode_gambir}/", f"/e-warong/lacak/{mine.kode_lacak}/", f"/e-warong/lacak/{internal.kode_lacak}/"],
    )

    assert len(pages) >= 5  # the page, the form, the tracking form, two status pages
    assert all(r.status_code == 200 for r in pages.values()), {u: r.status_code for u, r in pages.items()}
    secrets = [
        kpm_gambir.nama, kpm_gambir.nik, kpm_gambir.no_kk, ewarong_gambir.pemilik, ewarong_tanah_abang.nama,
        pendamping_gambir.username, "Rudi", "Hartono", pendamping_tanah_abang.username, sekretariat.username,
        mine.isi, mine.nomor, mine.kontak_pelapor, internal.isi, internal.nomor, internal.tanggapan,
        other.isi, other.nomor, other.nama_pelapor, other.kontak_pelapor,
    ]  # fmt: skip
    for url, response in pages.items():
        html = response.content.decode()
        assert len(response.content) < BATAS_BERAT, url
        for secret in secrets:
            assert secret not in html, (url, secret)
        # Not even a digit run that could be a NIK, a KK or a card number.
        assert not re.search(r"\d{16}", html), url
    # Each status page shows only its own complaint's code.
    assert internal.kode_lacak not in pages[f"/e-warong/lacak/{mine.kode_lacak}/"].content.decode()


def test_unknown_and_retired_codes_answer_404_everywhere(client, ewarong_gambir, kode_gambir):
    KodePublik.objects.get(kode=kode_gambir).pensiunkan()
    for url in (f"/e-warong/{kode_gambir}/", f"/e-warong/{kode_gambir}/pengaduan/", "/e-warong/23456789/",
                "/e-warong/23456789/pengaduan/", "/e-warong/lacak/23456789/"):  # fmt: skip
        response = client.get(url)
        assert response.status_code == 404, url
        assert ewarong_gambir.nama not in response.content.decode()
    assert client.post(f"/e-warong/{kode_gambir}/pengaduan/", {"isi": "x"}).status_code == 404
    assert not Pengaduan.objects.exists()
