"""Redis down (a private Redis, killed): pages still serve, the public pages too (their rate limits live in the
cache), and a report asked for meanwhile is kept, with a page saying in Indonesian that it waits for the queue."""

import datetime
import time

import pytest
from django.contrib.auth.hashers import make_password
from django.db import connection

from monev.models import KodePublik, Laporan
from tests.factories import EWarongFactory
from tests.faults.processes import Site, database_url, environment
from tikor.jobs import QUEUE_DOWN, JobStatus

PASSWORD = "sandi-uji-gangguan-2"


@pytest.mark.django_db(transaction=True)
def test_with_redis_down_pages_serve_and_a_report_waits_for_the_queue(sekretariat, private_redis, tmp_path):
    # Hashed as the site under gunicorn can check it: the tests' fast MD5 hasher is not among the site's own.
    sekretariat.password = make_password(PASSWORD, hasher="pbkdf2_sha256")
    sekretariat.save()
    kode = KodePublik.untuk(EWarongFactory(nama="e-Warong KUBE Melati Gambir")).kode
    env = environment(database_url(connection.settings_dict), tmp_path / "media", redis_url=private_redis.url)
    log = open(tmp_path / "web.log", "w")  # noqa: SIM115 - the process owns it
    site = Site(env, log)
    try:
        session = site.login("sekretariat", PASSWORD)
        pages = ("/", "/monev/laporan/", "/penyaluran/impor/", f"/e-warong/{kode}/")
        assert [session.get(f"{site.url}{path}", timeout=10).status_code for path in pages] == [200] * 4

        private_redis.kill()

        assert [session.get(f"{site.url}{path}", timeout=10).status_code for path in pages] == [200] * 4
        # The public page's rate limit is counted in the cache: without it the page serves, unlimited.
        public = [session.get(f"{site.url}/e-warong/{kode}/", timeout=10).status_code for _ in range(5)]
        assert public == [200] * 5
        asked = time.monotonic()
        response = session.post(
            f"{site.url}/monev/laporan/",
            {"jenis": "pengaduan", "bulan": datetime.date.today().replace(day=1).isoformat(), "wilayah": "31.71",
             "csrfmiddlewaretoken": session.cookies["csrftoken"]},
            timeout=15,
        )  # fmt: skip
        took = time.monotonic() - asked
    finally:
        site.stop()
        log.close()

    assert response.status_code == 200
    assert "Menunggu antrean: layanan antrean pekerjaan sedang tidak dapat dihubungi" in response.text
    laporan = Laporan.objects.get()
    # Nothing lost: the report waits, unsent, for the minute check to send it once Redis is back.
    assert (laporan.status, laporan.pesan, laporan.dikirim) == (JobStatus.MENUNGGU, QUEUE_DOWN, None)
    log_text = (tmp_path / "web.log").read_text()
    assert "Insiden" not in log_text
    assert "Internal Server Error" not in log_text
    assert "Cache unreachable" in log_text  # the outage is logged, as a warning
    print(f"report asked with Redis down: page answered in {took:.1f} s")
