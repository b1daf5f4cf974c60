"""The Tikor's membership in the admin: member agencies, each Tikor with its decree and its people (who links a
person to their login, and so an Anggota Tikor account to its agency). Meetings and decisions are kept on the
pages, where every change is audited. Imported by monev/admin.py."""

from django.contrib import admin

from monev.models import AnggotaTikor, Instansi, TimKoordinasi
from tikor.admin_scoping import ScopedAdmin


@admin.register(Instansi)
class InstansiAdmin(admin.ModelAdmin):
    list_display = ("singkatan", "nama", "jenis", "bank", "wilayah")
    list_filter = ("jenis",)
    search_fields = ("nama", "singkatan")


class AnggotaTikorInline(admin.TabularInline):
    model = AnggotaTikor
    extra = 1
    autocomplete_fields = ("instansi",)
    raw_id_fields = ("pengguna",)


@admin.register(TimKoordinasi)
class TimKoordinasiAdmin(ScopedAdmin):
    list_display = ("nama", "wilayah", "sk")
    inlines = [AnggotaTikorInline]
