"""Distribution pages: realisation, reconciliation and bank-file imports. Every row comes through the gate
(`for_user`); a region outside the area answers 404, a missing right 403. The e-warong risk pages live in
monev.risiko."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from penyaluran.distribusi import bank_files, realisasi, rekonsiliasi
from penyaluran.distribusi.models import ImporBank, Periode, Realisasi
from penyaluran.distribusi.parameters import parameters as risk_parameters
from tikor import jobs
from tikor.jobs import JobStatus
from tikor.models import AuditLog, Bank, Wilayah
from tikor.shortcuts import get_scoped_or_404, job_file_download, page_of, run_again_and_show
from tikor.uploads import import_upload_size

REGION_LEVELS = (Realisasi.Tingkat.KOTA, Realisasi.Tingkat.KECAMATAN, Realisasi.Tingkat.KELURAHAN)
CHILD_LEVEL = {
    Realisasi.Tingkat.KOTA: Realisasi.Tingkat.KECAMATAN,
    Realisasi.Tingkat.KECAMATAN: Realisasi.Tingkat.KELURAHAN,
}


def chosen_periode(request):
    """The period in ?periode=, else the latest one; None when there is no period yet."""
    periods = Periode.objects.order_by("-tahun", "-bulan")
    if request.GET.get("periode"):
        try:
            return periods.get(pk=int(request.GET["periode"]))
        except (ValueError, Periode.DoesNotExist) as exc:
            raise Http404("Periode tidak ditemukan.") from exc
    return periods.first()


def _context(request, periode, **extra):
    return {"periode": periode, "periode_list": Periode.objects.order_by("-tahun", "-bulan"), **extra}


def _default_level(user):
    """The highest region level the user sees whole: kota for province-wide and kota staff, else kecamatan."""
    if user.scope.everywhere:
        return Realisasi.Tingkat.KOTA
    levels = {w.tingkat for w in user.wilayah.all()}
    return Realisasi.Tingkat.KOTA if "kota" in levels else Realisasi.Tingkat.KECAMATAN


@login_required
def realisasi_view(request):
    periode = chosen_periode(request)
    if periode is None:
        return render(request, "penyaluran/distribusi/kosong.html", _context(request, None))
    user = request.user
    tingkat = request.GET.get("tingkat") or _default_level(user)
    if tingkat not in Realisasi.Tingkat.values or tingkat == Realisasi.Tingkat.PROVINSI:
        raise Http404("Tingkat tidak dikenal.")
    induk = request.GET.get("induk") or None
    induk_wilayah = None
    if induk:
        induk_wilayah = get_scoped_or_404(Wilayah, user, kode=induk)
    rows = list(realisasi.rows_for(user, periode, tingkat, induk))
    province = None
    if user.scope.everywhere and not induk and tingkat != Realisasi.Tingkat.EWARONG:
        # The province row also counts credits of NIKs outside the registry, which no region holds.
        province = realisasi.rows_for(user, periode, Realisasi.Tingkat.PROVINSI).first()
    total = province or Realisasi(
        nama="Jumlah",
        kpm_disalurkan=sum(r.kpm_disalurkan for r in rows),
        jumlah_disalurkan=sum(r.jumlah_disalurkan for r in rows),
        jumlah_dibelanjakan=sum(r.jumlah_dibelanjakan for r in rows),
        jumlah_transaksi=sum(r.jumlah_transaksi for r in rows),
    )
    return render(
        request,
        "penyaluran/distribusi/realisasi.html",
        _context(
            request,
            periode,
            rows=rows,
            total=total,
            tingkat=tingkat,
            tingkat_label=Realisasi.Tingkat(tingkat).label,
            tingkat_list=[t for t in Realisasi.Tingkat if t != Realisasi.Tingkat.PROVINSI],
            anak=CHILD_LEVEL.get(tingkat),
            induk=induk_wilayah,
        ),
    )


@login_required
def rekonsiliasi_view(request):
    periode = chosen_periode(request)
    if periode is None:
        return render(request, "penyaluran/distribusi/kosong.html", _context(request, None))
    saldo_hari = int(risk_parameters()["rekonsiliasi_saldo_hari"])
    summary = rekonsiliasi.ringkasan(periode, request.user, saldo_hari=saldo_hari)
    kode = request.GET.get("aturan") or next((a.kode for a, n in summary if n), rekonsiliasi.ATURAN[0].kode)
    aturan = rekonsiliasi.BY_KODE.get(kode)
    if aturan is None:
        raise Http404("Aturan tidak dikenal.")
    page = page_of(request, aturan.rows(periode, request.user, saldo_hari=saldo_hari))
    show_nik = request.user.can_see_full_nik
    lines = [aturan.line(row, periode, show_nik) for row in page.object_list]
    return render(
        request,
        "penyaluran/distribusi/rekonsiliasi.html",
        _context(request, periode, ringkasan=summary, aturan=aturan, page=page, lines=lines, saldo_hari=saldo_hari),
    )


@login_required
def rekonsiliasi_xlsx(request):
    periode = chosen_periode(request)
    if periode is None:
        raise Http404("Belum ada periode.")
    user = request.user
    saldo_hari = int(risk_parameters()["rekonsiliasi_saldo_hari"])
    per_rule = {}  # the file's lines per rule, for the audit
    content = rekonsiliasi.xlsx(periode, user, saldo_hari=saldo_hari, counts=per_rule)
    AuditLog.objects.create(
        pengguna=user,
        aksi=AuditLog.Aksi.EKSPOR,
        objek="penyaluran.rekonsiliasi",
        jumlah_baris=sum(per_rule.values()),
        keterangan={
            "filter": {"periode": f"{periode.tahun}-{periode.bulan:02d}", "saldo_hari": saldo_hari},
            "aturan": per_rule,
            "nik": "lengkap" if user.can_see_full_nik else "disamarkan",
            "format": "xlsx",
            "melalui": "halaman rekonsiliasi",
        },
    )
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="rekonsiliasi-{periode.tahun}-{periode.bulan:02d}.xlsx"'
    return response


# --- bank-file import (secretariat) --------------------------------------------------------------------------


class ImporBankForm(forms.Form):
    bank = forms.ModelChoiceField(label="Bank", queryset=Bank.objects.all())
    jenis = forms.ChoiceField(label="Jenis berkas", choices=ImporBank.Jenis.choices)
    berkas = forms.FileField(
        label="Berkas CSV atau XLSX", help_text=import_upload_size.help_text, validators=[import_upload_size]
    )
    lewati_tidak_valid = forms.BooleanField(
        label="Lewati baris yang tidak valid",
        required=False,
        help_text="Tanpa pilihan ini, satu baris tidak valid membatalkan seluruh impor.",
    )

    def clean_berkas(self):
        berkas = self.cleaned_data["berkas"]
        if not berkas.name.lower().endswith((".xlsx", ".xlsm", ".csv", ".txt")):
            raise forms.ValidationError("Gunakan berkas XLSX atau CSV.")
        return berkas


def _may_import(user):
    if not user.has_perm("penyaluran.add_transaksi"):
        raise PermissionDenied


@login_required
def impor_bank(request):
    _may_import(request.user)
    form = ImporBankForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        job = bank_files.create_job(
            data["bank"], data["jenis"], data["berkas"], user=request.user, skip_invalid=data["lewati_tidak_valid"]
        )
        jobs.send(job)
        return redirect("distribusi:impor_bank_detail", pk=job.pk)
    recent = ImporBank.objects.select_related("bank", "dibuat_oleh")[:20]
    return render(request, "penyaluran/distribusi/impor_bank.html", {"form": form, "jobs": recent})


@login_required
def impor_bank_detail(request, pk):
    _may_import(request.user)
    job = get_object_or_404(ImporBank.objects.select_related("bank"), pk=pk)
    template = (
        "penyaluran/distribusi/_impor_bank_status.html"
        if request.htmx
        else "penyaluran/distribusi/impor_bank_detail.html"
    )
    return render(
        request,
        template,
        {
            "job": job,
            "berjalan": not job.selesai_berjalan,
            "saved_as": jobs.written_from(job) if job.uji_coba else None,
        },
    )


@login_required
def impor_bank_baris_ditolak(request, pk):
    _may_import(request.user)
    job = get_object_or_404(ImporBank, pk=pk)
    return job_file_download(request.user, job, job.berkas_kesalahan, job.jumlah_tidak_valid)


@login_required
@require_POST
def impor_bank_simpan(request, pk):
    """Write a finished preview: a new job on the same file, once (a failed write can be tried again)."""
    _may_import(request.user)
    preview = get_object_or_404(ImporBank, pk=pk, uji_coba=True, status=JobStatus.SELESAI)
    try:
        job = jobs.save_from_preview(
            preview,
            lambda: ImporBank.objects.create(
                bank=preview.bank,
                jenis=preview.jenis,
                berkas=preview.berkas.name,
                nama_berkas=preview.nama_berkas,
                uji_coba=False,
                lewati_tidak_valid=preview.lewati_tidak_valid,
                pratinjau=preview,
                dibuat_oleh=request.user,
            ),
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("distribusi:impor_bank_detail", pk=preview.pk)
    return redirect("distribusi:impor_bank_detail", pk=job.pk)


@login_required
@require_POST
def impor_bank_ulang(request, pk):
    """Run a failed bank-file job again, on the same file."""
    _may_import(request.user)
    return run_again_and_show(request, get_object_or_404(ImporBank, pk=pk), "distribusi:impor_bank_detail")
