"""The dashboards and the map count what direct SQL on the registry, credits, purchases and monev tables counts, for
every role and filter; a pendamping's figures stop at its kecamatan; anggota see no personal data.

The data is seed_demo's (a small scale, two periods): every kind of row the dashboard reads, with planted problems.
The expected figures are computed here with plain SQL, never through the dashboard's code or the summary table.
"""

import json

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from penyaluran.distribusi.models import Periode
from penyaluran.registri.models import Kpm
from tests.conftest import seeded_for_module
from tikor.models import Bank, User

pytestmark = [pytest.mark.django_db]


@pytest.fixture(scope="module")
def _seeded(django_db_setup, django_db_blocker):
    with seeded_for_module(django_db_blocker, "--scale", "0.02", "--periode", "2"):
        yield {u.username: u for u in User.objects.all()}


@pytest.fixture
def demo(_seeded, db):
    return _seeded


def one(query, *params):
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        return cursor.fetchone()[0] or 0


def expected(prefix, periode, bank=None, window_start=None):
    """The dashboard's headline figures by SQL, for the regions under `prefix` ('31.71.' or '' for DKI)."""
    like = f"{prefix}%"
    bank_kpm = "AND k.bank_id = %s" if bank else ""
    bank_ew = "AND e.bank_id = %s" if bank else ""
    b = [bank.pk] if bank else []
    if prefix:
        credits = one(
            "SELECT SUM(p.jumlah) FROM penyaluran_penyaluran p JOIN penyaluran_kpm k ON k.id = p.kpm_id "
            f"WHERE p.periode_id = %s AND p.status = 'tersalur' AND k.kelurahan_id LIKE %s "
            f"{'AND p.bank_id = %s' if bank else ''}",
            periode.pk,
            like,
            *b,
        )
        spent = one(
            "SELECT SUM(t.jumlah) FROM penyaluran_transaksi t JOIN penyaluran_kpm k ON k.id = t.kpm_id "
            f"WHERE t.periode_id = %s AND k.kelurahan_id LIKE %s {'AND t.bank_id = %s' if bank else ''}",
            periode.pk,
            like,
            *b,
        )
    else:  # the province also counts credits and purchases of NIKs outside the registry
        credits = one(
            "SELECT SUM(jumlah) FROM penyaluran_penyaluran WHERE periode_id = %s AND status = 'tersalur' "
            f"{'AND bank_id = %s' if bank else ''}",
            periode.pk,
            *b,
        )
        spent = one(
            f"SELECT SUM(jumlah) FROM penyaluran_transaksi WHERE periode_id = %s {'AND bank_id = %s' if bank else ''}",
            periode.pk,
            *b,
        )
    today = timezone.localdate()
    return {
        "kpm_aktif": one(
            f"SELECT COUNT(*) FROM penyaluran_kpm k WHERE k.status = 'aktif' "
            f"AND COALESCE(k.kelurahan_id, '') LIKE %s {bank_kpm}",
            like,
            *b,
        ),
        "disalurkan": credits,
        "dibelanjakan": spent,
        "ewarong_aktif": one(
            f"SELECT COUNT(*) FROM penyaluran_ewarong e WHERE e.status = 'aktif' AND e.kelurahan_id LIKE %s {bank_ew}",
            like,
            *b,
        ),
        "ewarong_berisiko": one(
            "SELECT COUNT(*) FROM penyaluran_skorrisiko s JOIN penyaluran_ewarong e ON e.id = s.ewarong_id "
            f"WHERE s.periode_id = %s AND s.skor >= 50 AND e.kelurahan_id LIKE %s {bank_ew}",
            periode.pk,
            like,
            *b,
        ),
        "temuan_terbuka": one(
            "SELECT COUNT(*) FROM monev_temuan t JOIN penyaluran_ewarong e ON e.id = t.ewarong_id "
            f"WHERE t.status <> 'selesai' AND e.kelurahan_id LIKE %s {bank_ew}",
            like,
            *b,
        ),
        "temuan_terlambat": one(
            "SELECT COUNT(*) FROM monev_temuan t JOIN penyaluran_ewarong e ON e.id = t.ewarong_id "
            f"WHERE t.status <> 'selesai' AND t.batas_waktu < %s AND e.kelurahan_id LIKE %s {bank_ew}",
            today,
            like,
            *b,
        ),
        "kunjungan_rencana": one(
            "SELECT COUNT(*) FROM monev_penugasan g JOIN penyaluran_ewarong e ON e.id = g.ewarong_id "
            f"WHERE g.status <> 'batal' AND g.batas_waktu >= %s AND e.kelurahan_id LIKE %s {bank_ew}",
            window_start,
            like,
            *b,
        ),
        "kunjungan_selesai": one(
            "SELECT COUNT(*) FROM monev_penugasan g JOIN penyaluran_ewarong e ON e.id = g.ewarong_id "
            "WHERE g.status <> 'batal' AND g.batas_waktu >= %s AND e.kelurahan_id LIKE %s "
            "AND EXISTS (SELECT 1 FROM monev_kunjungan v WHERE v.penugasan_id = g.id "
            f"AND v.status IN ('dikirim', 'terverifikasi')) {bank_ew}",
            window_start,
            like,
            *b,
        ),
    }


def shown(response):
    r = response.context["ringkasan"]
    return {
        "kpm_aktif": r["kpm_aktif"],
        "disalurkan": r["realisasi"]["jumlah_disalurkan"],
        "dibelanjakan": r["realisasi"]["jumlah_dibelanjakan"],
        "ewarong_aktif": r["ewarong_aktif"],
        "ewarong_berisiko": r["ewarong_berisiko"],
        "temuan_terbuka": r["temuan_terbuka"],
        "temuan_terlambat": r["temuan_terlambat"],
        "kunjungan_rencana": r["kunjungan_rencana"],
        "kunjungan_selesai": r["kunjungan_selesai"],
    }


def latest():
    return Periode.objects.order_by("-tahun", "-bulan").first()


@pytest.mark.parametrize(
    ("query", "prefix", "bank"),
    [({}, "", None), ({"kota": "31.71"}, "31.71.", None), ({"kecamatan": "31.74.01"}, "31.74.01.", None),
     ({"kota": "31.73"}, "31.73.", "a bank of the kota")],
)  # fmt: skip
def test_sekretariat_dashboard_equals_direct_sql_for_each_filter(client, demo, query, prefix, bank):
    periode = latest()
    if bank:  # one of the banks that serve KPM there at this demo scale
        bank = Kpm.objects.filter(kelurahan__kode__startswith=prefix).order_by("bank").first().bank
    client.force_login(demo["sekretariat"])
    params = {**query, "periode": periode.pk, **({"bank": bank.pk} if bank else {})}

    response = client.get(reverse("beranda"), params)

    assert response.status_code == 200
    want = expected(prefix, periode, bank, window_start=periode.mulai)
    assert shown(response) == want
    assert want["disalurkan"]
    assert want["kpm_aktif"]
    realisasi = response.context["ringkasan"]["realisasi"]
    assert realisasi["persen"] == pytest.approx(want["dibelanjakan"] / want["disalurkan"])
    assert realisasi["sisa_saldo"] == want["disalurkan"] - want["dibelanjakan"]


def test_an_earlier_period_compares_with_the_month_before_it(client, demo):
    later, earlier = Periode.objects.order_by("-tahun", "-bulan")[:2]
    client.force_login(demo["sekretariat"])

    response = client.get(reverse("beranda"), {"periode": later.pk, "kota": "31.73"})

    before = response.context["ringkasan"]["realisasi_lalu"]
    want = expected("31.73.", earlier, window_start=earlier.mulai)
    assert (before["jumlah_disalurkan"], before["jumlah_dibelanjakan"]) == (want["disalurkan"], want["dibelanjakan"])
    points = (response.context["ringkasan"]["realisasi"]["persen"] - before["persen"]) * 100
    assert f"{abs(points):.1f}".replace(".", ",") in response.content.decode()


def test_complaints_by_status_are_those_received_in_the_period(client, demo):
    periode = latest()
    client.force_login(demo["tikor.jakpus"])

    response = client.get(reverse("beranda"))

    for row in response.context["ringkasan"]["pengaduan_status"]:
        assert row["jumlah"] == one(
            "SELECT COUNT(*) FROM monev_pengaduan WHERE status = %s AND kelurahan_id LIKE '31.71.%%' "
            "AND diterima_pada >= %s",
            row["kode"],
            timezone.make_aware(timezone.datetime(periode.tahun, periode.bulan, 1)),
        )


def test_tikor_kota_sees_its_kota_and_not_another(client, demo):
    client.force_login(demo["tikor.jakpus"])
    periode = latest()

    assert shown(client.get(reverse("beranda"))) == expected("31.71.", periode, window_start=periode.mulai)
    assert client.get(reverse("beranda"), {"kota": "31.74"}).status_code == 404


def test_pendamping_dashboard_and_map_count_only_its_kecamatan(client, demo):
    pendamping = demo["pendamping.gambir"]
    periode = latest()
    client.force_login(pendamping)

    response = client.get(reverse("beranda"))
    peta = client.get(reverse("peta"))

    assert shown(response) == expected("31.71.01.", periode, window_start=periode.mulai)
    assert all(e.kelurahan_id.startswith("31.71.01.") for e in response.context["tugas"]["ewarong"])
    data = peta.context["peta_data"]
    regions = [kode for level in data["nilai"].values() for kode in level]
    assert regions
    assert all(kode.startswith("31.71.01") for kode in regions)
    assert all(m["kelurahan"].startswith("31.71.01.") for m in data["penanda"])
    assert data["nilai"]["kecamatan"]["31.71.01"]["kpm_disalurkan"] == one(
        "SELECT COUNT(DISTINCT p.kpm_id) FROM penyaluran_penyaluran p JOIN penyaluran_kpm k ON k.id = p.kpm_id "
        "WHERE p.periode_id = %s AND p.status = 'tersalur' AND k.kelurahan_id LIKE '31.71.01.%%'",
        periode.pk,
    )
    assert client.get(reverse("beranda"), {"kecamatan": "31.71.07"}).status_code == 404
    assert client.get(reverse("peta"), {"kota": "31.71"}).status_code == 404


def test_pendamping_sees_its_assignments_overdue_first(client, demo):
    pendamping = demo["pendamping.gambir"]
    client.force_login(pendamping)

    tugas = client.get(reverse("beranda")).context["tugas"]

    due = [p.batas_waktu for p in tugas["penugasan"]]
    assert due == sorted(due)
    assert tugas["penugasan_jumlah"] == one(
        "SELECT COUNT(DISTINCT g.id) FROM monev_penugasan g LEFT JOIN monev_timmonev t ON t.id = g.tim_id "
        "LEFT JOIN monev_timmonev_anggota a ON a.timmonev_id = t.id JOIN penyaluran_ewarong e ON e.id = g.ewarong_id "
        "WHERE g.status = 'terbuka' AND e.kelurahan_id LIKE '31.71.01.%%' "
        "AND (g.petugas_id = %s OR a.user_id = %s OR t.ketua_id = %s)",
        pendamping.pk,
        pendamping.pk,
        pendamping.pk,
    )


def test_a_bank_member_sees_its_bank_only(client, demo):
    anggota_bni = demo["anggota.bni"]
    bni = Bank.objects.get(kode="BNI")
    periode = latest()
    client.force_login(anggota_bni)

    response = client.get(reverse("beranda"), {"bank": Bank.objects.get(kode="BRI").pk})  # a choice it does not have

    assert response.context["f"].bank == bni
    assert shown(response) == expected("", periode, bni, window_start=periode.mulai)


def test_anggota_see_no_nik_no_kk_or_kks_in_full(client, demo):
    client.force_login(demo["anggota.tikor"])
    pages = [
        client.get(reverse("beranda")).content.decode(),
        client.get(reverse("peta")).content.decode(),
        client.get(reverse("peta"), {"tingkat": "kelurahan", "ukuran": "pengaduan_per_1000"}).content.decode(),
    ]

    secrets = [v for row in Kpm.objects.values_list("nik", "no_kk", "nomor_kks") for v in row if v]
    assert len(secrets) > 100
    for page in pages:
        assert not [s for s in secrets if s in page]


def test_the_map_boundaries_are_the_44_kecamatan_and_267_kelurahan_simplified(client, demo):
    client.force_login(demo["anggota.tikor"])

    kecamatan = client.get(reverse("peta_batas", args=["kecamatan"]))
    kelurahan = client.get(reverse("peta_batas", args=["kelurahan"]))

    assert len(json.loads(kecamatan.content)["features"]) == 44
    assert len(json.loads(kelurahan.content)["features"]) == 267
    assert len(kelurahan.content) < 882_563 / 2
    assert "max-age=86400" in kecamatan["Cache-Control"]
    assert client.get(reverse("peta_batas", args=["provinsi"])).status_code == 404
    assert (
        client.get(reverse("peta_batas", args=["kecamatan"]), HTTP_IF_NONE_MATCH=kecamatan["ETag"]).status_code == 304
    )


def test_a_filter_outside_the_choices_answers_404(client, demo):
    client.force_login(demo["sekretariat"])

    assert client.get(reverse("beranda"), {"periode": 999999}).status_code == 404
    assert client.get(reverse("beranda"), {"kota": "31.99"}).status_code == 404
    assert client.get(reverse("beranda"), {"bank": "x"}).status_code == 404
    assert client.get(reverse("peta"), {"ukuran": "nik"}).status_code == 404


def test_dashboard_and_map_answer_with_a_fixed_number_of_queries(client, demo, django_assert_max_num_queries):
    # A pendamping's page adds its worklists, the others the late Tikor decisions (a count and the first five);
    # every page counts the unread notifications for the bell. The numbers do not grow with the rows.
    for username, dashboard, peta in (("sekretariat", 24, 19), ("pendamping.gambir", 32, 23), ("anggota.bni", 25, 20)):
        client.force_login(demo[username])
        with django_assert_max_num_queries(dashboard):
            assert client.get(reverse("beranda")).status_code == 200
        with django_assert_max_num_queries(peta):
            assert client.get(reverse("peta")).status_code == 200
