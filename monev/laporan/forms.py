"""The form asking for a report: its kind and parameters, with choices drawn through the gate."""

import datetime

from django import forms
from django.db.models import Q

from monev.models import Laporan, today
from penyaluran.distribusi.models import Periode
from penyaluran.registri.models import EWarong
from tikor.formatting import NAMA_BULAN
from tikor.models import Bank, Tingkat, Wilayah

PROVINSI = "31"


def month_choices(months_back=12):
    """Months a report may cover, newest first: the last twelve months (monev, complaints) and every
    distribution period (realisation, reconciliation)."""
    first = today().replace(day=1)
    months = set()
    for _i in range(months_back):
        months.add(first)
        first = (first - datetime.timedelta(days=1)).replace(day=1)
    months.update(datetime.date(p.tahun, p.bulan, 1) for p in Periode.objects.only("tahun", "bulan"))
    return [(m.isoformat(), f"{NAMA_BULAN[m.month]} {m.year}") for m in sorted(months, reverse=True)]


class LaporanForm(forms.Form):
    jenis = forms.ChoiceField(label="Jenis laporan", choices=Laporan.Jenis.choices)
    bulan = forms.TypedChoiceField(label="Periode (bulan)", coerce=datetime.date.fromisoformat)
    wilayah = forms.ModelChoiceField(label="Wilayah", queryset=Wilayah.objects.none(), empty_label=None)
    bank = forms.ModelChoiceField(label="Bank", queryset=Bank.objects.all(), required=False, empty_label="Semua bank")
    ewarong = forms.ModelChoiceField(
        label="E-warong (untuk profil e-warong)",
        queryset=EWarong.objects.none(),
        required=False,
        empty_label="— pilih e-warong —",
    )

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["bulan"].choices = month_choices()
        latest = Periode.objects.order_by("-tahun", "-bulan").first()
        if latest is not None:
            # The month of the latest distribution: realisation, the first kind offered, has figures for it.
            self.fields["bulan"].initial = datetime.date(latest.tahun, latest.bulan, 1).isoformat()
        # Areas down to kecamatan inside the user's own area; the province only for those who see all of it.
        areas = Wilayah.objects.for_user(user).filter(tingkat__in=[Tingkat.KOTA, Tingkat.KECAMATAN])
        if user.scope.everywhere:
            areas = Wilayah.objects.filter(Q(kode=PROVINSI) | Q(pk__in=areas.values("pk")))
        self.fields["wilayah"].queryset = areas.order_by("kode")
        self.fields["ewarong"].queryset = EWarong.objects.for_user(user).order_by("nama")
        if user.bank_id:
            # A bank's staff get their own bank's figures, always.
            self.fields["bank"].queryset = Bank.objects.filter(pk=user.bank_id)
            self.fields["bank"].empty_label = None
            self.fields["bank"].disabled = True
            self.fields["bank"].initial = user.bank_id

    def clean(self):
        data = super().clean()
        needs_credits = data.get("jenis") in (Laporan.Jenis.REALISASI, Laporan.Jenis.REKONSILIASI)
        bulan = data.get("bulan")
        if needs_credits and bulan and not Periode.objects.filter(tahun=bulan.year, bulan=bulan.month).exists():
            self.add_error("bulan", "Belum ada data penyaluran untuk bulan ini; pilih bulan yang sudah diimpor.")
        if data.get("jenis") == Laporan.Jenis.EWARONG and not data.get("ewarong"):
            self.add_error("ewarong", "Pilih e-warong yang profilnya dibuat.")
        if data.get("jenis") != Laporan.Jenis.EWARONG:
            data["ewarong"] = None
        return data
