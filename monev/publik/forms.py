"""The public complaint form: what happened, when, an optional photo and phone number; no name, no NIK."""

import datetime
import io
import re

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from PIL import Image, ImageOps

from monev.models import POLA_KATEGORI, Pengaduan
from monev.models.common import today
from monev.visits import PhotoTooLarge, check_photo_size

FORMAT_FOTO = {"JPEG", "PNG", "WEBP"}
PIKSEL_MAKS = 40_000_000  # a 40 MP camera; beyond it a "photo" is more likely a decompression bomb
SISI_MAKS = 1600  # enough to read a price tag or a receipt; keeps stored photos near 300 KB
NOMOR_16_DIGIT = re.compile(r"(?<!\d)\d(?:[ .-]?\d){15}(?!\d)")


def memuat_nomor_16_digit(text):
    """Whether `text` holds a NIK, a KK or a card number (16 digits, perhaps spaced): never shown in public."""
    return bool(NOMOR_16_DIGIT.search(text))


NOMOR_HP = re.compile(r"^(?:\+62|62|0)8\d{7,12}$")


def foto_tanpa_metadata(upload):
    """The reporter's photo as a new JPEG: turned upright, at most SISI_MAKS px, with no EXIF at all (no GPS
    position, no phone serial). Refuses what is too large, not a photo, or not JPEG/PNG/WebP."""
    try:
        check_photo_size(upload)
    except PhotoTooLarge as error:
        raise ValidationError(str(error), code="too_large") from error
    upload.seek(0)
    try:
        with Image.open(upload) as image:
            if image.format not in FORMAT_FOTO:
                raise ValidationError("Kirim foto berformat JPEG, PNG, atau WebP.", code="format")
            if image.width * image.height > PIKSEL_MAKS:
                raise ValidationError("Ukuran gambar terlalu besar; kecilkan resolusi kamera lalu kirim lagi.")
            upright = ImageOps.exif_transpose(image).convert("RGB")
    except (OSError, Image.DecompressionBombError) as error:
        raise ValidationError("Berkas bukan foto yang dapat dibaca.", code="invalid_image") from error
    upright.thumbnail((SISI_MAKS, SISI_MAKS))
    out = io.BytesIO()
    upright.save(out, "JPEG", quality=82, optimize=True)  # no exif= argument: nothing of the original's EXIF stays
    return ContentFile(out.getvalue(), name="foto.jpg")


class PengaduanPublikForm(forms.Form):
    pola = forms.ChoiceField(
        label="Apa yang terjadi?",
        choices=Pengaduan.Pola.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Pilih apa yang terjadi."},
    )
    isi = forms.CharField(
        label="Ceritakan kejadiannya",
        min_length=10,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Barang apa, berapa harganya, siapa yang meminta. Jangan tulis NIK atau nomor kartu.",
        error_messages={
            "required": "Ceritakan kejadiannya.",
            "min_length": "Ceritakan kejadiannya sedikit lebih lengkap (paling sedikit 10 huruf).",
            "max_length": "Cerita paling panjang 2.000 huruf.",
        },
    )
    tanggal_kejadian = forms.DateField(
        label="Kapan terjadi?",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": "Isi tanggal kejadian.", "invalid": "Tanggal tidak dikenali (contoh 2026-11-25)."},
    )
    foto = forms.ImageField(
        label="Foto (boleh dikosongkan)",
        required=False,
        help_text="JPEG atau PNG, paling besar 3 MB. Lokasi yang tersimpan dalam foto dihapus.",
        error_messages={"invalid_image": "Berkas bukan foto yang dapat dibaca."},
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    kontak = forms.CharField(
        label="Nomor HP untuk jawaban (boleh dikosongkan)",
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel", "autocomplete": "tel"}),
        help_text="Hanya petugas yang menangani pengaduan yang melihat nomor ini.",
    )
    # Honeypot: hidden from people by the page's CSS; a bot that fills every field gives itself away.
    situs = forms.CharField(
        label="Jangan diisi",
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tanggal_kejadian"].initial = today()

    def clean_isi(self):
        isi = self.cleaned_data["isi"].strip()
        if memuat_nomor_16_digit(isi):
            raise ValidationError(
                "Demi keamanan data Anda, jangan tulis NIK atau nomor kartu. Petugas akan menghubungi Anda bila perlu."
            )
        return isi

    def clean_tanggal_kejadian(self):
        tanggal = self.cleaned_data["tanggal_kejadian"]
        if tanggal > today():
            raise ValidationError("Tanggal kejadian tidak boleh setelah hari ini.")
        if tanggal < today() - datetime.timedelta(days=365):
            raise ValidationError("Kejadian lebih dari setahun lalu: sampaikan lewat LAPOR! atau SMS 1708.")
        return tanggal

    def clean_kontak(self):
        kontak = re.sub(r"[\s.-]", "", self.cleaned_data["kontak"])
        if kontak and not NOMOR_HP.match(kontak):
            raise ValidationError("Nomor HP tidak dikenali; tulis seperti 0812 3456 7890, atau kosongkan.")
        return kontak

    def clean_foto(self):
        foto = self.cleaned_data.get("foto")
        return foto_tanpa_metadata(foto) if foto else None

    def pengaduan(self, ewarong):
        """An unsaved complaint about `ewarong` from this form (monev.complaints.record_complaint saves it)."""
        data = self.cleaned_data
        kategori, penanganan = POLA_KATEGORI[data["pola"]]
        return Pengaduan(
            kanal=Pengaduan.Kanal.QR_EWARONG,
            anonim=True,
            kontak_pelapor=data["kontak"],
            ewarong=ewarong,
            pola=data["pola"],
            kategori=kategori,
            penanganan=penanganan,
            isi=data["isi"],
            tanggal_kejadian=data["tanggal_kejadian"],
            foto=data["foto"],
        )


class LacakForm(forms.Form):
    kode = forms.CharField(label="Kode lacak", max_length=12, min_length=8)

    def clean_kode(self):
        """The code as on the receipt, spaces and dashes aside: letters and digits only, as its address takes it."""
        kode = re.sub(r"[\s-]", "", self.cleaned_data["kode"]).upper()
        if not re.fullmatch(r"[0-9A-Z]{8,12}", kode):
            raise ValidationError("Kode lacak terdiri dari 8 sampai 12 huruf dan angka, seperti pada tanda terima.")
        return kode
