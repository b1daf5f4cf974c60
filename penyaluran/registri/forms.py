from django import forms

from penyaluran.registri.models import ImportJob
from tikor.jobs import JobStatus, written_from
from tikor.models import Wilayah
from tikor.uploads import import_upload_size


class ImportForm(forms.Form):
    jenis = forms.ChoiceField(label="Jenis data", choices=ImportJob.Jenis.choices)
    berkas = forms.FileField(
        label="Berkas XLSX atau CSV", help_text=import_upload_size.help_text, validators=[import_upload_size]
    )
    lewati_tidak_valid = forms.BooleanField(
        label="Lewati baris yang tidak valid",
        required=False,
        help_text="Baris yang valid disimpan; baris yang ditolak dapat diunduh sebagai XLSX untuk diperbaiki. "
        "Tanpa pilihan ini, satu baris tidak valid membatalkan seluruh impor.",
    )
    registri_lengkap = forms.BooleanField(
        label="Berkas ini registri lengkap",
        required=False,
        help_text="Centang bila berkas memuat seluruh data jenis ini (bukan pembaruan sebagian): impor lalu "
        "mendaftar data registri yang tidak ada di berkas. Tanpa pilihan ini hanya baris di berkas yang diperiksa.",
    )

    def clean_berkas(self):
        berkas = self.cleaned_data["berkas"]
        if not berkas.name.lower().endswith((".xlsx", ".xlsm", ".csv", ".txt")):
            raise forms.ValidationError("Gunakan berkas XLSX atau CSV.")
        return berkas


class ConfirmForm(forms.Form):
    """Confirms a finished preview; the write job reuses its file."""

    def __init__(self, preview, *args, **kwargs):
        self.preview = preview
        super().__init__(*args, **kwargs)

    def clean(self):
        preview = self.preview
        if not preview.uji_coba or preview.status != JobStatus.SELESAI:
            raise forms.ValidationError("Hanya pratinjau yang selesai dapat disimpan.")
        if preview.jumlah_tidak_valid and not preview.lewati_tidak_valid:
            raise forms.ValidationError(
                "Ada baris tidak valid: perbaiki berkasnya, atau unggah lagi dengan pilihan lewati baris tidak valid."
            )
        if written_from(preview) is not None:
            raise forms.ValidationError("Pratinjau ini sudah disimpan.")
        return super().clean()


class ExportForm(forms.Form):
    format = forms.ChoiceField(label="Format", choices=[("xlsx", "Excel (XLSX)"), ("csv", "CSV")], initial="xlsx")
    wilayah = forms.ModelChoiceField(
        label="Wilayah", queryset=Wilayah.objects.none(), required=False, empty_label="Seluruh wilayah saya"
    )
    status = forms.ChoiceField(label="Status", required=False)

    def __init__(self, user, kind, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from penyaluran.registri.exports import MODELS

        self.fields["wilayah"].queryset = Wilayah.objects.for_user(user).exclude(tingkat="provinsi")
        status_field = MODELS[kind]._meta.get_field("status") if kind != "penyedia" else None
        if status_field is None:
            del self.fields["status"]
        else:
            self.fields["status"].choices = [("", "Semua status"), *status_field.choices]

    def filters(self):
        data = self.cleaned_data
        filters = {}
        if data.get("wilayah"):
            filters["wilayah"] = data["wilayah"].kode
        if data.get("status"):
            filters["status"] = data["status"]
        return filters
