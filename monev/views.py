"""Monev pages. Every object is fetched through the gate first (outside the area: 404), then the right is
checked (inside the area without it: 403)."""

import json
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from monev import complaints, findings, sanctions, scoring
from monev.forms import (
    FotoForm,
    KunjunganForm,
    PengaduanForm,
    PenugasanMassalForm,
    TanggapanForm,
    TemuanForm,
    TindakLanjutForm,
    TutupTindakLanjutForm,
    VerifikasiForm,
)
from monev.models import (
    Aspek,
    Dokumen,
    Foto,
    HargaAcuan,
    Instrumen,
    Kunjungan,
    Pengaduan,
    Penugasan,
    Temuan,
    TindakLanjut,
)
from monev.visits import DuplicateElsewhere, PhotoTooLarge, receive_visit, store_photo
from penyaluran.registri.models import EWarong, Penyedia
from tikor.models import AuditLog

PER_PAGE = 50


def scoped_or_404(model, user, **lookup):
    return get_object_or_404(model.objects.for_user(user), **lookup)


def require(user, perm):
    if not user.has_perm(perm):
        raise PermissionDenied


def page_of(request, queryset):
    return Paginator(queryset, PER_PAGE).get_page(request.GET.get("halaman"))


def audit_download(user, obj, **details):
    """A file served to a person (a visit photo, a document) leaves a row in the audit log."""
    AuditLog.objects.create(
        pengguna=user, aksi=AuditLog.Aksi.EKSPOR, objek=obj._meta.label_lower, jumlah_baris=1, keterangan=details
    )


def service_worker(request):
    """Serve static/js/sw.js from /monev/ so its scope covers the monev pages."""
    path = finders.find("js/sw.js")
    response = FileResponse(open(path, "rb"), content_type="text/javascript")  # noqa: SIM115 - FileResponse closes it
    response["Cache-Control"] = "no-cache"
    return response


@login_required
def beranda(request):
    user = request.user
    penugasan = Penugasan.objects.for_user(user).terbuka().select_related("ewarong", "instrumen", "petugas")
    context = {
        "penugasan": penugasan[:20],
        "jumlah": {
            "penugasan": penugasan.count(),
            "temuan_terbuka": Temuan.objects.for_user(user).terbuka().count(),
            "temuan_terlambat": Temuan.objects.for_user(user).terlambat().count(),
            "tindak_lanjut_terlambat": TindakLanjut.objects.for_user(user).terlambat().count(),
            "pengaduan_terbuka": Pengaduan.objects.for_user(user).terbuka().count(),
            "pengaduan_berulang": Pengaduan.objects.for_user(user).terbuka().berulang().count(),
            "menunggu_verifikasi": Kunjungan.objects.for_user(user).filter(status=Kunjungan.Status.DIKIRIM).count(),
        },
    }
    return render(request, "monev/beranda.html", context)


# --- Assignments and visits -------------------------------------------------------------------------------------


@login_required
def penugasan_list(request):
    qs = Penugasan.objects.for_user(request.user).select_related("ewarong", "instrumen", "petugas", "tim")
    status = request.GET.get("status", Penugasan.Status.TERBUKA)
    if status:
        qs = qs.filter(status=status)
    return render(
        request,
        "monev/penugasan_list.html",
        {"page": page_of(request, qs), "status": status, "statuses": Penugasan.Status.choices},
    )


@login_required
def penugasan_baru(request):
    """The secretariat assigns visits to many e-warong in one go; all or none are created."""
    require(request.user, "monev.add_penugasan")
    form = PenugasanMassalForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        assignments, errors = form.build()
        if errors:
            for error in errors:
                form.add_error(None, error)
        else:
            Penugasan.objects.bulk_create(assignments)
            messages.success(request, f"{len(assignments)} penugasan dibuat.")
            return redirect("monev:penugasan_list")
    return render(request, "monev/form.html", {"form": form, "judul": "Buat penugasan"})


@login_required
def penugasan_detail(request, pk):
    penugasan = scoped_or_404(Penugasan, request.user, pk=pk)
    sampel = penugasan.sampel_kpm(request.user) if penugasan.instrumen.jenis == Instrumen.Jenis.KPM else None
    kunjungan = penugasan.kunjungan.select_related("petugas", "kpm")
    return render(
        request,
        "monev/penugasan_detail.html",
        {"penugasan": penugasan, "sampel": sampel, "kunjungan": kunjungan},
    )


@login_required
def kunjungan_isi(request, pk):
    """The mobile visit form: one section per screen, filled offline-first by static/js/kunjungan-form.js."""
    penugasan = scoped_or_404(Penugasan, request.user, pk=pk)
    require(request.user, "monev.add_kunjungan")
    if penugasan.status != Penugasan.Status.TERBUKA:
        messages.info(request, "Penugasan ini sudah ditutup; formulir tidak dapat diisi lagi.")
        return redirect(penugasan)
    bagian = penugasan.instrumen.bagian.prefetch_related("pertanyaan")
    sampel = penugasan.sampel_kpm(request.user) if penugasan.instrumen.jenis == Instrumen.Jenis.KPM else None
    return render(
        request,
        "monev/kunjungan_form.html",
        {"penugasan": penugasan, "bagian": bagian, "sampel": sampel},
    )


def _form_data(payload):
    """The phone sends {"uuid", "tanggal", "kpm", "lokasi": {...}, "jawaban": {kode: nilai}, "keterangan": {...}}."""

    def mapping(key):
        value = payload.get(key)
        return value if isinstance(value, dict) else {}

    lokasi = mapping("lokasi")
    data = {
        "uuid": payload.get("uuid"),
        "tanggal": payload.get("tanggal"),
        "kpm": payload.get("kpm") or "",
        "latitude": lokasi.get("lat", ""),
        "longitude": lokasi.get("lng", ""),
        "akurasi_gps": lokasi.get("akurasi", ""),
        "catatan": payload.get("catatan", ""),
    }
    for kode, nilai in mapping("jawaban").items():
        data[f"q_{kode}"] = "" if nilai is None else nilai
    for kode, note in mapping("keterangan").items():
        data[f"k_{kode}"] = note or ""
    return {key: ("" if value is None else value) for key, value in data.items()}


def _is_uuid(value):
    try:
        UUID(str(value))
    except (TypeError, ValueError):
        return False
    return True


@login_required
@require_POST
def kunjungan_kirim(request, pk):
    """Receive a visit as JSON; the same uuid twice is stored once (200 the second time, 201 the first)."""
    penugasan = scoped_or_404(Penugasan, request.user, pk=pk)
    require(request.user, "monev.add_kunjungan")
    try:
        payload = json.loads(request.body)
        if not isinstance(payload, dict):
            raise ValueError
    except ValueError:
        return JsonResponse({"pesan": "Data kunjungan tidak dapat dibaca."}, status=400)
    form = KunjunganForm(_form_data(payload), penugasan=penugasan, user=request.user)
    known = (
        _is_uuid(form.data["uuid"]) and Kunjungan.objects.filter(uuid=form.data["uuid"], penugasan=penugasan).exists()
    )
    if penugasan.status != Penugasan.Status.TERBUKA and not known:
        # A retry of a visit that arrived before the assignment closed still gets its answer below.
        return JsonResponse({"pesan": "Penugasan ini sudah ditutup."}, status=400)
    if not form.is_valid():
        errors = {name.removeprefix("q_"): [str(e) for e in errs] for name, errs in form.errors.items()}
        return JsonResponse({"pesan": "Periksa kembali isian kunjungan.", "galat": errors}, status=400)
    try:
        kunjungan, created = receive_visit(form, request.user)
    except DuplicateElsewhere:
        return JsonResponse({"pesan": "Kode kunjungan sudah dipakai untuk penugasan lain."}, status=409)
    body = {
        "id": kunjungan.pk,
        "uuid": str(kunjungan.uuid),
        "url": kunjungan.get_absolute_url(),
        "status": kunjungan.status,
        "baru": created,
        "jarak_ewarong": kunjungan.jarak_ewarong,
        "jauh": kunjungan.jauh_dari_ewarong,
        "temuan": kunjungan.temuan.count(),
    }
    return JsonResponse(body, status=201 if created else 200)


@login_required
@require_POST
def foto_unggah(request, uuid):
    kunjungan = scoped_or_404(Kunjungan, request.user, uuid=uuid)
    require(request.user, "monev.add_kunjungan")
    form = FotoForm(request.POST, request.FILES)
    if not form.is_valid():
        return JsonResponse({"pesan": " ".join(e for errs in form.errors.values() for e in errs)}, status=400)
    verified = kunjungan.status == Kunjungan.Status.TERVERIFIKASI
    if verified and not kunjungan.foto.filter(uuid=form.cleaned_data["uuid"]).exists():
        # A verified visit is the evidence as reviewed; a retry of a photo it already holds still gets its answer.
        return JsonResponse(
            {"pesan": "Kunjungan ini sudah diverifikasi; foto tidak dapat ditambahkan lagi."}, status=409
        )
    try:
        foto, created = store_photo(kunjungan, form)
    except PhotoTooLarge as error:
        return JsonResponse({"pesan": str(error)}, status=413)
    if foto.kunjungan_id != kunjungan.pk:
        # The uuid names a photo of another visit, perhaps one this user may not see: tell nothing about it.
        return JsonResponse({"pesan": "Kode foto sudah dipakai untuk kunjungan lain."}, status=409)
    return JsonResponse({"id": foto.pk, "baru": created}, status=201 if created else 200)


@login_required
def foto_berkas(request, uuid):
    foto = scoped_or_404(Foto, request.user, uuid=uuid)
    berkas = foto.berkas.open("rb")
    audit_download(request.user, foto, foto=str(foto.uuid), kunjungan=foto.kunjungan_id)
    return FileResponse(berkas, content_type="image/jpeg")


@login_required
def kunjungan_list(request):
    qs = Kunjungan.objects.for_user(request.user).select_related("ewarong", "petugas", "instrumen", "kpm")
    status = request.GET.get("status", "")
    if status:
        qs = qs.filter(status=status)
    return render(
        request,
        "monev/kunjungan_list.html",
        {"page": page_of(request, qs), "status": status, "statuses": Kunjungan.Status.choices},
    )


@login_required
def kunjungan_detail(request, pk):
    kunjungan = scoped_or_404(Kunjungan, request.user, pk=pk)
    skor = {s.aspek: s for s in kunjungan.skor.all()}
    context = {
        "kunjungan": kunjungan,
        "jawaban": kunjungan.jawaban.select_related("pertanyaan__bagian").order_by(
            "pertanyaan__bagian__urutan", "pertanyaan__urutan"
        ),
        "skor": [(label, skor.get(value)) for value, label in Aspek.choices],
        "foto": kunjungan.foto.select_related("pertanyaan"),
        "temuan": kunjungan.temuan.all(),
        "verifikasi_form": VerifikasiForm(),
        "boleh_verifikasi": request.user.has_perm("monev.verifikasi_kunjungan")
        and kunjungan.status == Kunjungan.Status.DIKIRIM,
    }
    return render(request, "monev/kunjungan_detail.html", context)


@login_required
@require_POST
def kunjungan_verifikasi(request, pk):
    kunjungan = scoped_or_404(Kunjungan, request.user, pk=pk)
    require(request.user, "monev.verifikasi_kunjungan")
    form = VerifikasiForm(request.POST)
    if form.is_valid():
        try:
            if form.cleaned_data["keputusan"] == "verifikasi":
                kunjungan.verifikasi(request.user)
                messages.success(request, "Kunjungan diverifikasi.")
            else:
                kunjungan.kembalikan(request.user, form.cleaned_data["catatan"])
                messages.success(request, "Kunjungan dikembalikan kepada petugas.")
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    else:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return redirect(kunjungan)


# --- Findings and follow-up -------------------------------------------------------------------------------------


@login_required
def temuan_list(request):
    qs = Temuan.objects.for_user(request.user).select_related("ewarong")
    filter_ = request.GET.get("filter", "terbuka")
    if filter_ == "terbuka":
        qs = qs.terbuka()
    elif filter_ == "terlambat":
        qs = qs.terlambat()
    keparahan = request.GET.get("keparahan", "")
    if keparahan:
        qs = qs.filter(keparahan=keparahan)
    return render(request, "monev/temuan_list.html", {"page": page_of(request, qs), "filter": filter_})


@login_required
def temuan_baru(request):
    require(request.user, "monev.add_temuan")
    form = TemuanForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        temuan = form.save(commit=False)
        temuan.dibuat_oleh = request.user
        temuan.sumber = Temuan.Sumber.MANUAL
        temuan.save()
        messages.success(request, "Temuan dicatat.")
        return redirect(temuan)
    return render(request, "monev/form.html", {"form": form, "judul": "Catat temuan"})


@login_required
def temuan_detail(request, pk):
    temuan = scoped_or_404(Temuan, request.user, pk=pk)
    return render(
        request,
        "monev/temuan_detail.html",
        {
            "temuan": temuan,
            "tindak_lanjut": temuan.tindak_lanjut.prefetch_related("kunjungan_ulang"),
            "form": TindakLanjutForm(user=request.user),
            "tutup_form": TutupTindakLanjutForm(),
            "boleh_ubah": request.user.has_perm("monev.add_tindaklanjut"),
        },
    )


@login_required
@require_POST
def tindak_lanjut_baru(request, pk):
    temuan = scoped_or_404(Temuan, request.user, pk=pk)
    require(request.user, "monev.add_tindaklanjut")
    form = TindakLanjutForm(request.POST, request.FILES, user=request.user)
    if form.is_valid():
        findings.add_action(temuan, request.user, **form.cleaned_data)
        messages.success(request, "Tindak lanjut dicatat.")
        return redirect(temuan)
    return render(
        request,
        "monev/temuan_detail.html",
        {"temuan": temuan, "tindak_lanjut": temuan.tindak_lanjut.all(), "form": form, "boleh_ubah": True},
        status=400,
    )


@login_required
@require_POST
def tindak_lanjut_tutup(request, pk):
    action = scoped_or_404(TindakLanjut, request.user, pk=pk)
    require(request.user, "monev.change_tindaklanjut")
    form = TutupTindakLanjutForm(request.POST)
    if action.status == TindakLanjut.Status.SELESAI:
        messages.error(request, "Tindak lanjut ini sudah ditutup.")
    elif form.is_valid():
        penugasan = findings.close_action(action, request.user, form.cleaned_data["catatan"])
        messages.success(
            request,
            f"Tindak lanjut ditutup. Kunjungan ulang dijadwalkan paling lambat {penugasan.batas_waktu:%d-%m-%Y}.",
        )
    else:
        messages.error(request, "Tuliskan catatan penutupan.")
    return redirect(action.temuan)


@login_required
def tindak_lanjut_terlambat(request):
    qs = TindakLanjut.objects.for_user(request.user).terlambat().select_related("temuan__ewarong")
    return render(request, "monev/tindak_lanjut_terlambat.html", {"page": page_of(request, qs)})


# --- Complaints -------------------------------------------------------------------------------------------------


@login_required
def pengaduan_list(request):
    qs = Pengaduan.objects.for_user(request.user).select_related("ewarong", "ditugaskan_ke")
    filter_ = request.GET.get("filter", "terbuka")
    if filter_ == "terbuka":
        qs = qs.terbuka()
    elif filter_ == "terlambat":
        qs = qs.terlambat()
    elif filter_ == "berulang":
        qs = qs.berulang()
    return render(request, "monev/pengaduan_list.html", {"page": page_of(request, qs), "filter": filter_})


@login_required
def pengaduan_baru(request):
    require(request.user, "monev.add_pengaduan")
    form = PengaduanForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        pengaduan = complaints.record_complaint(form.save(commit=False), request.user)
        messages.success(request, f"Pengaduan {pengaduan.nomor} dicatat.")
        if pengaduan.berulang:
            messages.warning(request, "Perhatian: e-warong ini sudah berulang kali diadukan dalam 30 hari terakhir.")
        return redirect(pengaduan)
    return render(request, "monev/form.html", {"form": form, "judul": "Catat pengaduan"})


@login_required
def pengaduan_detail(request, pk):
    pengaduan = scoped_or_404(Pengaduan, request.user, pk=pk)
    form = TanggapanForm(initial={"status": pengaduan.status, "tanggapan": pengaduan.tanggapan})
    if request.method == "POST":
        require(request.user, "monev.change_pengaduan")
        form = TanggapanForm(request.POST)
        if form.is_valid():
            complaints.respond(pengaduan, form.cleaned_data["tanggapan"], form.cleaned_data["status"])
            messages.success(request, "Tanggapan disimpan.")
            return redirect(pengaduan)
    return render(
        request,
        "monev/pengaduan_detail.html",
        {"pengaduan": pengaduan, "form": form, "boleh_ubah": request.user.has_perm("monev.change_pengaduan")},
    )


# --- Scorecards and documents -----------------------------------------------------------------------------------


@login_required
def skor_ringkasan(request):
    group = "penyedia" if request.GET.get("per") == "penyedia" else "ewarong"
    return render(
        request,
        "monev/skor_ringkasan.html",
        {"baris": scoring.ranking(request.user, group), "per": group, "aspek": Aspek.choices},
    )


@login_required
def skor_ewarong(request, pk):
    ewarong = scoped_or_404(EWarong, request.user, pk=pk)
    return render(
        request,
        "monev/skor_kartu.html",
        {
            "subjek": ewarong,
            "jenis": "e-warong",
            "bulanan": scoring.ewarong_scorecard(request.user, ewarong),
            "riwayat_status": sanctions.status_history(ewarong),
            "aspek": Aspek.choices,
        },
    )


@login_required
def skor_penyedia(request, pk):
    penyedia = scoped_or_404(Penyedia, request.user, pk=pk)
    bulanan, per_ewarong = scoring.penyedia_scorecard(request.user, penyedia)
    return render(
        request,
        "monev/skor_kartu.html",
        {
            "subjek": penyedia,
            "jenis": "penyedia",
            "bulanan": bulanan,
            "per_ewarong": per_ewarong,
            "aspek": Aspek.choices,
        },
    )


@login_required
def dokumen_list(request):
    require(request.user, "monev.view_dokumen")
    dokumen = Dokumen.objects.select_related("diunggah_oleh")
    harga = HargaAcuan.objects.all()
    return render(request, "monev/dokumen_list.html", {"dokumen": dokumen, "harga": harga})


@login_required
def dokumen_unduh(request, pk):
    require(request.user, "monev.view_dokumen")
    dokumen = get_object_or_404(Dokumen, pk=pk)
    berkas = dokumen.berkas.open("rb")
    audit_download(request.user, dokumen, dokumen=dokumen.pk, judul=str(dokumen), berkas=dokumen.berkas.name)
    return FileResponse(berkas, as_attachment=True, filename=dokumen.berkas.name.rsplit("/", 1)[-1])
