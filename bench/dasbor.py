"""Benchmark of the dashboards and the map on PostgreSQL (issue 13).

    createdb -h 127.0.0.1 -U postgres tikor_dasbor
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tikor_dasbor SECRET_KEY=x \
        .venv/bin/python bench/dasbor.py --scale 1 --periode 3

It migrates the database it is given and loads seed_demo at --scale / --periode unless the database already holds
periods: never point it at real data. Then, for each demo role and each filter (none, a kota, a kecamatan, a bank),
it times --requests requests of the dashboard (/) and the map (/peta/) through the test client, p50 and p95, and
beside them, in the same run, the plain aggregate a dashboard without the summary table would run per request for
its headline figures (credits and purchases of the period summed over the area's KPM, active KPM counted), and
prints the ratio of the p95s. Target: every dashboard request p95 <= 100 ms.
"""

import argparse
import io
import os
import statistics
import sys
import time
from pathlib import Path

from benchutil import angka

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tikor.settings")

USERS = ["sekretariat", "tikor.jakpus", "pendamping.gambir", "anggota.tikor", "anggota.bni"]


def percentiles(samples):
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered) * 1000, p95 * 1000


def timed(call, n):
    """p50 and p95 of the wall time in ms, and the p50 of this process's CPU time (the Python part of a request,
    which other processes on a shared machine do not inflate as much)."""
    call()  # warm: the first request fills caches a user's later requests find filled
    samples, cpu = [], []
    for _ in range(n):
        started, started_cpu = time.perf_counter(), time.process_time()
        call()
        samples.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    return (*percentiles(samples), statistics.median(cpu) * 1000)


def seed(scale, periode):
    from django.core.management import call_command
    from django.db import connection

    from penyaluran.distribusi.models import Periode

    call_command("migrate", verbosity=0)
    if Periode.objects.exists():
        print("Data demo sudah ada; seed_demo dilewati.")
        return
    started = time.perf_counter()
    call_command("seed_demo", "--scale", str(scale), "--periode", str(periode), stdout=io.StringIO())
    print(f"seed_demo --scale {scale} --periode {periode}: {time.perf_counter() - started:.0f} s")
    # What autovacuum does on a live database within minutes: statistics and the visibility map (index-only scans).
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def plain_aggregate(user, periode, f):
    """The headline figures by plain ORM aggregates over credits, purchases and the registry, as a dashboard
    without summary tables would compute them on each request."""
    from django.db.models import Q, Sum

    from monev.dasbor.filters import area_q
    from penyaluran.distribusi.models import Penyaluran, Transaksi
    from penyaluran.registri.models import Kpm

    codes = f.codes
    bank = Q(bank=f.bank) if f.bank else Q()
    area = area_q("kpm__kelurahan", codes)
    credits = Penyaluran.objects.for_user(user).filter(area, bank, periode=periode).tersalur()
    purchases = Transaksi.objects.for_user(user).filter(area, bank, periode=periode)
    return (
        credits.aggregate(total=Sum("jumlah"))["total"],
        purchases.aggregate(total=Sum("jumlah"))["total"],
        Kpm.objects.for_user(user).filter(area_q("kelurahan", codes), bank).aktif().count(),
    )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", default="1")
    parser.add_argument("--periode", default="3")
    parser.add_argument("--requests", type=int, default=20)
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client, RequestFactory
    from django.test.utils import override_settings

    from monev.dasbor.filters import filter_from
    from penyaluran.distribusi.models import Periode, Transaksi
    from penyaluran.registri.models import Kpm
    from tikor.models import Bank, User

    if connection.vendor != "postgresql":
        sys.exit("Jalankan dengan DATABASE_URL PostgreSQL.")
    settings.ALLOWED_HOSTS = ["testserver"]
    # Pages are rendered without collectstatic, as in the tests; the manifest storage would need it.
    override_settings(
        STORAGES={
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
    ).enable()
    seed(args.scale, args.periode)
    periode = Periode.objects.order_by("-tahun", "-bulan").first()
    print(
        f"Data: {angka(Kpm.objects.count())} KPM, {Periode.objects.count()} periode, "
        f"{angka(Transaksi.objects.count())} transaksi; periode {periode}; {args.requests} permintaan per baris."
    )
    # The machine may be shared: the load says how much of the time is other people's work.
    print(f"Beban mesin (1/5/15 menit): {' / '.join(angka(x, 2) for x in os.getloadavg())}, {os.cpu_count()} CPU")
    bni = Bank.objects.get(kode="BNI")
    filters = {
        "sekretariat": [{}, {"kota": "31.74"}, {"kecamatan": "31.74.01"}, {"bank": bni.pk}],
        "tikor.jakpus": [{}, {"kecamatan": "31.71.01"}, {"bank": bni.pk}],
        "pendamping.gambir": [{}, {"bank": bni.pk}],
        "anggota.tikor": [{}, {"kota": "31.72"}],
        "anggota.bni": [{}, {"kota": "31.75"}],
    }
    header = (
        f"{'peran':<18} {'filter':<20} {'dasbor p50/p95 (CPU)':>22} {'peta p50/p95 (CPU)':>21}"
        f" {'agregat biasa p50/p95':>22} {'rasio':>6}"
    )
    print(header)
    print("-" * len(header))
    worst = 0
    for username in USERS:
        user = User.objects.get(username=username)
        client = Client()
        client.force_login(user)
        for query in filters[username]:
            query = {"periode": periode.pk, **query}
            request = RequestFactory().get("/", query)
            request.user = User.objects.get(pk=user.pk)
            f = filter_from(request)
            dash = timed(lambda c=client, q=query: _ok(c.get("/", q)), args.requests)
            peta = timed(lambda c=client, q=query: _ok(c.get("/peta/", q)), args.requests)
            plain = timed(lambda u=request.user, f=f: plain_aggregate(u, periode, f), args.requests)
            worst = max(worst, dash[1], peta[1])
            label = ", ".join(f"{k}={v}" for k, v in query.items() if k != "periode") or "-"
            print(
                f"{username:<18} {label:<20} {angka(dash[0]):>5} / {angka(dash[1]):>4} ({angka(dash[2]):>3}) ms"
                f" {angka(peta[0]):>5} / {angka(peta[1]):>4} ({angka(peta[2]):>3}) ms"
                f" {angka(plain[0]):>9} / {angka(plain[1]):>6} ms {angka(dash[1] / plain[1], 2):>6}"
            )
    print(f"\nDasbor dan peta, p95 terburuk: {angka(worst)} ms (target <= 100 ms).")
    print(f"Beban mesin sesudahnya: {' / '.join(angka(x, 2) for x in os.getloadavg())}")
    print("Rasio = p95 dasbor lengkap / p95 agregat biasa untuk angka utamanya saja.")
    print("(CPU) = median waktu CPU proses Django per permintaan; sisanya menunggu PostgreSQL atau CPU yang sibuk.")


def _ok(response):
    if response.status_code != 200:
        raise SystemExit(f"{response.status_code} {response.request['PATH_INFO']}")
    return response


if __name__ == "__main__":
    main()
