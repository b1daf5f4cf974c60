"""Benchmark of reports and the full KPM export on PostgreSQL with a real Celery worker (issue 14).

    createdb -h 127.0.0.1 -U postgres tikor_bench14
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tikor_bench14 REDIS_URL=redis://127.0.0.1:6379/14 SECRET_KEY=x \
        .venv/bin/python bench/laporan.py

It migrates the database it is given and loads seed_demo at full scale (206.438 KPM; --periode months of 2021,
default 2) unless the database already holds periods: never point it at real data. Then, each figure beside
its floor and the ratio:
  1. the province's realisation report of the latest period, XLSX and PDF: the whole job through a worker
     (time to the first progress the page can show, time to done) and, in this process, each step (the
     builder's queries, the XLSX, the PDF) beside the bare aggregate queries over the summary table;
  2. the monev recap of the busiest month of visits: the same;
  3. the XLSX of all KPM: the export's writer (sheet XML streamed into the zip, tikor.xlsx_stream) beside
     XlsxWriter in constant memory, openpyxl's write-only mode (the export's writer before) and the CSV
     writer, each in a process of its own for its peak RSS, then the export job through the worker.
Without REDIS_URL the worker stages are skipped and the jobs run eagerly in this process (the output says so).
Targets: each report <= 30 s; the KPM XLSX <= 15 s and < 300 MB; progress visible within 2 s.
"""

import argparse
import io
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchutil import angka, peak_rss_mb

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tikor.settings")


def setup_django():
    import django

    django.setup()


def seconds(started):
    return time.perf_counter() - started


def ratio(value, floor):
    return f"{angka(value / floor, 1)}×" if floor else "–"


def line(label, took, floor=None, floor_label=""):
    text = f"  {label:<46} {angka(took, 2):>8} s"
    if floor is not None:
        text += f"   (dasar: {floor_label} {angka(floor, 2)} s, rasio {ratio(took, floor)})"
    print(text)


def seed(months):
    from django.core.management import call_command

    from penyaluran.distribusi.models import Periode

    call_command("migrate", verbosity=0)
    if Periode.objects.exists():
        print("Data demo sudah ada; seed_demo dilewati.")
        return
    started = time.perf_counter()
    call_command("seed_demo", "--scale", "1", "--periode", str(months), stdout=io.StringIO())
    print(f"seed_demo --scale 1 --periode {months}: {seconds(started):.0f} s")


def sekretariat():
    from tikor.models import Role, User

    return User.objects.filter(role=Role.SEKRETARIAT, is_active=True).order_by("pk").first()


# --- a worker of our own ---------------------------------------------------------------------------------------


class Worker:
    """A Celery worker process for the run (one process, as a small server would have), stopped at the end."""

    def __init__(self):
        self.process = None

    def __enter__(self):
        from django.conf import settings

        if settings.CELERY_TASK_ALWAYS_EAGER:
            return None
        self.process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "tikor", "worker", "--concurrency", "1", "-l", "warning"],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        from tikor.celery import app

        for _attempt in range(60):
            if app.control.ping(timeout=0.5):
                return self
            time.sleep(0.5)
        raise RuntimeError("The Celery worker did not answer in 30 s.")

    def __exit__(self, *exc):
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=30)


def through_worker(model, job):
    """Wait for `job` to end: (seconds to the first progress the page shows, seconds to the end)."""
    started, first = time.perf_counter(), None
    while True:
        job.refresh_from_db()
        if first is None and (job.status != "menunggu" or getattr(job, "persen", 0)):
            first = seconds(started)
        if job.selesai_berjalan:
            return first, seconds(started), job
        time.sleep(0.1)


# --- reports -------------------------------------------------------------------------------------------------


def report_steps(laporan):
    """Builder, XLSX and PDF timed apart, in this process."""
    from django.utils import timezone

    from monev.laporan import builders, pdf, xlsx
    from monev.laporan.pembaca import pembaca

    reader = pembaca(laporan.dibuat_oleh, laporan.wilayah_id, laporan.bank_id)
    started = time.perf_counter()
    dokumen = builders.build(laporan, reader)
    build = seconds(started)
    started = time.perf_counter()
    with tempfile.TemporaryFile() as target:
        rows = xlsx.write(dokumen, target, timezone.now())
        size = target.tell()
    write_xlsx = seconds(started)
    started = time.perf_counter()
    pages = pdf.render(dokumen, timezone.now())
    write_pdf = seconds(started)
    return build, write_xlsx, write_pdf, rows, size, len(pages)


def realisation_floor(periode, user):
    """The aggregate queries alone: every level's summary rows, fetched."""
    from penyaluran.distribusi.models import Realisasi
    from penyaluran.distribusi.realisasi import rows_for

    started = time.perf_counter()
    for level in (Realisasi.Tingkat.KOTA, Realisasi.Tingkat.KECAMATAN, Realisasi.Tingkat.KELURAHAN):
        list(rows_for(user, periode, level))
    list(rows_for(user, periode, Realisasi.Tingkat.EWARONG).select_related("ewarong__kelurahan"))
    return seconds(started)


def monev_floor(bulan, user):
    """The recap's counts as one plain aggregate per table, without grouping or formatting."""
    import calendar
    import datetime

    from monev.models import Kunjungan, Penugasan, SkorAspek, Temuan, TindakLanjut

    start = bulan
    end = datetime.date(bulan.year, bulan.month, calendar.monthrange(bulan.year, bulan.month)[1])
    started = time.perf_counter()
    Penugasan.objects.for_user(user).filter(batas_waktu__range=(start, end)).count()
    visits = Kunjungan.objects.for_user(user).filter(tanggal__range=(start, end))
    visits.count()
    SkorAspek.objects.filter(kunjungan__in=visits).count()
    Temuan.objects.for_user(user).filter(dibuat_pada__date__range=(start, end)).count()
    TindakLanjut.objects.for_user(user).filter(batas_waktu__range=(start, end)).count()
    return seconds(started)


def report(jenis, bulan, user, floor, floor_label, use_worker):
    from monev.laporan import jobs
    from monev.models import Laporan
    from tikor.models import Wilayah

    province = Wilayah.objects.get(kode="31")
    laporan = jobs.ask(jenis, bulan, province, user=user)
    if use_worker:
        first, total, laporan = through_worker(Laporan, laporan)
        print(
            f"  pekerjaan lewat pekerja Celery: selesai dalam {angka(total, 1)} s, kemajuan pertama terlihat setelah "
            f"{angka(first, 1)} s; status {laporan.status} · {laporan.pesan}"
        )
    else:
        laporan.refresh_from_db()
        print(f"  pekerjaan dijalankan langsung (eager, tanpa pekerja): status {laporan.status}")
    build, write_xlsx, write_pdf, rows, size, pdf_bytes = report_steps(laporan)
    line("membaca dan menyusun angka (builder)", build, floor, floor_label)
    line(f"XLSX ({angka(rows)} baris, {angka(size / 1024, 0)} KB)", build + write_xlsx, floor, floor_label)
    line(f"PDF ({angka(pdf_bytes / 1024, 0)} KB)", build + write_pdf, floor, floor_label)
    laporan.delete()


# --- the KPM export, one writer per process ---------------------------------------------------------------------


def openpyxl_write_only(kind, queryset, user, target):
    """The export's writer before this change (openpyxl write-only), for the comparison."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    from penyaluran.registri.exports import COLUMNS, TITLES, rows
    from tikor.spreadsheet import text_cell, xlsx_row

    columns = COLUMNS[kind]
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(TITLES[kind])
    sheet.freeze_panes = "A2"
    header = []
    for column in columns:
        cell = text_cell(sheet, column.header)
        cell.font = Font(bold=True)
        header.append(cell)
    sheet.append(header)
    text_positions = [i for i, c in enumerate(columns) if c.text]
    count = 0
    for values in rows(kind, queryset, user):
        for i in text_positions:
            values[i] = text_cell(sheet, str(values[i]), number_format="@")
        sheet.append(xlsx_row(sheet, values))
        count += 1
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{count + 1}"
    workbook.save(target)
    return count


def xlsxwriter_constant_memory(kind, queryset, user, target):
    """XlsxWriter in constant-memory mode, cell by cell: the usual fast choice, measured beside the stream."""
    import xlsxwriter

    from penyaluran.registri.exports import COLUMNS, TITLES, rows

    columns = COLUMNS[kind]
    options = {"constant_memory": True, "strings_to_formulas": False, "strings_to_numbers": False}
    workbook = xlsxwriter.Workbook(target, {**options, "strings_to_urls": False})
    sheet = workbook.add_worksheet(TITLES[kind])
    bold, text = workbook.add_format({"bold": True}), workbook.add_format({"num_format": "@"})
    day = workbook.add_format({"num_format": "dd-mm-yyyy"})
    sheet.freeze_panes(1, 0)
    for col, column in enumerate(columns):
        sheet.write_string(0, col, column.header, bold)
    text_positions = frozenset(i for i, c in enumerate(columns) if c.text)
    count = 0
    for count, values in enumerate(rows(kind, queryset, user), start=1):
        for col, value in enumerate(values):
            if value == "":
                continue
            if col in text_positions or value.__class__ is str:
                sheet.write_string(count, col, str(value), text if col in text_positions else None)
            elif hasattr(value, "year"):
                sheet.write_datetime(count, col, value, day)
            else:
                sheet.write_number(count, col, value)
    sheet.autofilter(0, 0, count, len(columns) - 1)
    workbook.close()
    return count


def export_stage(writer_name):
    """Run in a child process: write every KPM with one writer, print seconds, rows, bytes and peak RSS."""
    setup_django()
    from penyaluran.registri import exports

    user = sekretariat()
    writers = {
        "stream": exports.write_xlsx,
        "xlsxwriter": xlsxwriter_constant_memory,
        "openpyxl": openpyxl_write_only,
        "csv": exports.write_csv,
    }
    queryset = exports.scoped_queryset("kpm", user)
    started = time.perf_counter()
    with tempfile.TemporaryFile() as target:
        count = writers[writer_name]("kpm", queryset, user, target)
        size = target.tell()
    print(f"{seconds(started)} {count} {size} {peak_rss_mb()}")


def export_in_child(writer_name):
    out = subprocess.run(
        [sys.executable, __file__, "--stage", f"export-{writer_name}"], cwd=ROOT, capture_output=True, text=True
    )
    if out.returncode:
        raise RuntimeError(out.stderr[-2000:])
    took, count, size, rss = out.stdout.split()[-4:]
    return float(took), int(count), int(size), float(rss)


def exports_compared(use_worker):
    from penyaluran.registri.models import ExportJob
    from tikor import jobs

    results = {name: export_in_child(name) for name in ("stream", "xlsxwriter", "openpyxl", "csv")}
    floor = results["csv"][0]
    labels = {
        "stream": "XLSX, sheet XML streamed (ekspor)",
        "xlsxwriter": "XLSX, XlsxWriter constant_memory",
        "openpyxl": "XLSX, openpyxl write-only (dulu)",
        "csv": "CSV",
    }
    for name, label in labels.items():
        took, count, size, rss = results[name]
        print(
            f"  {label:<34} {angka(took, 1):>6} s  {angka(count)} baris  {angka(size / 2**20, 1)} MB berkas  "
            f"puncak RSS {angka(rss, 0)} MB  (rasio thd CSV {ratio(took, floor)})"
        )
    stream = results["stream"][0]
    print(
        f"  aliran XML dibanding openpyxl: {ratio(results['openpyxl'][0], stream)} lebih cepat; dibanding XlsxWriter: "
        f"{ratio(results['xlsxwriter'][0], stream)}"
    )
    if use_worker:
        job = ExportJob.objects.create(jenis="kpm", format="xlsx", filter={}, dibuat_oleh=sekretariat())
        jobs.send(job)
        first, total, job = through_worker(ExportJob, job)
        print(
            f"  pekerjaan ekspor lewat pekerja Celery: selesai dalam {angka(total, 1)} s, kemajuan pertama setelah "
            f"{angka(first, 1)} s · {job.pesan}"
        )
        job.berkas.delete(save=False)
        job.delete()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--periode", type=int, default=2, help="months of 2021 seeded when the database is empty")
    parser.add_argument("--reports-only", action="store_true", help="skip the KPM export comparison (stage 3)")
    parser.add_argument("--stage", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.stage:
        export_stage(args.stage.removeprefix("export-"))
        return
    setup_django()
    import datetime

    from django.db import connection
    from django.db.models import Count
    from django.db.models.functions import TruncMonth

    from monev.laporan.pembaca import pembaca
    from monev.models import Kunjungan, Laporan
    from penyaluran.distribusi.models import Periode
    from penyaluran.registri.models import Kpm

    if connection.vendor != "postgresql":
        sys.exit("Set DATABASE_URL to a PostgreSQL database of its own (see the docstring).")
    seed(args.periode)
    user = sekretariat()
    periode = Periode.objects.order_by("-tahun", "-bulan").first()
    print(f"PostgreSQL, {angka(Kpm.objects.count())} KPM, periode {periode}, {os.cpu_count()} CPU")
    with Worker() as worker:
        use_worker = worker is not None
        print("Pekerja Celery nyata di Redis." if use_worker else "Tanpa REDIS_URL: tugas dijalankan eager.")
        reader = pembaca(user, "31")
        print(f"\n1. Laporan realisasi bulanan provinsi, {periode}")
        floor = realisation_floor(periode, reader)
        report(Laporan.Jenis.REALISASI, datetime.date(periode.tahun, periode.bulan, 1), user, floor,
               "kueri agregat ringkasan saja", use_worker)  # fmt: skip
        busiest = (
            Kunjungan.objects.annotate(bulan=TruncMonth("tanggal")).values("bulan").annotate(n=Count("id"))
            .order_by("-n").first()
        )  # fmt: skip
        bulan = busiest["bulan"] if busiest else datetime.date.today().replace(day=1)
        print(f"\n2. Rekap monev provinsi, {bulan:%m/%Y}")
        report(Laporan.Jenis.MONEV, bulan, user, monev_floor(bulan, reader), "hitungan polos per tabel", use_worker)
        if not args.reports_only:
            print("\n3. Ekspor XLSX semua KPM (tiap penulis di prosesnya sendiri)")
            exports_compared(use_worker)


if __name__ == "__main__":
    main()
