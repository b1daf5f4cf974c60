"""The people of the test stories, and the places they work.

Gambir (31.71.01) and Tanah Abang (31.71.07) are in Jakarta Pusat (31.71); Tebet (31.74.01)
is in Jakarta Selatan.
"""

import os

import pytest
from django.conf import settings

from tests.factories import UserFactory
from tikor.models import Role

GAMBIR = "31.71.01"
KEL_GAMBIR = "31.71.01.1001"
TANAH_ABANG = "31.71.07"
KEL_TANAH_ABANG = "31.71.07.1001"
JAKPUS = "31.71"
KEL_TEBET = "31.74.01.1001"


def pytest_configure(config):
    # CI sets this so that a missing service fails the run instead of quietly testing SQLite.
    if os.environ.get("TIKOR_TEST_REQUIRE_SERVICES"):
        if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
            raise pytest.UsageError("TIKOR_TEST_REQUIRE_SERVICES: DATABASE_URL must point to PostgreSQL")
        if not settings.REDIS_URL:
            raise pytest.UsageError("TIKOR_TEST_REQUIRE_SERVICES: REDIS_URL must be set")


def pytest_report_header(config):
    db = settings.DATABASES["default"]
    vendor = {"postgresql": "PostgreSQL", "sqlite3": "SQLite"}.get(db["ENGINE"].rsplit(".", 1)[-1], db["ENGINE"])
    broker = "Redis" if settings.REDIS_URL else "none (Celery eager)"
    return [f"database: {vendor} ({db.get('HOST') or db['NAME']}), broker: {broker}"]


@pytest.fixture
def sekretariat(db):
    return UserFactory(username="sekretariat", role=Role.SEKRETARIAT)


@pytest.fixture
def pendamping_gambir(db):
    return UserFactory(username="pendamping.gambir", role=Role.PENDAMPING, area=[GAMBIR])


@pytest.fixture
def pendamping_tanah_abang(db):
    return UserFactory(username="pendamping.tanahabang", role=Role.PENDAMPING, area=[TANAH_ABANG])


@pytest.fixture
def tikor_jakpus(db):
    return UserFactory(username="tikor.jakpus", role=Role.TIKOR_KOTA, area=[JAKPUS])


@pytest.fixture
def anggota_tikor(db):
    return UserFactory(username="anggota.tikor", role=Role.ANGGOTA)


def client_for(client, user):
    client.force_login(user)
    return client


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    # The manifest storage needs collectstatic; tests render pages without running it.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
