"""Every URL pattern of the project, and how to fill its arguments with a row inside or outside a role's area.

The walk reads `get_resolver()` at run time, so a page added tomorrow is requested without editing the test. An
argument is filled by what names it:
- on an admin page, the admin's model (`object_id`); `app_label` and the other admin words from WORDS;
- elsewhere, the model named by the path segment before the argument (`kunjungan/<int:pk>/` is a Kunjungan,
  `skor/penyedia/<int:pk>/` a Penyedia), by class name or verbose name, or by MODEL_FOR_ROUTE when no segment
  names it; a non-key argument (`<uuid:uuid>`, `<kode:kode_lacak>`) is the field of that name on the row;
- arguments that name no row (`<str:format>`, `<str:tingkat>`) from WORDS.
What cannot be filled is reported, and the test fails until the pattern is filled or said to be unfillable.
"""

import inspect
import re
from dataclasses import dataclass, field

from django.apps import apps
from django.contrib.admin import ModelAdmin
from django.contrib.contenttypes.models import ContentType
from django.test import RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RoutePattern
from django.views.generic import RedirectView

from monev.models import KodePublik, Lampiran, Pengaduan, Rapat
from penyaluran.distribusi.models import ImporBank, ProfilKolomBank
from penyaluran.registri.models import ExportJob, ImportJob, Kpm
from penyaluran.risiko.models import SinyalRisiko
from tikor.models import Role, Wilayah

# Arguments that name no row: one value each, one a page would link to.
WORDS = {
    "app_label": "penyaluran",
    "tingkat": "kecamatan",
    "format": "xlsx",
    "jenis": "kpm",
    "url": "tidak-ada/",
}

# Routes whose path names no model (by URL name), and the queryset their argument comes from.
MODEL_FOR_ROUTE = {
    "publik:poster_kecamatan": lambda: Wilayah.objects.kecamatan(),
    "publik:ewarong": lambda: KodePublik.objects.filter(dipensiunkan_pada=None),
    "publik:aduan": lambda: KodePublik.objects.filter(dipensiunkan_pada=None),
    "publik:status": lambda: Pengaduan.objects.exclude(kode_lacak=None),
    "admin:view_on_site": lambda: Kpm._base_manager.all(),
}

# Path words that are not a model's name.
MODEL_FOR_WORD = {
    ("penyaluran.registri.views", "impor"): ImportJob,
    ("penyaluran.distribusi.views", "impor"): ImporBank,
    ("penyaluran.registri.views", "tugas"): ExportJob,
    ("penyaluran.distribusi.views", "profil"): ProfilKolomBank,
    ("monev.risiko.views", "sinyal"): SinyalRisiko,
}


def _visible_to_secretariat_only(queryset, user):
    return queryset if user.role == Role.SEKRETARIAT else queryset.none()


# Models without for_user: who may see which rows (a model not here and not scoped is the whole province's).
VISIBLE = {
    ExportJob: lambda queryset, user: queryset.filter(dibuat_oleh=user),
    Lampiran: lambda queryset, user: queryset.filter(rapat__in=Rapat.objects.for_user(user)),
    ImportJob: _visible_to_secretariat_only,
}

_ARG = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")
_GROUP = re.compile(r"\(\?P<(?P<name>\w+)>[^)]*\)")
_UNNAMED = re.compile(r"\((?!\?)[^)]*\)")
# An admin's unnamed groups, in order: the object, then a version of it (simple-history's history form).
POSITIONAL = ("object_id", "version_id")


@dataclass(frozen=True)
class Route:
    pattern: str  # the whole route, as the resolver shows it: "monev/kunjungan/<int:pk>/"
    name: str  # "monev:kunjungan", or "" for an unnamed pattern
    callback: object
    args: tuple  # the argument names, in order

    @property
    def model_admin(self):
        found = getattr(self.callback, "model_admin", None)
        if found is None:
            # admin_site.admin_view(model_admin.some_view): the bound method is wrapped, once or more.
            found = getattr(inspect.unwrap(self.callback), "__self__", None)
        return found if isinstance(found, ModelAdmin) else None

    @property
    def redirects(self):
        """A RedirectView (an old address, the admin's /<id>/): it only sends elsewhere, whatever the method."""
        view_class = getattr(self.callback, "view_class", None)
        return view_class is not None and issubclass(view_class, RedirectView)

    @property
    def admin_view(self):
        """The name of the ModelAdmin method behind an admin page ("changelist_view"), or ""."""
        return inspect.unwrap(self.callback).__name__ if self.model_admin is not None else ""

    @property
    def module(self):
        view = getattr(self.callback, "view_class", self.callback)
        return view.__module__

    def url(self, values):
        """The path with every argument replaced by its value."""
        text = _ARG.sub(lambda m: str(values[m["name"]]), self.pattern)
        text = _GROUP.sub(lambda m: str(values[m["name"]]), text)
        positional = iter(POSITIONAL)
        text = _UNNAMED.sub(lambda m: str(values[next(positional)]), text)
        return "/" + text.replace("^", "").replace("$", "")


def routes():
    """Every pattern of the project, admin included, in resolver order."""
    found = []

    def walk(resolver, prefix, namespace):
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                inner = namespace
                if entry.namespace:
                    inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
                walk(entry, prefix + str(entry.pattern), inner)
            elif isinstance(entry, URLPattern):
                pattern = prefix + str(entry.pattern)
                names = [m["name"] for m in _ARG.finditer(pattern)] + [m["name"] for m in _GROUP.finditer(pattern)]
                if not isinstance(entry.pattern, RoutePattern):
                    names = list(dict.fromkeys(names)) + list(POSITIONAL[: len(_UNNAMED.findall(pattern))])
                name = f"{namespace}:{entry.name}" if namespace and entry.name else (entry.name or "")
                found.append(Route(pattern, name, entry.callback, tuple(names)))

    walk(get_resolver(), "", "")
    return found


def _norm(word):
    return re.sub(r"[^a-z]", "", word.lower())


def _model_words():
    words = {}
    for model in apps.get_models():
        for word in (model.__name__, model._meta.verbose_name, model._meta.verbose_name_plural):
            words.setdefault(_norm(str(word)), model)
    return words


@dataclass
class Filler:
    """Finds, for a route and a user, the argument values for a row inside and for rows outside the user's area."""

    words: dict = field(default_factory=_model_words)
    _admin_request: RequestFactory = field(default_factory=RequestFactory)

    def source(self, route):
        """(queryset of the rows the route's object arguments come from, how to see it) or None; raises
        LookupError naming the argument it cannot fill."""
        object_args = [arg for arg in route.args if arg not in WORDS]
        if not object_args:
            return None
        if route.model_admin is not None and object_args in (["object_id"], list(POSITIONAL)):
            return route.model_admin.model._base_manager.all()
        if route.name in MODEL_FOR_ROUTE:
            return MODEL_FOR_ROUTE[route.name]()
        if len(object_args) != 1:
            raise LookupError(f"argumen {object_args}")
        arg = object_args[0]
        before = route.pattern.split(f":{arg}>")[0].split("<")[0]
        for segment in reversed([s for s in re.split(r"[/.]", before) if s]):
            model = MODEL_FOR_WORD.get((route.module, segment)) or self.words.get(_norm(segment))
            if model is not None and (arg == "pk" or _has_field(model, arg)):
                return model._base_manager.all()
        raise LookupError(f"argumen {arg!r}: tidak ada model bernama {before!r}")

    def visible(self, route, queryset, user):
        """The rows of `queryset` the user may reach through this route."""
        if user is None:
            return queryset.none()
        if route.model_admin is not None:
            request = self._admin_request.get("/admin/")
            request.user = user
            if not route.model_admin.has_view_or_change_permission(request):
                return queryset.none()
            return queryset.filter(pk__in=route.model_admin.get_queryset(request).values("pk"))
        model = queryset.model
        if hasattr(model._default_manager.all(), "for_user"):
            return queryset.filter(pk__in=model._default_manager.all().for_user(user).values("pk"))
        if model in VISIBLE:
            return VISIBLE[model](queryset, user)
        return queryset

    def values(self, route, obj):
        values = {arg: WORDS[arg] for arg in route.args if arg in WORDS}
        for arg in route.args:
            if arg in WORDS:
                continue
            if arg == "content_type_id":
                values[arg] = ContentType.objects.get_for_model(obj).pk
                continue
            if arg == "version_id":
                history = getattr(type(obj), "history", None)
                version = history.filter(pk=obj.pk).first() if history is not None else None
                values[arg] = version.history_id if version is not None else 0
                continue
            values[arg] = obj.pk if arg in ("pk", "object_id") or not _has_field(obj, arg) else getattr(obj, arg)
        return values


def _has_field(model, name):
    try:
        model._meta.get_field(name)
    except Exception:
        return False
    return True
