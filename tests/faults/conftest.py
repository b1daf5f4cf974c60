"""Fault tests start servers of their own (tests/faults/processes.py); they need PostgreSQL for the database the
processes share with the test, and mark themselves `faults` so a run can pick or skip them."""

import shutil

import pytest
from django.conf import settings

from tests.faults.processes import PrivatePostgres, PrivateRedis


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/faults/" in str(item.fspath):
            item.add_marker(pytest.mark.faults)
            item.add_marker(
                pytest.mark.skipif(
                    "postgresql" not in settings.DATABASES["default"]["ENGINE"],
                    reason="fault tests run the site's processes on PostgreSQL",
                )
            )


@pytest.fixture
def private_postgres():
    cluster = PrivatePostgres()
    missing = cluster.available()
    if missing:
        pytest.skip(f"cannot run a private PostgreSQL cluster here: {missing}")
    try:
        cluster.init()
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture
def private_redis(tmp_path):
    if shutil.which("redis-server") is None:
        pytest.skip("redis-server is not installed: no private Redis to kill")
    server = PrivateRedis(tmp_path / "redis")
    server.start()
    yield server
    server.kill()
