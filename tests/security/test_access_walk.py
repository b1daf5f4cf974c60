"""Every URL pattern of the project, for every role, with rows from inside and outside the role's area.

For each role and pattern (tests/security/urlwalk.py fills the arguments):
- GET with a row inside the area answers without a server error;
- GET and POST (empty, then plausible) with a row outside answer 404 or 403 (anonymous: the login page), and so
  does a POST of a read-only role anywhere; no refused POST writes a row;
- PUT, PATCH, DELETE and TRACE answer 405;
- no response carries the NIK, No KK, KKS number or name of a KPM outside the area (tests/security/dataset.py
  marks four such KPM with values found nowhere else).
A pattern the filler cannot fill fails test_every_pattern_is_filled until it is filled or listed in UNFILLABLE.
"""

import itertools

import pytest
from django.conf import settings
from django.core.signals import request_finished
from django.db import close_old_connections, transaction
from django.test import Client
from django.test.utils import override_settings

from tests.conftest import JAKPUS, seeded_for_module
from tests.security import dataset as walk_dataset
from tests.security.dataset import session_of
from tests.security.urlwalk import Filler, Route, routes
from tests.security.writes import WriteRecorder, differences, snapshot
from tikor.nik import mask_nik

# Patterns the walk cannot fill, each with why.
UNFILLABLE = {}

# Pages anyone may open by design: an outside row answers like an inside one.
PUBLIC = {
    "akun/masuk/": "halaman masuk",
    "sehat/": "pemeriksaan hidup untuk penyeimbang beban, tanpa data",
    "monev/sw.js": "service worker, berkas statis",
    "e-warong/lacak/": "formulir kode lacak pengaduan publik",
    "e-warong/<kode:kode>/": "halaman publik e-warong dari kode QR, untuk siapa saja",
    "e-warong/<kode:kode>/pengaduan/": "formulir pengaduan publik dari kode QR, untuk siapa saja",
    "e-warong/lacak/<kode:kode_lacak>/": "status pengaduan bagi pelapornya, dari kode lacak",
}

# Patterns a read-only role (or anonymous) may POST to, each with why: reading, or writing only its own request
# (a report, an export, a login). Outside its area the POST is refused all the same.
READ_ONLY_MAY_POST = {
    "akun/masuk/": "masuk",
    "akun/keluar/": "keluar",
    "e-warong/lacak/": "formulir mencari kode lacak",
    "e-warong/<kode:kode>/pengaduan/": "pengaduan publik",
    "admin/login/": "sudah masuk: dialihkan",
    "admin/logout/": "keluar",
    "admin/password_change/": "mengganti kata sandinya sendiri",
    "monev/kpm/<int:pk>/": "POST membuka NIK lengkap bagi yang berhak; peran lain mendapat halaman yang sama, tersamar",
    "monev/laporan/": "anggota meminta laporan: hak membaca, disusun di latar",
    "monev/laporan/<int:pk>/ulang/": "menyusun ulang laporannya sendiri",
    "penyaluran/ekspor/<str:jenis>/": "anggota meminta ekspor data yang boleh dibacanya",
    "monev/rapat/keputusan/<int:pk>/progres/": "anggota dari instansi pemilik keputusan mencatat perkembangannya",
}

# django-import-export's export page takes a POST for the export a read-only role may ask for. The admin's other
# reading pages refuse a POST (tikor.admin_site): the index and history 405, a change list without any action or
# edit right for the role 403.
ADMIN_READS_ON_POST = ("export_action",)

FORBIDDEN_METHODS = ("put", "patch", "delete", "trace")
REFUSED = {403, 404, 405}


LOCAL_CACHE = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "walk"}}
SESSION_COOKIE = settings.SESSION_COOKIE_NAME
LOGIN_URL = "/akun/masuk/"


@pytest.fixture(scope="module")
def walk_data(django_db_setup, django_db_blocker, tmp_path_factory):
    media = tmp_path_factory.mktemp("media")
    with (
        # The public pages' rate limits count in the cache: a fresh one per run, not the shared Redis.
        override_settings(MEDIA_ROOT=media, CACHES=LOCAL_CACHE),
        seeded_for_module(django_db_blocker, "--scale", "0.005", "--periode", "1"),
    ):
        yield walk_dataset.build(Client())


@pytest.fixture(scope="module")
def filled(walk_data):
    """Every route with the queryset its object arguments come from (None: it has none), or the LookupError."""
    filler = Filler()
    table = []
    for route in routes():
        try:
            table.append((route, filler.source(route)))
        except LookupError as error:
            table.append((route, error))
    return filler, table


@pytest.fixture(scope="module")
def tally():
    """Patterns and requests per role; the total is printed after the module (pytest -s shows it)."""
    counts = {}
    yield counts
    if counts:
        patterns = max(found for found, _requests in counts.values())
        requests = sum(sent for _found, sent in counts.values())
        print(f"\nJalan akses: {patterns} pola x {len(counts)} peran = {requests} permintaan")


@pytest.mark.django_db
def test_every_pattern_is_filled(filled):
    _filler, table = filled
    missing = [
        f"{route.pattern} ({route.name or route.module}): {source}"
        for route, source in table
        if isinstance(source, LookupError) and route.pattern not in UNFILLABLE
    ]
    known = {route.pattern for route, _source in table}
    stale = [pattern for pattern in itertools.chain(UNFILLABLE, PUBLIC, READ_ONLY_MAY_POST) if pattern not in known]
    assert not missing, "Pola URL yang tidak bisa diisi (isi di urlwalk.py atau tulis di UNFILLABLE):\n" + "\n".join(
        missing
    )
    assert not stale, f"Pola yang tidak ada lagi: {stale}"


class Walk:
    """One role's requests and what went wrong in them."""

    def __init__(self, role, secrets):
        self.role = role
        self.client = Client(raise_request_exception=True)
        self.session = role.sign_in(self.client)
        self.secrets = [secret.encode() for secret in secrets if secret]
        self.problems = []
        self.checks = 0
        self.followed = {}  # redirect target -> whether it refused
        self.writes = WriteRecorder()
        self.may_write = False  # a read-only role's own report, export or login may write

    def request(self, method, url, expect=None, data=None):
        """Send one request in a savepoint rolled back afterwards; check it and return the response (or None)."""
        self.checks += 1
        with transaction.atomic(), self.writes.watching():
            try:
                response = getattr(self.client, method)(url, data=data)
            except Exception as error:  # the test client re-raises what the view raised: a 500
                self.fail(method, url, f"500 {type(error).__name__}: {error}")
                transaction.set_rollback(True)
                return None
            body = _body(response)
            transaction.set_rollback(True)
        if self.role.user is not None and session_of(self.client) != self.session:
            # A logout (the admin's, the site's) ended the session, whose deletion the savepoint undid: take it back.
            self.client.cookies[SESSION_COOKIE] = self.session
        status = response.status_code
        if status == 500 or b"Traceback (most recent call last)" in body:
            self.fail(method, url, f"{status} dengan traceback")
        leaked = [secret.decode() for secret in self.secrets if secret in body]
        if leaked:
            self.fail(method, url, f"{status} memuat data KPM di luar wilayah: {leaked}")
        if method != "get" and self.writes.tables and not self.may_write:
            self.fail(method, url, f"{status} tetapi menulis ke {sorted(set(self.writes.tables))}")
        if expect is not None and not self.answered(response, expect):
            self.fail(method, url, f"{status}, seharusnya {sorted(expect)}")
        return response

    def answered(self, response, expect):
        status = response.status_code
        if status in expect:
            return True
        if status not in (301, 302) or expect == {405}:
            return False
        location = response.headers.get("Location", "")
        if location.startswith(LOGIN_URL):
            return self.role.user is None
        # A redirect (the admin's /<id>/ to /<id>/change/, an old address to the new) is judged where it goes.
        if location not in self.followed:
            self.followed[location] = None  # a redirect loop ends here
            target = self.request("get", location)
            self.followed[location] = target is not None and self.answered(target, expect - {405})
        return bool(self.followed[location])

    def fail(self, method, url, message):
        self.problems.append(f"{self.role.key} {method.upper()} {url}: {message}")


def _body(response):
    if getattr(response, "streaming", False):
        chunks = list(itertools.islice(response.streaming_content, 8))  # a download's first chunks are enough
        # As the test client does when a download is read to its end: closing it must not close the connection
        # that holds the test's transaction.
        request_finished.disconnect(close_old_connections)
        try:
            response.close()
        finally:
            request_finished.connect(close_old_connections)
        return b"".join(chunks)
    return response.content


def _urls(filler, route, source, user, rows_cache):
    """(inside URL or None, [outside URLs]) for a role; a route without object arguments has only an inside."""
    if source is None:
        return route.url(filler.values(route, None)), []
    # The pages of one admin (list, change, delete, history...) or one model share their rows.
    key = (id(route.model_admin) if route.model_admin is not None else None, str(source.query))
    if key not in rows_cache:
        rows_cache[key] = _rows(filler, route, source, user)
    inside, picks = rows_cache[key]
    outside = [route.url(filler.values(route, row)) for row in picks]
    return (route.url(filler.values(route, inside)) if inside is not None else None), outside


def _rows(filler, route, source, user):
    """The first row the user may reach, and up to two it may not."""
    visible = filler.visible(route, source, user)
    inside = visible.order_by("pk").first()
    # Newest first: the marked KPM and the rows built around them, so a page that leaks shows a marked value.
    outside_rows = source.exclude(pk__in=visible.values("pk")).order_by("-pk")
    picks = []
    manager = source.model._default_manager
    if hasattr(manager.all(), "in_wilayah"):
        # Another kecamatan of the same kota, and another kota.
        in_jakpus = manager.filter(pk__in=outside_rows.values("pk")).in_wilayah(JAKPUS)
        picks += [in_jakpus.order_by("-pk").first(), outside_rows.exclude(pk__in=in_jakpus.values("pk")).first()]
    picks = [row for row in picks if row is not None] or [outside_rows.first()]
    return inside, [row for row in picks if row is not None]


def plausible(route, url):
    """A form a person could send: the usual field names, and the admin's bulk delete of the row in the URL."""
    data = {
        "catatan": "Uji akses",
        "alasan": "Uji akses",
        "uraian": "Uji akses",
        "nama": "Uji akses",
        "isi": "Uji akses",
        "tanggapan": "Uji akses",
        "status": "selesai",
        "post": "yes",
        "_save": "Simpan",
    }
    ids = [part for part in url.split("/") if part.isdigit()]
    if route.model_admin is not None and ids:
        data.update(action="delete_selected", _selected_action=ids)
    return data


ROLE_KEYS = ["sekretariat", "tikor_kota", "pendamping", "anggota_provinsi", "anggota_kota", "bank", "anonim"]


@pytest.mark.django_db
@pytest.mark.parametrize("role_key", ROLE_KEYS)
def test_every_pattern_answers_the_role_within_its_area(role_key, walk_data, filled, tally):
    filler, table = filled
    role = walk_data.roles[role_key]
    walk = Walk(role, walk_data.secrets_outside(role))
    before = snapshot()
    patterns = 0
    rows_cache = {}
    for route, source in table:
        if isinstance(source, LookupError):
            continue
        patterns += 1
        inside, outside = _urls(filler, route, source, role.user, rows_cache)
        public = route.pattern in PUBLIC
        if inside is not None:
            # Anonymous is refused everywhere but on the public pages; a role inside its area only needs an answer.
            walk.request("get", inside, expect=REFUSED if role.user is None and not public else None)
        for url in outside:
            walk.request("get", url, expect=None if public else REFUSED)
        for data in ({}, plausible(route, outside[0])) if outside else ():
            # The first outside row is the nearest: another kecamatan of the same kota where there is one.
            walk.request("post", outside[0], expect=None if public else REFUSED, data=data)
        if role.read_only and inside is not None:
            # Refused before the form is read: one plausible POST stands for any.
            may_post = route.pattern in READ_ONLY_MAY_POST or route.redirects or route.admin_view in ADMIN_READS_ON_POST
            walk.may_write = route.pattern in READ_ONLY_MAY_POST
            walk.request("post", inside, expect=None if may_post else REFUSED, data=plausible(route, inside))
            walk.may_write = False
        target = inside or next(iter(outside), None)
        for method in FORBIDDEN_METHODS if target else ():
            walk.request(method, target, expect={405})
    changed = differences(before, snapshot())
    summary = f"{role_key}: {patterns} pola, {walk.checks} permintaan"
    tally[role_key] = (patterns, walk.checks)
    assert not changed, f"{summary}: tabel berubah setelah semua permintaan: {changed}"
    assert not walk.problems, f"{summary}, {len(walk.problems)} masalah:\n" + "\n".join(walk.problems)


@pytest.mark.django_db
def test_the_walk_is_not_empty(filled):
    """A resolver that lost the admin or an app would make every other test pass on nothing."""
    _filler, table = filled
    names = {route.name for route, _source in table}
    assert {"admin:index", "monev:kpm", "penyaluran:impor_detail", "publik:ewarong"} <= names
    assert all(isinstance(route, Route) for route, _source in table)


@pytest.mark.django_db
def test_the_marked_kpm_show_where_they_may(walk_data, filled):
    """The walk's leak check looks for the marked values: the secretariat finds all four on the KPM list, the
    pendamping of Gambir only those of Gambir, its NIK masked in a list (the values it looks for are the ones in
    the pages)."""
    client = Client()
    walk_data.roles["sekretariat"].sign_in(client)
    page = client.get("/admin/penyaluran/kpm/", {"q": "RAHASIA ZQX"}).content.decode()
    assert all(kpm.nama in page for kpm in walk_data.marked.values())
    pendamping = walk_data.roles["pendamping"]
    pendamping.sign_in(client)
    page = client.get("/admin/penyaluran/kpm/", {"q": "RAHASIA ZQX"}).content.decode()
    outside = walk_data.secrets_outside(pendamping)
    assert mask_nik(walk_data.marked["gambir"].nik) in page
    assert walk_data.marked["gambir"].nik not in page
    assert walk_data.marked["gambir"].nama in page
    assert walk_data.marked["tebet"].nik in outside
    assert not any(secret in page for secret in outside)
