"""Admin for the secretariat: instruments (frozen once published), teams, assignments, reference prices, documents.

Area-bound models go through ScopedAdmin, so every list, form and history page stays inside the user's area.
"""

from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html

from monev import complaints, findings, sanctions
from monev.models import (
    Bagian,
    Dokumen,
    Foto,
    HargaAcuan,
    Instrumen,
    Jawaban,
    Kunjungan,
    Pengaduan,
    Penugasan,
    Pertanyaan,
    Temuan,
    TimMonev,
    TindakLanjut,
)
from monev.publik import admin as publik_admin  # noqa: F401  the public codes (KodePublik) register there
from tikor.admin_scoping import MaskedFreeTextMixin, ScopedAdmin
from tikor.models import Role
from tikor.uploads import document_upload_size


def is_secretariat(user):
    """Only the secretariat sets a finding's or an action's status by hand; others go through the workflow."""
    return user.is_superuser or user.role == Role.SEKRETARIAT


class FrozenInline(admin.TabularInline):
    extra = 0

    def _frozen(self, obj):
        return obj is not None and obj.beku

    def has_add_permission(self, request, obj=None):
        return not self._frozen(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return not self._frozen(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self._frozen(obj) and super().has_delete_permission(request, obj)


class BagianInline(FrozenInline):
    model = Bagian
    fields = ("urutan", "judul")


class PertanyaanInline(FrozenInline):
    model = Pertanyaan
    fields = ("bagian", "urutan", "kode", "teks", "tipe", "aspek", "bobot", "wajib", "minta_foto", "pilihan", "aturan")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "bagian":
            instrumen_id = request.resolver_match.kwargs.get("object_id")
            kwargs["queryset"] = Bagian.objects.filter(instrumen_id=instrumen_id)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Instrumen)
class InstrumenAdmin(admin.ModelAdmin):
    list_display = ("nama", "kode", "versi", "jenis", "status", "terbit_pada")
    list_filter = ("jenis", "status")
    inlines = [BagianInline, PertanyaanInline]
    actions = ["terbitkan", "buat_versi_baru"]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.beku:
            return ("kode", "nama", "jenis", "versi", "status", "terbit_pada", "keterangan")
        return ("status", "terbit_pada")

    @admin.action(description="Terbitkan (membekukan isi)", permissions=["change"])
    def terbitkan(self, request, queryset):
        for instrumen in queryset.filter(status=Instrumen.Status.DRAF):
            instrumen.terbitkan()
        messages.success(request, "Instrumen diterbitkan.")

    @admin.action(description="Buat versi baru (salinan draf)", permissions=["add"])
    def buat_versi_baru(self, request, queryset):
        for instrumen in queryset:
            copy = instrumen.versi_baru()
            messages.success(request, f"Draf {copy} dibuat.")


@admin.register(HargaAcuan)
class HargaAcuanAdmin(admin.ModelAdmin):
    list_display = ("nama", "kode", "nilai", "satuan", "berlaku_mulai", "sumber")
    list_filter = ("kode",)


@admin.register(TimMonev)
class TimMonevAdmin(ScopedAdmin):
    list_display = ("nama", "wilayah", "ketua", "tahun", "aktif")
    list_filter = ("tahun", "aktif")
    filter_horizontal = ("anggota",)


@admin.register(Penugasan)
class PenugasanAdmin(ScopedAdmin):
    list_display = ("ewarong", "instrumen", "tim", "petugas", "batas_waktu", "status")
    list_filter = ("status", "instrumen")
    list_select_related = ("ewarong", "instrumen", "tim", "petugas")
    search_fields = ("ewarong__nama", "ewarong__kode")
    raw_id_fields = ("asal_tindak_lanjut",)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "instrumen":
            kwargs["queryset"] = Instrumen.objects.terbit()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class JawabanInline(MaskedFreeTextMixin, admin.TabularInline):
    free_text_fields = ("nilai", "keterangan")
    model = Jawaban
    extra = 0
    fields = ("pertanyaan", "nilai", "keterangan", "patuh", "keparahan")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Kunjungan)
class KunjunganAdmin(MaskedFreeTextMixin, ScopedAdmin):
    free_text_fields = ("catatan", "catatan_verifikasi")
    list_display = ("ewarong", "tanggal", "petugas", "status", "skor_total")
    list_filter = ("status", "instrumen")
    list_select_related = ("ewarong", "petugas")
    readonly_fields = ("uuid", "skor_total", "jarak_ewarong", "dikirim_pada", "diverifikasi_oleh", "diverifikasi_pada")
    raw_id_fields = ("kpm", "penugasan")
    inlines = [JawabanInline]
    # Verifying or returning a visit is the verifier's step (Kunjungan.verifikasi); who went where stays as sent.
    workflow_fields = ("status", "catatan_verifikasi", "petugas", "penugasan", "ewarong", "instrumen", "kpm")

    def has_add_permission(self, request):
        # Visits come from the phone form, which validates, scores and raises findings.
        return False

    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        if request.user.has_perm("monev.verifikasi_kunjungan"):
            return readonly
        return (*readonly, *self.workflow_fields)


@admin.register(Foto)
class FotoAdmin(ScopedAdmin):
    list_display = ("uuid", "kunjungan", "pertanyaan", "ukuran", "diambil_pada")
    raw_id_fields = ("kunjungan",)


@admin.register(Temuan)
class TemuanAdmin(MaskedFreeTextMixin, ScopedAdmin):
    free_text_fields = ("uraian",)
    list_display = ("judul", "ewarong", "keparahan", "aspek", "sumber", "status", "batas_waktu")
    list_filter = ("keparahan", "aspek", "sumber", "status")
    list_select_related = ("ewarong",)
    search_fields = ("judul", "ewarong__nama")
    raw_id_fields = ("kunjungan", "pertanyaan")
    readonly_fields = ("batas_waktu", "dibuat_oleh")

    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        if is_secretariat(request.user):
            return readonly
        # A finding is closed through its corrective actions; a recorded one stays tied to its e-warong and visit.
        ties = ("ewarong", "kunjungan", "pertanyaan") if obj else ()
        return (*readonly, "status", "sumber", *ties)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.dibuat_oleh = request.user
        super().save_model(request, obj, form, change)


@admin.register(TindakLanjut)
class TindakLanjutAdmin(MaskedFreeTextMixin, ScopedAdmin):
    free_text_fields = ("uraian", "catatan_penutupan")
    list_display = ("uraian", "temuan", "penanggung_jawab", "batas_waktu", "status", "langkah_sanksi")
    list_filter = ("status", "langkah_sanksi")
    raw_id_fields = ("temuan",)
    readonly_fields = ("dibuat_oleh", "ditutup_pada")

    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        if obj:
            # A recorded sanction step already moved the e-warong; it is not edited afterwards.
            readonly = (*readonly, "temuan", "langkah_sanksi")
        if not is_secretariat(request.user):
            # Closing goes through findings.close_action, which schedules the re-visit that checks the work.
            readonly = (*readonly, "status", "catatan_penutupan")
        return readonly

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if obj is not None:
            return form

        class WithSanctionRight(form):
            def clean_langkah_sanksi(self):
                step = self.cleaned_data["langkah_sanksi"]
                sanctions.check_right(request.user, step)
                return step

        return WithSanctionRight

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        # The same path as the site's page, so a sanction step reaches the e-warong's history.
        data = {name: value for name, value in form.cleaned_data.items() if name != "temuan"}
        created = findings.add_action(form.cleaned_data["temuan"], request.user, **data)
        obj.pk = created.pk


@admin.register(Pengaduan)
class PengaduanAdmin(MaskedFreeTextMixin, ScopedAdmin):
    free_text_fields = ("isi", "tanggapan")
    list_display = ("nomor", "kanal", "kategori", "ewarong", "status", "batas_selesai", "berulang", "ditugaskan_ke")
    list_filter = ("kanal", "kategori", "status", "berulang")
    search_fields = ("nomor", "isi", "nama_pelapor")
    raw_id_fields = ("ewarong", "kpm", "penyedia", "temuan", "ditugaskan_ke")
    readonly_fields = (
        "nomor", "batas_respons", "batas_selesai", "berulang", "dicatat_oleh", "kode_lacak", "foto_pelapor",
    )  # fmt: skip
    # The reporter's photo is served only through the scoped, audited view (media is not served directly).
    exclude = ("foto",)

    @admin.display(description="foto dari pelapor")
    def foto_pelapor(self, obj):
        if not obj.foto:
            return "-"
        return format_html('<a href="{}">lihat foto</a>', reverse("monev:pengaduan_foto", args=[obj.pk]))

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
        else:
            complaints.record_complaint(obj, request.user)


@admin.register(Dokumen)
class DokumenAdmin(admin.ModelAdmin):
    list_display = ("judul", "jenis", "nomor", "versi", "berlaku_mulai", "berlaku_sampai")
    list_filter = ("jenis",)
    search_fields = ("judul", "nomor")
    readonly_fields = ("diunggah_oleh",)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "berkas":
            field.validators.append(document_upload_size)
            field.help_text = document_upload_size.help_text
        return field

    def save_model(self, request, obj, form, change):
        if not change:
            obj.diunggah_oleh = request.user
        super().save_model(request, obj, form, change)


# The Tikor membership (agencies, Tikor, people) lives with the meetings in monev/rapat/.
import monev.rapat.admin  # noqa: E402, F401
