"""Report figures equal direct SQL aggregates over the same scope and month, and the same report twice gives
the same numbers."""

import datetime

import pytest
from django.db import connection

from monev.laporan import builders, xlsx
from monev.laporan.pembaca import pembaca
from monev.models import Laporan
from tests.conftest import JAKPUS
from tests.monev.laporan.conftest import OKTOBER, data_rows, sheets

pytestmark = pytest.mark.django_db
JUNI = datetime.date(2021, 6, 1)


def sql_one(query, params):
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        return cursor.fetchone()


def credits_sql(periode, prefix="", bank_id=None):
    """KPM credited and the amount, straight from the credit table (prefix: the KPM's region code)."""
    query = (
        "SELECT COUNT(DISTINCT p.kpm_id), COALESCE(SUM(p.jumlah), 0) FROM penyaluran_penyaluran p "
        "LEFT JOIN penyaluran_kpm k ON k.id = p.kpm_id WHERE p.periode_id = %s AND p.status = 'tersalur'"
    )
    params = [periode.pk]
    if prefix:
        query += " AND k.kelurahan_id LIKE %s"
        params.append(f"{prefix}.%")
    if bank_id:
        query += " AND p.bank_id = %s"
        params.append(bank_id)
    return sql_one(query, params)


def purchases_sql(periode, prefix="", bank_id=None):
    query = (
        "SELECT COUNT(*), COALESCE(SUM(t.jumlah), 0) FROM penyaluran_transaksi t "
        "LEFT JOIN penyaluran_kpm k ON k.id = t.kpm_id WHERE t.periode_id = %s"
    )
    params = [periode.pk]
    if prefix:
        query += " AND k.kelurahan_id LIKE %s"
        params.append(f"{prefix}.%")
    if bank_id:
        query += " AND t.bank_id = %s"
        params.append(bank_id)
    return sql_one(query, params)


def test_province_realisation_equals_the_credit_and_purchase_tables(buat, sekretariat, distribusi):
    laporan = buat(Laporan.Jenis.REALISASI, JUNI, "31", sekretariat)

    assert laporan.status == "selesai", laporan.pesan
    kpm, disalurkan = credits_sql(distribusi["periode"])
    transaksi, dibelanjakan = purchases_sql(distribusi["periode"])
    figures = laporan.ringkasan
    assert (figures["kpm_disalurkan"], figures["jumlah_disalurkan"]) == (kpm, disalurkan) == (7, 1_600_000)
    assert (figures["jumlah_transaksi"], figures["jumlah_dibelanjakan"]) == (transaksi, dibelanjakan)
    # The kota sheet's totals row holds the same figures, the credit outside the registry on a row of its own.
    _workbook, data = sheets(laporan)
    total = next(row for row in data["Kota"] if row[0] == "Jumlah")
    assert total[2:4] == [kpm, disalurkan]
    assert any(row[1] == "Di luar registri (tanpa wilayah)" and row[3] == 200_000 for row in data["Kota"])


def test_a_tikor_kota_report_holds_only_its_kota(buat, tikor_jakpus, distribusi):
    laporan = buat(Laporan.Jenis.REALISASI, JUNI, JAKPUS, tikor_jakpus)

    kpm, disalurkan = credits_sql(distribusi["periode"], JAKPUS)
    transaksi, dibelanjakan = purchases_sql(distribusi["periode"], JAKPUS)
    assert (
        (laporan.ringkasan["kpm_disalurkan"], laporan.ringkasan["jumlah_disalurkan"])
        == (kpm, disalurkan)
        == (
            5,
            1_000_000,
        )
    )
    assert (laporan.ringkasan["jumlah_transaksi"], laporan.ringkasan["jumlah_dibelanjakan"]) == (
        transaksi,
        dibelanjakan,
    )
    _workbook, data = sheets(laporan)
    assert "Kota" not in data
    codes = [row[0] for row in data_rows(data["Kecamatan"])]
    assert codes == ["31.71.01", "31.71.07"]
    assert [row[1] for row in data_rows(data["E-warong"])] == ['=HYPERLINK("http://contoh";"klik")', "e-Warong Mawar"]


def test_a_bank_staff_report_holds_only_its_bank(buat, distribusi, bri):
    from tests.factories import UserFactory
    from tikor.models import Role

    anggota_bri = UserFactory(username="anggota.bri", role=Role.ANGGOTA, bank=bri)
    laporan = buat(Laporan.Jenis.REALISASI, JUNI, "31", anggota_bri)

    assert laporan.bank == bri
    kpm, disalurkan = credits_sql(distribusi["periode"], bank_id=bri.pk)
    assert (
        (laporan.ringkasan["kpm_disalurkan"], laporan.ringkasan["jumlah_disalurkan"])
        == (kpm, disalurkan)
        == (
            2,
            400_000,
        )
    )
    _workbook, data = sheets(laporan)
    assert [row[1] for row in data_rows(data["E-warong"])] == ["e-Warong Tebet"]


def test_a_pendamping_report_holds_only_its_kecamatan_even_when_it_asks_for_more(buat, pendamping_gambir, distribusi):
    # The form offers only its own area; asked directly for the kota, the gate still cuts it to Gambir.
    laporan = buat(Laporan.Jenis.REALISASI, JUNI, JAKPUS, pendamping_gambir)

    kpm, disalurkan = credits_sql(distribusi["periode"], "31.71.01")
    assert (
        (laporan.ringkasan["kpm_disalurkan"], laporan.ringkasan["jumlah_disalurkan"])
        == (kpm, disalurkan)
        == (
            3,
            600_000,
        )
    )
    _workbook, data = sheets(laporan)
    assert {row[0][:8] for row in data_rows(data["Kelurahan"])} == {"31.71.01"}


def test_monev_recap_counts_equal_direct_counts(buat, sekretariat, monev_oktober):
    laporan = buat(Laporan.Jenis.MONEV, OKTOBER, "31", sekretariat)

    assert laporan.status == "selesai", laporan.pesan
    start, end = "2026-10-01", "2026-10-31"
    planned = sql_one(
        "SELECT COUNT(*), COUNT(*) FILTER (WHERE status = 'selesai') FROM monev_penugasan "
        "WHERE batas_waktu BETWEEN %s AND %s AND status <> 'batal'",
        [start, end],
    )
    visits = sql_one(
        "SELECT COUNT(*) FROM monev_kunjungan WHERE tanggal BETWEEN %s AND %s "
        "AND status IN ('dikirim', 'terverifikasi')",
        [start, end],
    )[0]
    score = sql_one(
        "SELECT 100.0 * SUM(s.bobot_patuh) / SUM(s.bobot_total) FROM monev_skoraspek s "
        "JOIN monev_kunjungan k ON k.id = s.kunjungan_id WHERE k.tanggal BETWEEN %s AND %s "
        "AND k.status IN ('dikirim', 'terverifikasi')",
        [start, end],
    )[0]
    findings = sql_one(
        "SELECT COUNT(*) FROM monev_temuan WHERE dibuat_pada >= %s AND dibuat_pada < %s", [start, "2026-11-01"]
    )[0]
    actions = sql_one(
        "SELECT COUNT(*), COUNT(*) FILTER (WHERE status = 'selesai' AND ditutup_pada::date <= batas_waktu) "
        "FROM monev_tindaklanjut WHERE batas_waktu BETWEEN %s AND %s",
        [start, end],
    )
    figures = laporan.ringkasan
    assert (figures["direncanakan"], figures["penugasan_selesai"]) == planned == (4, 3)
    assert figures["kunjungan_dinilai"] == visits == 3
    assert figures["skor_total"] == pytest.approx(float(score)) == pytest.approx(100 * 10 / 14)
    assert figures["temuan"] == findings == 3
    assert (figures["tindak_lanjut_jatuh_tempo"], figures["tindak_lanjut_tepat"]) == actions == (3, 1)


def test_the_same_report_twice_gives_the_same_numbers(sekretariat, distribusi, tmp_path):
    from monev.laporan.jobs import ask
    from tikor.models import Wilayah

    laporan = ask(Laporan.Jenis.REALISASI, JUNI, Wilayah.objects.get(kode="31"), user=sekretariat)
    reader = pembaca(sekretariat, "31")
    first, second = builders.build(laporan, reader), builders.build(laporan, reader)

    assert first.ringkasan == second.ringkasan
    assert [t.baris for t in first.tabel] == [t.baris for t in second.tabel]
    assert [t.total for t in first.tabel] == [t.total for t in second.tabel]
    # And the files written from them hold the same cells beyond the cover's generation time.
    from django.utils import timezone
    from openpyxl import load_workbook

    paths = []
    for n, dokumen in enumerate((first, second)):
        path = tmp_path / f"{n}.xlsx"
        xlsx.write(dokumen, str(path), timezone.now())
        paths.append(path)
    values = [
        {ws.title: [[c.value for c in r] for r in ws.iter_rows()] for ws in load_workbook(p).worksheets[1:]}
        for p in paths
    ]
    assert values[0] == values[1]
