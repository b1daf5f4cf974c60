"""Forms: every value from a phone or a page is validated here, in Indonesian."""

import re

from django import forms
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone

from monev import sanctions
from monev.models import Instrumen, Kunjungan, Pengaduan, Pertanyaan, Temuan, TimMonev, TindakLanjut
from monev.profil import filter_kunjungan, filter_risiko
from monev.publik.forms import memuat_nomor_16_digit
from penyaluran.registri.models import EWarong, Kpm, Penyedia
from tikor.models import Bank, Role, User, Wilayah
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


MAKS_PILIHAN_KPM = 10


def kpm_term_error(term):
    """Why a KPM search term cannot be looked up, or "": a number is a whole NIK, No KK or KKS; a name needs a word
    of at least 3 letters (shorter parts would read every name)."""
    words = term.split()
    if not words:
        return "Ketik NIK, No KK, nomor KKS atau nama KPM."
    if "".join(words).isdigit() or any(len(w) >= 3 for w in words):
        return ""
    return "Ketik sedikitnya 3 huruf nama, atau NIK, No KK atau nomor KKS lengkap."


def kpm_matches(user, term, limit=MAKS_PILIHAN_KPM):
    """Up to `limit` KPM in `user`'s area that `term` finds (Kpm.objects.cari), sorted by name.

    Taken in no order and sorted here: "the first 50 by name" of a common fragment ("sri") makes PostgreSQL
    read every match, or walk the name index, 0,5 s at full scale; any 50 stop at the 50th (bench/cari_kpm.py).
    Whoever gets `limit` back narrows the search."""
    if kpm_term_error(term):
        return []
    found = Kpm.objects.for_user(user).cari(term).select_related("kelurahan__induk", "ewarong", "bank")
    return sorted(found.order_by()[:limit], key=lambda kpm: (kpm.nama, kpm.pk))


class KpmCariWidget(forms.Widget):
    """A search box that finds the KPM on the server as one types (htmx, monev:kpm_pilih) and offers the matches
    as radio buttons named after the field; without JavaScript the form finds it on submit (PengaduanForm.clean)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.user, self.term = None, ""

    def render(self, name, value, attrs=None, renderer=None):
        chosen = None
        if value and str(value).isdigit() and self.user is not None:
            chosen = Kpm.objects.for_user(self.user).select_related("kelurahan").filter(pk=value).first()
        matches = kpm_matches(self.user, self.term) if self.term and self.user is not None else []
        if chosen and chosen not in matches:
            matches.insert(0, chosen)
        return render_to_string(
            "monev/_kpm_cari_widget.html",
            {"name": name, "term": self.term, "chosen": chosen, "matches": matches, "id": (attrs or {}).get("id")},
        )

    def value_from_datadict(self, data, files, name):
        return data.get(name) or None


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
        widget = KpmCariWidget()
        widget.user, widget.term = self.user, (self.data.get("kpm_cari") or "").strip()
        self.fields["kpm"].widget = widget
        self.fields["kpm"].help_text = "Cari dengan NIK, No KK, nomor KKS atau nama KPM di wilayah Anda (opsional)."
        self.fields["penyedia"].queryset = Penyedia.objects.for_user(self.user)
        self.fields["temuan"].queryset = Temuan.objects.for_user(self.user)

    def clean(self):
        cleaned = super().clean()
        term = (self.data.get("kpm_cari") or "").strip()
        if term and not cleaned.get("kpm") and "kpm" not in self.errors:
            # Typed but not picked (no JavaScript, or no time to pick): one match is the KPM, else say why.
            matches = kpm_matches(self.user, term, limit=2)
            if len(matches) == 1:
                cleaned["kpm"] = matches[0]
            elif matches:
                self.add_error("kpm", "Lebih dari satu KPM cocok dengan pencarian ini; pilih salah satu di daftar.")
            else:
                self.add_error(
                    "kpm",
                    kpm_term_error(term)
                    or f"Tidak ada KPM dengan NIK, No KK, KKS atau nama \u201c{term}\u201d di wilayah Anda.",
                )
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


RISIKO_PILIHAN = [
    ("", "Semua tingkat risiko"),
    ("tinggi", "Risiko tinggi"),
    ("sedang", "Risiko sedang"),
    ("rendah", "Risiko rendah"),
    ("nol", "Tanpa skor risiko"),
]
KUNJUNGAN_PILIHAN = [
    ("", "Kunjungan terakhir: kapan saja"),
    ("30", "Tidak dikunjungi 30 hari"),
    ("60", "Tidak dikunjungi 60 hari"),
    ("90", "Tidak dikunjungi 90 hari"),
    ("belum", "Belum pernah dikunjungi"),
]


def _region_choices(queryset, empty):
    return [("", empty), *((w.kode, w.nama_singkat) for w in queryset.only("kode", "nama_singkat"))]


REGION_CODE = re.compile(r"\d{2}(\.\d{2}){1,2}")


def _region_code(value):
    """A kota or kecamatan code from the query string, else ""."""
    return value if isinstance(value, str) and REGION_CODE.fullmatch(value) else ""


class EWarongFilterForm(Bootstrap, forms.Form):
    """The filters of the e-warong list and the planner, from the query string. The region lists hold only the
    user's area, each narrowed by the level chosen above it; the kelurahan list waits for a kecamatan."""

    q = forms.CharField(label="Nama atau kode", required=False, max_length=100)
    kota = forms.ChoiceField(label="Kota/kab. adm.", required=False)
    kecamatan = forms.ChoiceField(label="Kecamatan", required=False)
    kelurahan = forms.ChoiceField(label="Kelurahan", required=False)
    bank = forms.ModelChoiceField(
        label="Bank", queryset=Bank.objects.all(), required=False, to_field_name="kode", empty_label="Semua bank"
    )
    status = forms.ChoiceField(label="Status", choices=[("", "Semua status"), *EWarong.Status.choices], required=False)
    risiko = forms.ChoiceField(label="Risiko", choices=RISIKO_PILIHAN, required=False)
    kunjungan = forms.ChoiceField(label="Kunjungan terakhir", choices=KUNJUNGAN_PILIHAN, required=False)

    def __init__(self, data, *, user, **kwargs):
        super().__init__(data, **kwargs)
        regions = Wilayah.objects.for_user(user)
        # The lists below narrow by the codes chosen above them before validation: codes only (the fields refuse
        # anything else by name), never raw text into a query.
        kota, kecamatan = (_region_code(self.data.get(name)) for name in ("kota", "kecamatan"))
        self.fields["kota"].choices = _region_choices(regions.kota(), "Semua kota")
        kecamatan_list = regions.kecamatan()
        if kota:
            kecamatan_list = kecamatan_list.filter(kode__startswith=f"{kota}.")
        self.fields["kecamatan"].choices = _region_choices(kecamatan_list, "Semua kecamatan")
        kelurahan_list = regions.kelurahan().filter(kode__startswith=f"{kecamatan}.") if kecamatan else regions.none()
        self.fields["kelurahan"].choices = _region_choices(kelurahan_list, "Semua kelurahan")
        if len(self.fields["kota"].choices) <= 2:
            del self.fields["kota"]  # a kota's staff or a pendamping: one kota, nothing to choose

    @property
    def aktif(self):
        """How many filters are set, for the "Filter (2)" button on a phone."""
        return sum(1 for name in self.fields if self.data.get(name))

    def apply(self, queryset):
        """Narrow rows of monev.profil.ewarong_rows by the valid filters; invalid ones are ignored."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        for level in ("kelurahan", "kecamatan", "kota"):
            if data.get(level):
                queryset = queryset.in_wilayah(data[level])
                break
        if data.get("q"):
            q = data["q"].strip()
            queryset = queryset.filter(Q(kode__icontains=q) | Q(nama__icontains=q))
        if data.get("bank"):
            queryset = queryset.filter(bank=data["bank"])
        if data.get("status"):
            queryset = queryset.filter(status=data["status"])
        queryset = filter_risiko(queryset, data.get("risiko", ""))
        return filter_kunjungan(queryset, data.get("kunjungan", ""))


class KpmCariForm(forms.Form):
    q = forms.CharField(label="NIK, No KK, nomor KKS atau nama", max_length=100, required=False)

    def clean_q(self):
        term = self.cleaned_data["q"].strip()
        error = kpm_term_error(term)
        if error:
            raise forms.ValidationError(error)
        return term


class PenugasanRencanaForm(Bootstrap, forms.Form):
    """What the planner assigns to the e-warong ticked on the page: each goes to the chosen team, the chosen
    officer, or its kecamatan's pendamping."""

    ewarong = forms.ModelMultipleChoiceField(
        label="e-warong",
        queryset=EWarong.objects.none(),
        widget=forms.MultipleHiddenInput,
        error_messages={"required": "Centang sedikitnya satu e-warong."},
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
        self.fields["ewarong"].queryset = EWarong.objects.for_user(user).exclude(status=EWarong.Status.NONAKTIF)
        self.fields["tim"].queryset = TimMonev.objects.for_user(user).filter(aktif=True)
        self.fields["petugas"].queryset = User.objects.filter(is_active=True, role=Role.PENDAMPING).order_by("username")
        self.fields["instrumen"].initial = Instrumen.objects.terbaru(Instrumen.Jenis.EWARONG)

    def clean_batas_waktu(self):
        batas = self.cleaned_data["batas_waktu"]
        if batas < timezone.localdate():
            raise forms.ValidationError("Batas waktu tidak boleh di masa lalu.")
        return batas
