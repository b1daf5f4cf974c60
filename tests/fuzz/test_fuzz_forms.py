"""Every form of the project, found by itself, posted to its view with fuzzed values by a user allowed to use it.

Whatever a field receives: no server error; a refused form writes nothing and says what is wrong, by field, in
Indonesian. A new form fails test_every_form_is_fuzzed_or_says_why until it gets a line in POSTED or NOT_POSTED.
"""

import datetime
import functools
import importlib
import io
import pkgutil
from dataclasses import dataclass

import pytest
from django import forms
from django.apps import apps
from django.contrib.messages import constants as message_levels
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import event, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from PIL import Image

from monev.models import KodePublik, Kunjungan, Pengaduan, Rapat, Temuan, TindakLanjut
from tests.conftest import seeded_for_module
from tests.fuzz.conftest import english_in
from tests.fuzz.strategies import junk_text
from tikor.models import User

APPS = ("tikor", "penyaluran", "monev")


@dataclass
class Case:
    url: object  # world -> the URL the form is sent to
    user: str = "sekretariat"  # a demo username, or None for the public
    page: object = None  # world -> the page that shows the form, when it is not the URL itself
    method: str = "post"


POSTED = {
    "TemuanForm": Case(lambda w: reverse("monev:temuan_baru")),
    "TindakLanjutForm": Case(
        lambda w: reverse("monev:tindak_lanjut_baru", args=[w["temuan"].pk]),
        page=lambda w: reverse("monev:temuan", args=[w["temuan"].pk]),
    ),
    "TutupTindakLanjutForm": Case(
        lambda w: reverse("monev:tindak_lanjut_tutup", args=[w["tindak_lanjut"].pk]),
        page=lambda w: reverse("monev:temuan", args=[w["tindak_lanjut"].temuan_id]),
    ),
    "PengaduanForm": Case(lambda w: reverse("monev:pengaduan_baru")),
    "TanggapanForm": Case(lambda w: reverse("monev:pengaduan", args=[w["pengaduan"].pk])),
    "VerifikasiForm": Case(
        lambda w: reverse("monev:kunjungan_verifikasi", args=[w["kunjungan"].pk]),
        page=lambda w: reverse("monev:kunjungan", args=[w["kunjungan"].pk]),
    ),
    "FotoForm": Case(lambda w: reverse("monev:foto_unggah", args=[w["kunjungan"].uuid]), user="petugas"),
    "PenugasanRencanaForm": Case(lambda w: reverse("monev:penugasan_rencana")),
    "RapatForm": Case(lambda w: reverse("monev:rapat_baru")),
    "KehadiranForm": Case(lambda w: reverse("monev:rapat_kehadiran", args=[w["rapat"].pk])),
    "NotulenForm": Case(lambda w: reverse("monev:rapat_notulen", args=[w["rapat"].pk])),
    "LampiranForm": Case(lambda w: reverse("monev:rapat_lampiran", args=[w["rapat"].pk])),
    "KeputusanForm": Case(lambda w: reverse("monev:keputusan_baru", args=[w["rapat"].pk])),
    "ProgresForm": Case(
        lambda w: reverse("monev:keputusan_progres", args=[w["keputusan"].pk]),
        page=lambda w: reverse("monev:keputusan", args=[w["keputusan"].pk]),
    ),
    "LaporanForm": Case(lambda w: reverse("monev:laporan:daftar")),
    "ImportForm": Case(lambda w: reverse("penyaluran:impor")),
    "ExportForm": Case(lambda w: reverse("penyaluran:ekspor", args=["kpm"]), method="get"),
    "ImporBankForm": Case(lambda w: reverse("distribusi:impor_bank")),
    "ProfilForm": Case(lambda w: reverse("distribusi:profil_baru")),
    "PengaduanPublikForm": Case(lambda w: reverse("publik:aduan", args=[w["kode_publik"]]), user=None),
    "LacakForm": Case(lambda w: reverse("publik:lacak"), user=None, method="get"),
    "KpmCariForm": Case(lambda w: reverse("monev:kpm_cari"), method="get"),
    "EWarongFilterForm": Case(lambda w: reverse("monev:ewarong_list"), method="get"),
    "AuditFilterForm": Case(lambda w: reverse("audit_list"), method="get"),
    "AksesSementaraForm": Case(lambda w: reverse("akses_list")),
}
NOT_POSTED = {
    "KunjunganForm": "the phone sends it as JSON: tests/fuzz/test_fuzz_kunjungan.py",
    "ConfirmForm": "its only field comes from a preview job; the import's files are fuzzed in test_fuzz_registri.py",
    "UserAdminForm": "the admin's user pages (the URL x role walk of tests/security)",
    "UserAddForm": "the admin's user pages (the URL x role walk of tests/security)",
    "ButirAgendaForm": "no view uses it: agenda items are built from the figures (monev/rapat/agenda.py)",
    "KunjunganFilterForm": "no view uses it: the visit list filters by tabs (tikor.shortcuts.list_page)",
    "PeriodicTaskForm": "the beat admin pages (the URL x role walk, tests/tikor/test_beat_admin.py)",
}
# An ExportForm is both registri's (a page) and the admin's (django-import-export's export page): by module.
ADMIN_FORMS = {"penyaluran.registri.admin.ExportForm": "django-import-export's admin export page (tests/security)"}


@functools.cache
def project_forms():
    """Every Form and ModelForm class with fields defined in the project's apps, by dotted name."""
    for app in APPS:
        package = importlib.import_module(app)
        for module in pkgutil.walk_packages(package.__path__, f"{app}."):
            if not {".migrations", ".management", ".demo"} & {f".{part}" for part in module.name.split(".")}:
                importlib.import_module(module.name)
    found, todo = {}, [forms.BaseForm]
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        # A base without fields of its own that other forms extend (ScopedModelForm) is no form of a page.
        if cls.__module__.split(".")[0] in APPS and (cls.base_fields or not cls.__subclasses__()):
            found[f"{cls.__module__}.{cls.__name__}"] = cls
    return found


def test_every_form_is_fuzzed_or_says_why():
    names = {name for name in project_forms() if name not in ADMIN_FORMS}

    unexplained = {name for name in names if name.rsplit(".", 1)[1] not in {*POSTED, *NOT_POSTED}}
    gone = {*POSTED, *NOT_POSTED} - {name.rsplit(".", 1)[1] for name in names}

    assert unexplained == set(), "add these forms to POSTED (with their view) or NOT_POSTED (with a reason)"
    assert gone == set(), "these forms no longer exist: remove their line"


# -- the world the forms are sent into --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with seeded_for_module(django_db_blocker, "--scale", "0.002", "--periode", "1"):
        yield


@pytest.fixture
def world(demo, db, settings):
    # The public pages' rate limits would answer 429 after a few examples: the fields must be reached.
    for name in ("MONEV_PUBLIK_ADUAN_PER_ALAMAT", "MONEV_PUBLIK_ADUAN_PER_EWARONG", "MONEV_PUBLIK_HALAMAN_PER_ALAMAT"):
        setattr(settings, name, "100000/h")
    kunjungan = Kunjungan.objects.order_by("pk").first()
    rapat = Rapat.objects.filter(wilayah__tingkat="provinsi").order_by("pk").first() or Rapat.objects.first()
    return {
        "temuan": Temuan.objects.filter(status=Temuan.Status.TERBUKA).order_by("pk").first(),
        "tindak_lanjut": TindakLanjut.objects.filter(ditutup_pada__isnull=True).order_by("pk").first(),
        "pengaduan": Pengaduan.objects.order_by("pk").first(),
        "kunjungan": kunjungan,
        "rapat": rapat,
        "keputusan": rapat.keputusan.order_by("pk").first() if rapat else None,
        "kode_publik": KodePublik.objects.aktif().order_by("pk").first().kode,
        "petugas": kunjungan.petugas,
    }


def counts():
    """Rows of every table of the project's apps, but the logs a request may write whatever it brings."""
    skip = {"auditlog", "notifikasi"}
    return {
        model._meta.label: model._default_manager.count()
        for app in APPS
        for model in apps.get_app_config(app).get_models()
        if model._meta.model_name not in skip and not model._meta.model_name.startswith("historical")
    }


# -- fuzzed values by field ---------------------------------------------------------------------------------


def _jpeg():
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 100, 0)).save(buffer, "JPEG")
    return buffer.getvalue()


files = st.builds(
    lambda name, content: SimpleUploadedFile(name, content),
    st.sampled_from(["foto.jpg", "data.xlsx", "data.csv", "x.pdf", "../../etc/passwd", "tanpa-akhiran", "a" * 300]),
    st.one_of(st.binary(max_size=300), st.just(_jpeg()), st.just(b"NIK,No KK,Nama KPM\n1,2,3\n")),
)
dates = st.one_of(
    st.dates(min_value=datetime.date(1, 1, 1)).map(str),
    st.dates().map(lambda d: d.strftime("%d/%m/%Y")),
    st.sampled_from(["31/02/2026", "2026-13-01", "0000-00-00", "99999-01-01"]),
)
moments = st.one_of(dates, st.datetimes().map(lambda d: d.isoformat()), st.sampled_from(["2026-12-01T25:61"]))
numbers = st.one_of(
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.floats().map(str),
    st.sampled_from(["1.000", "1,5", "1e400", "0x10"]),
)


def value_for(form_field):
    """A strategy of what a browser (or an attacker) could post for `form_field`."""
    if isinstance(form_field, forms.FileField):
        return files
    if isinstance(form_field, forms.ModelMultipleChoiceField | forms.MultipleChoiceField):
        return st.lists(_choices(form_field), max_size=3)
    if isinstance(form_field, forms.ModelChoiceField | forms.ChoiceField):
        return _choices(form_field)
    if isinstance(form_field, forms.BooleanField):
        return st.sampled_from(["on", "", "false", "1"])
    if isinstance(form_field, forms.DateTimeField | forms.SplitDateTimeField):
        return st.one_of(moments, junk_text)
    if isinstance(form_field, forms.DateField):
        return st.one_of(dates, junk_text)
    if isinstance(form_field, forms.IntegerField | forms.DecimalField | forms.FloatField):
        return st.one_of(numbers, junk_text)
    return junk_text


def _choices(form_field):
    values = []
    for value, _label in list(form_field.choices)[:8]:
        values.append(str(getattr(value, "value", value)))
    return st.one_of(st.sampled_from(values), junk_text) if values else junk_text


def form_on(response, cls):
    """The instance of `cls` a page rendered, from its template context."""
    for context in response.context or []:
        for value in context.flatten().values() if hasattr(context, "flatten") else context.values():
            if isinstance(value, cls):
                return value
    return None


def messages_of(response):
    """The messages a refusal shows: the errors of the bound forms on the page, a JSON `pesan`, or the error
    messages a view left for the page it redirects to."""
    if response.get("Content-Type", "").startswith("application/json"):
        return [response.json().get("pesan", "")]
    found = [str(m) for m in get_messages(response.wsgi_request) if m.level == message_levels.ERROR]
    for context in response.context or []:
        for value in context.flatten().values() if hasattr(context, "flatten") else ():
            if isinstance(value, forms.BaseForm) and value.is_bound:
                found.extend(str(m) for errors in value.errors.values() for m in errors)
    return found


_shown = {}


def shown_fields(client, case, world, cls, name):
    """The fields of the form as its page shows it to this user (choices limited to the user's area), and how the
    page names them (a prefix); read once per form. A view with no page of its own: the class's fields."""
    if name not in _shown:
        page = client.get(case.page(world) if case.page else case.url(world))
        shown = form_on(page, cls)
        _shown[name] = (
            (list(shown.fields.items()), shown.add_prefix)
            if shown is not None
            else (list(cls.base_fields.items()), str)
        )
    return _shown[name]


@pytest.mark.parametrize("name", sorted(POSTED))
@given(data=st.data())
# Two thirds of the profile's examples per form (8 in CI): 23 forms each make a request per example.
@hypothesis_settings(max_examples=max(6, hypothesis_settings().max_examples * 2 // 3))
def test_a_fuzzed_form_is_refused_whole_and_named_in_indonesian(client, world, name, data):
    case = POSTED[name]
    cls = next(c for dotted, c in project_forms().items() if dotted.endswith(f".{name}") and dotted not in ADMIN_FORMS)
    username = world["petugas"].username if case.user == "petugas" else case.user
    if username:
        client.force_login(User.objects.get(username=username))
    url = case.url(world)
    fields, prefix = shown_fields(client, case, world, cls, name)
    posted = {
        prefix(field_name): data.draw(value_for(form_field), label=field_name)
        for field_name, form_field in fields
        if data.draw(st.integers(0, 9), label=f"{field_name}?") > 0  # now and then a field is left out
    }
    client.cookies.pop("messages", None)  # an earlier example's messages, unread behind its redirect
    before = counts()

    if case.method == "get":
        response = client.get(url, {k: v for k, v in posted.items() if not hasattr(v, "read")})
    else:
        response = client.post(url, posted)

    assert response.status_code < 500
    refused = response.status_code >= 400 or bool(messages_of(response))
    event(f"{response.status_code} {'ditolak' if refused else 'diterima'}")
    if not refused:
        return
    if case.method == "post":
        assert counts() == before
    quoted = [getattr(v, "name", v) for v in posted.values()]
    quoted += [item for v in posted.values() if isinstance(v, list) for item in v]
    for message in messages_of(response):
        assert not english_in(message, *quoted), (name, message)
