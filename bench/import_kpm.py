"""Benchmark of the KPM import on PostgreSQL: django-import-export's default path against the fast engine.

    createdb -h 127.0.0.1 -U postgres tikor_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tikor_bench SECRET_KEY=x .venv/bin/python bench/import_kpm.py

It migrates the database it is given and TRUNCATEs the KPM tables: never point it at real data.
Generates a 206.438-row KPM XLSX with the columns of the registry export (and a copy with 1% of the rows
changed), then runs, each stage in its own process so peak RSS is the stage's own:
  1. django-import-export, default resource path (row by row), on the first --subset rows of a fresh table,
     rows/s extrapolated to the full file;
  2. the fast engine on a fresh table; 3. the same file again (unchanged);
  4. the unchanged re-import again with IMPORT_WORKERS=1 (rows checked in the main process), to compare;
  5. the 1%-changed file.
The engine checks rows in forked worker processes (IMPORT_WORKERS, default one per CPU); their peak RSS
is printed apart, and counts the pages they share with the main process.
Targets (issue 4): fresh <= 8 s; unchanged <= 5 s writing 0 rows; peak RSS < 300 MB; >= 25x django-import-export.
"""

import argparse
import datetime
import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path

from benchutil import children_peak_rss_mb, peak_rss_mb

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tikor.settings")

FULL_ROWS = 206_438
EWARONG = 253
CHANGED_EVERY = 100  # 1% of the rows


def setup_django():
    import django

    django.setup()


# -- the file ------------------------------------------------------------------------------------------------


def generate(path, changed_path, subset_path, rows, subset, seed=4):
    """Write the full file, its 1%-changed twin and a subset, in one pass, in write-only mode."""
    from openpyxl import Workbook

    from monev.demo.kpm import luhn_digit
    from monev.demo.names import STREETS, person_name, street_address
    from penyaluran.registri.exports import COLUMNS
    from tikor.models import Wilayah

    rng = random.Random(seed)
    kelurahan = list(Wilayah.objects.kelurahan().select_related("induk").order_by("kode"))
    books = [Workbook(write_only=True) for _ in range(3)]
    sheets = [book.create_sheet("KPM") for book in books]
    header = [c.header for c in COLUMNS["kpm"]]
    for sheet in sheets:
        sheet.append(header)
    serials = {}
    banks = ["BNI", "BRI", "MANDIRI"]
    for i in range(rows):
        kel = kelurahan[rng.randrange(len(kelurahan))]
        region = kel.kode.replace(".", "")[:6]
        female = rng.random() < 0.62
        born = datetime.date(1940, 1, 1) + datetime.timedelta(days=rng.randrange(365 * 60))
        key = f"{region}{born.day + (40 if female else 0):02d}{born:%m%y}"
        serials[key] = serials.get(key, 0) + 1
        nik = f"{key}{serials[key]:04d}"
        no_kk = f"{region}{rng.randint(1, 28):02d}{rng.randint(1, 12):02d}{rng.randint(5, 20):02d}{i % 10000:04d}"
        kks = f"6000{i:011d}"
        bank = banks[i % 3]
        row = [
            nik,
            no_kk,
            person_name(rng, female).upper(),
            "P" if female else "L",
            born,
            street_address(rng, STREETS),
            f"{rng.randint(1, 15):03d}",
            f"{rng.randint(1, 12):03d}",
            kel.kode,
            kel.nama,
            kel.induk.nama,
            kks + luhn_digit(kks),
            bank,
            f"EW-{rng.randint(1, EWARONG):04d}",
            "Aktif",
            "DTKS Kemensos",
            2021,
        ]
        sheets[0].append(row)
        if i < subset:
            sheets[2].append(row)
        if i % CHANGED_EVERY == 0:
            row = [*row]
            row[5] = f"{row[5]} (pindah RT)"
        sheets[1].append(row)
    for book, target in zip(books, (path, changed_path, subset_path), strict=True):
        book.save(target)


def prepare_database():
    from django.core.management import call_command
    from django.db import connection

    from penyaluran.registri.models import EWarong
    from tikor.models import Bank

    call_command("migrate", verbosity=0)
    bni = Bank.objects.get(kode="BNI")
    EWarong.objects.bulk_create(
        [
            EWarong(kode=f"EW-{n:04d}", nama=f"e-Warong Bench {n}", bank=bni, kelurahan_id="31.71.01.1001")
            for n in range(1, EWARONG + 1)
        ],
        ignore_conflicts=True,
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        return cursor.fetchone()[0].split(" on ")[0]


def truncate():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE penyaluran_kpm, penyaluran_historicalkpm RESTART IDENTITY CASCADE")


# -- stages, each run in a child process -------------------------------------------------------------------


def stage_iie(path):
    import tablib

    from penyaluran.registri.resources import KpmResource

    truncate()
    start = time.perf_counter()
    dataset = tablib.Dataset().load(Path(path).read_bytes(), format="xlsx")
    result = KpmResource().import_data(
        dataset, dry_run=False, use_transactions=True, rollback_on_validation_errors=True
    )
    seconds = time.perf_counter() - start
    if result.has_errors() or result.has_validation_errors():
        raise SystemExit(f"django-import-export reported errors: {result.totals}")
    written = result.totals["new"] + result.totals["update"]
    return {"seconds": seconds, "rows": len(dataset), "written": written}


def stage_engine(path, fresh):
    from penyaluran.registri.imports import import_file

    if fresh:
        truncate()
    start = time.perf_counter()
    result = import_file("kpm", path, dry_run=False, reason="bench")
    seconds = time.perf_counter() - start
    if result.errors:
        raise SystemExit(f"engine reported errors: {[str(e) for e in result.errors[:5]]}")
    a = result.analysis
    return {
        "seconds": seconds,
        "rows": result.rows_read,
        "written": result.written,
        "new": a.new,
        "changed": a.changed,
        "unchanged": a.unchanged,
    }


def run_stage(name, path):
    setup_django()
    figures = stage_iie(path) if name == "iie" else stage_engine(path, fresh=name == "fresh")
    figures["rss_mb"] = peak_rss_mb()
    figures["worker_rss_mb"] = children_peak_rss_mb()
    print(json.dumps(figures))


def child(name, path, **env):
    output = subprocess.run(
        [sys.executable, __file__, "--stage", name, str(path)],
        check=True,
        capture_output=True,
        text=True,
        env={**os.environ, **env},
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=FULL_ROWS)
    parser.add_argument("--subset", type=int, default=5000, help="rows for the django-import-export default path")
    parser.add_argument("--dir", type=Path, default=Path("/tmp/tikor-bench"))
    parser.add_argument("--stage", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.stage:
        run_stage(*args.stage)
        return
    setup_django()
    from django.db import connection

    if connection.vendor != "postgresql":
        raise SystemExit("Set DATABASE_URL to a PostgreSQL database made for the benchmark.")
    version = prepare_database()
    args.dir.mkdir(parents=True, exist_ok=True)
    full = args.dir / f"kpm-{args.rows}.xlsx"
    changed = args.dir / f"kpm-{args.rows}-1persen-berubah.xlsx"
    subset = args.dir / f"kpm-{args.rows}-subset-{args.subset}.xlsx"
    if not (full.exists() and changed.exists() and subset.exists()):
        start = time.perf_counter()
        generate(full, changed, subset, args.rows, args.subset)
        print(f"generated {full.name} ({full.stat().st_size / 1e6:.1f} MB) in {time.perf_counter() - start:.1f} s")
    print(f"{version}; {os.cpu_count()} CPU; file {full.name}, {args.rows} rows x 17 columns")

    iie = child("iie", subset)
    stages = [
        ("django-import-export default", iie),
        ("fast engine, fresh table", child("fresh", full)),
        ("fast engine, unchanged re-import", child("unchanged", full)),
        ("unchanged again, in one process", child("unchanged", full, IMPORT_WORKERS="1")),
        ("fast engine, 1% changed re-import", child("changed", changed)),
    ]
    iie_rate = iie["rows"] / iie["seconds"]
    from penyaluran.importing.parallel import worker_count

    print(f"rows checked in {worker_count(full) or 1} process(es) (IMPORT_WORKERS, 0 = one per CPU)")
    print(f"{'stage':<36} {'rows':>8} {'seconds':>9} {'rows/s':>9} {'written':>8} {'peak RSS':>9} {'workers':>9}")
    for name, f in stages:
        print(
            f"{name:<36} {f['rows']:>8} {f['seconds']:>9.2f} {f['rows'] / f['seconds']:>9.0f} "
            f"{f['written']:>8} {f['rss_mb']:>6.0f} MB {f['worker_rss_mb']:>6.0f} MB"
        )
    fresh, unchanged, alone, one_percent = (s[1] for s in stages[1:])
    print(
        f"django-import-export on {iie['rows']} rows: {iie_rate:.0f} rows/s, "
        f"extrapolated {args.rows / iie_rate:.0f} s for {args.rows} rows"
    )
    speedup = (fresh["rows"] / fresh["seconds"]) / iie_rate
    print(f"fresh: {fresh['seconds']:.2f} s (target <= 8 s); speed-up {speedup:.0f}x (target >= 25x)")
    print(
        f"unchanged: {unchanged['seconds']:.2f} s writing {unchanged['written']} rows (target <= 5 s, 0 rows); "
        f"{alone['seconds']:.2f} s with the rows checked in one process"
    )
    print(
        f"1% changed: {one_percent['changed']} changed rows written in {one_percent['seconds']:.2f} s; "
        f"peak RSS {max(s[1]['rss_mb'] for s in stages):.0f} MB (target < 300 MB)"
    )


if __name__ == "__main__":
    main()
