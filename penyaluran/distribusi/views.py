"""Distribution pages: realisation, reconciliation and bank-file imports. Every row comes through the gate
(`for_user`); a region outside the area answers 404, a missing right 403. The e-warong risk pages live in
monev.risiko."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Sum
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST, require_safe

from penyaluran.distribusi import bank_files, bank_kolom, profil, realisasi, rekonsiliasi
from penyaluran.distribusi.models import ImporBank, Periode, ProfilKolomBank, Realisasi, RekonsiliasiPeriode
from tikor import jobs
from tikor.audit import catat_ekspor
from tikor.formatting import angka
from tikor.jobs import JobStatus
from tikor.models import AuditLog, Bank, Wilayah
from tikor.nik import may_see_full_numbers
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
@require_safe
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
    queryset = realisasi.rows_for(user, periode, tingkat, induk)
    page = None
    if tingkat == Realisasi.Tingkat.EWARONG:
        # E-warong grow with the programme (2.530 at ten times DKI): a page of them, the total summed in SQL.
        page = page_of(request, queryset)
        rows = list(page.object_list)
        sums = queryset.aggregate(**{name: Sum(name) for name in realisasi.FIGURES})
        figures = {name: sums[name] or 0 for name in realisasi.FIGURES}
    else:
        rows = list(queryset)  # regions are a fixed few hundred at most
        figures = {name: sum(getattr(r, name) for r in rows) for name in realisasi.FIGURES}
    province = None
    if user.scope.everywhere and not induk and tingkat != Realisasi.Tingkat.EWARONG:
        # The province row also counts credits of NIKs outside the registry, which no region holds.
        province = realisasi.rows_for(user, periode, Realisasi.Tingkat.PROVINSI).first()
    total = province or Realisasi(nama="Jumlah", **figures)
    # A bank whose purchases arrived before (or without) its credits: the balance below would read negative.
    uncredited = (
        Realisasi.objects.for_user(user)
        .filter(periode=periode, tingkat=Realisasi.Tingkat.BANK, jumlah_disalurkan=0, jumlah_dibelanjakan__gt=0)
        .select_related("bank")
    )
    return render(
        request,
        "penyaluran/distribusi/realisasi.html",
        _context(
            request,
            periode,
            tanpa_kredit=list(uncredited),
            rows=rows,
            page=page,
            total=total,
            tingkat=tingkat,
            tingkat_label=Realisasi.Tingkat(tingkat).label,
            tingkat_list=[t for t in Realisasi.Tingkat if t != Realisasi.Tingkat.PROVINSI],
            anak=CHILD_LEVEL.get(tingkat),
            induk=induk_wilayah,
        ),
    )


@login_required
@require_safe
def rekonsiliasi_view(request):
    """The stored reconciliation of a period (counted after each import, rekonsiliasi.hitung): the count of
    every rule and a page of one rule's lines, as of when they were counted."""
    periode = chosen_periode(request)
    if periode is None:
        return render(request, "penyaluran/distribusi/kosong.html", _context(request, None))
    state, summary = rekonsiliasi.tersimpan(periode, request.user)
    kode = request.GET.get("aturan") or next((a.kode for a, n in summary if n), rekonsiliasi.ATURAN[0].kode)
    aturan = rekonsiliasi.BY_KODE.get(kode)
    if aturan is None:
        raise Http404("Aturan tidak dikenal.")
    page = page_of(request, rekonsiliasi.baris_tersimpan(aturan, periode, request.user), count=dict(summary)[aturan])
    return render(
        request,
        "penyaluran/distribusi/rekonsiliasi.html",
        _context(
            request,
            periode,
            ringkasan=summary,
            aturan=aturan,
            page=page,
            hitungan=state,
            may_recount=request.user.has_perm("penyaluran.add_transaksi"),
        ),
    )


@login_required
@require_POST
def rekonsiliasi_hitung(request):
    """Count a period's reconciliation again now, in the background (the secretariat, e.g. after changing the
    saldo mengendap threshold)."""
    _may_import(request.user)
    periode = chosen_periode(request)
    if periode is None:
        raise Http404("Belum ada periode.")
    from penyaluran.distribusi.tasks import hitung_rekonsiliasi

    try:
        hitung_rekonsiliasi.apply_async((periode.pk,), retry=False)
    except Exception:  # the broker is down: say so, nothing was changed
        messages.error(
            request, "Antrean pekerjaan sedang tidak tersedia; rekonsiliasi belum dihitung ulang. Coba lagi."
        )
    else:
        messages.info(request, f"Rekonsiliasi {periode} sedang dihitung ulang; muat ulang halaman ini sebentar lagi.")
    return redirect(f"{request.path.rsplit('hitung/', 1)[0]}?periode={periode.pk}")


@login_required
def rekonsiliasi_xlsx(request):
    periode = chosen_periode(request)
    if periode is None:
        raise Http404("Belum ada periode.")
    user = request.user
    state = RekonsiliasiPeriode.objects.filter(periode=periode).first()
    if state is None:
        raise Http404("Rekonsiliasi periode ini belum dihitung.")
    per_rule = {}  # the file's lines per rule, for the audit
    content = rekonsiliasi.xlsx(periode, user, counts=per_rule)
    catat_ekspor(
        user,
        "penyaluran.rekonsiliasi",
        sum(per_rule.values()),
        filter={"periode": f"{periode.tahun}-{periode.bulan:02d}", "saldo_hari": state.saldo_hari},
        dihitung_pada=state.dihitung_pada.isoformat(),
        aturan=per_rule,
        nik="lengkap" if may_see_full_numbers(user) else "disamarkan",
        format="xlsx",
        melalui="halaman rekonsiliasi",
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
            "outlets": bank_files.outlet_choices(job, request.user) if job.uji_coba and job.outlet_tak_dikenal else (),
            "may_roll_back": request.user.has_perm("penyaluran.delete_transaksi"),
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
    """Write a finished preview: a new job on the same file, once (a failed write can be tried again). Its
    warnings must have been read, and rows without an outlet allowed knowingly; otherwise nothing starts."""
    _may_import(request.user)
    preview = get_object_or_404(ImporBank, pk=pk, uji_coba=True, status=JobStatus.SELESAI)
    refusals = []
    if preview.peringatan and not request.POST.get("peringatan_diterima"):
        refusals.append("Baca dan centang peringatan pratinjau sebelum menyimpan.")
    without_outlet = bool(request.POST.get("izinkan_tanpa_outlet"))
    if preview.jumlah_tanpa_outlet and not without_outlet:
        refusals.append(
            f"{angka(preview.jumlah_tanpa_outlet)} transaksi belum cocok dengan outlet: petakan terminalnya, atau "
            "centang \u201csimpan tanpa outlet\u201d bila memang disengaja."
        )
    if refusals:
        messages.error(request, " ".join(refusals))
        return redirect("distribusi:impor_bank_detail", pk=preview.pk)
    try:
        job = jobs.save_from_preview(
            preview,
            lambda: bank_files.job_on_same_file(
                preview,
                user=request.user,
                dry_run=False,
                peringatan_diterima=bool(preview.peringatan),
                izinkan_tanpa_outlet=without_outlet and bool(preview.jumlah_tanpa_outlet),
            ),
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("distribusi:impor_bank_detail", pk=preview.pk)
    return redirect("distribusi:impor_bank_detail", pk=job.pk)


@login_required
@require_POST
def impor_bank_terminal(request, pk):
    """Map the preview's unknown outlet ids to e-warong or agen of its bank (new terminal registrations from the
    file's first month), then check the same file again in a new preview."""
    _may_import(request.user)
    preview = get_object_or_404(ImporBank.objects.select_related("bank"), pk=pk, uji_coba=True)
    unknown = {outlet for outlet, _rows in preview.outlet_tak_dikenal}
    try:
        mapped = bank_files.map_terminals(preview, request.POST, unknown, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("distribusi:impor_bank_detail", pk=preview.pk)
    if not mapped:
        messages.error(request, "Tidak ada terminal yang dipetakan: isi kode e-warong atau agen untuk terminalnya.")
        return redirect("distribusi:impor_bank_detail", pk=preview.pk)
    again = bank_files.job_on_same_file(preview, user=request.user, dry_run=True)
    jobs.send(again)
    messages.success(request, f"{angka(mapped)} terminal dipetakan; berkas diperiksa ulang.")
    return redirect("distribusi:impor_bank_detail", pk=again.pk)


@login_required
@require_POST
def impor_bank_batalkan(request, pk):
    """Roll back one saved bank-file import: exactly its rows, periods still open, audited."""
    _may_import(request.user)
    if not request.user.has_perm("penyaluran.delete_transaksi"):
        raise PermissionDenied
    job = get_object_or_404(ImporBank, pk=pk, uji_coba=False)
    if not request.POST.get("yakin"):
        messages.error(request, "Centang konfirmasi untuk membatalkan impor ini.")
        return redirect("distribusi:impor_bank_detail", pk=job.pk)
    try:
        deleted = bank_files.rollback(job, request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            f"Impor dibatalkan: {angka(deleted)} baris dihapus; ringkasan realisasi dan sinyal risiko diperbarui. "
            "Berkas yang sama dapat diimpor lagi.",
        )
    return redirect("distribusi:impor_bank_detail", pk=job.pk)


@login_required
@require_POST
def impor_bank_ulang(request, pk):
    """Run a failed bank-file job again, on the same file."""
    _may_import(request.user)
    return run_again_and_show(request, get_object_or_404(ImporBank, pk=pk), "distribusi:impor_bank_detail")


# --- bank-file profiles (secretariat) ----------------------------------------------------------------------------


def _may_edit_profiles(user):
    if not user.has_perm("penyaluran.change_profilkolombank"):
        raise PermissionDenied


@login_required
def profil_list(request):
    _may_edit_profiles(request.user)
    profiles = ProfilKolomBank.objects.select_related("bank").order_by("bank__kode", "jenis")
    return render(
        request,
        "penyaluran/distribusi/profil_list.html",
        {"profiles": profiles, "aktif": "profil", "labels": {j: bank_kolom.field_labels(j) for j in ImporBank.Jenis}},
    )


@login_required
def profil_edit(request, pk=None):
    """Make or change a bank's file profile from a sample file: read (show the columns and the first rows as
    the import reads them), then save, only when the sample reads without an error."""
    user = request.user
    _may_edit_profiles(user)
    instance = get_object_or_404(ProfilKolomBank, pk=pk) if pk else None
    headers, sample, header_row, problem = [], None, None, ""
    if request.method != "POST":
        form = profil.ProfilForm(instance=instance)
        return render(request, "penyaluran/distribusi/profil_form.html", {"form": form, "aktif": "profil"})
    data = request.POST.copy()
    if instance is None and str(data.get("bank", "")).isdigit():
        # One profile per bank and kind of file: a new one for an existing pair changes that one.
        instance = ProfilKolomBank.objects.filter(bank_id=int(data["bank"]), jenis=data.get("jenis")).first()
    form = profil.ProfilForm(data, request.FILES, instance=instance)
    if form.is_valid():
        if form.cleaned_data.get("contoh"):
            data["token"] = profil.keep_sample(user, form.cleaned_data["contoh"])
        path = profil.sample_path(user, data.get("token"))
        if path is None:
            problem = "Unggah berkas contoh dari bank: profil disimpan hanya bila berkas contohnya terbaca."
        else:
            try:
                header_row, headers = profil.header_of(form.profile(), path)
            except ValidationError as exc:
                problem = " ".join(exc.messages)
        form = profil.ProfilForm(data, instance=instance, headers=headers)
        if not problem and form.is_valid():
            profile = form.profile()
            try:
                header, sample = profil.read_sample(profile, path)
                header_row = header.row
            except ValidationError as exc:
                problem = " ".join(exc.messages)
            bad = [row for row in sample or () if row[2]]
            if sample is not None and not sample:
                problem = "Berkas contoh tidak berisi baris data di bawah baris judul."
            elif bad:
                problem = (
                    f"{len(bad)} dari {len(sample)} baris pertama tidak terbaca; periksa pilihan kolom dan format."
                )
            if not problem and request.POST.get("aksi") == "simpan":
                profile.save()
                path.unlink(missing_ok=True)
                AuditLog.objects.create(
                    pengguna=user,
                    aksi=AuditLog.Aksi.UBAH,
                    objek="penyaluran.profilkolombank",
                    jumlah_baris=1,
                    keterangan={"profil": profile.pk, "bank": profile.bank.kode, "jenis": profile.jenis,
                                "kolom": profile.kolom},
                )  # fmt: skip
                messages.success(request, f"Profil berkas {profile} disimpan; berkas contoh terbaca.")
                return redirect("distribusi:profil_list")
    return render(
        request,
        "penyaluran/distribusi/profil_form.html",
        {
            "form": form,
            "aktif": "profil",
            "header_row": header_row,
            "headers": headers,
            "sample": sample,
            "sample_columns": list(sample[0][1]) if sample and sample[0][1] else [],
            "problem": problem,
        },
    )
