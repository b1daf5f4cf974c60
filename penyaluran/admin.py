from urllib.parse import urlencode

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import redirect
from django.urls import reverse
from import_export.admin import ImportExportMixin

from penyaluran import exports
from penyaluran.models import (
    Agen,
    Bank,
    EWarong,
    ImportJob,
    Kpm,
    ParameterRisiko,
    Penyaluran,
    Penyedia,
    Periode,
    ProfilKolomBank,
    SinyalRisiko,
    Transaksi,
)
from penyaluran.resources import AgenResource, EWarongResource, KpmResource, PenyediaResource
from tikor.admin_scoping import REGION_FILTERS, ScopedAdmin
from tikor.nik import mask_nik


class RegistryImportExportMixin(ImportExportMixin):
    """Admin export through django-import-export, scoped by the admin queryset (for_user), NIK masked by
    role and audited; the admin's import button opens the registry import page, the one import engine."""

    kind = None

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


@admin.register(Bank)
class BankAdmin(admin.ModelAdmin):
    list_display = ("kode", "nama")
    search_fields = ("kode", "nama")


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


MASKED = {"nik": "nik_tersamar", "no_kk": "no_kk_tersamar"}


class MaskedNikMixin:
    """NIK and No KK appear masked and read-only, in lists and forms, to roles without lihat_nik_lengkap."""

    nik_fields = ("nik", "no_kk")  # the model's fields that hold one

    def _mask(self, request, names):
        """Swap NIK and No KK for their masked forms where the role does not need them."""
        if request.user.can_see_full_nik:
            return list(names)
        return [MASKED.get(name, name) for name in names]

    def get_list_display(self, request):
        return self._mask(request, super().get_list_display(request))

    def get_fields(self, request, obj=None):
        # Without fieldsets Django lists the form's fields, then the read-only ones: the mask is in both.
        return list(dict.fromkeys(self._mask(request, super().get_fields(request, obj))))

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        return [(name, {**opts, "fields": self._mask(request, opts["fields"])}) for name, opts in fieldsets]

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not request.user.can_see_full_nik:
            readonly += [MASKED[name] for name in self.nik_fields]
        return readonly

    @admin.display(description="NIK")
    def nik_tersamar(self, obj):
        return mask_nik(obj.nik)

    @admin.display(description="No KK")
    def no_kk_tersamar(self, obj):
        return mask_nik(obj.no_kk)


@admin.register(Kpm)
class KpmAdmin(MaskedNikMixin, RegistryImportExportMixin, ScopedAdmin):
    kind = "kpm"
    resource_classes = [KpmResource]
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

    def get_search_results(self, request, queryset, search_term):
        """A number (NIK, No KK or KKS, spaces allowed) is looked up exactly on the three indexed columns;
        other text searches the name, every word anywhere in it. Django's "=nik" would compare UPPER() of
        every row's values, a scan of the whole registry for each search."""
        words = search_term.split()
        number = "".join(words)
        if number.isdigit():
            return queryset.filter(Q(nik=number) | Q(no_kk=number) | Q(nomor_kks=number)), False
        for word in words:
            queryset = queryset.filter(nama__icontains=word)
        return queryset, False


# --- Distribution (issue 5) ----------------------------------------------------------------------------------


@admin.register(Periode)
class PeriodeAdmin(admin.ModelAdmin):
    """Periods are opened and closed here; a closed period's figures are read-only, only its status can change."""

    list_display = ("__str__", "tahun", "bulan", "manfaat_per_kpm", "status")
    list_filter = ("status", "tahun")
    actions = ("hitung_ulang",)

    @admin.action(description="Hitung ulang realisasi, sinyal dan skor risiko")
    def hitung_ulang(self, request, queryset):
        from django.db import transaction

        from penyaluran.tasks import refresh_distribusi

        for pk in queryset.values_list("pk", flat=True):
            transaction.on_commit(lambda pk=pk: refresh_distribusi.delay(pk))
        self.message_user(request, f"Penghitungan ulang {queryset.count()} periode dijadwalkan.")

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.tertutup:
            return ("tahun", "bulan", "manfaat_per_kpm")
        return ()

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.tertutup:
            return False
        return super().has_delete_permission(request, obj)


class PeriodeTerbukaAdmin(ScopedAdmin):
    """Rows of a closed period open read-only: no change, no delete.

    A bank row is searched by a whole value (a reference, a card, a NIK) on the indexed columns named in
    search_fields: as typed without spaces, or in capitals as banks write references. Django's "=field"
    search would compare UPPER() of every row's value, a scan of millions of rows.
    """

    def get_search_results(self, request, queryset, search_term):
        term = "".join(search_term.split())
        if not term:
            return queryset, False
        written = {term, term.upper()}
        matches = Q()
        for name in self.search_fields:
            matches |= Q(**{f"{name}__in": written})
        return queryset.filter(matches), False

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.periode.tertutup:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.periode.tertutup:
            return False
        return super().has_delete_permission(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "periode":
            kwargs["queryset"] = Periode.objects.terbuka()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def may_read_history(self, request):
        return False


@admin.register(Penyaluran)
class PenyaluranAdmin(MaskedNikMixin, PeriodeTerbukaAdmin):
    nik_fields = ("nik",)
    list_display = ("referensi", "periode", "bank", "kpm", "jumlah", "tanggal", "kanal", "status")
    list_filter = ("periode", "status", "kanal", "bank")
    list_select_related = ("periode", "bank", "kpm")
    search_fields = ("referensi", "nik", "nomor_kks")  # whole values, see PeriodeTerbukaAdmin
    raw_id_fields = ("kpm",)
    ordering = ("-id",)  # newest first along the primary key; the model's (-tanggal) would sort every row


@admin.register(Transaksi)
class TransaksiAdmin(MaskedNikMixin, PeriodeTerbukaAdmin):
    nik_fields = ("nik",)
    list_display = ("referensi", "periode", "bank", "waktu", "ewarong", "kpm", "jumlah")
    list_filter = ("periode", "bank")
    list_select_related = ("periode", "bank", "ewarong", "kpm")
    # A complaint names a bank reference or a card (whole values, see PeriodeTerbukaAdmin). Purchases at one
    # terminal are found through the e-warong and its risk evidence, not by scanning millions of rows.
    search_fields = ("referensi", "nomor_kks")
    raw_id_fields = ("kpm", "ewarong")
    ordering = ("-id",)  # newest first: the primary key of each partition, where -waktu sorts every row


@admin.register(ProfilKolomBank)
class ProfilKolomBankAdmin(admin.ModelAdmin):
    list_display = ("bank", "jenis", "format_waktu")
    list_filter = ("jenis", "bank")


@admin.register(ParameterRisiko)
class ParameterRisikoAdmin(admin.ModelAdmin):
    list_display = ("kode", "nilai", "keterangan")
    list_editable = ("nilai",)
    search_fields = ("kode", "keterangan")
    readonly_fields = ("keterangan",)

    def changelist_view(self, request, extra_context=None):
        from penyaluran.risk import ensure_parameter_rows

        ensure_parameter_rows()  # every tunable value is listed, with its default, before anyone edits it
        return super().changelist_view(request, extra_context)


@admin.register(SinyalRisiko)
class SinyalRisikoAdmin(ScopedAdmin):
    list_display = ("ewarong", "periode", "jenis", "nilai", "ambang", "uraian")
    list_filter = ("periode", "jenis")
    list_select_related = ("ewarong", "periode")
    readonly_fields = ("ewarong", "periode", "jenis", "nilai", "ambang", "uraian", "bukti", "dihitung_pada")

    def has_add_permission(self, request):
        return False

    def may_read_history(self, request):
        return False


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
