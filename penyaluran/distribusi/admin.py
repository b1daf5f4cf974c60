"""Admin of distribution: periods, and the bank's credits and purchases (read-only once a period is closed)."""

from django.contrib import admin
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect

from penyaluran.distribusi.models import Penyaluran, Periode, ProfilKolomBank, Transaksi
from penyaluran.distribusi.tasks import refresh_distribusi
from tikor.admin_scoping import BoundedDeleteMixin, MaskedNikMixin, ScopedAdmin


class LatestPeriodeFilter(admin.SimpleListFilter):
    """The purchase list opens on the latest month; "Semua periode" lists every month.

    Transaksi has a partition per month and bank: unfiltered, "newest first" plans and probes every partition (73 for
    a year of six banks: 131 ms at DKI size, planning most of it), one month only its banks'. A search (a bank
    reference or a card from a complaint) looks in every month unless a month is chosen."""

    title = "periode"
    parameter_name = "periode"
    SEMUA = "semua"

    def __init__(self, request, params, model, model_admin):
        self.searching = bool(request.GET.get("q"))
        super().__init__(request, params, model, model_admin)

    def lookups(self, request, model_admin):
        periods = [(str(p.pk), str(p)) for p in Periode.objects.order_by("-tahun", "-bulan")]
        # The latest month, read once here: value() is asked for every choice the filter draws.
        self.latest = periods[0][0] if periods else None
        return [(self.SEMUA, "Semua periode"), *periods]

    def value(self):
        value = super().value()
        if value is None and not self.searching:
            return self.latest
        return value

    def queryset(self, request, queryset):
        value = self.value()
        if value is None or value == self.SEMUA or not value.isdigit():
            return queryset
        return queryset.filter(periode_id=int(value))

    def choices(self, changelist):
        # No Django "Semua" entry (no parameter means the latest month here): "Semua periode" is a lookup.
        for lookup, title in self.lookup_choices:
            yield {
                "selected": self.value() == lookup,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }


@admin.register(Periode)
class PeriodeAdmin(BoundedDeleteMixin, admin.ModelAdmin):
    """Periods are opened and closed here; a closed period's figures are read-only, only its status can change."""

    list_display = ("__str__", "tahun", "bulan", "manfaat_per_kpm", "status")
    list_filter = ("status", "tahun")
    actions = ("hitung_ulang",)

    @admin.action(description="Hitung ulang realisasi, sinyal dan skor risiko", permissions=["change"])
    def hitung_ulang(self, request, queryset):
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
    list_per_page = 25  # as the KPM list (penyaluran/registri/admin.py)
    nik_fields = ("nik", "nomor_kks")
    list_display = ("referensi", "periode", "bank", "kpm", "jumlah", "tanggal", "kanal", "status")
    list_filter = ("periode", "status", "kanal", "bank")
    list_select_related = ("periode", "bank", "kpm")
    search_fields = ("referensi", "nik", "nomor_kks")  # whole values, see PeriodeTerbukaAdmin
    raw_id_fields = ("kpm",)
    ordering = ("-id",)  # newest first along the primary key; the model's (-tanggal) would sort every row


@admin.register(Transaksi)
class TransaksiAdmin(MaskedNikMixin, PeriodeTerbukaAdmin):
    list_per_page = 25  # as the KPM list (penyaluran/registri/admin.py)
    nik_fields = ("nik", "nomor_kks")
    list_display = ("referensi", "periode", "bank", "waktu", "ewarong", "kpm", "jumlah")
    list_filter = (LatestPeriodeFilter, "bank")
    list_select_related = ("periode", "bank", "ewarong", "kpm")
    # A complaint names a bank reference or a card (whole values, see PeriodeTerbukaAdmin). Purchases at one
    # terminal are found through the e-warong and its risk evidence, not by scanning millions of rows.
    search_fields = ("referensi", "nomor_kks")
    raw_id_fields = ("kpm", "ewarong")
    ordering = ("-id",)  # newest first: the primary key of each partition, where -waktu sorts every row


@admin.register(ProfilKolomBank)
class ProfilKolomBankAdmin(admin.ModelAdmin):
    """Listed here; made and changed in the profile form, which reads a sample file before saving."""

    list_display = ("bank", "jenis", "format_waktu", "diubah_pada")
    list_filter = ("jenis", "bank")

    def add_view(self, request, form_url="", extra_context=None):
        return redirect("distribusi:profil_baru")

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if not str(object_id).isdigit():
            raise Http404
        return redirect("distribusi:profil_edit", pk=int(object_id))
