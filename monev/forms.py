"""Forms: every value from a phone or a page is validated here, in Indonesian."""

from django import forms
from django.utils import timezone

from monev import sanctions
from monev.complaints import pendamping_for
from monev.models import Instrumen, Kunjungan, Pengaduan, Penugasan, Pertanyaan, Temuan, TimMonev, TindakLanjut
from monev.publik.forms import memuat_nomor_16_digit
from penyaluran.registri.models import EWarong, Kpm, Penyedia
from tikor.models import Role, User
from tikor.uploads import document_upload_size

YA_TIDAK = [("ya", "Ya"), ("tidak", "Tidak")]
MAKS_HARGA = 10_000_000


class Bootstrap:
    """Give every widget its Bootstrap class so templates render fields as they are."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()


def field_for(pertanyaan):
    """The form field that validates one question's answer; None for photos (uploaded on their own)."""
    common = {"label": f"{pertanyaan.kode}. {pertanyaan.teks}", "required": pertanyaan.wajib}
    tipe = Pertanyaan.Tipe
    if pertanyaan.tipe == tipe.YA_TIDAK:
        return forms.ChoiceField(choices=YA_TIDAK, **common)
    if pertanyaan.tipe == tipe.PILIHAN:
        return forms.ChoiceField(choices=[(p, p) for p in pertanyaan.pilihan], **common)
    if pertanyaan.tipe == tipe.ANGKA:
        return forms.DecimalField(min_value=0, max_value=1_000_000, decimal_places=2, **common)
    if pertanyaan.tipe == tipe.HARGA:
        return forms.IntegerField(
            min_value=0,
            max_value=MAKS_HARGA,
            error_messages={"invalid": "Isi harga dalam rupiah tanpa titik atau koma, misalnya 12500."},
            **common,
        )
    if pertanyaan.tipe == tipe.TEKS:
        return forms.CharField(max_length=500, **common)
    return None


class KunjunganForm(forms.Form):
    """A whole visit as sent by the phone: identity, place, position and one field per question."""

    uuid = forms.UUIDField(label="UUID kunjungan")
    tanggal = forms.DateField(label="Tanggal kunjungan")
    kpm = forms.ModelChoiceField(queryset=Kpm.objects.none(), required=False, label="KPM")
    latitude = forms.DecimalField(min_value=-90, max_value=90, decimal_places=6, required=False, label="Lintang")
    longitude = forms.DecimalField(min_value=-180, max_value=180, decimal_places=6, required=False, label="Bujur")
    akurasi_gps = forms.IntegerField(min_value=0, max_value=100_000, required=False, label="Akurasi GPS")
    catatan = forms.CharField(max_length=2000, required=False, label="Catatan")

    def __init__(self, *args, penugasan, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.penugasan = penugasan
        self.questions = list(penugasan.instrumen.pertanyaan.all())
        for q in self.questions:
            field = field_for(q)
            if field is not None:
                self.fields[f"q_{q.kode}"] = field
                self.fields[f"k_{q.kode}"] = forms.CharField(max_length=500, required=False)
        self.fields["kpm"].queryset = Kpm.objects.for_user(user).filter(ewarong_id=penugasan.ewarong_id)
        if penugasan.instrumen.jenis == "kpm":
            self.fields["kpm"].required = True

    def clean_tanggal(self):
        tanggal = self.cleaned_data["tanggal"]
        if tanggal > timezone.localdate():
            raise forms.ValidationError("Tanggal kunjungan tidak boleh di masa depan.")
        return tanggal

    def clean(self):
        cleaned = super().clean()
        has_lat, has_lng = cleaned.get("latitude") is not None, cleaned.get("longitude") is not None
        if has_lat != has_lng:
            raise forms.ValidationError("Lokasi GPS tidak lengkap: lintang dan bujur harus diisi bersama.")
        return cleaned

    def answers(self):
        """(question, value, note) for every answered question."""
        for q in self.questions:
            name = f"q_{q.kode}"
            if name not in self.cleaned_data:
                continue
            value = self.cleaned_data[name]
            if value in (None, ""):
                continue
            if not isinstance(value, str | int):
                value = str(value)  # Decimal to JSON
            yield q, value, self.cleaned_data.get(f"k_{q.kode}", "")


class FotoForm(forms.Form):
    uuid = forms.UUIDField()
    pertanyaan = forms.CharField(max_length=10, required=False)
    diambil_pada = forms.DateTimeField(required=False)
    berkas = forms.ImageField(error_messages={"invalid_image": "Berkas bukan gambar yang dapat dibaca."})


class VerifikasiForm(Bootstrap, forms.Form):
    keputusan = forms.ChoiceField(choices=[("verifikasi", "Verifikasi"), ("kembalikan", "Kembalikan")])
    catatan = forms.CharField(max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("keputusan") == "kembalikan" and not cleaned.get("catatan", "").strip():
            self.add_error("catatan", "Tuliskan alasan kunjungan dikembalikan.")
        return cleaned


class ScopedModelForm(Bootstrap, forms.ModelForm):
    """Choices of every scoped foreign key come through the gate."""

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        for field in self.fields.values():
            queryset = getattr(field, "queryset", None)
            if queryset is not None and hasattr(queryset, "for_user"):
                field.queryset = queryset.for_user(user)


class TemuanForm(ScopedModelForm):
    class Meta:
        model = Temuan
        fields = ["ewarong", "judul", "uraian", "aspek", "keparahan"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ewarong"].queryset = EWarong.objects.for_user(self.user)

    def save(self, commit=True):
        """A finding recorded by hand, in the name of the user who fills the form."""
        self.instance.dibuat_oleh = self.user
        self.instance.sumber = Temuan.Sumber.MANUAL
        return super().save(commit)


class TindakLanjutForm(Bootstrap, forms.ModelForm):
    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["bukti"].validators.append(document_upload_size)
        self.fields["bukti"].help_text = document_upload_size.help_text

    def clean_langkah_sanksi(self):
        step = self.cleaned_data["langkah_sanksi"]
        sanctions.check_right(self.user, step)
        return step

    class Meta:
        model = TindakLanjut
        fields = ["uraian", "penanggung_jawab", "batas_waktu", "langkah_sanksi", "bukti"]
        widgets = {
            "uraian": forms.Textarea(attrs={"rows": 3}),
            "batas_waktu": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }


class TutupTindakLanjutForm(Bootstrap, forms.Form):
    catatan = forms.CharField(label="Catatan penutupan", max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class PengaduanForm(ScopedModelForm):
    class Meta:
        model = Pengaduan
        fields = [
            "kanal",
            "anonim",
            "nama_pelapor",
            "kontak_pelapor",
            "ewarong",
            "kpm",
            "penyedia",
            "kategori",
            "penanganan",
            "isi",
            "temuan",
        ]
        widgets = {"isi": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ewarong"].queryset = EWarong.objects.for_user(self.user)
        self.fields["kpm"].queryset = Kpm.objects.for_user(self.user)
        self.fields["kpm"].widget = forms.NumberInput(attrs={"class": "form-control"})
        self.fields["kpm"].help_text = "ID KPM (opsional)."
        self.fields["penyedia"].queryset = Penyedia.objects.for_user(self.user)
        self.fields["temuan"].queryset = Temuan.objects.for_user(self.user)

    def clean(self):
        cleaned = super().clean()
        if not (cleaned.get("ewarong") or cleaned.get("kpm") or cleaned.get("penyedia")):
            raise forms.ValidationError("Pilih e-warong, KPM atau penyedia yang diadukan.")
        if cleaned.get("anonim"):
            cleaned["nama_pelapor"] = ""
            cleaned["kontak_pelapor"] = ""
        elif not cleaned.get("nama_pelapor"):
            self.add_error("nama_pelapor", "Isi nama pelapor, atau centang pelapor anonim.")
        return cleaned


class TanggapanForm(Bootstrap, forms.Form):
    tanggapan = forms.CharField(label="Tanggapan", max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))
    status = forms.ChoiceField(label="Status", choices=Pengaduan.Status.choices)
    publik = forms.BooleanField(
        label="Tampilkan tanggapan ini kepada pelapor",
        required=False,
        help_text="Pelapor lewat QR e-warong membacanya di halaman status dengan kode lacak. "
        "Jangan tulis nama petugas, nama KPM, NIK, atau isi pengaduan lain.",
    )

    def __init__(self, *args, pengaduan, **kwargs):
        super().__init__(*args, **kwargs)
        if not pengaduan.kode_lacak:
            del self.fields["publik"]  # only a complaint sent from the public page has a status page

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("publik") and memuat_nomor_16_digit(cleaned.get("tanggapan", "")):
            self.add_error("tanggapan", "Tanggapan untuk pelapor tidak boleh memuat NIK atau nomor kartu.")
        return cleaned


class KunjunganFilterForm(forms.Form):
    status = forms.ChoiceField(choices=[("", "Semua status"), *Kunjungan.Status.choices], required=False)


class PenugasanMassalForm(Bootstrap, forms.Form):
    """Assign many e-warong at once; each goes to the chosen team, the chosen officer, or its kecamatan's pendamping."""

    ewarong = forms.ModelMultipleChoiceField(
        label="e-warong", queryset=EWarong.objects.none(), widget=forms.SelectMultiple(attrs={"size": 12})
    )
    instrumen = forms.ModelChoiceField(label="Instrumen", queryset=Instrumen.objects.terbit())
    tim = forms.ModelChoiceField(label="Tim monev", queryset=TimMonev.objects.none(), required=False)
    petugas = forms.ModelChoiceField(
        label="Petugas",
        queryset=User.objects.none(),
        required=False,
        help_text="Kosongkan tim dan petugas untuk menugaskan pendamping kecamatan masing-masing e-warong.",
    )
    batas_waktu = forms.DateField(label="Batas waktu", widget=forms.DateInput(attrs={"type": "date"}))
    jumlah_sampel_kpm = forms.IntegerField(label="Jumlah sampel KPM", min_value=0, max_value=50, initial=5)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ewarong"].queryset = EWarong.objects.for_user(user).aktif().select_related("kelurahan")
        self.fields["tim"].queryset = TimMonev.objects.for_user(user).filter(aktif=True)
        self.fields["petugas"].queryset = User.objects.filter(is_active=True, role=Role.PENDAMPING).order_by("username")

    def clean_batas_waktu(self):
        batas = self.cleaned_data["batas_waktu"]
        if batas < timezone.localdate():
            raise forms.ValidationError("Batas waktu tidak boleh di masa lalu.")
        return batas

    def build(self):
        """Unsaved assignments, each validated (an officer must work where the e-warong is)."""
        data = self.cleaned_data
        assignments, errors = [], []
        for ewarong in data["ewarong"]:
            penugasan = Penugasan(
                ewarong=ewarong,
                instrumen=data["instrumen"],
                tim=data["tim"],
                petugas=data["petugas"] or (None if data["tim"] else pendamping_for(ewarong.kelurahan_id)),
                batas_waktu=data["batas_waktu"],
                jumlah_sampel_kpm=data["jumlah_sampel_kpm"],
            )
            try:
                penugasan.full_clean()
            except forms.ValidationError as error:
                errors.append(f"{ewarong.nama}: {' '.join(error.messages)}")
            assignments.append(penugasan)
        return assignments, errors
