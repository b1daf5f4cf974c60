"""Every page kind a user opens, timed at DKI size and at ten times it, side by side (issue 19).

    createdb -h 127.0.0.1 -U postgres tikor_skala1
    createdb -h 127.0.0.1 -U postgres tikor_skala10
    SECRET_KEY=x .venv/bin/python bench/halaman.py \\
        --db postgres://postgres@127.0.0.1:5432/tikor_skala1 --skala 1 \\
        --db postgres://postgres@127.0.0.1:5432/tikor_skala10 --skala 10

Each database is migrated and, when it holds no period yet, loaded with `seed_demo --scale S --periode 2` (never
point it at real data), then vacuumed and analysed. For each database a child process times --requests requests of
every page kind through the test client as the demo role that opens it (p50 and p95), then, once each, the work
that keeps the pages flat: the plain per-request count a page without summaries would run (active KPM, the
reconciliation by its rules' SQL, the realisation of every e-warong unpaged) and the background rebuilds (realisation
summary, reconciliation, registry counts). The parent prints both scales side by side with the ratio 10x / DKI.
Targets: every page p95 <= 100 ms at DKI size and <= 200 ms at ten times it.
"""

import argparse
import io
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from benchutil import angka, serve_pages_as_the_tests_do

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tikor.settings")


def percentiles(samples):
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered) * 1000, p95 * 1000


def timed(call, n):
    call()  # warm: the first request fills the caches a user's later requests find filled
    samples = []
    for _ in range(n):
        started = time.perf_counter()
        call()
        samples.append(time.perf_counter() - started)
    return percentiles(samples)


def once(call):
    started = time.perf_counter()
    call()
    return (time.perf_counter() - started) * 1000


# The plain per-request reconciliation runs the rules' SQL with the server's default work memory, as a page would;
# at ten times DKI its double-credit rule does not end in 20 minutes (README), so it is stopped here.
PLAIN_LIMIT_SECONDS = 120


def bounded(call, seconds):
    """once(), stopped by PostgreSQL after `seconds`; a stopped call is reported as -1."""
    from django.db import OperationalError, connection, transaction

    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(f"SET LOCAL statement_timeout = '{int(seconds)}s'")
            return once(call)
    except OperationalError:
        return -1


def pages(periode):
    """(label, username, path, query) of every page kind, with ids read from the database."""
    from monev.models import KodePublik, Penugasan
    from penyaluran.registri.models import EWarong, Kpm

    p = {"periode": periode.pk}
    ewarong = EWarong.objects.filter(kelurahan__kode__startswith="31.71.01.").order_by("kode").first()
    kpm = Kpm.objects.filter(kelurahan__kode__startswith="31.71.01.", ewarong=ewarong).order_by("pk").first()
    name_part = kpm.nama.split()[0][:5]
    kode_publik = KodePublik.objects.filter(ewarong=ewarong, dipensiunkan_pada__isnull=True).first()
    assert Penugasan.objects.exists(), "seed_demo loads monev data with --periode"
    return [
        ("Dasbor provinsi (beranda)", "sekretariat", "/", p),
        ("Dasbor provinsi, filter bank", "sekretariat", "/", {**p, "bank": ewarong.bank_id}),
        ("Dasbor Tikor kota", "tikor.jakpus", "/", p),
        ("Dasbor pendamping", "pendamping.gambir", "/", p),
        ("Dasbor anggota bank", "anggota.bni", "/", p),
        ("Peta DKI", "sekretariat", "/peta/", p),
        ("Realisasi per kota", "sekretariat", "/distribusi/", {**p, "tingkat": "kota"}),
        ("Realisasi per kelurahan", "sekretariat", "/distribusi/", {**p, "tingkat": "kelurahan"}),
        ("Realisasi per e-warong", "sekretariat", "/distribusi/", {**p, "tingkat": "ewarong"}),
        ("Rekonsiliasi (ringkasan + aturan)", "sekretariat", "/distribusi/rekonsiliasi/", p),
        (
            "Rekonsiliasi, halaman 20 saldo",
            "sekretariat",
            "/distribusi/rekonsiliasi/",
            {**p, "aturan": "saldo_mengendap", "halaman": 20},
        ),
        ("Rekonsiliasi pendamping", "pendamping.gambir", "/distribusi/rekonsiliasi/", p),
        ("Daftar risiko e-warong", "sekretariat", "/monev/risiko/", p),
        ("Daftar e-warong", "sekretariat", "/monev/ewarong/", {}),
        ("Profil e-warong", "pendamping.gambir", f"/monev/ewarong/{ewarong.pk}/", {}),
        ("Halaman KPM", "pendamping.gambir", f"/monev/kpm/{kpm.pk}/", {}),
        ("Cari KPM: NIK", "sekretariat", "/monev/kpm/", {"q": kpm.nik}),
        ("Cari KPM: bagian nama", "sekretariat", "/monev/kpm/", {"q": name_part}),
        ("Admin KPM: daftar", "sekretariat", "/admin/penyaluran/kpm/", {}),
        ("Admin KPM: cari NIK", "sekretariat", "/admin/penyaluran/kpm/", {"q": kpm.nik}),
        ("Admin KPM: cari bagian nama", "sekretariat", "/admin/penyaluran/kpm/", {"q": name_part}),
        ("Admin transaksi: daftar", "sekretariat", "/admin/penyaluran/transaksi/", {}),
        ("Admin penyaluran: daftar", "sekretariat", "/admin/penyaluran/penyaluran/", {}),
        ("Monev: penugasan", "sekretariat", "/monev/penugasan/", {}),
        ("Monev: kunjungan", "sekretariat", "/monev/kunjungan/", {}),
        ("Monev: temuan", "sekretariat", "/monev/temuan/", {}),
        ("Monev: pengaduan", "sekretariat", "/monev/pengaduan/", {}),
        ("Monev: beranda pendamping", "pendamping.gambir", "/monev/", {}),
        ("Halaman publik e-warong", None, f"/e-warong/{kode_publik.kode}/", {}),
    ]


def measure(args):
    """Child: time every page kind on the database in DATABASE_URL; print one JSON line."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from penyaluran.distribusi import realisasi, rekonsiliasi
    from penyaluran.distribusi.models import Periode, Realisasi, Transaksi
    from penyaluran.registri import summary
    from penyaluran.registri.models import Kpm
    from tikor.models import User
    from tikor.scoping import SEMUA

    serve_pages_as_the_tests_do()
    call_command("migrate", verbosity=0)
    seeded = None
    if not Periode.objects.exists():
        started = time.perf_counter()
        call_command("seed_demo", "--scale", args.skala, "--periode", "2", stdout=io.StringIO())
        seeded = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    periode = Periode.objects.order_by("-tahun", "-bulan").first()
    if not rekonsiliasi.RekonsiliasiPeriode.objects.filter(periode=periode).exists():
        rekonsiliasi.hitung(periode)
    result = {
        "seed": seeded,
        "kpm": Kpm.objects.count(),
        "transaksi": Transaksi.objects.filter(periode=periode).count(),
        "load": os.getloadavg()[0],
        "pages": {},
        "plain": {},
    }
    clients = {}
    for label, username, path, query in pages(periode):
        if username not in clients:
            clients[username] = Client()
            if username:
                clients[username].force_login(User.objects.get(username=username))
        client = clients[username]

        def get(client=client, path=path, query=query):
            response = client.get(path, query)
            if response.status_code != 200:
                raise SystemExit(f"{response.status_code} {path} {query}")

        result["pages"][label] = timed(get, args.requests)
    sekretariat = User.objects.get(username="sekretariat")
    plain = result["plain"]
    plain["Hitung KPM aktif per permintaan (biasa)"] = once(lambda: Kpm.objects.aktif().count())
    plain["Realisasi semua e-warong tanpa halaman (biasa)"] = once(
        lambda: list(realisasi.rows_for(sekretariat, periode, Realisasi.Tingkat.EWARONG))
    )
    plain["Rekonsiliasi dengan SQL aturan per permintaan (biasa)"] = bounded(
        lambda: rekonsiliasi.ringkasan(periode, sekretariat), PLAIN_LIMIT_SECONDS
    )
    plain["Latar: ringkasan realisasi"] = once(lambda: realisasi.refresh_summary(periode))
    plain["Latar: hitung rekonsiliasi"] = once(lambda: rekonsiliasi.hitung(periode))
    plain["Latar: ringkasan registri"] = once(summary.refresh)
    assert SEMUA.scope.everywhere
    result["load_after"] = os.getloadavg()[0]
    print("JSON " + json.dumps(result))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", action="append", help="DATABASE_URL of one scale (give one per --skala)")
    parser.add_argument("--skala", action="append", help="the scale seeded into that database when it is empty")
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        args.skala = args.skala[0]
        return measure(args)
    if not args.db or len(args.db) != len(args.skala or []):
        sys.exit("Beri --db dan --skala berpasangan, mis. --db URL1 --skala 1 --db URL10 --skala 10.")
    runs = []
    for url, skala in zip(args.db, args.skala, strict=True):
        command = [sys.executable, __file__, "--measure", "--skala", skala, "--requests", str(args.requests)]
        out = subprocess.run(
            command, env={**os.environ, "DATABASE_URL": url}, capture_output=True, text=True, check=False
        )
        line = next((x for x in out.stdout.splitlines() if x.startswith("JSON ")), None)
        if line is None:
            sys.exit(f"Skala {skala} gagal:\n{out.stdout[-2000:]}\n{out.stderr[-4000:]}")
        runs.append((skala, json.loads(line[5:])))
    print(f"{args.requests} permintaan per halaman, p50 / p95 dalam ms; {os.cpu_count()} CPU.")
    for skala, run in runs:
        seeded = f", seed {angka(run['seed'])} s" if run["seed"] else ""
        print(
            f"Skala {skala}: {angka(run['kpm'])} KPM, {angka(run['transaksi'])} transaksi per bulan{seeded}; "
            f"beban mesin {angka(run['load'], 2)} -> {angka(run['load_after'], 2)}"
        )
    names = [f"skala {s}" for s, _ in runs]
    header = f"{'halaman':<36}" + "".join(f"{n:>18}" for n in names) + (f"{'rasio p95':>11}" if len(runs) > 1 else "")
    print(header)
    print("-" * len(header))
    worst = dict.fromkeys(names, 0)
    for label in runs[0][1]["pages"]:
        cells = ""
        for name, (_s, run) in zip(names, runs, strict=True):
            p50, p95 = run["pages"][label]
            worst[name] = max(worst[name], p95)
            cells += f"{angka(p50):>8} / {angka(p95):>6} ms"
        ratio = ""
        if len(runs) > 1:
            ratio = f"{angka(runs[-1][1]['pages'][label][1] / runs[0][1]['pages'][label][1], 1):>11}"
        print(f"{label:<36}{cells}{ratio}")
    print("\nSekali jalan (ms): cara biasa tiap permintaan, dan pekerjaan latar yang membuat halaman tetap datar")
    for label in runs[0][1]["plain"]:
        cells = "".join(
            f"{angka(run['plain'][label]):>18}"
            if run["plain"][label] >= 0
            else f"{'> ' + angka(PLAIN_LIMIT_SECONDS * 1000):>18}"
            for _s, run in runs
        )
        ratio = ""
        if len(runs) > 1 and min(run["plain"][label] for _s, run in runs) >= 0:
            ratio = f"{angka(runs[-1][1]['plain'][label] / max(runs[0][1]['plain'][label], 0.01), 1):>11}"
        print(f"{label:<52}{cells}{ratio}")
    print("\np95 terburuk: " + ", ".join(f"{n} {angka(w)} ms" for n, w in worst.items()))
    print("Target: p95 <= 100 ms pada skala 1 dan <= 200 ms pada skala 10.")


if __name__ == "__main__":
    main()
