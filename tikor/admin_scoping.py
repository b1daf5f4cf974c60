"""Admin building blocks that keep every change list, form and history page inside the user's area."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import Http404
from simple_history.admin import SimpleHistoryAdmin

from tikor.models import Tingkat, Wilayah


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


class ScopedAdmin(SimpleHistoryAdmin):
    """ModelAdmin whose every read goes through the scoping gate.

    Objects outside the area answer 404 on change, delete and history pages; choices in
    foreign-key fields are limited to the area too. What a role may do comes from its group.
    """

    show_full_result_count = False
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
        queryset = kwargs.get("queryset", related._default_manager.all())
        if hasattr(queryset, "for_user"):
            queryset = queryset.for_user(request.user)
        if related is Wilayah and db_field.name == "kelurahan":
            queryset = queryset.filter(tingkat=Tingkat.KELURAHAN)
        kwargs["queryset"] = queryset
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def history_view(self, request, object_id, extra_context=None):
        # simple-history falls back to the historical rows of an object the queryset hides: close that.
        self.get_object(request, object_id)
        if not self.may_read_history(request):
            raise PermissionDenied
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self.get_object(request, object_id)
        if not self.may_read_history(request):
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    def may_read_history(self, request):
        """History shows old values in full, so only roles that may see full NIKs read it."""
        return request.user.can_see_full_nik
