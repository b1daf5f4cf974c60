"""What the files hold: text NIK cells, no formula cells, frozen panes and totals in the XLSX; the letterhead,
page numbers and the "as of" time in the PDF."""

import datetime
import io

import pytest
from pypdf import PdfReader

from monev.models import Laporan
from tests.monev.laporan.conftest import OKTOBER, data_rows, sheets

pytestmark = pytest.mark.django_db
JUNI = datetime.date(2021, 6, 1)


def every_cell(workbook):
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            yield from row


def test_realisation_workbook_has_a_cover_frozen_headers_number_formats_and_totals(buat, sekretariat, distribusi):
    laporan = buat(Laporan.Jenis.REALISASI, JUNI, "31", sekretariat)

    workbook, data = sheets(laporan)
    assert workbook.sheetnames == ["Sampul", "Kota", "Kecamatan", "Kelurahan", "E-warong"]
    cover = {row[0]: row[1] for row in data["Sampul"] if row[0]}
    assert cover["Periode"].startswith("Juni 2021")
    assert cover["Wilayah"] == "Daerah Khusus Ibukota Jakarta"
    assert "WIB" in cover["Dibuat pada"]
    kota = workbook["Kota"]
    assert kota.freeze_panes == "C2"
    assert [c.value for c in kota[1]][:4] == ["Kode", "Kota", "KPM disalurkan", "Jumlah disalurkan (Rp)"]
    first = kota[2]
    assert (first[3].number_format, first[5].number_format) == ('"Rp"#,##0', "0.0%")
    totals = next(row for row in kota.iter_rows() if row[0].value == "Jumlah")
    assert totals[3].value == sum(r[3] for r in data_rows(data["Kota"])) == 1_600_000
    assert totals[3].font.b


def test_no_cell_is_a_formula_and_text_that_looks_like_one_stays_text(buat, sekretariat, distribusi):
    laporan = buat(Laporan.Jenis.REALISASI, JUNI, "31", sekretariat)

    workbook, _data = sheets(laporan)
    assert not [c.coordinate for c in every_cell(workbook) if c.data_type == "f"]
    name = next(c for c in every_cell(workbook) if c.value == '=HYPERLINK("http://contoh";"klik")')
    assert (name.data_type, name.quotePrefix) == ("s", True)


def test_reconciliation_lines_keep_the_nik_as_text(buat, sekretariat, distribusi):
    laporan = buat(Laporan.Jenis.REKONSILIASI, JUNI, "31", sekretariat)

    workbook, data = sheets(laporan)
    header = data["Rincian"][0]
    nik_column = header.index("NIK")
    cells = [row[nik_column] for row in workbook["Rincian"].iter_rows(min_row=2) if row[nik_column].value]
    outside = next(c for c in cells if c.value == "3171019999990001")
    assert (outside.data_type, outside.number_format) == ("s", "@")
    assert laporan.ringkasan["tidak_terdaftar"] == 1


def test_pdf_has_the_letterhead_page_numbers_and_the_as_of_time(buat, sekretariat, monev_oktober):
    laporan = buat(Laporan.Jenis.MONEV, OKTOBER, "31", sekretariat)

    with laporan.berkas_pdf.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    first = reader.pages[0].extract_text()
    assert "DINAS SOSIAL" in first
    assert "Rekap Monev Program Sembako Oktober 2026" in first
    assert f"Halaman 1 dari {len(reader.pages)}" in first
    assert "Keadaan per" in first
    assert "WIB" in first
    assert "<svg" not in first  # the chart is drawn, not printed as text
    assert "Tepat sasaran" in first


@pytest.mark.parametrize(
    "jenis", [Laporan.Jenis.PENYEDIA, Laporan.Jenis.PENGADUAN, Laporan.Jenis.EWARONG, Laporan.Jenis.REKONSILIASI]
)
def test_every_kind_builds_both_files(buat, sekretariat, distribusi, monev_oktober, jenis):
    bulan = JUNI if jenis in (Laporan.Jenis.REKONSILIASI, Laporan.Jenis.EWARONG) else OKTOBER
    ewarong = distribusi["melati"] if jenis == Laporan.Jenis.EWARONG else None

    laporan = buat(jenis, bulan, "31", sekretariat, ewarong=ewarong)

    assert (laporan.status, laporan.persen) == ("selesai", 100), laporan.pesan
    assert laporan.berkas_xlsx.name.endswith(".xlsx")
    assert laporan.berkas_pdf.name.endswith(".pdf")


def test_realisation_of_a_month_without_distribution_fails_with_a_reason(buat, sekretariat, db):
    laporan = buat(Laporan.Jenis.REALISASI, datetime.date(2020, 1, 1), "31", sekretariat)

    assert laporan.status == "gagal"
    assert laporan.pesan == "Belum ada data penyaluran untuk Januari 2020."
    assert not laporan.berkas_xlsx
