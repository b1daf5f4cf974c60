from django import forms
from django.contrib import admin
from django.contrib.admin.options import IS_POPUP_VAR, TO_FIELD_VAR
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.contrib.auth.models import Group

from tikor import admin_beat  # noqa: F401  (registers django-celery-beat's pages in Indonesian)
from tikor.admin_scoping import BoundedDeleteMixin, ScopedAdmin, scoped_choices
from tikor.models import AuditLog, Bank, User, Wilayah
from tikor.roles import validate_area

admin.site.site_header = "Tikor BSP DKI Jakarta"
admin.site.site_title = "Tikor BSP DKI Jakarta"
admin.site.index_title = "Administrasi data"
admin.site.site_url = "/"
# Roles map to groups kept in step by tikor.roles after every migrate; editing them by hand would drift.
admin.site.unregister(Group)


class AreaMatchesRole:
    """Form mixin: the chosen wilayah must fit the chosen role (tikor.roles.validate_area)."""

    def clean(self):
        cleaned = super().clean()
        role, wilayah = cleaned.get("role"), cleaned.get("wilayah")
        if role is not None and wilayah is not None:
            try:
                validate_area(role, wilayah)
            except forms.ValidationError as error:
                self.add_error("wilayah", error)
        return cleaned


class UserAdminForm(AreaMatchesRole, UserChangeForm):
    pass


class UserAddForm(AreaMatchesRole, AdminUserCreationForm):
    pass


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = UserAdminForm
    add_form = UserAddForm
    list_display = ("username", "first_name", "last_name", "role", "area", "bank", "is_active")
    list_filter = ("role", "is_active", "bank")
    list_select_related = ("bank",)
    search_fields = ("username", "first_name", "last_name", "email", "instansi")
    filter_horizontal = ("wilayah",)
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("Data diri", {"fields": ("first_name", "last_name", "email", "telepon", "instansi")}),
        ("Peran dan wilayah", {"fields": ("role", "wilayah", "bank")}),
        ("Status", {"fields": ("is_active", "is_superuser", "last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "password1", "password2", "role", "wilayah", "bank")}),
    )
    readonly_fields = ("last_login", "date_joined")

    def get_queryset(self, request):
        queryset = super().get_queryset(request).prefetch_related("wilayah")
        if self.is_lookup_only(request):
            # The people the user may assign a row to, as the raw-id field itself offers them.
            queryset = scoped_choices(User, queryset, request.user)
        return queryset

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) or (obj is None and self.is_lookup(request))

    @staticmethod
    def is_lookup(request):
        """The popup a raw-id field's magnifier opens (e.g. a complaint's "ditugaskan ke")."""
        match = request.resolver_match
        return (
            IS_POPUP_VAR in request.GET
            and TO_FIELD_VAR in request.GET
            and request.method in ("GET", "HEAD")
            and match is not None
            and match.url_name == "tikor_user_changelist"
        )

    def is_lookup_only(self, request):
        """A lookup by someone without the right to read accounts: it lists only whom they may choose."""
        return self.is_lookup(request) and not super().has_view_permission(request)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if request.user.is_superuser:
            return fieldsets
        # The secretariat manages accounts but must not be able to hand out superuser rights.
        return [
            (name, {**opts, "fields": tuple(f for f in opts["fields"] if f != "is_superuser")})
            for name, opts in fieldsets
        ]

    def _out_of_reach(self, request, obj):
        """A superuser's account, password included, is changed only by a superuser: no way up for the secretariat."""
        return obj is not None and obj.is_superuser and not request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return not self._out_of_reach(request, obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self._out_of_reach(request, obj) and super().has_delete_permission(request, obj)

    @admin.display(description="wilayah tugas")
    def area(self, obj):
        return ", ".join(str(w) for w in obj.wilayah.all()) or "DKI Jakarta"

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "wilayah":
            kwargs["queryset"] = Wilayah.objects.exclude(tingkat="provinsi")
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        form.instance.sync_role_group()


@admin.register(Bank)
class BankAdmin(BoundedDeleteMixin, admin.ModelAdmin):
    list_display = ("kode", "nama")
    search_fields = ("kode", "nama")


@admin.register(Wilayah)
class WilayahAdmin(ScopedAdmin):
    list_display = ("kode", "nama", "tingkat", "induk", "kodepos")
    list_filter = ("tingkat",)
    list_select_related = ("induk",)
    search_fields = ("kode", "nama")

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditLog)
class AuditLogAdmin(admin.ModelAdmin):
    list_display = ("waktu", "pengguna", "aksi", "objek", "jumlah_baris")
    list_filter = ("aksi", "objek")
    list_select_related = ("pengguna",)
    date_hierarchy = "waktu"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
