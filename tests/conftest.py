"""The people of the test stories, and the places they work.

Gambir (31.71.01) and Tanah Abang (31.71.07) are in Jakarta Pusat (31.71); Tebet (31.74.01)
is in Jakarta Selatan.
"""

import contextlib
import html
import io
import os
import re
import threading
from unittest import mock

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connections, transaction
from django.test.utils import override_settings

from tests.factories import UserFactory, eager_tasks
from tikor.models import Role

GAMBIR = "31.71.01"
KEL_GAMBIR = "31.71.01.1001"
TANAH_ABANG = "31.71.07"
KEL_TANAH_ABANG = "31.71.07.1001"
JAKPUS = "31.71"
KEL_TEBET = "31.74.01.1001"


def pytest_configure(config):
    # A read replica alias on the test database, as Django mirrors replicas in tests; nothing reads from it unless
    # a test names it in READ_REPLICA (tests/monev/test_replica.py).
    settings.DATABASES.setdefault("replica", {**settings.DATABASES["default"], "TEST": {"MIRROR": "default"}})
    _separate_xdist_workers()


def _separate_xdist_workers():
    """Under pytest-xdist (`make test` runs two processes) each process has its own test database (pytest-django
    adds the suffix); here it also gets its own media folder, cache keys and Celery queue, so one process's worker
    never takes the other's tasks and job files of the same id never collide."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker:
        return
    from tikor.celery import app

    settings.MEDIA_ROOT = os.path.join(settings.MEDIA_ROOT, f"pytest-{worker}")
    settings.FILE_UPLOAD_TEMP_DIR = os.path.join(settings.MEDIA_ROOT, "unggahan-sementara")
    os.makedirs(settings.FILE_UPLOAD_TEMP_DIR, exist_ok=True)
    settings.CACHES["default"]["KEY_PREFIX"] = f"pytest-{worker}"
    app.conf.task_default_queue = f"celery-{worker}"
    # CI sets this so that a missing service fails the run instead of quietly testing SQLite.
    if os.environ.get("TIKOR_TEST_REQUIRE_SERVICES"):
        if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
            raise pytest.UsageError("TIKOR_TEST_REQUIRE_SERVICES: DATABASE_URL must point to PostgreSQL")
        if not settings.REDIS_URL:
            raise pytest.UsageError("TIKOR_TEST_REQUIRE_SERVICES: REDIS_URL must be set")


def pytest_collection_modifyitems(items):
    """Every transactional test restores the database it found.

    A flush without serialized_rollback empties the regions and banks that data migrations loaded, and
    re-creates the role groups, which a later serialized test then collides with when it restores them.
    """
    for item in items:
        marker = item.get_closest_marker("django_db")
        if marker and marker.kwargs.get("transaction") and not marker.kwargs.get("serialized_rollback"):
            item.add_marker(pytest.mark.django_db(**marker.kwargs, serialized_rollback=True), append=False)
        # A transactional test empties the tables when it ends (its rows were committed). pytest-django runs them
        # after every other test for that reason; two xdist processes would not, so `make test` runs these
        # marked ones on their own, after the rest (Makefile).
        transactional = marker is not None and marker.kwargs.get("transaction")
        if transactional or {"transactional_db", "live_server"} & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.transactional)


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


def visible_text(response):
    """What a person reads on the page: no scripts, no tags, no attributes."""
    return html_text(response.content.decode())


def html_text(markup):
    page = re.sub(r"<(script|style)\b.*?</\1>", "", markup, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


def run_at_once(target, items, timeout=120):
    """Call target(item) for every item, each in its own thread, all let go at the same moment.

    Returns, in the order of the items, what each call returned or the exception it raised (a deadlock, say);
    each thread closes the database connections it opened.
    """
    items = list(items)
    outcomes = [TimeoutError(f"still running after {timeout} s")] * len(items)
    start = threading.Barrier(len(items))

    def run(index, item):
        try:
            start.wait()
            outcomes[index] = target(item)
        except Exception as exc:  # the test compares what each thread raised with what it expects
            outcomes[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(items)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    return outcomes


DEMO_PASSWORD = "sandi-demo-uji"


@pytest.fixture
def demo_password(settings, monkeypatch):
    """The password seed_demo gives its users; a fast hasher, or its six accounts would cost seconds a run."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    monkeypatch.setenv("DEMO_PASSWORD", DEMO_PASSWORD)
    return DEMO_PASSWORD


@contextlib.contextmanager
def seeded_for_module(django_db_blocker, *args):
    """seed_demo once for a module's tests (it takes 10-20 s), inside a transaction rolled back after the module's
    last test: each test's own transaction nests in it as a savepoint, so what a test writes is gone for the next.
    Yields seed_demo's output. Use it from a module-scoped fixture that depends on django_db_setup."""
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]),
        mock.patch.dict(os.environ, {"DEMO_PASSWORD": DEMO_PASSWORD}),
        transaction.atomic(),
    ):
        out = io.StringIO()
        call_command("seed_demo", *args, stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


# MD5 for the passwords tests make; Django's default still checks one made outside a test's settings.
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", "django.contrib.auth.hashers.PBKDF2PasswordHasher"]


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    """Every test user gets a password (UserFactory): PBKDF2 would cost a fraction of a second each, on a busy
    machine more. Tests only; the site keeps Django's default hashers."""
    settings.PASSWORD_HASHERS = FAST_HASHERS


@pytest.fixture(autouse=True)
def _allow_database_beside_playwright(request, monkeypatch):
    """Browser tests read the database between the steps of Playwright's sync API, whose event loop runs in the
    test's thread. Set for them only: leaked into the environment it would fail `check --deploy` elsewhere."""
    if request.node.get_closest_marker("browser"):
        monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def celery_eager():
    """Tasks run in the request, on commit; with REDIS_URL set (CI) they would wait for a worker."""
    with eager_tasks():
        yield


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    # The manifest storage needs collectstatic; tests render pages without running it.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


# --- Monev: one e-warong with an open assignment in Gambir and in Tanah Abang ---------------------------------

# Answers to the default e-warong instrument that keep every rule.
COMPLIANT_EWARONG = {
    "E1": "ya", "E3": "tidak", "E20": "120", "E4": "ya", "E5": "ya", "E6": "ya", "E7": "ya", "E19": "ya",
    "E2": "ya", "E15": "baik", "E16": "1000", "E21": "tidak pernah", "E11": "9000", "E12": "23000",
    "E13": "34000", "E8": "tidak", "E9": "tidak", "E10": "tidak", "E17": "e-warong sendiri", "E18": "tidak",
}  # fmt: skip


def visit_payload(uuid=None, tanggal=None, lokasi=None, **answers):
    """The JSON body the phone sends for a visit; answers override the compliant defaults."""
    import uuid as uuid_module

    from django.utils import timezone

    return {
        "uuid": str(uuid or uuid_module.uuid4()),
        "tanggal": str(tanggal or timezone.localdate()),
        "lokasi": lokasi,
        "jawaban": {**COMPLIANT_EWARONG, **answers},
        "keterangan": {},
        "catatan": "",
    }


def _penugasan(kelurahan, nama, petugas=None, **ewarong_fields):
    import datetime

    from django.utils import timezone

    from monev.models import Instrumen, Penugasan
    from tests.factories import EWarongFactory

    ewarong = EWarongFactory(nama=nama, kelurahan_id=kelurahan, **ewarong_fields)
    return Penugasan.objects.create(
        ewarong=ewarong,
        instrumen=Instrumen.objects.terbaru(Instrumen.Jenis.EWARONG),
        petugas=petugas,
        batas_waktu=timezone.localdate() + datetime.timedelta(days=7),
    )


@pytest.fixture
def penugasan_gambir(pendamping_gambir):
    # Registered at Monas; the test phone stands about 70 m away.
    return _penugasan(
        KEL_GAMBIR, "e-Warong Melati Gambir", pendamping_gambir, latitude="-6.175400", longitude="106.827200"
    )


@pytest.fixture
def penugasan_tanah_abang(pendamping_tanah_abang):
    return _penugasan(KEL_TANAH_ABANG, "e-Warong Mawar Tanah Abang", pendamping_tanah_abang)
