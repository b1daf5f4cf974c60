"""Admin of the misuse detectors: their tunable parameters and the signals they raised."""

from django.contrib import admin

from penyaluran.distribusi.models import ParameterRisiko
from penyaluran.distribusi.parameters import ensure_parameter_rows
from penyaluran.risiko.models import SinyalRisiko
from tikor.admin_scoping import ScopedAdmin


@admin.register(ParameterRisiko)
class ParameterRisikoAdmin(admin.ModelAdmin):
    list_display = ("kode", "nilai", "keterangan")
    list_editable = ("nilai",)
    search_fields = ("kode", "keterangan")
    readonly_fields = ("keterangan",)

    def changelist_view(self, request, extra_context=None):
        if self.has_view_or_change_permission(request):
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
