"""Load test: gunicorn, a Celery worker, PostgreSQL and Redis on loopback, and locust's users (bench/load.py).

    createdb -h 127.0.0.1 -U postgres tikor_load
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tikor_load REDIS_URL=redis://127.0.0.1:6379/9 SECRET_KEY=x \
        .venv/bin/python bench/load_run.py --users 100 --run-time 10m

It migrates the database it is given and loads seed_demo (--scale, default 1; --periode, default 3) unless it
already holds KPM: never point it at real data. The demo users get the password DEMO_PASSWORD (or a fixed one).
Then it collects the static files, starts gunicorn and a Celery worker (their own process groups, a media folder
of their own), runs locust headless for --run-time with --users, stops everything by itself and prints, per type
of request, the count, p50, p95, max and errors, beside the floor (/sehat/ and a static file, the DASAR lines)
and the load average of the machine sampled through the run; then how the background jobs asked for ended.
Target: 100 users for 10 minutes, 0 errors, p95 < 500 ms for every type of request.
"""

import argparse
import csv
import datetime
import io
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

from benchutil import angka

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tikor.settings")
PASSWORD = os.environ.setdefault("DEMO_PASSWORD", "uji-beban-2026")


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def prepare(scale, months):
    """Migrate, seed when empty, set the demo passwords; returns what the users need (bench/load.py CONFIG)."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    from monev.demo.users import ensure_demo_users
    from monev.models import Instrumen, Kunjungan, Penugasan, Pertanyaan
    from penyaluran.distribusi.models import Periode
    from penyaluran.registri.models import EWarong, Kpm
    from tikor.models import Role

    call_command("migrate", verbosity=0)
    if not Kpm.objects.exists():
        started = time.monotonic()
        call_command("seed_demo", "--scale", str(scale), "--periode", str(months), stdout=io.StringIO())
        print(f"seed_demo --scale {scale} --periode {months}: {time.monotonic() - started:.0f} s")
    logins = [user for user, _password in ensure_demo_users()]

    instrumen = Instrumen.objects.terbaru(Instrumen.Jenis.EWARONG)
    pendamping = []
    for user in (u for u in logins if u.role == Role.PENDAMPING):
        penugasan = Penugasan.objects.filter(
            petugas=user, instrumen=instrumen, status=Penugasan.Status.TERBUKA
        ).first() or Penugasan.objects.create(
            ewarong=EWarong.objects.for_user(user).order_by("pk").first(),
            instrumen=instrumen,
            petugas=user,
            batas_waktu=timezone.localdate() + datetime.timedelta(days=30),
        )
        pendamping.append((user.username, penugasan.pk))
    # The answers of a submitted demo visit on that instrument: what the phone's form sends.
    visit = Kunjungan.objects.filter(instrumen=instrumen).exclude(status=Kunjungan.Status.DRAF).order_by("-pk").first()
    answers = {j.pertanyaan.kode: j.nilai for j in visit.jawaban.select_related("pertanyaan")}
    photo_question = instrumen.pertanyaan.filter(tipe=Pertanyaan.Tipe.FOTO).values_list("kode", flat=True).first()
    rows = Kpm.objects.filter(kelurahan__kode__startswith="31.71.01").select_related("kelurahan", "bank")[:200]
    table = io.StringIO()
    writer = csv.writer(table)
    writer.writerow(["NIK", "NO KK", "NAMA", "KELURAHAN", "BANK"])
    writer.writerows([kpm.nik, kpm.no_kk, kpm.nama, kpm.kelurahan.nama, kpm.bank.kode] for kpm in rows)
    latest = Periode.objects.order_by("-tahun", "-bulan").first()
    return {
        "password": PASSWORD,
        "pendamping": pendamping,
        "anggota": [u.username for u in logins if u.role in (Role.ANGGOTA, Role.TIKOR_KOTA)],
        "tanggal": timezone.localdate().isoformat(),
        "lokasi": None,
        "jawaban": answers,
        "pertanyaan_foto": photo_question or "",
        "impor": table.getvalue(),
        "bulan": datetime.date(latest.tahun, latest.bulan, 1).isoformat(),
        "wilayah": "31.71",
        "statis": "/static/css/tikor.css",
    }


def start(command, env, log):
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)


def stop(process):
    """SIGTERM to the process group, then SIGKILL after 20 s."""
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def wait_until_up(url, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"{url} did not answer within {timeout} s")


def uptime():
    """`uptime` in UTC (Django set TZ to the site's zone in this process)."""
    return subprocess.run(["uptime"], capture_output=True, text=True, env={**os.environ, "TZ": "UTC"}).stdout.strip()


class LoadSampler(threading.Thread):
    """The 1-minute load average, read every 15 s while the test runs."""

    def __init__(self):
        super().__init__(daemon=True)
        self.samples, self.stopped = [], threading.Event()

    def run(self):
        while not self.stopped.wait(15):
            self.samples.append(float(Path("/proc/loadavg").read_text().split()[0]))


def report(stats_csv):
    """The locust stats as a table: per request type count, p50, p95, max (ms), errors; the floor last."""
    with open(stats_csv) as handle:
        rows = [row for row in csv.DictReader(handle) if row["Name"] != "Aggregated"]
    rows.sort(key=lambda row: (row["Name"].startswith("DASAR"), row["Name"]))
    print(f"\n{'jenis permintaan':<44} {'jumlah':>8} {'p50':>6} {'p95':>6} {'maks':>7} {'galat':>6}")
    worst = 0
    for row in rows:
        p95 = int(float(row["95%"] or 0))
        if not row["Name"].startswith("DASAR"):
            worst = max(worst, p95)
        print(
            f"{row['Name'][:44]:<44} {angka(int(row['Request Count'])):>8} {row['50%']:>6} {row['95%']:>6} "
            f"{angka(float(row['Max Response Time'])):>7} {row['Failure Count']:>6}"
        )
    errors = sum(int(row["Failure Count"]) for row in rows)
    total = sum(int(row["Request Count"]) for row in rows)
    print(f"{'semua':<44} {angka(total):>8}  (waktu dalam ms; galat {angka(errors)}; p95 terburuk {angka(worst)} ms)")
    return errors, worst


def job_outcomes(since):
    """What the run stored (visits and photos, to set beside the requests' count) and how the imports and reports
    asked for during it ended."""
    from django.db.models import Count

    from monev.models import Foto, Kunjungan, Laporan
    from penyaluran.registri.models import ImportJob

    visits = Kunjungan.objects.filter(dibuat_pada__gte=since).count()
    photos = Foto.objects.filter(kunjungan__dibuat_pada__gte=since).count()
    print(f"\ntersimpan: {angka(visits)} kunjungan, {angka(photos)} foto")

    for model in (ImportJob, Laporan):
        counts = dict(model.objects.filter(dibuat__gte=since).values_list("status").annotate(n=Count("pk")).order_by())
        print(f"{model._meta.verbose_name_plural}: {counts or 'tidak ada'}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--spawn-rate", type=float, default=2, help="users started (and logged in) per second")
    parser.add_argument("--run-time", default="10m", help="as locust reads it: 90s, 10m")
    parser.add_argument("--scale", type=float, default=1)
    parser.add_argument("--periode", type=int, default=3)
    parser.add_argument("--web-workers", type=int, default=3, help="gunicorn worker processes")
    parser.add_argument("--web-threads", type=int, default=4, help="threads per gunicorn worker")
    parser.add_argument("--job-workers", type=int, default=2, help="Celery worker processes (production: one per CPU)")
    args = parser.parse_args()
    if "postgres" not in os.environ.get("DATABASE_URL", "") or not os.environ.get("REDIS_URL"):
        raise SystemExit("Set DATABASE_URL (PostgreSQL) and REDIS_URL: the test runs the production setup.")

    config = prepare(args.scale, args.periode)
    work = Path(tempfile.mkdtemp(prefix="tikor-load-"))
    (work / "config.json").write_text(json.dumps(config))
    env = {
        **os.environ,
        "DEBUG": "0",
        "MEDIA_ROOT": str(work / "media"),
        "STATIC_ROOT": str(work / "static"),
        "LOAD_CONFIG": str(work / "config.json"),
        "LOG_LEVEL": "WARNING",
    }
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    subprocess.run([str(BIN / "celery"), "-A", "tikor", "purge", "-f"], cwd=ROOT, env=env, capture_output=True)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    logs = {name: open(work / f"{name}.log", "w") for name in ("web", "worker", "locust")}  # noqa: SIM115
    web = start(
        [str(BIN / "gunicorn"), "tikor.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", str(args.web_workers),
         "--threads", str(args.web_threads), "--keep-alive", "75", "--timeout", "60"],
        env, logs["web"],
    )  # fmt: skip
    worker = start(
        [str(BIN / "celery"), "-A", "tikor", "worker", "-c", str(args.job_workers), "-l", "warning",
         "--without-gossip", "--without-mingle"],
        env, logs["worker"],
    )  # fmt: skip
    sampler = LoadSampler()
    try:
        wait_until_up(f"{url}/sehat/")
        print(f"uptime sebelum: {uptime()}")
        print(
            f"{args.users} pengguna, {args.run_time}, gunicorn {args.web_workers}x{args.web_threads} thread, "
            f"{args.job_workers} pekerja Celery, CPU {os.cpu_count()}"
        )
        since = datetime.datetime.now(datetime.UTC)
        sampler.start()
        subprocess.run(
            [str(BIN / "locust"), "-f", str(ROOT / "bench" / "load.py"), "--headless", "--users", str(args.users),
             "--spawn-rate", str(args.spawn_rate), "--run-time", args.run_time, "--host", url,
             "--csv", str(work / "locust"), "--only-summary", "--stop-timeout", "15", "--loglevel", "WARNING"],
            cwd=ROOT, env=env, check=False, stdout=logs["locust"], stderr=subprocess.STDOUT,
        )  # fmt: skip
        sampler.stopped.set()
        print(f"uptime sesudah: {uptime()}")
        if sampler.samples:
            samples = sampler.samples
            print(
                f"beban 1 menit selama uji (tiap 15 s): min {angka(min(samples), 2)}, "
                f"rata-rata {angka(sum(samples) / len(samples), 2)}, maks {angka(max(samples), 2)}"
            )
        errors, worst = report(work / "locust_stats.csv")
        failures = work / "locust_failures.csv"
        if errors and failures.exists():
            print("\nGalat:\n" + failures.read_text()[:3000])
        job_outcomes(since)
        print(f"\nTarget: 0 galat, p95 < 500 ms per jenis: {'tercapai' if not errors and worst < 500 else 'TIDAK'}")
    finally:
        stop(web)
        stop(worker)
        for log in logs.values():
            log.close()
        shutil.rmtree(work / "media", ignore_errors=True)
        shutil.rmtree(work / "static", ignore_errors=True)
        print(f"Log gunicorn, pekerja dan locust: {work}")


if __name__ == "__main__":
    main()
