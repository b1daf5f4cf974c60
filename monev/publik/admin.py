"""The public codes in the admin: issued automatically, never typed; retiring one issues a new one."""

from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html

from monev.models import KodePublik
from tikor.admin_scoping import ScopedAdmin


@admin.register(KodePublik)
class KodePublikAdmin(ScopedAdmin):
    list_display = ("kode", "ewarong", "aktif", "dibuat_pada", "dipensiunkan_pada", "tautan")
    list_filter = (("dipensiunkan_pada", admin.EmptyFieldListFilter),)
    search_fields = ("kode", "ewarong__kode", "ewarong__nama")
    list_select_related = ("ewarong",)
    readonly_fields = ("kode", "ewarong", "dibuat_pada", "dipensiunkan_pada")
    actions = ["ganti_kode"]

    @admin.display(boolean=True, description="aktif")
    def aktif(self, obj):
        return obj.aktif

    @admin.display(description="halaman publik dan poster")
    def tautan(self, obj):
        if not obj.aktif:
            return "-"
        return format_html(
            '<a href="{}" target="_blank">halaman</a> · <a href="{}">poster PDF</a>',
            obj.get_absolute_url(),
            reverse("publik:poster_ewarong", args=[obj.ewarong_id]),
        )

    def has_add_permission(self, request):
        return False  # every e-warong gets its code itself

    def has_delete_permission(self, request, obj=None):
        return False  # a printed code stays known, retired, so it is never issued again

    @admin.action(description="Ganti kode terpilih (poster lama tidak berlaku lagi)", permissions=["change"])
    def ganti_kode(self, request, queryset):
        count = 0
        for kode in queryset.aktif().select_related("ewarong"):
            kode.pensiunkan()
            count += 1
        self.message_user(request, f"{count} kode diganti; cetak ulang posternya.", messages.SUCCESS)
