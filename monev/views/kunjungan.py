"""Visits: the mobile form filled offline-first, its JSON and photos received once however often the phone
retries, and the secretariat's verification."""

import json
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST, require_safe

from monev.forms import FotoForm, KunjunganForm, VerifikasiForm
from monev.models import Aspek, Foto, Instrumen, Kunjungan, Penugasan
from monev.visits import DuplicateElsewhere, PhotoTooLarge, receive_visit, store_photo
from tikor.shortcuts import audited_download, get_scoped_or_404, list_page


@login_required
def kunjungan_isi(request, pk):
    """The mobile visit form: one section per screen, filled offline-first by static/js/kunjungan-form.js."""
    penugasan = get_scoped_or_404(Penugasan, request.user, "monev.add_kunjungan", pk=pk)
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
    # Form fields read text, as a page posts it: JSON's numbers, booleans, lists and objects become their text (and
    # are then refused by the field, by name), never a value a field cannot parse.
    return {key: _as_posted(value) for key, value in data.items()}


def _as_posted(value):
    if value is None:
        return ""
    return value if isinstance(value, str) else json.dumps(value)


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
    penugasan = get_scoped_or_404(Penugasan, request.user, "monev.add_kunjungan", pk=pk)
    try:
        payload = json.loads(request.body)
        if not isinstance(payload, dict):
            raise ValueError
    except (ValueError, RecursionError):  # RecursionError: arrays nested deeper than Python's stack
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
    kunjungan = get_scoped_or_404(Kunjungan, request.user, "monev.add_kunjungan", uuid=uuid)
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
    foto = get_scoped_or_404(Foto, request.user, uuid=uuid)
    return audited_download(
        request.user,
        foto,
        foto.berkas,
        as_attachment=False,
        content_type="image/jpeg",
        foto=str(foto.uuid),
        kunjungan=foto.kunjungan_id,
    )


@login_required
@require_safe
def kunjungan_list(request):
    qs = Kunjungan.objects.for_user(request.user).select_related("ewarong", "petugas", "instrumen", "kpm")
    tabs = [("", "Semua"), *Kunjungan.Status.choices]
    return list_page(request, "monev/kunjungan_list.html", qs, param="status", choices=tabs)


@login_required
@require_safe
def kunjungan_detail(request, pk):
    kunjungan = get_scoped_or_404(Kunjungan, request.user, pk=pk)
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
    kunjungan = get_scoped_or_404(Kunjungan, request.user, "monev.verifikasi_kunjungan", pk=pk)
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
