"""Servers of a fault test's own: a PostgreSQL cluster and a Redis on free ports, the site under gunicorn and a
Celery worker as subprocesses. Nothing here stops or restarts the shared PostgreSQL or Redis.

Every process runs in its own process group, killed as a group when the test ends.
"""

import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
PG_BIN = Path("/usr/lib/postgresql")


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(condition, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(Exception):
            if condition():
                return
        time.sleep(0.05)
    raise AssertionError(f"{what} not reached within {timeout} s")


def kill_group(process, sig=signal.SIGKILL):
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, sig)
    process.wait(timeout=20)


def _pg_tool(name):
    """The cluster tools of the PostgreSQL whose client is on PATH (initdb and pg_ctl are not on PATH in Debian)."""
    found = sorted(PG_BIN.glob(f"*/bin/{name}"))
    return str(found[-1]) if found else shutil.which(name)


class PrivatePostgres:
    """A PostgreSQL cluster in `folder` on a free port, run as the `postgres` OS user when we are root."""

    def __init__(self):
        # Not under pytest's tmp_path: the postgres user cannot enter root's private folders.
        self.folder, self.port = Path(tempfile.mkdtemp(prefix="tikor-pg-")), free_port()
        self.data = self.folder / "data"
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/tikor"

    def _as_postgres(self, *command, check=True):
        if os.geteuid() == 0:
            command = ("runuser", "-u", "postgres", "--", *command)
        done = subprocess.run(command, capture_output=True, text=True)
        if check and done.returncode:
            raise AssertionError(f"{' '.join(command)} failed ({done.returncode}): {done.stderr or done.stdout}")
        return done

    def available(self):
        if not _pg_tool("initdb") or not _pg_tool("pg_ctl"):
            return "initdb/pg_ctl not found"
        if os.geteuid() == 0 and subprocess.run(["id", "postgres"], capture_output=True).returncode != 0:
            return "no postgres OS user to run a cluster as"
        return None

    def init(self):
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres")
        self._as_postgres(_pg_tool("initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8",
                          "--no-sync")  # fmt: skip
        self.start()
        self._as_postgres(shutil.which("createdb"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "tikor")

    def _ctl(self, action, *extra):
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._as_postgres(_pg_tool("pg_ctl"), action, "-D", str(self.data), "-w", "-t", "30", "-o", options,
                          "-l", str(self.folder / "postgres.log"), *extra)  # fmt: skip

    def start(self):
        self._ctl("start")

    def restart(self):
        self._ctl("restart", "-m", "fast")

    def stop(self):
        if self.data.exists():
            self._as_postgres(_pg_tool("pg_ctl"), "stop", "-D", str(self.data), "-m", "immediate", check=False)
        shutil.rmtree(self.folder, ignore_errors=True)

    def load_from(self, database_url):
        """Copy a database (schema and rows) into this cluster's `tikor` database."""
        dump = subprocess.run(["pg_dump", "--no-owner", "-d", database_url], capture_output=True, check=True)
        subprocess.run(["psql", "-q", "-v", "ON_ERROR_STOP=1", "-d", self.url], input=dump.stdout,
                       capture_output=True, check=True)  # fmt: skip


class PrivateRedis:
    def __init__(self, folder):
        self.folder, self.port = Path(folder), free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def start(self):
        self.folder.mkdir(parents=True, exist_ok=True)
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(self.folder)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
        )  # fmt: skip
        wait_for(lambda: socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close() or True, 10, "redis")

    def kill(self):
        if self.process is not None and self.process.poll() is None:
            kill_group(self.process)


def environment(database_url, media_root, redis_url=None, **extra):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.faults.site_settings",
        "PYTHONPATH": str(ROOT),
        "DATABASE_URL": database_url,
        "MEDIA_ROOT": str(media_root),
        "SECRET_KEY": os.environ.get("SECRET_KEY") or "rahasia-uji-gangguan",
        "DEBUG": "0",
        "LOG_LEVEL": "WARNING",
        **extra,
    }
    env.pop("REDIS_URL", None)
    env.pop("CELERY_BROKER_URL", None)
    if redis_url:
        env["REDIS_URL"] = redis_url
    return env


def database_url(settings_dict):
    db = settings_dict
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


class Site:
    """The site under gunicorn (one worker process, a few threads), as production runs it."""

    def __init__(self, env, log):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [str(BIN / "gunicorn"), "tikor.wsgi", "--bind", f"127.0.0.1:{self.port}", "--workers", "1",
             "--threads", "4", "--timeout", "30"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        wait_for(lambda: requests.get(f"{self.url}/sehat/", timeout=2).status_code == 200, 30, "gunicorn up")

    def login(self, username, password):
        session = requests.Session()
        session.get(f"{self.url}/akun/masuk/", timeout=5)
        response = session.post(
            f"{self.url}/akun/masuk/",
            {"username": username, "password": password, "csrfmiddlewaretoken": session.cookies["csrftoken"]},
            allow_redirects=False,
            timeout=5,
        )
        assert response.status_code == 302, response.text[:500]
        return session

    def stop(self):
        kill_group(self.process, signal.SIGTERM)


def start_worker(env, log, concurrency=2):
    """A prefork Celery worker; its children's pids are in the job rows it claims (`pekerja`)."""
    from tikor.celery import app

    queue = app.conf.task_default_queue  # this test process's own queue under pytest-xdist (tests/conftest.py)
    return subprocess.Popen(
        [str(BIN / "celery"), "-A", "tikor", "worker", "-P", "prefork", "-c", str(concurrency), "-l", "info",
         "-Q", queue, "--without-gossip", "--without-mingle", "--without-heartbeat"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip


def incident_numbers(text):
    return re.findall(r"\d{6}-[0-9A-F]{6}", text)
