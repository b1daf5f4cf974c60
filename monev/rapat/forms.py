"""Forms of the Tikor's meetings and decisions; every scoped choice comes through the gate."""

import datetime

from django import forms
from django.utils import timezone

from monev.forms import Bootstrap, ScopedModelForm
from monev.models import ButirAgenda, Instansi, Kehadiran, Keputusan, Lampiran, Rapat
from tikor.models import Tingkat, Wilayah
from tikor.uploads import document_upload_size

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class RapatForm(ScopedModelForm):
    class Meta:
        model = Rapat
        fields = ["judul", "wilayah", "tanggal", "tempat", "pimpinan", "diundang"]
        widgets = {
            "tanggal": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "diundang": forms.CheckboxSelectMultiple,
        }
        labels = {"wilayah": "Tingkat rapat (provinsi atau kota)"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["wilayah"].queryset = (
            Wilayah.objects.for_user(self.user).filter(tingkat__in=[Tingkat.PROVINSI, Tingkat.KOTA]).order_by("kode")
        )
        self.fields["wilayah"].empty_label = None
        self.fields["diundang"].queryset = Instansi.objects.all()
        self.fields["diundang"].widget.attrs.pop("class", None)
        self.fields["tanggal"].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]

    def save(self, commit=True):
        wilayah = self.cleaned_data["wilayah"]
        self.instance.tingkat = Rapat.Tingkat.PROVINSI if wilayah.tingkat == Tingkat.PROVINSI else Rapat.Tingkat.KOTA
        return super().save(commit)


class ButirAgendaForm(Bootstrap, forms.ModelForm):
    class Meta:
        model = ButirAgenda
        fields = ["urutan", "judul", "uraian"]
        widgets = {"uraian": forms.Textarea(attrs={"rows": 2})}


AgendaFormSet = forms.inlineformset_factory(Rapat, ButirAgenda, form=ButirAgendaForm, extra=1, can_delete=True)


class KehadiranForm(Bootstrap, forms.ModelForm):
    class Meta:
        model = Kehadiran
        fields = ["instansi", "nama", "jabatan"]

    def __init__(self, *args, rapat, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.rapat = rapat

    def clean(self):
        # The meeting is not a field of the form, so Django's own check of kehadiran_unik would skip it.
        cleaned = super().clean()
        instansi, nama = cleaned.get("instansi"), cleaned.get("nama")
        if instansi and nama and self.instance.rapat.kehadiran.filter(instansi=instansi, nama=nama).exists():
            self.add_error("nama", "Orang ini sudah tercatat hadir untuk instansi tersebut.")
        return cleaned


class NotulenForm(Bootstrap, forms.ModelForm):
    class Meta:
        model = Rapat
        fields = ["notulen"]
        widgets = {"notulen": forms.Textarea(attrs={"rows": 8})}


class LampiranForm(Bootstrap, forms.ModelForm):
    class Meta:
        model = Lampiran
        fields = ["judul", "berkas"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["berkas"].validators.append(document_upload_size)
        self.fields["berkas"].help_text = document_upload_size.help_text


class KeputusanForm(ScopedModelForm):
    class Meta:
        model = Keputusan
        fields = ["teks", "instansi", "penanggung_jawab", "batas_waktu", "ewarong", "penyedia", "temuan", "dokumen"]
        widgets = {"teks": forms.Textarea(attrs={"rows": 3}), "batas_waktu": DATE}
        labels = {
            "ewarong": "Terkait e-warong",
            "penyedia": "Terkait penyedia",
            "temuan": "Terkait temuan",
            "dokumen": "Terkait dokumen",
        }

    def __init__(self, *args, rapat, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.rapat = rapat
        self.fields["instansi"].queryset = Instansi.objects.all()


class ProgresForm(Bootstrap, forms.Form):
    tanggal = forms.DateField(label="Tanggal", widget=DATE, initial=timezone.localdate)
    catatan = forms.CharField(label="Perkembangan", max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))
    status = forms.ChoiceField(label="Status setelah ini", choices=Keputusan.Status.choices)

    def __init__(self, *args, sekretariat, **kwargs):
        super().__init__(*args, **kwargs)
        if not sekretariat:
            # A member agency reports progress or that it is done; it does not set a decision back to open.
            self.fields["status"].choices = [c for c in Keputusan.Status.choices if c[0] != Keputusan.Status.TERBUKA]

    def clean_tanggal(self):
        day = self.cleaned_data["tanggal"]
        if day > timezone.localdate() + datetime.timedelta(days=1):
            raise forms.ValidationError("Tanggal perkembangan tidak boleh di masa depan.")
        return day
