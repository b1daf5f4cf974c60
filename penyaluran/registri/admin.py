"""Admin of the registry: the secretariat's editor for penyedia, agen, e-warong and KPM, scoped by area."""

from urllib.parse import urlencode

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from import_export.admin import ImportExportMixin
from import_export.forms import SelectableFieldsExportForm

from penyaluran.registri import exports
from penyaluran.registri.models import Agen, EWarong, ImportJob, Kpm, Penyedia, TerminalEdc
from penyaluran.registri.resources import AgenResource, EWarongResource, KpmResource, PenyediaResource
from tikor.admin_scoping import REGION_FILTERS, MaskedNikMixin, ScopedAdmin


class ExportForm(SelectableFieldsExportForm):
    """The admin's export page names each column as the file's header does ("NIK", "Kecamatan"), where
    django-import-export writes the attribute path in English title case first ("Kelurahan Induk Nama (Kecamatan)")."""

    @property
    def media(self):
        # Binds the "Select all" box, whose inline onchange the content security policy refuses.
        return super().media + forms.Media(js=("js/ekspor-admin.js",))

    def _get_field_label(self, resource, field_name):
        field = resource.fields.get(field_name)
        return field.column_name if field else field_name


class RegistryImportExportMixin(ImportExportMixin):
    """Admin export through django-import-export, scoped by the admin queryset (for_user), NIK masked by
    role and audited; the admin's import button opens the registry import page, the one import engine."""

    kind = None
    export_form_class = ExportForm

    def has_import_permission(self, request):
        return request.user.has_perm("penyaluran.impor_registri")

    def has_export_permission(self, request):
        return self.has_view_permission(request)

    def import_action(self, request, **kwargs):
        if not self.has_import_permission(request):
            raise PermissionDenied
        return redirect(f"{reverse('penyaluran:impor')}?{urlencode({'jenis': self.kind})}")

    def get_export_resource_kwargs(self, request, **kwargs):
        return {"user": request.user}

    def get_export_data(self, file_format, request, queryset, **kwargs):
        data = super().get_export_data(file_format, request, queryset, **kwargs)
        filters = {key: value for key, value in request.GET.items() if not key.startswith("_")}
        exports.audit(request.user, self.kind, filters, file_format.get_title(), queryset.count(), "admin")
        return data


@admin.register(Penyedia)
class PenyediaAdmin(RegistryImportExportMixin, ScopedAdmin):
    kind = "penyedia"
    resource_classes = [PenyediaResource]
    list_display = ("kode", "nama", "penanggung_jawab", "kelurahan", "telepon", "aktif")
    list_filter = (*REGION_FILTERS, "aktif")
    list_select_related = ("kelurahan",)
    search_fields = ("kode", "nama", "npwp")


@admin.register(Agen)
class AgenAdmin(RegistryImportExportMixin, ScopedAdmin):
    kind = "agen"
    resource_classes = [AgenResource]
    list_display = ("kode", "nama", "pemilik", "bank", "kelurahan", "status")
    list_filter = (*REGION_FILTERS, "status", "bank")
    list_select_related = ("bank", "kelurahan")
    search_fields = ("kode", "nama", "pemilik")


@admin.register(EWarong)
class EWarongAdmin(RegistryImportExportMixin, ScopedAdmin):
    kind = "ewarong"
    resource_classes = [EWarongResource]
    list_display = ("kode", "nama", "pemilik", "kelurahan", "bank", "penyedia", "kapasitas_kpm", "status")
    list_filter = (*REGION_FILTERS, "status", "bank")
    list_select_related = ("kelurahan", "bank", "penyedia")
    search_fields = ("kode", "nama", "pemilik")
    readonly_fields = ("created_at", "updated_at")


@admin.register(Kpm)
class KpmAdmin(MaskedNikMixin, RegistryImportExportMixin, ScopedAdmin):
    kind = "kpm"
    resource_classes = [KpmResource]
    # 25 rows a page for the registry and the bank rows: Django's change list renders each row's links with the
    # filters they keep, about 1,7 ms a row; one finds a KPM by NIK or name, not by paging (bench/halaman.py).
    list_per_page = 25
    list_display = ("nama", "nik", "no_kk", "kelurahan", "ewarong", "bank", "status")
    list_filter = (*REGION_FILTERS, "status", "bank", "jenis_kelamin")
    list_select_related = ("kelurahan", "ewarong", "bank")
    search_fields = ("nik", "no_kk", "nomor_kks", "nama")  # see get_search_results
    fieldsets = (
        (None, {"fields": ("nik", "no_kk", "nama", "jenis_kelamin", "tanggal_lahir", "status")}),
        ("Alamat", {"fields": ("alamat", "rt", "rw", "kelurahan")}),
        ("Penyaluran", {"fields": ("nomor_kks", "bank", "ewarong")}),
        ("Sumber", {"fields": ("sumber_data", "tahun_data", "created_at", "updated_at")}),
    )
    readonly_fields = ("created_at", "updated_at")

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if self.has_change_permission(request, obj):
            return fieldsets
        # Read only, Django writes a year as any number, with a thousands separator: "2.021".
        swap = {"tahun_data": "tahun_data_teks"}
        return [(name, {**opts, "fields": [swap.get(f, f) for f in opts["fields"]]}) for name, opts in fieldsets]

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        return readonly if self.has_change_permission(request, obj) else [*readonly, "tahun_data_teks"]

    @admin.display(description="tahun data")
    def tahun_data_teks(self, obj):
        return "" if obj.tahun_data is None else str(obj.tahun_data)

    # A part of a name may match thousands of KPM; the list shows at most this many of them, in its order.
    NAME_MATCHES_SHOWN = 200

    def get_search_results(self, request, queryset, search_term):
        """Kpm.objects.cari: a number exactly on the three indexed columns, other text in the name. Django's
        "=nik" would compare UPPER() of every row's values, a scan of the whole registry for each search.

        A name is matched through the trigram index for any NAME_MATCHES_SHOWN matches first, then the list sorts
        those: asked for "the first 50 by name" at once, PostgreSQL walks the name index testing every name (300
        ms for a common fragment over DKI's registry, more the rarer the fragment)."""
        found = queryset.cari(search_term)
        if "".join(search_term.split()).isdigit():
            return found, False
        limit = self.NAME_MATCHES_SHOWN
        some = found.order_by().values("pk")[: limit + 1]
        if len(some) > limit:
            messages.info(
                request,
                f'Lebih dari {limit} KPM cocok dengan "{search_term}"; yang tampil {limit} di antaranya. '
                "Tambahkan kata lain atau cari dengan NIK, No KK atau nomor KKS.",
            )
        return queryset.filter(pk__in=[row["pk"] for row in some[:limit]]), False


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    """Who imported which file when, with what outcome: read-only, the import page does the work."""

    list_display = (
        "dibuat",
        "jenis",
        "nama_berkas",
        "uji_coba",
        "dibuat_oleh",
        "status",
        "baris_dibaca",
        "baris_ditulis",
    )
    list_filter = ("jenis", "status", "uji_coba")
    search_fields = ("nama_berkas", "checksum")
    list_select_related = ("dibuat_oleh",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(TerminalEdc)
class TerminalEdcAdmin(ScopedAdmin):
    """The banks' EDC terminals and the outlet each stood at; purchase files name outlets by terminal id."""

    list_display = ("terminal", "bank", "ewarong", "agen", "berlaku_dari", "berlaku_sampai")
    list_filter = ("bank",)
    search_fields = ("terminal", "ewarong__kode", "ewarong__nama", "agen__kode")
    raw_id_fields = ("ewarong", "agen")
    list_select_related = ("bank", "ewarong", "agen")
