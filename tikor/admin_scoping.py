"""Admin building blocks that keep every change list, form and history page inside the user's area."""

import json

from django.contrib import admin
from django.contrib.admin.widgets import ForeignKeyRawIdWidget
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import connection, models
from django.db.models import Q
from django.http import Http404
from django.utils.functional import cached_property
from simple_history.admin import SimpleHistoryAdmin

from tikor.audit import catat_lihat_lengkap
from tikor.models import Role, Tingkat, User, Wilayah
from tikor.nik import mask_nik, mask_numbers_in_text, may_see_full_numbers


def limit_accounts(queryset, user):
    """Accounts a form may offer `user`: every one to the secretariat; to anyone else their own and those whose
    area overlaps theirs (inside it, holding it, or the whole province), so a pendamping cannot browse all staff.

    User has no scoped manager; this is the gate for account choices until it has one.
    """
    if user.is_superuser or user.role == Role.SEKRETARIAT:
        return queryset
    own = [w.kode for w in user.wilayah.all()]
    # The regions above the user's own: the Tikor of a kota works in each of its kecamatan.
    above = {kode.rsplit(".", depth)[0] for kode in own for depth in range(1, kode.count(".") + 1)}
    placed = User.wilayah.through.objects.values("user_id")
    sharing = placed.filter(wilayah_id__in=user.scope.codes | above)
    province_wide = Q(is_superuser=True) | Q(role=Role.SEKRETARIAT) | (Q(role=Role.ANGGOTA) & ~Q(pk__in=placed))
    return queryset.filter(Q(pk=user.pk) | Q(pk__in=sharing) | province_wide)


def scoped_choices(model, queryset, user):
    """The rows a form field may offer `user`: its queryset (or all rows) through the scoping gate."""
    if queryset is None:
        queryset = model._default_manager.all()
    if hasattr(queryset, "for_user"):
        return queryset.for_user(user)
    if model is User:
        return limit_accounts(queryset, user)
    return queryset


class ScopedRawIdWidget(ForeignKeyRawIdWidget):
    """A raw-id input that names only rows its field may choose: any other id shows no label and no link."""

    def __init__(self, rel, admin_site, queryset, attrs=None, using=None):
        super().__init__(rel, admin_site, attrs, using)
        self.queryset = queryset

    def label_and_url_for_value(self, value):
        key = self.rel.get_related_field().name
        try:
            choosable = self.queryset.filter(**{key: value}).exists()
        except (ValueError, ValidationError):
            choosable = False
        return super().label_and_url_for_value(value) if choosable else ("", "")


class WilayahFilter(admin.SimpleListFilter):
    """Filter by a region at one level, offering only regions inside the user's area.

    A lower level narrows to the region chosen at the level above (kecamatan of the chosen kota).
    A long list (all 267 kelurahan of DKI) waits until the level above is chosen.
    """

    tingkat = None
    parent_parameters = ()
    max_unnarrowed_choices = 20

    def lookups(self, request, model_admin):
        regions = Wilayah.objects.for_user(request.user).filter(tingkat=self.tingkat)
        narrowed = False
        for parameter in self.parent_parameters:
            chosen = request.GET.get(parameter)
            if chosen:
                regions = regions.filter(kode__startswith=f"{chosen}.")
                narrowed = True
        choices = [(w.kode, w.nama_singkat) for w in regions.only("kode", "nama_singkat")]
        if not narrowed and len(choices) > self.max_unnarrowed_choices and not self.value():
            return []
        return choices

    def queryset(self, request, queryset):
        if self.value():
            return queryset.in_wilayah(self.value())
        return queryset


class KotaFilter(WilayahFilter):
    title = "kota/kab. adm."
    parameter_name = "kota"
    tingkat = Tingkat.KOTA


class KecamatanFilter(WilayahFilter):
    title = "kecamatan"
    parameter_name = "kecamatan"
    tingkat = Tingkat.KECAMATAN
    parent_parameters = ("kota",)


class KelurahanFilter(WilayahFilter):
    title = "kelurahan"
    parameter_name = "kelurahan"
    tingkat = Tingkat.KELURAHAN
    parent_parameters = ("kota", "kecamatan")


REGION_FILTERS = (KotaFilter, KecamatanFilter, KelurahanFilter)


EXACT_UP_TO = 10_000


def estimated_count(queryset, exact_up_to=EXACT_UP_TO):
    """Rows of `queryset`: exact up to `exact_up_to`, past that PostgreSQL's planner estimate (never lower than
    what was counted). Counting millions of purchases exactly on every page view would cost seconds."""
    bounded = queryset.order_by()[: exact_up_to + 1].count()  # a COUNT over a LIMITed subquery
    if bounded <= exact_up_to:
        return bounded
    if connection.vendor != "postgresql":
        return queryset.count()
    sql, params = queryset.order_by().query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
    plan = json.loads(plan) if isinstance(plan, str) else plan
    return max(bounded, int(plan[0]["Plan"]["Plan Rows"]))


class EstimatedCountPaginator(Paginator):
    """Counts exactly up to EXACT_UP_TO rows; past that, on PostgreSQL, takes the planner's estimate of the
    filtered query, so a list of millions of purchases pages without counting them all on every view."""

    EXACT_UP_TO = EXACT_UP_TO

    @cached_property
    def count(self):
        return estimated_count(self.object_list, self.EXACT_UP_TO)


class BoundedDeleteMixin:
    """The delete confirmation names every row that goes (or blocks) only while they are few.

    Django's confirmation page collects and lists every related row: for a period or a bank that is millions of
    credits or KPM, a page that never renders. Past DELETE_LIST_LIMIT rows in the direct relations it shows how
    many rows of each kind instead, and lists the protected kinds that block the delete.
    """

    DELETE_LIST_LIMIT = 200

    def get_deleted_objects(self, objs, request):
        objs = list(objs)
        relations = [
            (rel, rel.related_model._base_manager.filter(**{f"{rel.field.name}__in": objs}))
            for rel in self.model._meta.related_objects
            if not rel.many_to_many
        ]
        limit = self.DELETE_LIST_LIMIT
        if sum(rows.order_by()[: limit + 1].count() for _rel, rows in relations) <= limit:
            return super().get_deleted_objects(objs, request)
        to_delete = [str(obj) for obj in objs]
        model_count = {self.model._meta.verbose_name_plural: len(objs)}
        perms_needed, protected = set(), []
        for rel, rows in relations:
            count = estimated_count(rows)
            if not count:
                continue
            name = rel.related_model._meta.verbose_name_plural
            label = f"{name}: {count:,} baris".replace(",", ".")
            if rel.on_delete in (models.PROTECT, models.RESTRICT):
                protected.append(label)
                continue
            if rel.on_delete is models.CASCADE:
                model_count[name] = count
                to_delete.append(label)
                related_admin = self.admin_site._registry.get(rel.related_model)
                if related_admin and not related_admin.has_delete_permission(request):
                    perms_needed.add(rel.related_model._meta.verbose_name)
        return to_delete, model_count, perms_needed, protected


class ScopedAdmin(BoundedDeleteMixin, SimpleHistoryAdmin):
    """ModelAdmin whose every read goes through the scoping gate.

    Objects outside the area answer 404 on change, delete and history pages; choices in
    relation fields, and the labels of raw-id inputs, are limited to the area too. What a role
    may do comes from its group.
    """

    show_full_result_count = False
    paginator = EstimatedCountPaginator
    # Facet counts would run one COUNT per filter choice over 206k KPM on every page view.
    show_facets = admin.ShowFacets.NEVER
    list_per_page = 50

    def get_queryset(self, request):
        return super().get_queryset(request).for_user(request.user)

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404("Data tidak ditemukan.")
        return obj

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        related = db_field.related_model
        queryset = scoped_choices(related, kwargs.get("queryset"), request.user)
        if related is Wilayah and db_field.name == "kelurahan":
            queryset = queryset.filter(tingkat=Tingkat.KELURAHAN)
        kwargs["queryset"] = queryset
        if db_field.name in self.raw_id_fields and "widget" not in kwargs:
            # Django's raw-id widget names any id it is given, inside the area or not.
            kwargs["widget"] = ScopedRawIdWidget(
                db_field.remote_field, self.admin_site, queryset, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        kwargs["queryset"] = scoped_choices(db_field.related_model, kwargs.get("queryset"), request.user)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def history_view(self, request, object_id, extra_context=None):
        # simple-history falls back to the historical rows of an object the queryset hides: close that.
        self.get_object(request, object_id)
        if not self.may_read_history(request):
            raise PermissionDenied
        if not self.keeps_history:
            # A model without historical records (Wilayah, the monev rows): Django's own list of admin changes.
            return admin.ModelAdmin.history_view(self, request, object_id, extra_context)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self.get_object(request, object_id)
        if not self.may_read_history(request):
            raise PermissionDenied
        if not self.keeps_history:
            raise Http404("Data ini tidak menyimpan riwayat versi.")
        return super().history_form_view(request, object_id, version_id, extra_context)

    @property
    def keeps_history(self):
        return hasattr(self.model._meta, "simple_history_manager_attribute")

    def may_read_history(self, request):
        """History shows old values in full, so only roles that may see full numbers everywhere read it."""
        return may_see_full_numbers(request.user)


MASKED = {"nik": "nik_tersamar", "no_kk": "no_kk_tersamar", "nomor_kks": "kks_tersamar"}


class MaskedNikMixin:
    """NIK, No KK and the KKS card number appear masked and read-only, in lists and forms, to whoever
    tikor.nik.may_see_full_numbers refuses; a change page that shows them whole leaves a row in the audit log."""

    nik_fields = ("nik", "no_kk", "nomor_kks")  # the model's fields that hold one

    def _mask(self, request, names, obj=None):
        """Swap NIK and No KK for their masked forms where the role does not need them."""
        if may_see_full_numbers(request.user, obj):
            return list(names)
        return [MASKED.get(name, name) for name in names]

    def get_list_display(self, request):
        return self._mask(request, super().get_list_display(request))

    def get_fields(self, request, obj=None):
        # Without fieldsets Django lists the form's fields, then the read-only ones: the mask is in both.
        return list(dict.fromkeys(self._mask(request, super().get_fields(request, obj), obj)))

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        return [(name, {**opts, "fields": self._mask(request, opts["fields"], obj)}) for name, opts in fieldsets]

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not may_see_full_numbers(request.user, obj):
            readonly += [MASKED[name] for name in self.nik_fields]
        return readonly

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        obj = (getattr(response, "context_data", None) or {}).get("original")
        if request.method == "GET" and obj is not None and may_see_full_numbers(request.user, obj):
            catat_lihat_lengkap(request, obj)
        return response

    @admin.display(description="NIK")
    def nik_tersamar(self, obj):
        return mask_nik(obj.nik)

    @admin.display(description="No KK")
    def no_kk_tersamar(self, obj):
        return mask_nik(obj.no_kk)

    @admin.display(description="Nomor KKS")
    def kks_tersamar(self, obj):
        return mask_nik(obj.nomor_kks)


class MaskedFreeTextMixin:
    """Free text people type (`free_text_fields`: a complaint, a finding, a visit's notes) shows with any NIK, No KK
    or KKS number in it masked to whoever tikor.nik.may_see_full_numbers refuses, in lists and on the change pages
    they may only view. On a record they may change (a pendamping's own field work) the text stays as typed: a
    masked value in the form would be saved over it. Also for an inline, whose parent decides the change right."""

    free_text_fields = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.free_text_fields:
            setattr(self, f"{name}_tersamar", self._masked_display(name))

    def _masked_display(self, name):
        def show(obj):
            text = getattr(obj, name)
            return mask_numbers_in_text(str(text)) if text not in (None, "") else "-"

        show.short_description = self.model._meta.get_field(name).verbose_name
        return show

    def _masks(self, request, obj=None, listing=False):
        if may_see_full_numbers(request.user):
            return False
        return listing or not self.has_change_permission(request, obj)

    def _masked(self, names):
        return [f"{name}_tersamar" if name in self.free_text_fields else name for name in names]

    def get_list_display(self, request):
        names = super().get_list_display(request)
        return self._masked(names) if self._masks(request, listing=True) else names

    def get_fields(self, request, obj=None):
        names = super().get_fields(request, obj)
        return list(dict.fromkeys(self._masked(names))) if self._masks(request, obj) else names

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if not self._masks(request, obj):
            return fieldsets
        return [(name, {**opts, "fields": self._masked(opts["fields"])}) for name, opts in fieldsets]

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if self._masks(request, obj):
            readonly += [f"{name}_tersamar" for name in self.free_text_fields]
        return readonly
