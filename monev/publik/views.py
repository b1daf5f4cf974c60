"""Public pages of an e-warong (no login) and the secretariat's poster downloads.

The public views show only what is on the poster, the reference prices, and a complaint's status and the reply
staff marked as public: no KPM, no other complaint, no staff name. Unknown or retired codes answer 404.
"""

import functools

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.base import ContentFile
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_http_methods

from monev import complaints
from monev.models import KodePublik, Pengaduan
from monev.publik import hak, limits, poster
from monev.publik.forms import LacakForm, PengaduanPublikForm
from penyaluran.registri.models import EWarong
from tikor.models import AuditLog, Wilayah
from tikor.shortcuts import audited_download, get_scoped_or_404, require_perm


def tidak_ditemukan(request):
    return render(
        request,
        "publik/pesan.html",
        {"judul": "Alamat tidak ditemukan", "pesan": "Kode ini tidak dikenal atau sudah tidak berlaku. "
         "Pindai kembali QR di poster e-warong, atau sampaikan pengaduan lewat SMS 1708, LAPOR!, atau 171."},
        status=404,
    )  # fmt: skip


def publik(view):
    """A public page: rate-limited per address before anything is read."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if limits.halaman_dibatasi(request):
            return limits.terlalu_banyak(request)
        return view(request, *args, **kwargs)

    return wrapper


def _kode_aktif(kode):
    return (
        KodePublik.objects.aktif().select_related("ewarong__kelurahan__induk__induk").filter(kode=kode.upper()).first()
    )


def _ewarong_context(kode_publik):
    ewarong = kode_publik.ewarong
    kelurahan = ewarong.kelurahan
    return {
        "kode": kode_publik.kode,
        "ewarong": {
            "nama": ewarong.nama,
            "alamat": ewarong.alamat,
            "kelurahan": kelurahan.nama_singkat if kelurahan else "",
            "kecamatan": kelurahan.induk.nama_singkat if kelurahan and kelurahan.induk else "",
        },
    }


@publik
@require_http_methods(["GET", "HEAD"])
def halaman_ewarong(request, kode):
    kode_publik = _kode_aktif(kode)
    if kode_publik is None:
        return tidak_ditemukan(request)
    manfaat, bulan = hak.manfaat_bulan_ini()
    response = render(
        request,
        "publik/ewarong.html",
        {
            **_ewarong_context(kode_publik),
            "manfaat": manfaat,
            "bulan": bulan,
            "kelompok": hak.KELOMPOK_KOMODITAS,
            "aturan": hak.ATURAN,
            "harga": hak.harga_acuan_berlaku(),
            "kanal": hak.KANAL_NASIONAL,
        },
    )
    # The same for everyone: a phone on a slow line may keep it for a while.
    patch_cache_control(response, public=True, max_age=600)
    return response


@publik
@require_http_methods(["GET", "HEAD", "POST"])
def aduan(request, kode):
    kode_publik = _kode_aktif(kode)
    if kode_publik is None:
        return tidak_ditemukan(request)
    if request.method == "POST":
        # Counted before anything is read or stored, so a flood stores nothing.
        if limits.aduan_dibatasi(request, kode_publik.kode):
            return limits.terlalu_banyak(request, limits.PESAN_ADUAN)
        if request.POST.get("situs"):
            return render(
                request,
                "publik/pesan.html",
                {"judul": "Pengaduan tidak diterima", "pesan": "Pengaduan tidak dapat diterima dari formulir ini. "
                 "Sampaikan lewat SMS 1708, LAPOR! (lapor.go.id), atau call center 171."},
                status=400,
            )  # fmt: skip
        form = PengaduanPublikForm(request.POST, request.FILES)
        if form.is_valid():
            pengaduan = complaints.record_complaint(form.pengaduan(kode_publik.ewarong), None)
            return redirect(f"{reverse('publik:status', args=[pengaduan.kode_lacak])}?baru=1")
    else:
        form = PengaduanPublikForm()
    status = 400 if form.is_bound else 200
    return render(request, "publik/aduan.html", {**_ewarong_context(kode_publik), "form": form}, status=status)


@publik
@require_http_methods(["GET", "HEAD"])
def lacak(request):
    form = LacakForm(request.GET or None)
    if form.is_valid():
        return redirect("publik:status", form.cleaned_data["kode"])
    return render(request, "publik/lacak.html", {"form": form}, status=400 if form.is_bound else 200)


@publik
@require_http_methods(["GET", "HEAD"])
def status(request, kode_lacak):
    pengaduan = (
        Pengaduan.objects.filter(kanal=Pengaduan.Kanal.QR_EWARONG, kode_lacak=kode_lacak.upper())
        .select_related("ewarong")
        .only(
            "kode_lacak", "pola", "diterima_pada", "status", "batas_selesai", "direspons_pada", "selesai_pada",
            "tanggapan", "tanggapan_publik", "ewarong__nama",
        )
        .first()
    )  # fmt: skip
    if pengaduan is None:
        return tidak_ditemukan(request)
    response = render(request, "publik/status.html", {"pengaduan": pengaduan, "baru": "baru" in request.GET})
    patch_cache_control(response, private=True, no_store=True)
    return response


# --- The secretariat's posters -------------------------------------------------------------------------------


def _base_url(request):
    return settings.PUBLIC_BASE_URL.rstrip("/") or request.build_absolute_uri("/").rstrip("/")


@login_required
def poster_index(request):
    require_perm(request.user, "monev.cetak_poster")
    kecamatan = Wilayah.objects.kecamatan().for_user(request.user).order_by("kode")
    pilihan = request.GET.get("kecamatan", "")
    ewarong = []
    if pilihan:
        ewarong = (
            EWarong.objects.for_user(request.user)
            .in_wilayah(pilihan)
            .select_related("kelurahan")
            .order_by("kelurahan__nama", "nama")
        )
        kode = dict(KodePublik.objects.aktif().filter(ewarong__in=ewarong).values_list("ewarong", "kode"))
        ewarong = [(e, kode.get(e.pk)) for e in ewarong]
    return render(
        request,
        "publik/poster_index.html",
        {"kecamatan": kecamatan, "pilihan": pilihan, "ewarong": ewarong},
    )


def _pdf_download(request, ewarong, filename, **details):
    KodePublik.lengkapi([e.pk for e in ewarong])
    pdf = poster.poster_pdf(ewarong, _base_url(request))
    return audited_download(
        request.user,
        ewarong[0],
        ContentFile(pdf, name=filename),
        rows=len(ewarong),
        content_type="application/pdf",
        poster=filename,
        **details,
    )


@login_required
def poster_ewarong(request, pk):
    ewarong = get_scoped_or_404(EWarong, request.user, perm="monev.cetak_poster", pk=pk)
    return _pdf_download(request, [ewarong], f"poster-{ewarong.kode}.pdf", ewarong_id=ewarong.pk)


@login_required
def poster_kecamatan(request, kode):
    require_perm(request.user, "monev.cetak_poster")
    wilayah = get_scoped_or_404(Wilayah.objects.kecamatan(), request.user, kode=kode)
    ewarong = list(
        EWarong.objects.for_user(request.user)
        .in_wilayah(wilayah.kode)
        .select_related("kelurahan__induk")
        .order_by("kode")
    )
    if not ewarong:
        return render(
            request,
            "publik/poster_index.html",
            {"kecamatan": [], "pilihan": kode, "ewarong": [], "kosong": wilayah},
            status=404,
        )
    return _pdf_download(request, ewarong, f"poster-{wilayah.kode}.pdf", kecamatan=wilayah.kode)


@login_required
@require_http_methods(["POST"])
def ganti_kode(request, pk):
    """Retire the e-warong's code (a leaked or defaced poster) and issue a new one; the old poster answers 404."""
    ewarong = get_scoped_or_404(EWarong, request.user, perm="monev.cetak_poster", pk=pk)
    lama = KodePublik.objects.aktif().filter(ewarong=ewarong).first()
    baru = lama.pensiunkan() if lama is not None else KodePublik.untuk(ewarong)
    AuditLog.objects.create(
        pengguna=request.user,
        aksi=AuditLog.Aksi.UBAH,
        objek=KodePublik._meta.label_lower,
        jumlah_baris=1,
        keterangan={"ewarong": ewarong.pk, "kode_lama": lama.kode if lama else None, "kode_baru": baru.kode},
    )
    messages.success(request, f"Kode publik {ewarong.nama} diganti; poster lama tidak berlaku lagi, cetak ulang.")
    kecamatan = ewarong.kelurahan.induk_id if ewarong.kelurahan else ""
    return redirect(f"{reverse('publik:poster_index')}?kecamatan={kecamatan}")
