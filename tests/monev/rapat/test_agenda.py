"""The agenda proposed for a Jakarta Pusat meeting on 20 November 2026: every figure equals what plain SQL (or an
ORM aggregate written here, independently) gives for that date and that kota; Jakarta Selatan's rows, later
periods and older visits stay out."""

import datetime
import uuid

import pytest
from django.db import connection
from django.urls import reverse

from monev.models import (
    ButirAgenda,
    Instrumen,
    Keputusan,
    Kunjungan,
    Pengaduan,
    Penugasan,
    Rapat,
    SkorAspek,
    SkorRisiko,
    Temuan,
    TindakLanjut,
)
from penyaluran.distribusi.models import Realisasi
from tests.conftest import KEL_GAMBIR, KEL_TANAH_ABANG, KEL_TEBET, client_for
from tests.factories import EWarongFactory, PenyediaFactory, bni, periode
from tests.monev.rapat.conftest import at
from tikor.models import AuditLog

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 11, 20)
JAKPUS = "31.71"


@pytest.fixture
def data(dinsos, bappeda, pendamping_gambir):
    okt, nov, des = periode(2026, 10), periode(2026, 11), periode(2026, 12)
    # Realisation per kecamatan: (kode, name, credited, spent) per period; Tebet is lowest but in Jakarta Selatan,
    # and December comes after the meeting.
    realisasi = {
        okt: [("31.71.01", "Gambir", 1000, 100), ("31.71.07", "Tanah Abang", 1000, 900),
              ("31.74.01", "Tebet", 1000, 10)],
        nov: [("31.71.01", "Gambir", 2000, 1500), ("31.71.07", "Tanah Abang", 4000, 1000),
              ("31.71.02", "Sawah Besar", 3000, 2400), ("31.74.01", "Tebet", 1000, 5)],
        des: [("31.71.01", "Gambir", 2000, 1), ("31.71.07", "Tanah Abang", 2000, 2000)],
    }  # fmt: skip
    for per, rows in realisasi.items():
        for kode, nama, credited, spent in rows:
            Realisasi.objects.create(
                periode=per, tingkat="kecamatan", wilayah_id=kode, nama=nama,
                jumlah_disalurkan=credited, jumlah_dibelanjakan=spent,
            )  # fmt: skip
    # BNI's own row for Gambir (a bank's share of the kecamatan) is not the kecamatan's realisation.
    Realisasi.objects.create(periode=nov, tingkat="kecamatan", wilayah_id="31.71.01", nama="Gambir", bank=bni(),
                             jumlah_disalurkan=1000, jumlah_dibelanjakan=1)  # fmt: skip
    pny_a, pny_b, pny_c = (
        PenyediaFactory(nama="PT Alfa"),
        PenyediaFactory(nama="PT Beta"),
        PenyediaFactory(nama="PT Gama"),
    )
    melati = EWarongFactory(nama="Melati", kelurahan_id=KEL_GAMBIR, penyedia=pny_a)
    mawar = EWarongFactory(nama="Mawar", kelurahan_id=KEL_TANAH_ABANG, penyedia=pny_b)
    tebet = EWarongFactory(nama="Kenanga Tebet", kelurahan_id=KEL_TEBET, penyedia=pny_c)
    for ew, skor_nov, skor_des in ((melati, 40, 99), (mawar, 65, 1), (tebet, 90, 90)):
        SkorRisiko.objects.create(ewarong=ew, periode=nov, skor=skor_nov)
        SkorRisiko.objects.create(ewarong=ew, periode=des, skor=skor_des)

    def temuan(ew):
        return Temuan.objects.create(ewarong=ew, judul="Paket", aspek="harga", keparahan="tinggi")

    for ew, batas, status in (
        (melati, DAY - datetime.timedelta(days=5), "direncanakan"),
        (mawar, DAY - datetime.timedelta(days=30), "berjalan"),
        (melati, DAY + datetime.timedelta(days=5), "direncanakan"),  # not yet due on the day
        (mawar, DAY - datetime.timedelta(days=9), "selesai"),
        (tebet, DAY - datetime.timedelta(days=9), "direncanakan"),  # other kota
    ):
        TindakLanjut.objects.create(temuan=temuan(ew), uraian="Pembinaan", penanggung_jawab="Sudin", batas_waktu=batas,
                                    status=status)  # fmt: skip

    def aduan(ew, batas, status="baru"):
        return Pengaduan.objects.create(kanal="sms1708", kategori="harga", isi="Harga", ewarong=ew,
                                        batas_respons=batas, batas_selesai=batas, status=status)  # fmt: skip

    aduan(melati, DAY - datetime.timedelta(days=3))
    aduan(mawar, DAY - datetime.timedelta(days=12), "diproses")
    aduan(mawar, DAY + datetime.timedelta(days=2))
    aduan(melati, DAY - datetime.timedelta(days=8), "selesai")
    aduan(tebet, DAY - datetime.timedelta(days=8))

    instrumen = Instrumen.objects.terbaru(Instrumen.Jenis.EWARONG)

    def scored(ew, tanggal, patuh, total):
        # Done: its visit is verified (only one assignment per e-warong and instrument may stay open).
        penugasan = Penugasan.objects.create(
            ewarong=ew, instrumen=instrumen, batas_waktu=tanggal, status=Penugasan.Status.SELESAI
        )
        visit = Kunjungan.objects.create(
            uuid=uuid.uuid4(), penugasan=penugasan, instrumen=instrumen, ewarong=ew, tanggal=tanggal,
            status="terverifikasi", petugas=pendamping_gambir,
        )  # fmt: skip
        SkorAspek.objects.create(kunjungan=visit, aspek="harga", bobot_patuh=patuh, bobot_total=total)

    scored(melati, DAY - datetime.timedelta(days=10), 6, 10)
    scored(melati, DAY - datetime.timedelta(days=40), 9, 10)
    scored(mawar, DAY - datetime.timedelta(days=20), 4, 10)
    scored(mawar, DAY - datetime.timedelta(days=200), 0, 10)  # before the 90-day window
    scored(tebet, DAY - datetime.timedelta(days=5), 1, 10)  # other kota

    earlier = Rapat.objects.create(judul="Rapat Oktober", tingkat="kota", wilayah_id=JAKPUS,
                                   tanggal=at(datetime.date(2026, 10, 15)), tempat="Kantor Wali Kota")  # fmt: skip
    jaksel = Rapat.objects.create(judul="Rapat Jaksel", tingkat="kota", wilayah_id="31.74",
                                  tanggal=at(datetime.date(2026, 10, 15)), tempat="Kantor Wali Kota")  # fmt: skip
    for rapat, teks, batas, status in (
        (earlier, "Verifikasi KPM ganda", DAY - datetime.timedelta(days=6), "berjalan"),  # late on the day
        (earlier, "Sosialisasi HET", DAY + datetime.timedelta(days=6), "terbuka"),  # open, not late
        (earlier, "Tegur e-warong Melati", DAY - datetime.timedelta(days=20), "selesai"),
        (jaksel, "Keputusan Jaksel", DAY - datetime.timedelta(days=20), "terbuka"),
    ):
        Keputusan.objects.create(rapat=rapat, teks=teks, instansi=bappeda, penanggung_jawab="X", batas_waktu=batas,
                                 status=status)  # fmt: skip
    return {"nov": nov}


@pytest.fixture
def proposed(client, sekretariat, data, dinsos):
    client_for(client, sekretariat)
    response = client.post(
        reverse("monev:rapat_baru"),
        {"judul": "Rapat Tikor Jakarta Pusat November", "wilayah": JAKPUS, "tanggal": "2026-11-20T09:00",
         "tempat": "Kantor Wali Kota Jakarta Pusat", "diundang": [dinsos.pk]},
    )  # fmt: skip
    rapat = Rapat.objects.get(judul="Rapat Tikor Jakarta Pusat November")
    assert response.status_code == 302
    assert response.url == reverse("monev:rapat_agenda", args=[rapat.pk])
    return {item.jenis: item.data for item in rapat.agenda.all()}


def sql(query, *params):
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        return cursor.fetchall()


def test_meeting_gets_one_item_per_source_with_the_rapat_audited(proposed, sekretariat):
    assert set(proposed) == set(ButirAgenda.Jenis.values) - {"lain"}
    rapat = Rapat.objects.get(judul="Rapat Tikor Jakarta Pusat November")
    assert rapat.tingkat == "kota"
    audit = AuditLog.objects.get(objek="monev.rapat", keterangan__aksi="buat")
    assert (audit.pengguna, audit.keterangan["butir_agenda"]) == (sekretariat, 6)


def test_lowest_realisation_equals_sql_for_the_latest_period_up_to_the_meeting(proposed, data):
    rows = sql(
        """SELECT r.nama, CAST(r.jumlah_dibelanjakan AS double precision) / r.jumlah_disalurkan
           FROM penyaluran_realisasi r JOIN penyaluran_periode p ON p.id = r.periode_id
           WHERE r.tingkat = 'kecamatan' AND r.wilayah_id LIKE %s AND p.tahun = 2026 AND p.bulan = 11
             AND r.jumlah_disalurkan > 0 AND r.bank_id IS NULL
           ORDER BY 2, 1""",
        JAKPUS + ".%",
    )
    item = proposed["realisasi"]
    assert item["periode"] == str(data["nov"])
    assert item["jumlah"] == len(rows) == 3
    assert [(b["label"], b["nilai"]) for b in item["baris"]] == [(n, round(v, 4)) for n, v in rows]
    assert item["baris"][0]["teks"] == "25,0%"  # Tanah Abang: 1.000 of 4.000


def test_riskiest_ewarong_equal_sql_for_november(proposed):
    rows = sql(
        """SELECT e.nama, s.skor FROM penyaluran_skorrisiko s
           JOIN penyaluran_ewarong e ON e.id = s.ewarong_id JOIN penyaluran_periode p ON p.id = s.periode_id
           WHERE e.kelurahan_id LIKE %s AND p.tahun = 2026 AND p.bulan = 11 ORDER BY s.skor DESC""",
        JAKPUS + ".%",
    )
    item = proposed["risiko"]
    assert (
        [(b["label"], b["nilai"]) for b in item["baris"]]
        == [(n, v) for n, v in rows]
        == [("Mawar", 65), ("Melati", 40)]
    )


def test_overdue_actions_equal_an_independent_count(proposed):
    expected = (
        TindakLanjut.objects.filter(temuan__ewarong__kelurahan__kode__startswith=JAKPUS + ".", batas_waktu__lt=DAY)
        .exclude(status="selesai")
        .order_by("batas_waktu")
    )
    item = proposed["tindak_lanjut"]
    assert item["jumlah"] == expected.count() == 2
    assert [b["nilai"] for b in item["baris"]] == [(DAY - t.batas_waktu).days for t in expected] == [30, 5]


def test_complaints_past_sla_equal_sql(proposed):
    rows = sql(
        """SELECT nomor, %s::date - batas_selesai FROM monev_pengaduan
           WHERE kelurahan_id LIKE %s AND status <> 'selesai' AND batas_selesai < %s ORDER BY batas_selesai""",
        DAY, JAKPUS + ".%", DAY,
    )  # fmt: skip
    item = proposed["pengaduan"]
    assert item["jumlah"] == len(rows) == 2
    assert [b["nilai"] for b in item["baris"]] == [days for _nomor, days in rows] == [12, 3]
    assert [b["label"].split()[0] for b in item["baris"]] == [nomor for nomor, _days in rows]


def test_bottom_penyedia_equal_sql_over_the_ninety_days_before(proposed):
    rows = sql(
        """SELECT y.nama, 100.0 * SUM(s.bobot_patuh) / SUM(s.bobot_total) FROM monev_skoraspek s
           JOIN monev_kunjungan k ON k.id = s.kunjungan_id JOIN penyaluran_ewarong e ON e.id = k.ewarong_id
           JOIN penyaluran_penyedia y ON y.id = e.penyedia_id
           WHERE e.kelurahan_id LIKE %s AND k.status IN ('dikirim', 'terverifikasi')
             AND k.tanggal BETWEEN %s AND %s
           GROUP BY y.nama ORDER BY 2""",
        JAKPUS + ".%", DAY - datetime.timedelta(days=90), DAY,
    )  # fmt: skip
    item = proposed["penyedia"]
    assert [(b["label"], b["nilai"]) for b in item["baris"]] == [(n, round(float(v), 1)) for n, v in rows]
    assert [b["label"] for b in item["baris"]] == ["PT Beta", "PT Alfa"]  # 40,0 then 75,0


def test_earlier_decisions_still_open_and_late_on_the_meeting_day(proposed):
    item = proposed["keputusan_lalu"]
    open_ = Keputusan.objects.filter(rapat__wilayah_id=JAKPUS, rapat__tanggal__lt=at(DAY)).exclude(status="selesai")
    assert item["jumlah"] == open_.count() == 2
    assert item["terlambat"] == open_.filter(batas_waktu__lt=DAY).count() == 1
    assert [b["label"] for b in item["baris"]] == ["Verifikasi KPM ganda (Bappeda)"]


def test_agenda_page_shows_the_figures_and_the_secretariat_edits_it(client, proposed):
    rapat = Rapat.objects.get(judul="Rapat Tikor Jakarta Pusat November")
    page = client.get(reverse("monev:rapat_agenda", args=[rapat.pk]))
    assert "25,0%" in page.content.decode()
    items = list(rapat.agenda.all())
    form = {"agenda-TOTAL_FORMS": len(items) + 1, "agenda-INITIAL_FORMS": len(items)}
    for n, item in enumerate(items):
        form.update({f"agenda-{n}-id": item.pk, f"agenda-{n}-urutan": item.urutan, f"agenda-{n}-judul": item.judul,
                     f"agenda-{n}-uraian": item.uraian})  # fmt: skip
    form["agenda-0-judul"] = "Evaluasi keputusan rapat Oktober"
    form["agenda-5-DELETE"] = "on"
    form.update({"agenda-6-urutan": 70, "agenda-6-judul": "Persiapan juknis 2027", "agenda-6-uraian": ""})
    assert client.post(reverse("monev:rapat_agenda", args=[rapat.pk]), form).status_code == 302
    titles = list(rapat.agenda.values_list("judul", flat=True))
    assert titles[0] == "Evaluasi keputusan rapat Oktober"
    assert titles[-1] == "Persiapan juknis 2027"
    assert len(titles) == 6
