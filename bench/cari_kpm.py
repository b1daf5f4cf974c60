"""Benchmark of the KPM search (issue 13) on PostgreSQL: by NIK and by part of a name, beside plain `icontains`.

    createdb -h 127.0.0.1 -U postgres tikor_bench13
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tikor_bench13 SECRET_KEY=x .venv/bin/python bench/cari_kpm.py

It migrates the database it is given and loads seed_demo (--scale, default 1: 206.438 KPM; --periode, default 2)
unless the database already holds KPM: never point it at real data. Then, for --requests random terms each:
  1. the search as the page runs it (monev.forms.kpm_matches: Kpm.objects.for_user(user).cari(term), 51 matches in
     no order, sorted by name), by whole NIK and by part of a name (one or two word fragments taken from real
     names), for the secretariat (all of DKI) and a pendamping (one kecamatan); and, for the secretariat, the
     first version: the first 51 by name (ORDER BY nama LIMIT 51);
  2. the plain query beside it in the same run: `icontains` on NIK, No KK and KKS for a number, `icontains` on
     the name for text, the first 51 by name, the same rows loaded, with the planner kept off the trigram index
     (bitmap scans off, as without the index);
  3. the whole page (/monev/kpm/?q=...) through the test client, for the secretariat.
Prints p50/p95 in ms and the ratio plain/ours. Target: p95 <= 50 ms by NIK and by part of a name.
"""

import argparse
import io
import os
import random
import statistics
import sys
import time
from pathlib import Path

from benchutil import angka

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tikor.settings")
LIMIT = 51  # monev.views.registri.MAKS_HASIL_KPM + 1


def percentiles(samples):
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered) * 1000, p95 * 1000


def seed(scale, periode):
    from django.core.management import call_command

    from penyaluran.registri.models import Kpm

    call_command("migrate", verbosity=0)
    if Kpm.objects.exists():
        print(f"Data demo sudah ada ({angka(Kpm.objects.count())} KPM); seed_demo dilewati.")
        return
    out = io.StringIO()
    started = time.perf_counter()
    call_command("seed_demo", "--scale", str(scale), "--periode", str(periode), stdout=out)
    print(f"seed_demo --scale {scale} --periode {periode}: {time.perf_counter() - started:.0f} s")
    for line in out.getvalue().splitlines():
        if line.startswith(("Penyaluran dimuat", "Data dimuat")):
            print("  " + line)


def terms(n, rng):
    """(NIKs, name parts) of random KPM: a part is 3-5 letters of one word, or of two words ("siti rah")."""
    from penyaluran.registri.models import Kpm

    ids = list(Kpm.objects.values_list("pk", flat=True))
    chosen = Kpm.objects.filter(pk__in=rng.sample(ids, n)).values_list("nik", "nama")
    niks, parts = [], []
    for nik, nama in chosen:
        niks.append(nik)
        words = [w for w in nama.lower().split() if len(w) >= 3]
        picked = rng.sample(words, min(len(words), rng.choice((1, 2))))
        fragments = []
        for word in picked:
            size = rng.randint(3, min(5, len(word)))
            start = rng.randint(0, len(word) - size)
            fragments.append(word[start : start + size])
        parts.append(" ".join(fragments))
    return niks, parts


def ours(user, term):
    from monev.forms import kpm_matches

    return kpm_matches(user, term, limit=LIMIT)


def ordered(user, term):
    """The first version of the page: the first 51 by name, which makes PostgreSQL find every match first."""
    from penyaluran.registri.models import Kpm

    return list(Kpm.objects.for_user(user).cari(term).order_by("nama", "pk")[:LIMIT].values_list("pk", flat=True))


def plain(user, term):
    """What a search without this work runs: icontains everywhere, the model's order (by name), the same rows
    loaded, and no trigram index to help."""
    from django.db import connection, transaction
    from django.db.models import Q

    from penyaluran.registri.models import Kpm

    queryset = Kpm.objects.for_user(user).select_related("kelurahan__induk", "ewarong", "bank")
    number = "".join(term.split())
    if number.isdigit():
        queryset = queryset.filter(
            Q(nik__icontains=number) | Q(no_kk__icontains=number) | Q(nomor_kks__icontains=number)
        )
    else:
        for word in term.split():
            queryset = queryset.filter(nama__icontains=word)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_bitmapscan = off")  # a GIN index is read only through bitmap scans
        return list(queryset.order_by("nama", "pk")[:LIMIT])


def timed(function, user, samples):
    took, found = [], []
    for term in samples:
        started = time.perf_counter()
        found.append(len(function(user, term)))
        took.append(time.perf_counter() - started)
    return percentiles(took), found


def explain(user, term):
    from penyaluran.registri.models import Kpm

    plan = Kpm.objects.for_user(user).cari(term).order_by()[:LIMIT].explain()
    return [line.strip() for line in plan.splitlines() if "Scan" in line or "Index" in line][:3]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", default="1")
    parser.add_argument("--periode", default="2")
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--plain-requests", type=int, default=40)
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client

    from penyaluran.registri.models import Kpm
    from tikor.models import Role, User

    if connection.vendor != "postgresql":
        sys.exit("Benchmark ini untuk PostgreSQL (DATABASE_URL=postgres://...).")
    settings.ALLOWED_HOSTS = ["*"]
    # Pages render without collectstatic's manifest, as in the tests.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    seed(args.scale, args.periode)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE penyaluran_kpm")
        cursor.execute("SELECT count(*) FROM pg_indexes WHERE indexname = 'penyaluran_kpm_nama_trgm'")
        has_trigram = cursor.fetchone()[0] == 1
    print(f"{angka(Kpm.objects.count())} KPM; indeks trigram nama: {'ada' if has_trigram else 'TIDAK ADA'}")

    rng = random.Random(13)
    niks, parts = terms(args.requests, rng)
    sekretariat = User.objects.filter(role=Role.SEKRETARIAT, is_active=True).order_by("pk").first()
    pendamping = User.objects.get(username="pendamping.gambir")
    plain_niks, plain_parts = niks[: args.plain_requests], parts[: args.plain_requests]
    # Warm the cache the same way for both.
    for term in parts[:20]:
        ours(sekretariat, term)
        plain(sekretariat, term)

    print(f"\n{'pencarian':<36} {'p50 ms':>8} {'p95 ms':>8} {'polos p50':>10} {'polos p95':>10} {'rasio p95':>10}")
    for label, user in (("sekretariat (DKI)", sekretariat), ("pendamping Gambir", pendamping)):
        for kind, samples, plain_samples in (("NIK", niks, plain_niks), ("bagian nama", parts, plain_parts)):
            (p50, p95), found = timed(ours, user, samples)
            (q50, q95), plain_found = timed(plain, user, plain_samples)
            same = found[: len(plain_found)] == plain_found
            print(
                f"{label + ', ' + kind:<36} {angka(p50, 1):>8} {angka(p95, 1):>8} {angka(q50, 1):>10} "
                f"{angka(q95, 1):>10} {angka(q95 / p95, 1) + ' x':>10}" + ("" if same else "  (jumlah berbeda!)")
            )
            if user == sekretariat:
                (o50, o95), _found = timed(ordered, user, plain_samples)
                print(f"  {'urut nama dulu (ORDER BY nama LIMIT 51)':<34} {angka(o50, 1):>8} {angka(o95, 1):>8}")
            if user == sekretariat and kind == "bagian nama":
                print(f"  rata-rata {angka(statistics.mean(found), 1)} KPM per pencarian (paling banyak {LIMIT})")

    client = Client()
    client.force_login(sekretariat)
    for kind, samples in (("NIK", niks[:50]), ("bagian nama", parts[:50])):
        took = []
        for term in samples:
            started = time.perf_counter()
            response = client.get("/monev/kpm/", {"q": term})
            took.append(time.perf_counter() - started)
            assert response.status_code == 200
        p50, p95 = percentiles(took)
        print(f"halaman /monev/kpm/ ({kind}), sekretariat: p50 {angka(p50, 1)} ms, p95 {angka(p95, 1)} ms")

    print("\nRencana kueri, bagian nama:", " | ".join(explain(sekretariat, parts[0])))
    print("Rencana kueri, NIK:", " | ".join(explain(sekretariat, niks[0])))


if __name__ == "__main__":
    main()
