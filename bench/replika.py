"""The read replica tried for real: a private PostgreSQL primary and a streaming hot standby (issue 19).

    SECRET_KEY=x .venv/bin/python bench/replika.py --requests 20

Run as root on a machine with PostgreSQL installed (/usr/lib/postgresql/*/bin): it never touches a running
server. It creates a primary with initdb (as the `postgres` OS user, in a temporary folder, on a free port,
wal_level=replica, pg_stat_statements loaded), a standby with `pg_basebackup -R` on another free port, migrates
the primary and loads `seed_demo --scale S --periode 2` into it while it samples the replication lag, and waits
until the standby has replayed everything. Then a child process with DATABASE_URL on the primary and
DATABASE_REPLICA_URL on the standby:
  1. opens the dashboard (/) and the map (/peta/) as each demo role, --requests times with the replica and as
     many times without it (settings.READ_REPLICA None), block by block in the same run: p50 / p95 and how many
     statements each server ran (pg_stat_statements, by kind; and pg_stat_database commits);
  2. builds the province's realisation report (monev.laporan.jobs.ask, Celery eager), with and without;
  3. posts to a KPM page (full numbers on request: an audit row) with the replica on: the write lands on the
     primary and reaches the standby by streaming;
  4. tries an INSERT straight on the standby connection: PostgreSQL refuses it (read-only transaction), and
     pg_stat_statements on the standby shows that no write statement ever ran there.
Both servers are stopped and their folders removed at the end, also on error. Targets: every statement of the
dashboards and the map but the session and the user on the standby, none of the writes; p95 as without replica.
"""

import argparse
import contextlib
import datetime
import glob
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import warnings
from pathlib import Path

from benchutil import angka, serve_pages_as_the_tests_do

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tikor.settings")

DB = "tikor"
USERS = ["sekretariat", "tikor.jakpus", "pendamping.gambir", "anggota.tikor", "anggota.bni"]
WRITES = ("INSERT", "UPDATE", "DELETE", "MERGE", "TRUNCATE", "COPY", "CREATE", "ALTER", "DROP")


# --- private servers (parent) ----------------------------------------------------------------------------------


def pg_bin():
    """The newest installed PostgreSQL's bin folder."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parent.parent.name))
    if not found:
        sys.exit("PostgreSQL tidak terpasang (/usr/lib/postgresql/*/bin).")
    return Path(found[-1]).parent


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def as_postgres(command, base, **kwargs):
    """Run a PostgreSQL tool as the `postgres` OS user (the server refuses to run as root)."""
    return subprocess.run(
        ["runuser", "-u", "postgres", "--", *map(str, command)],
        cwd=base,
        check=True,
        capture_output=True,
        text=True,
        **kwargs,
    )


class Server:
    """One private cluster in `base/name`, listening on 127.0.0.1:port and a socket in `base`."""

    def __init__(self, bindir, base, name):
        self.bindir, self.base, self.name = bindir, base, name
        self.data = base / name
        self.port = free_port()
        self.started = False

    def url(self, db=DB):
        return f"postgres://postgres@127.0.0.1:{self.port}/{db}"

    def connect(self, db="postgres"):
        import psycopg2

        connection = psycopg2.connect(host="127.0.0.1", port=self.port, user="postgres", dbname=db)
        connection.autocommit = True
        return connection

    def configure(self, **settings):
        lines = [f"{key} = '{value}'" for key, value in settings.items()]
        with open(self.data / "postgresql.conf", "a") as conf:
            conf.write("\n# bench/replika.py\n" + "\n".join(lines) + "\n")

    def start(self):
        log = self.base / f"{self.name}.log"
        self.started = True  # before: a start that times out may still leave a server to stop
        as_postgres([self.bindir / "pg_ctl", "-D", self.data, "-l", log, "-w", "-t", "60", "start"], self.base)

    def stop(self):
        if not self.started:
            return
        try:
            as_postgres([self.bindir / "pg_ctl", "-D", self.data, "-m", "fast", "-w", "-t", "60", "stop"], self.base)
        except subprocess.CalledProcessError as error:
            print(f"pg_ctl stop {self.name} gagal: {error.stderr.strip()}")
            # Our own postmaster only: its pid is the first line of the cluster's postmaster.pid.
            with contextlib.suppress(OSError, ValueError, IndexError):
                os.kill(int((self.data / "postmaster.pid").read_text().split()[0]), 9)
        self.started = False

    def log_tail(self, lines=8):
        log = self.base / f"{self.name}.log"
        return "\n".join(log.read_text(errors="replace").splitlines()[-lines:]) if log.exists() else ""

    def query(self, sql, db="postgres"):
        connection = self.connect(db)
        try:
            with connection.cursor() as cursor:
                cursor.execute(sql)
                return cursor.fetchone() if cursor.description else None
        finally:
            connection.close()


def make_pair(bindir, base, servers):
    """Start the primary and its standby; each goes into `servers` before it starts, for the caller to stop."""
    primary, standby = Server(bindir, base, "primer"), Server(bindir, base, "siaga")
    servers += [standby, primary]
    as_postgres(
        [bindir / "initdb", "-D", primary.data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"],
        base,
    )
    common = {
        "listen_addresses": "127.0.0.1",
        "unix_socket_directories": str(base),
        "shared_buffers": "128MB",
        "shared_preload_libraries": "pg_stat_statements",
        "pg_stat_statements.track": "top",
        "pg_stat_statements.track_utility": "off",
        "wal_level": "replica",
        "max_wal_senders": "4",
        "hot_standby": "on",
    }
    primary.configure(port=primary.port, **common)
    with open(primary.data / "pg_hba.conf", "a") as hba:
        hba.write("host replication postgres 127.0.0.1/32 trust\n")
    primary.start()
    primary.query(f"CREATE DATABASE {DB}")
    # Created on the primary, the extension reaches the standby with everything else.
    primary.query("CREATE EXTENSION pg_stat_statements")
    as_postgres(
        [
            bindir / "pg_basebackup",
            *("-h", "127.0.0.1", "-p", primary.port, "-U", "postgres"),
            *("-D", standby.data, "-R", "-X", "stream", "-c", "fast"),
        ],
        base,
    )
    standby.configure(port=standby.port)  # later lines win over the primary's copied port
    standby.start()
    assert standby.query("SELECT pg_is_in_recovery()")[0], "the standby is not in recovery"
    return primary, standby


class LagSampler(threading.Thread):
    """Samples the primary's view of the standby while the seed writes: bytes not yet replayed, replay_lag."""

    def __init__(self, primary):
        super().__init__(daemon=True)
        self.primary, self.stop_event = primary, threading.Event()
        self.max_bytes, self.max_seconds, self.samples = 0, 0.0, 0

    def run(self):
        connection = self.primary.connect()
        with connection.cursor() as cursor:
            while not self.stop_event.wait(0.25):
                cursor.execute(
                    "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn), "
                    "COALESCE(EXTRACT(EPOCH FROM replay_lag), 0) FROM pg_stat_replication"
                )
                row = cursor.fetchone()
                if row:
                    self.samples += 1
                    self.max_bytes = max(self.max_bytes, int(row[0] or 0))
                    self.max_seconds = max(self.max_seconds, float(row[1] or 0))
        connection.close()


def catch_up(primary, standby, timeout=300):
    """Wait until the standby has replayed the primary's current WAL: (bytes behind at first, seconds to catch up)."""
    target = primary.query("SELECT pg_current_wal_lsn()::text")[0]
    started = time.perf_counter()
    behind = standby.query(f"SELECT pg_wal_lsn_diff('{target}', pg_last_wal_replay_lsn())")[0]
    while standby.query(f"SELECT pg_wal_lsn_diff('{target}', pg_last_wal_replay_lsn())")[0] > 0:
        if time.perf_counter() - started > timeout:
            raise RuntimeError(f"Standby did not catch up in {timeout} s.")
        time.sleep(0.02)
    return int(behind), time.perf_counter() - started


def manage(env, *command):
    started = time.perf_counter()
    subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def run(args):
    bindir = pg_bin()
    base = Path(tempfile.mkdtemp(prefix="tikor-replika-"))
    shutil.chown(base, "postgres", "postgres")
    (base / "media").mkdir()
    servers = []
    print(f"PostgreSQL {bindir.parent.name} ({bindir}); folder sementara {base}")
    print(f"Beban mesin (1/5/15 menit): {' / '.join(angka(x, 2) for x in os.getloadavg())}, {os.cpu_count()} CPU")
    try:
        primary, standby = make_pair(bindir, base, servers)
        print(f"Primer 127.0.0.1:{primary.port}, siaga (hot standby) 127.0.0.1:{standby.port}: replikasi streaming.")
        env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "CELERY_BROKER_URL", "DATABASE_URL")}
        env.update(SECRET_KEY="x", DEBUG="0", MEDIA_ROOT=str(base / "media"), DATABASE_URL=primary.url())
        env.pop("DATABASE_REPLICA_URL", None)
        sampler = LagSampler(primary)
        sampler.start()
        took_migrate = manage(env, "migrate", "--verbosity", "0")
        took_seed = manage(env, "seed_demo", "--scale", args.scale, "--periode", "2")
        primary.query("VACUUM ANALYZE", db=DB)  # what autovacuum does within minutes: statistics, visibility map
        sampler.stop_event.set()
        sampler.join()
        behind, caught_up = catch_up(primary, standby)
        lag = {
            "migrate": took_migrate,
            "seed": took_seed,
            "max_bytes": sampler.max_bytes,
            "max_seconds": sampler.max_seconds,
            "behind": behind,
            "caught_up": caught_up,
        }
        print(f"migrate {angka(took_migrate)} s, seed_demo --scale {args.scale} --periode 2 {angka(took_seed)} s.")
        print(
            f"Jeda replikasi selama migrate+seed ({sampler.samples} sampel): maks {angka(sampler.max_bytes)} byte, "
            f"maks replay_lag {angka(sampler.max_seconds, 3)} s; sesudahnya siaga tertinggal {angka(behind)} byte, "
            f"tersusul dalam {angka(caught_up, 3)} s."
        )
        env["DATABASE_REPLICA_URL"] = standby.url()
        result_file = base / "hasil.json"
        child = [sys.executable, __file__, "--child", "--requests", str(args.requests), "--hasil", result_file]
        child += ["--stat-primer", primary.url("postgres"), "--stat-siaga", standby.url("postgres")]
        subprocess.run(child, cwd=ROOT, env=env, check=True)
        result = json.loads(result_file.read_text())
    except BaseException:
        for server in servers:
            print(f"--- log {server.name} ---\n{server.log_tail()}")
        raise
    finally:
        for server in servers:
            server.stop()
        shutil.rmtree(base, ignore_errors=True)
        print(f"Kedua server dihentikan; {base} dihapus.")
    summary(args, lag, result)


# --- measurement (child) ---------------------------------------------------------------------------------------


class Stats:
    """Statements each server ran on the app's database, from pg_stat_statements (updated as each ends) and
    pg_stat_database (commits; flushed when a backend goes idle or exits)."""

    def __init__(self, url):
        import psycopg2

        self.connection = psycopg2.connect(url)
        self.connection.autocommit = True

    def snapshot(self):
        with self.connection.cursor() as cursor:
            cursor.execute(
                "SELECT upper(split_part(ltrim(s.query), ' ', 1)), sum(s.calls) FROM pg_stat_statements s "
                "JOIN pg_database d ON d.oid = s.dbid WHERE d.datname = %s GROUP BY 1",
                [DB],
            )
            kinds = {kind: int(calls) for kind, calls in cursor.fetchall()}
            cursor.execute("SELECT pg_stat_clear_snapshot()")
            cursor.execute("SELECT xact_commit, tup_returned FROM pg_stat_database WHERE datname = %s", [DB])
            commits, returned = cursor.fetchone()
        return {"kinds": kinds, "commits": commits, "returned": returned}


def delta(after, before):
    kinds = {k: after["kinds"].get(k, 0) - before["kinds"].get(k, 0) for k in after["kinds"]}
    kinds = {k: v for k, v in kinds.items() if v}
    return {
        "statements": sum(kinds.values()),
        "writes": sum(v for k, v in kinds.items() if k in WRITES),
        "kinds": kinds,
        "commits": after["commits"] - before["commits"],
        "returned": after["returned"] - before["returned"],
    }


class Counted:
    """Statement deltas on both servers over a block, summed into `into` (a dict per server)."""

    def __init__(self, servers, into):
        self.servers, self.into = servers, into

    def __enter__(self):
        self.before = {name: stats.snapshot() for name, stats in self.servers.items()}

    def __exit__(self, *exc):
        from django.db import connections

        # A backend flushes its pg_stat_database counters when it exits: close the app's connections first.
        connections.close_all()
        time.sleep(0.3)
        for name, stats in self.servers.items():
            moved = delta(stats.snapshot(), self.before[name])
            total = self.into.setdefault(name, {"statements": 0, "writes": 0, "commits": 0, "returned": 0, "kinds": {}})
            for key in ("statements", "writes", "commits", "returned"):
                total[key] += moved[key]
            for kind, calls in moved["kinds"].items():
                total["kinds"][kind] = total["kinds"].get(kind, 0) + calls


def percentiles(samples):
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered) * 1000, p95 * 1000


def _ok(response, status=200):
    if response.status_code != status:
        raise SystemExit(f"{response.status_code} {response.request['PATH_INFO']}")
    return response


def measure(args):
    import django

    django.setup()
    from django.conf import settings
    from django.db import DatabaseError, connections
    from django.test import Client

    from monev.laporan import jobs
    from monev.models import Laporan
    from penyaluran.distribusi.models import Periode
    from penyaluran.registri.models import Kpm
    from tikor.celery import app
    from tikor.models import AuditLog, User, Wilayah

    assert settings.READ_REPLICA == "replica", "DATABASE_REPLICA_URL is not set"
    serve_pages_as_the_tests_do()
    app.conf.task_always_eager = True
    # Pages render without collectstatic, as in the tests; whitenoise warns that STATIC_ROOT is missing.
    warnings.filterwarnings("ignore", message="No directory at")
    stats = {"primer": Stats(args.stat_primer), "siaga": Stats(args.stat_siaga)}
    modes = {"dengan replika": "replica", "tanpa replika": None}
    result = {"pages": {}, "counts": {mode: {} for mode in modes}, "report": {}, "kpm": Kpm.objects.count()}
    periode = Periode.objects.order_by("-tahun", "-bulan").first()
    print(f"Data: {angka(result['kpm'])} KPM, periode {periode}; {args.requests} permintaan per sel.")

    header = f"{'peran':<18} {'halaman':<8} " + "".join(f"{m + ' p50/p95':>28}" for m in modes)
    print(header)
    print("-" * len(header))
    samples = {mode: [] for mode in modes}
    for username in USERS:
        client = Client()
        client.force_login(User.objects.get(username=username))
        for path in ("/", "/peta/"):
            query = {"periode": periode.pk}
            timings = {}
            # Every other row starts without the replica, so neither side always runs first (colder).
            order = list(modes.items()) if len(result["pages"]) % 2 == 0 else list(modes.items())[::-1]
            for mode, alias in order:
                settings.READ_REPLICA = alias
                _ok(client.get(path, query))  # warm
                times = []
                with Counted(stats, result["counts"][mode]):
                    for _ in range(args.requests):
                        started = time.perf_counter()
                        _ok(client.get(path, query))
                        times.append(time.perf_counter() - started)
                samples[mode] += times
                timings[mode] = percentiles(times)
            result["pages"][f"{username} {path}"] = timings
            cells = "".join(f"{angka(timings[m][0], 1):>17} / {angka(timings[m][1], 1):>5} ms" for m in modes)
            print(f"{username:<18} {path:<8} {cells}")
    result["all_pages"] = {mode: percentiles(times) for mode, times in samples.items()}

    # 2. A report build: its figures through the router, its job row and files on the primary.
    sekretariat = User.objects.get(username="sekretariat")
    provinsi = Wilayah.objects.get(kode="31")
    bulan = datetime.date(periode.tahun, periode.bulan, 1)
    settings.READ_REPLICA = None
    jobs.ask(Laporan.Jenis.REALISASI, bulan, provinsi, user=sekretariat)  # warm: imports, fonts, templates
    for mode, alias in modes.items():
        settings.READ_REPLICA = alias
        counts = {}
        with Counted(stats, counts):
            started = time.perf_counter()
            laporan = jobs.ask(Laporan.Jenis.REALISASI, bulan, provinsi, user=sekretariat)
            took = time.perf_counter() - started
        laporan.refresh_from_db()
        if laporan.status != "selesai":
            raise SystemExit(f"Laporan {mode}: {laporan.status} {laporan.pesan}")
        result["report"][mode] = {"seconds": took, "counts": counts, "rows": laporan.ringkasan.get("baris")}
        print(
            f"Laporan realisasi provinsi {mode}: {angka(took, 2)} s, {laporan.ringkasan.get('baris')} baris; "
            f"pernyataan primer {counts['primer']['statements']}, siaga {counts['siaga']['statements']}"
        )

    # 3. A page that writes, with the replica on: the audit row lands on the primary and streams to the standby.
    settings.READ_REPLICA = "replica"
    client = Client()
    client.force_login(sekretariat)
    kpm = Kpm.objects.order_by("pk").first()
    audit = AuditLog.objects.filter(objek="penyaluran.kpm", aksi=AuditLog.Aksi.LIHAT)
    before = audit.count()
    counts = {}
    with Counted(stats, counts):
        _ok(client.post(f"/monev/kpm/{kpm.pk}/"))
    on_primary = audit.using("default").count() - before
    started = time.perf_counter()
    while audit.using("replica").count() - before < on_primary and time.perf_counter() - started < 30:
        time.sleep(0.01)
    on_standby = audit.using("replica").count() - before
    result["write_page"] = {
        "primary": on_primary,
        "standby": on_standby,
        "seen_after": time.perf_counter() - started,
        "counts": counts,
    }
    print(
        f"POST /monev/kpm/{kpm.pk}/ (NIK lengkap, baris audit): 200; audit baru di primer {on_primary}, "
        f"di siaga {on_standby} sesudah {angka(result['write_page']['seen_after'] * 1000)} ms; "
        f"pernyataan tulis primer {counts['primer']['writes']}, siaga {counts['siaga']['writes']}"
    )

    # 4. A write sent straight to the standby is refused by PostgreSQL.
    try:
        AuditLog.objects.using("replica").create(pengguna=sekretariat, aksi=AuditLog.Aksi.LIHAT, objek="uji")
        refused = None
    except DatabaseError as error:
        refused = str(error).strip().splitlines()[0]
    connections["replica"].close()
    result["refused"] = refused
    print(f"INSERT langsung ke siaga: {'DITOLAK: ' + refused if refused else 'DITERIMA (salah!)'}")
    whole = {name: s.snapshot()["kinds"] for name, s in stats.items()}
    result["standby_writes_ever"] = sum(v for k, v in whole["siaga"].items() if k in WRITES)
    Path(args.hasil).write_text(json.dumps(result))


# --- summary (parent) ------------------------------------------------------------------------------------------


def summary(args, lag, result):
    print("\nRingkasan")
    print(f"  {'':<44} {'dengan replika':>16} {'tanpa replika':>16}")
    pages = result["all_pages"]
    for i, label in enumerate(("p50", "p95")):
        print(
            f"  {'Dasbor + peta, semua peran, ' + label:<44} {angka(pages['dengan replika'][i], 1):>13} ms"
            f" {angka(pages['tanpa replika'][i], 1):>13} ms"
        )
    for name in ("primer", "siaga"):
        for key, label in (
            ("statements", "pernyataan"),
            ("writes", "pernyataan tulis"),
            ("commits", "commit"),
            ("returned", "baris dibaca"),
        ):
            cells = "".join(f"{angka(result['counts'][mode][name][key]):>16} " for mode in result["counts"])
            print(f"  {'Dasbor + peta: ' + label + ' di ' + name:<44} {cells}")
    for name in ("primer", "siaga"):
        cells = "".join(
            f"{angka(result['report'][mode]['counts'][name]['statements']):>16} " for mode in result["report"]
        )
        print(f"  {'Laporan realisasi: pernyataan di ' + name:<44} {cells}")
    cells = "".join(f"{angka(result['report'][mode]['seconds'], 2):>14} s " for mode in result["report"])
    print(f"  {'Laporan realisasi: waktu':<44} {cells}")
    with_replica = result["counts"]["dengan replika"]
    share = with_replica["siaga"]["statements"] / max(1, sum(v["statements"] for v in with_replica.values()))
    print(f"\n  Bagian pernyataan dasbor + peta yang dijalankan siaga: {angka(share * 100, 1)} %")
    requests = len(result["pages"]) * args.requests
    print(
        f"  Pernyataan di primer per permintaan dengan replika: "
        f"{angka(with_replica['primer']['statements'] / requests, 1)} (sesi dan pengguna, lewat middleware)"
    )
    print(
        f"  Jeda replikasi: maks {angka(lag['max_bytes'])} byte / {angka(lag['max_seconds'], 3)} s selama seed; "
        f"tersusul {angka(lag['caught_up'], 3)} s sesudahnya; baris audit terlihat di siaga "
        f"{angka(result['write_page']['seen_after'] * 1000)} ms sesudah POST"
    )
    write = result["write_page"]
    print(f"  Halaman yang menulis (POST KPM): baris audit di primer {write['primary']}, ikut tersalin ke siaga")
    print(f"  Tulis langsung ke siaga: {'ditolak (' + result['refused'] + ')' if result['refused'] else 'DITERIMA'}")
    print(f"  Pernyataan tulis yang pernah dijalankan siaga: {result['standby_writes_ever']}")
    ok = (
        result["refused"]
        and result["standby_writes_ever"] == 0
        and write["primary"] == 1
        and with_replica["siaga"]["statements"] > with_replica["primer"]["statements"]
    )
    print(f"  Beban mesin sesudahnya: {' / '.join(angka(x, 2) for x in os.getloadavg())}, {os.cpu_count()} CPU")
    print(f"\nHasil: {'LULUS' if ok else 'GAGAL'}")
    if not ok:
        sys.exit(1)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--scale", default="0.05")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--hasil", help=argparse.SUPPRESS)
    parser.add_argument("--stat-primer", help=argparse.SUPPRESS)
    parser.add_argument("--stat-siaga", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return measure(args)
    if os.geteuid() != 0:
        sys.exit("Jalankan sebagai root: server pribadi dijalankan sebagai pengguna OS postgres (runuser).")
    return run(args)


if __name__ == "__main__":
    main()
