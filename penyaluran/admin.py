from django.contrib import admin

from penyaluran.models import Agen, Bank, EWarong, Kpm, Penyedia
from tikor.admin_scoping import REGION_FILTERS, ScopedAdmin
from tikor.nik import mask_nik


@admin.register(Bank)
class BankAdmin(admin.ModelAdmin):
    list_display = ("kode", "nama")
    search_fields = ("kode", "nama")


@admin.register(Penyedia)
class PenyediaAdmin(ScopedAdmin):
    list_display = ("kode", "nama", "penanggung_jawab", "kelurahan", "telepon", "aktif")
    list_filter = (*REGION_FILTERS, "aktif")
    list_select_related = ("kelurahan",)
    search_fields = ("kode", "nama", "npwp")


@admin.register(Agen)
class AgenAdmin(ScopedAdmin):
    list_display = ("kode", "nama", "pemilik", "bank", "kelurahan", "status")
    list_filter = (*REGION_FILTERS, "status", "bank")
    list_select_related = ("bank", "kelurahan")
    search_fields = ("kode", "nama", "pemilik")


@admin.register(EWarong)
class EWarongAdmin(ScopedAdmin):
    list_display = ("kode", "nama", "pemilik", "kelurahan", "bank", "penyedia", "kapasitas_kpm", "status")
    list_filter = (*REGION_FILTERS, "status", "bank")
    list_select_related = ("kelurahan", "bank", "penyedia")
    search_fields = ("kode", "nama", "pemilik")
    readonly_fields = ("created_at", "updated_at")


MASKED = {"nik": "nik_tersamar", "no_kk": "no_kk_tersamar"}


@admin.register(Kpm)
class KpmAdmin(ScopedAdmin):
    list_display = ("nama", "nik", "no_kk", "kelurahan", "ewarong", "bank", "status")
    list_filter = (*REGION_FILTERS, "status", "bank", "jenis_kelamin")
    list_select_related = ("kelurahan", "ewarong", "bank")
    search_fields = ("=nik", "=no_kk", "=nomor_kks", "nama")
    fieldsets = (
        (None, {"fields": ("nik", "no_kk", "nama", "jenis_kelamin", "tanggal_lahir", "status")}),
        ("Alamat", {"fields": ("alamat", "rt", "rw", "kelurahan")}),
        ("Penyaluran", {"fields": ("nomor_kks", "bank", "ewarong")}),
        ("Sumber", {"fields": ("sumber_data", "tahun_data", "created_at", "updated_at")}),
    )

    def _mask(self, request, names):
        """Swap NIK and No KK for their masked forms where the role does not need them."""
        if request.user.can_see_full_nik:
            return list(names)
        return [MASKED.get(name, name) for name in names]

    def get_list_display(self, request):
        return self._mask(request, super().get_list_display(request))

    def get_fieldsets(self, request, obj=None):
        return [(name, {**opts, "fields": self._mask(request, opts["fields"])}) for name, opts in self.fieldsets]

    def get_readonly_fields(self, request, obj=None):
        readonly = ["created_at", "updated_at"]
        if not request.user.can_see_full_nik:
            readonly += list(MASKED.values())
        return readonly

    @admin.display(description="NIK")
    def nik_tersamar(self, obj):
        return mask_nik(obj.nik)

    @admin.display(description="No KK")
    def no_kk_tersamar(self, obj):
        return mask_nik(obj.no_kk)
