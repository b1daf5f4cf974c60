"""PostgreSQL restarted under traffic: the web process keeps running and its pages answer again as soon as the
database does, without a restart of the web process (CONN_HEALTH_CHECKS drops the dead persistent connections)."""

import subprocess
import sys
import threading
import time

from django.conf import settings
from django.db import connection

from tests.faults.processes import ROOT, Site, database_url, environment

PASSWORD = "sandi-uji-gangguan-1"


def test_pages_recover_after_postgresql_restarts_under_traffic(db, private_postgres, tmp_path):
    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True
    assert settings.DATABASES["default"]["CONN_MAX_AGE"] > 0  # persistent connections: they need the check
    # The migrated test database (regions, banks, groups: what its test transaction has not written) copied into
    # the private cluster, and one login there.
    assert connection.settings_dict["NAME"].startswith("test_")
    private_postgres.load_from(database_url(connection.settings_dict))
    env = environment(private_postgres.url, tmp_path / "media", SANDI=PASSWORD)
    subprocess.run(
        [sys.executable, "manage.py", "buat_pengguna", "sekretariat", "--peran", "sekretariat",
         "--password-env", "SANDI"],
        cwd=ROOT, env=env, check=True, capture_output=True,
    )  # fmt: skip
    log = open(tmp_path / "web.log", "w")  # noqa: SIM115 - the process owns it
    site = Site(env, log)
    try:
        session = site.login("sekretariat", PASSWORD)
        answers, stop = [], threading.Event()

        def browse():
            while not stop.is_set():
                for path in ("/", "/sehat/", "/monev/kunjungan/"):
                    started = time.monotonic()
                    try:
                        status = session.get(f"{site.url}{path}", timeout=10, allow_redirects=False).status_code
                    except Exception as exc:  # a connection the server dropped
                        status = type(exc).__name__
                    answers.append((started, time.monotonic(), path, status))
                time.sleep(0.02)

        browsers = [threading.Thread(target=browse) for _ in range(3)]
        for browser in browsers:
            browser.start()
        time.sleep(1.5)
        restart_began = time.monotonic()
        private_postgres.restart()
        back = time.monotonic()
        time.sleep(2)
        stop.set()
        for browser in browsers:
            browser.join(15)
    finally:
        site.stop()
        log.close()

    before = [status for _started, ended, _path, status in answers if ended < restart_began]
    during = [status for started, ended, _path, status in answers if ended >= restart_began and started <= back]
    after = [(path, status) for started, _ended, path, status in answers if started > back]
    assert before
    assert set(before) == {200}
    # Every page asked for once the database answers again is served, by the same web process.
    assert len(after) > 20
    assert {status for _path, status in after} == {200}, after
    # While it restarts a page says so (503, try again in a moment), never the page of an unexpected error.
    assert set(during) <= {200, 503}, during
    print(f"restart took {back - restart_began:.1f} s; answers during it: {sorted(map(str, during))}")
    assert site.process.returncode is not None  # stopped by us, at the end
    log_text = (tmp_path / "web.log").read_text()
    assert "Booting worker" in log_text
    assert log_text.count("Booting worker") == 1
