"""Forms of the core's own pages: the audit page's filter and the temporary access the secretariat grants."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from tikor.models import AksesSementara, AuditLog, Role, Tingkat, User, Wilayah

# A temporary access covers a leave or a vacancy; a longer need is a change of the user's area.
AKSES_MAKS_HARI = 90


def _bootstrap(form):
    for field in form.fields.values():
        widget = field.widget
        widget.attrs.setdefault("class", "form-select" if isinstance(widget, forms.Select) else "form-control")


class AuditFilterForm(forms.Form):
    pengguna = forms.ModelChoiceField(
        label="Pengguna", queryset=User.objects.order_by("username"), required=False, empty_label="Semua pengguna"
    )
    aksi = forms.ChoiceField(label="Jenis", choices=[("", "Semua jenis"), *AuditLog.Aksi.choices], required=False)
    objek = forms.CharField(label="Objek", required=False, max_length=100, help_text="mis. penyaluran.kpm")
    dari = forms.DateField(label="Dari tanggal", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    sampai = forms.DateField(label="Sampai tanggal", required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        data = super().clean()
        if data.get("dari") and data.get("sampai") and data["dari"] > data["sampai"]:
            raise ValidationError("Tanggal awal harus sebelum tanggal akhir.")
        return data

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _bootstrap(self)

    def filters(self):
        """The cleaned filters for tikor.audit.entries (none when the form is invalid)."""
        if not self.is_valid():
            return {}
        return {name: value for name, value in self.cleaned_data.items() if value not in (None, "")}


class _DateTimeLocal(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self):
        super().__init__(format="%Y-%m-%dT%H:%M")


class AksesSementaraForm(forms.ModelForm):
    class Meta:
        model = AksesSementara
        fields = ["pengguna", "wilayah", "alasan", "mulai", "selesai"]
        widgets = {"mulai": _DateTimeLocal(), "selesai": _DateTimeLocal()}
        help_texts = {"alasan": "mis. menggantikan pendamping Kec. X yang cuti 1–14 Desember"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pengguna"].queryset = User.objects.filter(role=Role.PENDAMPING, is_active=True).order_by(
            "username"
        )
        self.fields["wilayah"].queryset = Wilayah.objects.filter(tingkat=Tingkat.KECAMATAN)
        now = timezone.localtime().replace(second=0, microsecond=0)
        self.fields["mulai"].initial = now
        self.fields["selesai"].initial = now + datetime.timedelta(days=7)
        _bootstrap(self)

    def clean(self):
        data = super().clean()
        mulai, selesai = data.get("mulai"), data.get("selesai")
        if mulai and selesai:
            if selesai <= mulai:
                self.add_error("selesai", "Waktu selesai harus setelah waktu mulai.")
            elif selesai - mulai > datetime.timedelta(days=AKSES_MAKS_HARI):
                self.add_error(
                    "selesai", f"Akses sementara paling lama {AKSES_MAKS_HARI} hari; ubah wilayah tugasnya bila lebih."
                )
            elif selesai <= timezone.now():
                self.add_error("selesai", "Waktu selesai sudah lewat.")
        pengguna, wilayah = data.get("pengguna"), data.get("wilayah")
        if pengguna and wilayah and pengguna.wilayah.filter(pk=wilayah.pk).exists():
            self.add_error("wilayah", f"{wilayah} sudah termasuk wilayah tugas {pengguna}.")
        return data
