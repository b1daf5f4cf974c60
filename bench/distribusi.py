"""Benchmark of distribution on PostgreSQL with full-scale demo data (issue 5).

    createdb -h 127.0.0.1 -U postgres tikor_bench5
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tikor_bench5 SECRET_KEY=x .venv/bin/python bench/distribusi.py

It migrates the database it is given and loads seed_demo at full scale (206.438 KPM, 12 periods of 2021)
unless the database already holds periods: never point it at real data. Then:
  1. generates a bank file of --rows purchases (default 1.000.000) for January 2022 and imports it with
     penyaluran.bank_files in its own process (time, rows/s, peak RSS), then imports it again (0 new rows);
  2. refreshes that period's realisation summary and risk signals;
  3. reconciles June 2021: every rule's lines built, as for the XLSX;
  4. times the realisation page and the risk list through the test client (p50/p95 over --requests),
     and the realisation figures by a plain ORM aggregate per request, for comparison;
  5. prints the top of the risk list for December 2021 with reasons, marking the planted e-warong;
  6. times the admin's purchase list and its searches (reference, card, NIK, name) against the queries
     Django's defaults would run for the same page ("=field" search, the model's ordering).
Targets: 1 M purchases <= 15 s and < 300 MB; pages p95 <= 200 ms; reconciliation of one period <= 10 s.

Latest figures are in the README (Benchmarks). Peak RSS is the import process's own VmHWM: ru_maxrss of a
child started by fork+exec carries the parent's high-water mark, which once reported the seed's 552 MB.
On PostgreSQL penyaluran_transaksi is partitioned by (periode, bank); a bank's first file of a month is
loaded into a new table, indexed and attached as its partition (penyaluran/partitions.py). Stage 1 also
deletes those rows and imports the file again through INSERT ... ON CONFLICT into the (empty) partition,
the path every later file of the month takes, for comparison.
"""

import argparse
import datetime
import io
import json
import os
import random
import re
import statistics
import subprocess
import sys
import time
import warnings
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


def percentiles(samples):
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered) * 1000, p95 * 1000


# --- stages --------------------------------------------------------------------------------------------------


def seed():
    from django.core.management import call_command

    from penyaluran.distribusi.models import Periode

    call_command("migrate", verbosity=0)
    if Periode.objects.exists():
        print("Data demo sudah ada; seed_demo dilewati.")
        return None
    out = io.StringIO()
    started = time.perf_counter()
    call_command("seed_demo", "--scale", "1", "--periode", "12", stdout=out)
    took = seconds(started)
    print(f"seed_demo --scale 1 --periode 12: {took:.0f} s")
    for line in out.getvalue().splitlines():
        if line.startswith(("Penyaluran dimuat", "Data dimuat", "E-warong dengan pola", "Data bermasalah")):
            print("  " + line)
    return out.getvalue()


def generate_file(path, rows, seed=5):
    """A semicolon CSV of purchases in January 2022 by active KPM at their e-warong, written as a stream.

    Purchases of January 2022 left by an earlier run are deleted first, so the import writes every row.
    """
    from django.db import connection

    from penyaluran.distribusi.periode import ensure_periode
    from penyaluran.registri.models import Kpm

    januari = ensure_periode(2022, 1)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM penyaluran_transaksi WHERE periode_id = %s", [januari.pk])
        if cursor.rowcount:
            cursor.execute("VACUUM ANALYZE penyaluran_transaksi")
    rng = random.Random(seed)
    cards = list(
        Kpm.objects.aktif()
        .exclude(nomor_kks="")
        .filter(ewarong__isnull=False)
        .values_list("nomor_kks", "ewarong__kode")
    )
    with open(path, "w", encoding="utf-8") as f:
        f.write("Referensi;Waktu;Jumlah;Nomor KKS;NIK;Terminal\n")
        for i in range(rows):
            kks, kode = cards[i % len(cards)]
            f.write(
                f"B5{i:010d};2022-01-{rng.randint(6, 31):02d} {rng.randint(7, 20):02d}:{rng.randrange(60):02d}:00;"
                f"{rng.choice((50000, 70000, 80000, 100000, 120000, 200000))};{kks};;{kode}\n"
            )


def stage_import(path, plain=False):
    """Run in a child process: import the file once, print JSON figures.

    plain: without the new-partition bulk load, as INSERT ... ON CONFLICT into the month's partition.
    """
    from penyaluran.distribusi import bank_files, partitions
    from tikor.models import Bank

    if plain:
        partitions.can_bulk_load = lambda *args: False

    started = time.perf_counter()
    result = bank_files.import_file(Bank.objects.get(kode="BNI"), "transaksi", path, dry_run=False, refresh=False)
    took = seconds(started)
    print(
        json.dumps(
            {
                "seconds": took,
                "rows": result.rows_read,
                "new": result.new,
                "existing": result.existing,
                "invalid": result.invalid,
                "staged": result.seconds_staged,
                "written": result.seconds_written,
                "peak_mb": peak_rss_mb(),
            }
        )
    )


def run_import(path, stage="import"):
    out = subprocess.run(
        [sys.executable, __file__, "--stage", stage, "--file", str(path)],
        check=True,
        capture_output=True,
        text=True,
        env=os.environ,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def time_requests(client, url, params, n):
    samples = []
    for _ in range(n):
        started = time.perf_counter()
        response = client.get(url, params)
        samples.append(seconds(started))
        assert response.status_code == 200, (url, response.status_code)
    return percentiles(samples)


def time_calls(function, n):
    samples = []
    for _ in range(n):
        started = time.perf_counter()
        function()
        samples.append(seconds(started))
    return percentiles(samples)


def admin_searches(client, sekretariat, periode, n=10, plain_n=3):
    """Stage 6: the admin's lists and searches against what Django's defaults ("=field" search, which
    compares UPPER() of both sides, and the model's ordering) ask of the database for the same page."""
    from django.db.models import Q

    from penyaluran.distribusi.models import Transaksi
    from penyaluran.registri.models import Kpm

    client.force_login(sekretariat)
    kpm = Kpm.objects.order_by("id")[5000]
    beli = Transaksi.objects.filter(periode=periode).order_by("id").first()

    def plain(queryset, ordering):
        # The page's own count and rows, with the same related rows as the admin's list_select_related.
        related = (
            ("periode", "bank", "ewarong", "kpm") if queryset.model is Transaksi else ("kelurahan", "ewarong", "bank")
        )
        return lambda: (queryset.count(), list(queryset.select_related(*related).order_by(*ordering)[:50]))

    def iexact(term, *fields):
        query = Q()
        for field in fields:
            query |= Q(**{f"{field}__iexact": term})
        return query

    print(
        f"\n6. Admin, {n} permintaan, p50 / p95; pembanding: kueri bawaan Django untuk halaman yang sama ({plain_n}x)"
    )
    rows = [
        ("daftar transaksi", "transaksi", {}, plain(Transaksi.objects.all(), ["-waktu"])),
        (
            "transaksi, cari referensi",
            "transaksi",
            {"q": beli.referensi},
            plain(Transaksi.objects.filter(iexact(beli.referensi, "referensi", "nomor_kks", "terminal")), ["-waktu"]),
        ),
        (
            "transaksi, cari nomor KKS",
            "transaksi",
            {"q": beli.nomor_kks},
            plain(Transaksi.objects.filter(iexact(beli.nomor_kks, "referensi", "nomor_kks", "terminal")), ["-waktu"]),
        ),
        (
            "KPM, cari NIK",
            "kpm",
            {"q": kpm.nik},
            plain(
                Kpm.objects.filter(iexact(kpm.nik, "nik", "no_kk", "nomor_kks") | Q(nama__icontains=kpm.nik)), ["nama"]
            ),
        ),
        (
            "KPM, cari nama",
            "kpm",
            {"q": kpm.nama.split()[0]},
            plain(
                Kpm.objects.filter(
                    iexact(kpm.nama.split()[0], "nik", "no_kk", "nomor_kks") | Q(nama__icontains=kpm.nama.split()[0])
                ),
                ["nama"],
            ),
        ),
    ]
    for label, model, params, default in rows:
        p50, p95 = time_requests(client, f"/admin/penyaluran/{model}/", params, n)
        plain50, _ = time_calls(default, plain_n)
        print(f"   {label}: {angka(p50)} / {angka(p95)} ms; bawaan Django {angka(plain50)} ms")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--stage")
    parser.add_argument("--file")
    args = parser.parse_args()
    setup_django()
    if args.stage in ("import", "import-plain"):
        stage_import(args.file, plain=args.stage == "import-plain")
        return

    from django.db import connection
    from django.db.models import Count, F, Q
    from django.test import Client
    from django.test.utils import override_settings

    from monev.models import SkorRisiko
    from penyaluran.distribusi import realisasi, rekonsiliasi
    from penyaluran.distribusi.models import Periode, Transaksi
    from penyaluran.registri.models import EWarong
    from penyaluran.risiko import detectors as risk
    from tikor.models import Role, User

    if connection.vendor != "postgresql":
        sys.exit("Jalankan dengan DATABASE_URL ke PostgreSQL.")
    seed_output = seed() or ""
    print(f"Transaksi 2021 di basis data: {angka(Transaksi.objects.filter(periode__tahun=2021).count())}")

    with connection.cursor() as cursor:
        # A rerun: January 2022 empty again, so the first import builds its partition as on the first run.
        cursor.execute(
            "DELETE FROM penyaluran_transaksi WHERE periode_id IN "
            "(SELECT id FROM penyaluran_periode WHERE tahun = 2022 AND bulan = 1)"
        )
        if cursor.rowcount:
            cursor.execute("VACUUM ANALYZE penyaluran_transaksi")
    path = Path("/tmp/bench_distribusi_trx.csv")
    started = time.perf_counter()
    generate_file(path, args.rows)
    print(
        f"\n1. Berkas {angka(args.rows)} transaksi dibuat "
        f"({angka(path.stat().st_size / 2**20)} MB, {angka(seconds(started))} s)"
    )
    first = run_import(path)
    print(
        f"   impor pertama: {angka(first['seconds'], 1)} s, {angka(first['rows'] / first['seconds'])} baris/s, "
        f"{angka(first['new'])} baru, puncak RSS {angka(first['peak_mb'])} MB  (target <= 15 s, < 300 MB)\n"
        f"   (baca, periksa, COPY ke tabel sementara {angka(first['staged'], 1)} s; "
        f"menulis (partisi baru) {angka(first['written'], 1)} s)"
    )
    again = run_import(path)
    print(
        f"   impor ulang:   {angka(again['seconds'], 1)} s, {again['new']} baru, {angka(again['existing'])} sudah ada, "
        f"puncak RSS {angka(again['peak_mb'])} MB"
    )
    januari = Periode.objects.get(tahun=2022, bulan=1)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM penyaluran_transaksi WHERE periode_id = %s", [januari.pk])
        cursor.execute("VACUUM ANALYZE penyaluran_transaksi")
    plain = run_import(path, "import-plain")
    print(
        f"   sebagai pembanding, INSERT ... ON CONFLICT ke partisi bulan itu (tanpa muat partisi baru): "
        f"{angka(plain['seconds'], 1)} s (tulis {angka(plain['written'], 1)} s), {angka(plain['new'])} baru"
    )

    started = time.perf_counter()
    realisasi.refresh_summary(januari)
    summary_took = seconds(started)
    started = time.perf_counter()
    risk.refresh_signals(januari)  # the combined scores follow through the hook
    print(
        f"\n2. Ringkasan realisasi Januari 2022: {angka(summary_took, 1)} s; "
        f"sinyal dan skor risiko: {angka(seconds(started), 1)} s"
    )

    juni = Periode.objects.get(tahun=2021, bulan=6)
    sekretariat = User.objects.filter(role=Role.SEKRETARIAT).first()
    started = time.perf_counter()
    counts = rekonsiliasi.ringkasan(juni, sekretariat)
    count_took = seconds(started)
    started = time.perf_counter()
    size = len(rekonsiliasi.xlsx(juni, sekretariat))
    print(
        f"\n3. Rekonsiliasi Juni 2021: hitung per aturan {angka(count_took, 1)} s; "
        f"semua baris + XLSX {angka(seconds(started), 1)} s ({angka(size / 1024)} KB)  (target <= 10 s)"
    )
    for aturan, n in counts:
        print(f"   {aturan.judul}: {angka(n)}")

    desember = Periode.objects.get(tahun=2021, bulan=12)
    # Pages render without collectstatic, as in the tests; WhiteNoise's warning about it is noise here.
    warnings.filterwarnings("ignore", message="No directory at")
    override_settings(
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
    ).enable()
    client = Client()
    client.force_login(sekretariat)
    pendamping = User.objects.filter(role=Role.PENDAMPING).first()
    n = args.requests
    print(f"\n4. Waktu respons, {n} permintaan, p50 / p95 (target p95 <= 200 ms)")
    rows = [
        ("Realisasi kota (tabel ringkasan)", "/distribusi/", {"periode": desember.pk, "tingkat": "kota"}),
        ("Realisasi kelurahan (tabel ringkasan)", "/distribusi/", {"periode": desember.pk, "tingkat": "kelurahan"}),
        ("Realisasi e-warong (tabel ringkasan)", "/distribusi/", {"periode": desember.pk, "tingkat": "ewarong"}),
        ("Daftar risiko e-warong", "/monev/risiko/", {"periode": desember.pk}),
    ]
    for label, url, params in rows:
        p50, p95 = time_requests(client, url, params, n)
        print(f"   {label}: {angka(p50)} / {angka(p95)} ms")
    for tingkat in ("kota", "kelurahan"):
        p50, p95 = time_calls(lambda t=tingkat: realisasi.live_rows(sekretariat, desember, t), n)
        print(f"   Agregat ORM langsung per permintaan, {tingkat}: {angka(p50)} / {angka(p95)} ms")
    if pendamping:
        client.force_login(pendamping)
        p50, p95 = time_requests(client, "/monev/risiko/", {"periode": desember.pk}, n)
        print(f"   Daftar risiko sebagai pendamping ({pendamping.area_label}): {angka(p50)} / {angka(p95)} ms")

    planted = set(re.findall(r"EW-\d{6}-\d{3}", seed_output))
    if not planted:
        # Seeded by an earlier run: the same seed on the same registry plants the same e-warong.
        from monev.demo.distribusi import DemoDistribusi

        demo = DemoDistribusi(12, 2021)
        demo.plan()
        planted = {demo.outlets[outlet][1] for outlet in demo.planted.values()}
        over = EWarong.objects.annotate(n=Count("kpm", filter=Q(kpm__status="aktif"))).filter(n__gt=F("kapasitas_kpm"))
        planted |= set(over.values_list("kode", flat=True))
    print("\n5. Sepuluh teratas daftar risiko Desember 2021 (* = sengaja ditanam seed_demo)")
    for rank, score in enumerate(
        SkorRisiko.objects.filter(periode=desember).select_related("ewarong").order_by("-skor")[:10], 1
    ):
        mark = "*" if score.ewarong.kode in planted else " "
        reasons = "; ".join(f"{r['label']} ({r['poin']:.0f})" for r in score.alasan)
        print(f"   {rank:2d}.{mark} {score.ewarong.kode} skor {score.skor:.0f}: {reasons}")
    admin_searches(client, sekretariat, juni)
    path.unlink(missing_ok=True)
    print(f"\nSelesai pada {datetime.datetime.now():%d-%m-%Y %H:%M} WIB.")


if __name__ == "__main__":
    main()
