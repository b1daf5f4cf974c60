"""The bank-file profile form: the secretariat uploads a sample file, picks which of its columns holds each
field, and sees the first rows as the import will read them. The profile is saved only when the sample reads.

The sample is kept between the two steps in the media folder under a random name owned by the user
(PROFILE_SAMPLES), and is removed when the profile is saved.
"""

import datetime
import time
import uuid
from pathlib import Path

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError

from penyaluran.distribusi.bank_kolom import KOLOM, RowCheck, find_bank_header
from penyaluran.distribusi.models import ProfilKolomBank
from penyaluran.importing.cells import text
from penyaluran.importing.readers import iter_rows
from tikor.formatting import JAKARTA, rupiah, tanggal
from tikor.nik import mask_nik
from tikor.uploads import import_upload_size

SAMPLE_ROWS = 20
PROFILE_SAMPLES = "profil-contoh"
SAMPLE_SUFFIXES = (".csv", ".txt", ".xlsx", ".xlsm")
SAMPLE_KEPT_SECONDS = 24 * 3600


class _AnyOpenPeriod(dict):
    """Every month as an open period: a sample is read for its layout, whatever months it holds."""

    class _Open:
        pk = 0
        tertutup = False

    def get(self, key, default=None):
        return self._Open()


def _sample_dir(user):
    return Path(settings.MEDIA_ROOT) / PROFILE_SAMPLES / str(user.pk)


def keep_sample(user, uploaded):
    """Store an uploaded sample for the next step; returns its token (the file name). The user's samples older
    than SAMPLE_KEPT_SECONDS (a profile never saved) are removed on the way."""
    suffix = Path(uploaded.name).suffix.lower()
    folder = _sample_dir(user)
    folder.mkdir(parents=True, exist_ok=True)
    stale = time.time() - SAMPLE_KEPT_SECONDS
    for old in folder.iterdir():
        if old.is_file() and old.stat().st_mtime < stale:
            old.unlink(missing_ok=True)
    token = f"{uuid.uuid4().hex}{suffix}"
    with open(folder / token, "wb") as out:
        for chunk in uploaded.chunks():
            out.write(chunk)
    return token


def sample_path(user, token):
    """The path of a kept sample, or None for a token that is not one of this user's samples."""
    name = Path(token or "").name
    if name != token or not name or Path(name).suffix not in SAMPLE_SUFFIXES:
        return None
    path = _sample_dir(user) / name
    return path if path.is_file() else None


def header_of(profile, path):
    """The header's row number and its column headers, as the profile's delimiter and encoding read them; the
    header is the profile's row, else the first row naming the required columns, else the first non-empty row."""
    rows = iter_rows(path, path.name, delimiter=profile.delimiter, encoding=profile.pengodean or None)
    try:
        header = find_bank_header(profile, rows)
        return header.row, [text(c) for c in header.cells]
    except ValidationError:
        for row_number, cells in iter_rows(path, path.name, delimiter=profile.delimiter,
                                           encoding=profile.pengodean or None):  # fmt: skip
            if row_number >= (profile.baris_judul or 1) and any(text(c) for c in cells):
                return row_number, [text(c) for c in cells]
    raise ValidationError("Berkas contoh kosong: tidak ada baris judul.")


def read_sample(profile, path):
    """The first SAMPLE_ROWS data rows as the import reads them: (header row, [(row, values or None, errors)]).

    Raises ValidationError when the header lacks a required column."""
    rows = iter_rows(path, path.name, delimiter=profile.delimiter, encoding=profile.pengodean or None)
    header = find_bank_header(profile, rows)
    check = RowCheck(profile, header.cells, header.columns, _AnyOpenPeriod())
    check.fast_index = None  # every row through the full check, which names every problem
    read = []
    for row_number, cells in rows:
        if not any(text(c) for c in cells):
            continue
        values, errors = check(row_number, cells)
        read.append((row_number, _shown(profile.jenis, values) if values else None, [str(e) for e in errors]))
        if len(read) >= SAMPLE_ROWS:
            break
    return header, read


def _moment(value):
    moment = datetime.datetime.fromisoformat(value)
    if moment.tzinfo is None:  # SQLite's UTC text
        moment = moment.replace(tzinfo=datetime.UTC)
    return tanggal(moment.astimezone(JAKARTA), with_time=True)


def _shown(jenis, values):
    """One checked row as the preview shows it: dates in Indonesian, amounts in rupiah, NIK masked."""
    if jenis == ProfilKolomBank.Jenis.TRANSAKSI:
        _row, _periode, ref, kks, nik, terminal, kode, waktu, jumlah = values
        return {
            "Referensi": ref,
            "Waktu": _moment(waktu),
            "Jumlah": rupiah(jumlah),
            "KKS": kks,
            "NIK": mask_nik(nik) if nik else "",
            "Terminal": terminal,
            "Kode outlet": kode,
        }
    _row, _periode, ref, kks, nik, day, jumlah, status, kanal, _dibagikan = values
    return {
        "Referensi": ref,
        "Tanggal": tanggal(datetime.date.fromisoformat(day)),
        "Jumlah": rupiah(jumlah),
        "KKS": kks,
        "NIK": mask_nik(nik) if nik else "",
        "Status": status,
        "Kanal": kanal,
    }


class ProfilForm(forms.ModelForm):
    """The profile's settings, then one choice per field among the sample's headers."""

    contoh = forms.FileField(
        label="Berkas contoh dari bank",
        required=False,
        help_text=f"CSV atau XLSX seperti yang dikirim bank. {import_upload_size.help_text}",
        validators=[import_upload_size],
    )
    token = forms.CharField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = ProfilKolomBank
        fields = ["bank", "jenis", "pemisah", "pengodean", "baris_judul", "format_waktu", "format_jam", "notasi_jumlah"]

    def __init__(self, *args, headers=(), **kwargs):
        super().__init__(*args, **kwargs)
        jenis = self.data.get("jenis") or self.initial.get("jenis") or self.instance.jenis
        if jenis not in ProfilKolomBank.Jenis.values:
            jenis = ProfilKolomBank.Jenis.TRANSAKSI  # an unknown kind is refused, by name, by the jenis field
        self.columns = KOLOM[ProfilKolomBank.Jenis(jenis)]
        choices = [("", "— cari dari ejaan umum —")] + [(h, h) for h in dict.fromkeys(headers) if h]
        self.headers = [h for h in dict.fromkeys(headers) if h]
        saved = self.instance.kolom or {}
        for column in self.columns:
            current = self.data.get(f"kolom_{column.name}", saved.get(column.name, ""))
            extra = [(current, current)] if current and current not in self.headers else []
            self.fields[f"kolom_{column.name}"] = forms.CharField(
                label=column.header + (" *" if column.required else ""),
                required=False,
                initial=saved.get(column.name, ""),
                widget=forms.Select(choices=choices + extra, attrs={"class": "form-select form-select-sm"}),
            )
        for name, field in self.fields.items():
            if not name.startswith("kolom_") and not isinstance(field.widget, forms.HiddenInput):
                field.widget.attrs.setdefault(
                    "class", "form-select" if isinstance(field.widget, forms.Select) else "form-control"
                )
        self.fields["format_waktu"].widget.attrs["placeholder"] = "%d/%m/%Y %H:%M:%S"
        self.fields["format_jam"].widget.attrs["placeholder"] = "%H:%M:%S"

    def kolom_fields(self):
        return [self[f"kolom_{c.name}"] for c in self.columns]

    def clean_contoh(self):
        contoh = self.cleaned_data.get("contoh")
        if contoh and not contoh.name.lower().endswith(SAMPLE_SUFFIXES):
            raise forms.ValidationError("Gunakan berkas XLSX atau CSV.")
        return contoh

    def clean(self):
        data = super().clean()
        data["kolom"] = {c.name: data[f"kolom_{c.name}"] for c in self.columns if data.get(f"kolom_{c.name}")}
        if self.headers:
            absent = sorted(h for h in data["kolom"].values() if h not in self.headers)
            if absent:
                raise forms.ValidationError(f"Kolom tidak ada di baris judul berkas contoh: {', '.join(absent)}.")
        chosen = list(data["kolom"].values())
        repeated = sorted({h for h in chosen if chosen.count(h) > 1})
        if repeated:
            raise forms.ValidationError(f"Satu kolom berkas hanya untuk satu isian: {', '.join(repeated)}.")
        for name in ("format_waktu", "format_jam"):
            fmt = data.get(name)
            if fmt and "%" not in fmt:
                self.add_error(name, "Tulis format dengan kode strftime, mis. %d/%m/%Y %H:%M:%S.")
        return data

    def profile(self):
        """The profile as filled in, unsaved."""
        profile = self.instance
        for name in self._meta.fields:
            if name in self.cleaned_data:
                setattr(profile, name, self.cleaned_data[name])
        profile.kolom = self.cleaned_data.get("kolom", {})
        return profile
