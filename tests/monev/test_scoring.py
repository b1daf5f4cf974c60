"""Scores per 6T aspect and in total, and scorecards for an e-warong and a penyedia, against a hand computation.

A small instrument: A (sasaran, weight 4, "tidak" breaks it), B (harga, weight 3, price above the reference
Rp10.000 breaks it), C (harga, weight 1, "tidak" breaks it), D (text, not scored).

  visit 1, e-warong Melati, November: A ok, B broken, C ok -> sasaran 4/4 = 100, harga 1/4 = 25, total 5/8 = 62,5
  visit 2, e-warong Kenanga, November: A broken, B ok, C ok -> sasaran 0/4 = 0, harga 4/4 = 100, total 4/8 = 50
  visit 3, e-warong Melati, October:   all ok                -> 100 everywhere
  visit 4, e-warong Melati, November, returned by the secretariat: not counted

Both e-warong are supplied by PT Sumber; its November figures pool visits 1 and 2:
  sasaran (4 + 0) / 8 = 50, harga (1 + 4) / 8 = 62,5, total (5 + 4) / 16 = 56,25.
Over all months, Melati pools visits 1 and 3: (5 + 8) / 16 = 81,25; Kenanga is visit 2: 50.
"""

import datetime
import uuid

import pytest
from django.urls import reverse

from monev.models import Bagian, HargaAcuan, Instrumen, Jawaban, Kunjungan, Penugasan, Pertanyaan
from monev.scoring import ewarong_scorecard, penyedia_scorecard, ranking
from monev.visits import submit_kunjungan
from tests.conftest import KEL_GAMBIR
from tests.factories import EWarongFactory, PenyediaFactory

NOV = datetime.date(2026, 11, 10)
OCT = datetime.date(2026, 10, 10)


@pytest.fixture
def instrumen(db):
    HargaAcuan.objects.create(kode="uji", nama="Harga uji", nilai=10_000, berlaku_mulai=datetime.date(2020, 1, 1))
    instrumen = Instrumen.objects.create(kode="kecil", nama="Instrumen kecil", jenis="ewarong")
    bagian = Bagian.objects.create(instrumen=instrumen, urutan=1, judul="Semua")
    rows = [
        ("A", "ya_tidak", "sasaran", 4, {"jika": "tidak", "keparahan": "kritis"}),
        ("B", "harga", "harga", 3, {"acuan": "uji", "batas_persen": [[0, "tinggi"]]}),
        ("C", "ya_tidak", "harga", 1, {"jika": "tidak", "keparahan": "sedang"}),
        ("D", "teks", "administrasi", 0, {}),
    ]
    for n, (kode, tipe, aspek, bobot, aturan) in enumerate(rows):
        Pertanyaan.objects.create(
            instrumen=instrumen, bagian=bagian, urutan=n, kode=kode, teks=kode, tipe=tipe, aspek=aspek,
            bobot=bobot, aturan=aturan,
        )  # fmt: skip
    instrumen.terbitkan()
    return instrumen


@pytest.fixture
def visits(instrumen, pendamping_gambir):
    penyedia = PenyediaFactory(nama="PT Sumber")
    melati = EWarongFactory(nama="Melati", penyedia=penyedia, kelurahan_id=KEL_GAMBIR)
    kenanga = EWarongFactory(nama="Kenanga", penyedia=penyedia, kelurahan_id=KEL_GAMBIR)

    def visit(ewarong, tanggal, a, b, c):
        penugasan = Penugasan.objects.create(
            ewarong=ewarong, instrumen=instrumen, batas_waktu=tanggal, status=Penugasan.Status.SELESAI
        )
        kunjungan = Kunjungan.objects.create(
            uuid=uuid.uuid4(), penugasan=penugasan, instrumen=instrumen, ewarong=ewarong,
            petugas=pendamping_gambir, tanggal=tanggal,
        )  # fmt: skip
        for kode, nilai in (("A", a), ("B", b), ("C", c), ("D", "catatan")):
            Jawaban.objects.create(kunjungan=kunjungan, pertanyaan=instrumen.pertanyaan.get(kode=kode), nilai=nilai)
        submit_kunjungan(kunjungan)
        return kunjungan

    returned = visit(melati, NOV, "tidak", "99000", "tidak")
    returned.kembalikan(pendamping_gambir, "Foto tidak jelas")
    return {
        "penyedia": penyedia,
        "melati": melati,
        "kenanga": kenanga,
        "v1": visit(melati, NOV, "ya", "12000", "ya"),
        "v2": visit(kenanga, NOV, "tidak", "9000", "ya"),
        "v3": visit(melati, OCT, "ya", "10000", "ya"),
    }


def test_a_visit_scores_each_aspect_and_in_total(visits):
    v1 = visits["v1"]

    skor = {s.aspek: s.skor for s in v1.skor.all()}

    assert skor == {"sasaran": 100, "harga": 25}
    assert v1.skor_total == pytest.approx(62.5)
    assert visits["v2"].skor_total == 50


def test_ewarong_scorecard_by_month_matches_the_hand_computation(visits, sekretariat):
    rows = ewarong_scorecard(sekretariat, visits["melati"])

    assert [r["bulan"] for r in rows] == [datetime.date(2026, 10, 1), datetime.date(2026, 11, 1)]
    october, november = rows
    assert october["aspek"] == {"sasaran": 100, "harga": 100}
    assert november["aspek"] == {"sasaran": 100, "harga": 25}  # the returned visit does not count
    assert november["skor_total"] == pytest.approx(62.5)


def test_penyedia_scorecard_pools_the_ewarong_it_supplies(visits, sekretariat):
    per_month, per_ewarong = penyedia_scorecard(sekretariat, visits["penyedia"])

    november = per_month[-1]
    assert november["aspek"] == {"sasaran": 50, "harga": 62.5}
    assert november["skor_total"] == pytest.approx(56.25)
    totals = {r["ewarong_nama"]: r["skor_total"] for r in per_ewarong}
    assert totals == {"Kenanga": 50, "Melati": 81.25}


def test_ranking_lists_lowest_total_first(visits, sekretariat):
    rows = ranking(sekretariat, "ewarong", start=NOV, end=NOV)

    assert [(r["nama"], r["skor_total"]) for r in rows] == [("Kenanga", 50), ("Melati", 62.5)]


def test_scorecard_pages_show_the_figures_in_indonesian_format(client, visits, sekretariat):
    client.force_login(sekretariat)

    response = client.get(reverse("monev:skor_penyedia", args=[visits["penyedia"].pk]))

    assert response.status_code == 200
    assert "56,2" in response.content.decode() or "56,3" in response.content.decode()
