"""Pages of the Tikor's meetings and decisions. Meetings and decisions are fetched through the gate (404 outside
the area); changes need the right (403), except a decision's progress, which its owner agency may also record."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST, require_safe

from monev.models import Keputusan, Lampiran, Rapat, instansi_of
from monev.rapat import agenda, services
from monev.rapat.forms import (
    AgendaFormSet,
    KehadiranForm,
    KeputusanForm,
    LampiranForm,
    NotulenForm,
    ProgresForm,
    RapatForm,
)
from tikor.audit import catat_ekspor
from tikor.pdf import render_pdf
from tikor.shortcuts import audited_download, get_scoped_or_404, list_page, require_perm

RAPAT_TABS = (("akan_datang", "Akan datang"), ("lalu", "Sudah berlangsung"), ("semua", "Semua"))
KEPUTUSAN_TABS = (("terbuka", "Belum selesai"), ("terlambat", "Terlambat"), ("selesai", "Selesai"), ("semua", "Semua"))


@login_required
@require_safe
def rapat_list(request):
    qs = Rapat.objects.for_user(request.user).select_related("wilayah")
    return list_page(
        request, "monev/rapat/rapat_list.html", qs, param="filter", choices=RAPAT_TABS, default="semua", methods=True
    )


@login_required
def rapat_baru(request):
    require_perm(request.user, "monev.add_rapat")
    form = RapatForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        rapat = services.create_meeting(request.user, form)
        messages.success(request, "Rapat dibuat; agenda diusulkan dari data. Periksa dan sunting agendanya.")
        return redirect("monev:rapat_agenda", pk=rapat.pk)
    return render(request, "monev/rapat/rapat_form.html", {"form": form, "judul": "Rapat Tikor baru"})


def _detail_context(request, rapat, **forms):
    user = request.user
    sekretariat = user.has_perm("monev.change_rapat")
    context = {
        "rapat": rapat,
        "agenda": rapat.agenda.all(),
        "kehadiran": rapat.kehadiran.select_related("instansi"),
        "lampiran": rapat.lampiran.all(),
        "keputusan": rapat.keputusan.select_related("instansi").order_by("id"),
        "diundang": rapat.diundang.all(),
        "boleh_ubah": sekretariat,
        "instansi_saya": set(instansi_of(user).values_list("pk", flat=True)),
    }
    if sekretariat:
        context.update(
            kehadiran_form=KehadiranForm(rapat=rapat),
            notulen_form=NotulenForm(instance=rapat),
            lampiran_form=LampiranForm(),
            keputusan_form=KeputusanForm(rapat=rapat, user=user),
        )
    context.update(forms)
    return context


@login_required
@require_safe
def rapat_detail(request, pk):
    rapat = get_scoped_or_404(Rapat.objects.select_related("wilayah"), request.user, pk=pk)
    return render(request, "monev/rapat/rapat_detail.html", _detail_context(request, rapat))


@login_required
def rapat_agenda(request, pk):
    rapat = get_scoped_or_404(Rapat, request.user, "monev.change_rapat", pk=pk)
    formset = AgendaFormSet(request.POST or None, instance=rapat, prefix="agenda")
    if request.method == "POST" and formset.is_valid():
        with transaction.atomic():
            formset.save()
            services.audit(request.user, rapat, "ubah_agenda", butir=rapat.agenda.count())
        messages.success(request, "Agenda disimpan.")
        return redirect(rapat)
    return render(request, "monev/rapat/agenda_form.html", {"rapat": rapat, "formset": formset})


@login_required
@require_POST
def rapat_agenda_usul(request, pk):
    """Draw the data items again (figures as of the meeting date); items added by hand stay."""
    rapat = get_scoped_or_404(Rapat, request.user, "monev.change_rapat", pk=pk)
    with transaction.atomic():
        items = agenda.propose(rapat)
        services.audit(request.user, rapat, "usul_agenda", butir_agenda=len(items))
    messages.success(request, "Usulan agenda diperbarui dari data.")
    return redirect("monev:rapat_agenda", pk=rapat.pk)


def _change(request, pk, form_class, key, aksi, message, **form_kwargs):
    """A secretariat's POST that adds or changes one part of a meeting; re-renders with the errors on failure."""
    rapat = get_scoped_or_404(Rapat, request.user, "monev.change_rapat", pk=pk)
    extra = {"rapat": rapat} if form_class in (KehadiranForm, KeputusanForm) else {}
    if form_class is KeputusanForm:
        extra["user"] = request.user
    if form_class is NotulenForm:
        extra["instance"] = rapat
    form = form_class(request.POST, request.FILES, **extra, **form_kwargs)
    if form.is_valid():
        with transaction.atomic():
            obj = form.save(commit=False)
            if isinstance(obj, Lampiran):
                obj.rapat = rapat
            obj.save()
            services.audit(request.user, obj, aksi, rapat=rapat.pk)
        messages.success(request, message)
        return redirect(rapat)
    messages.error(request, "Periksa isian yang ditandai.")
    return render(request, "monev/rapat/rapat_detail.html", _detail_context(request, rapat, **{key: form}), status=400)


@login_required
@require_POST
def rapat_kehadiran(request, pk):
    return _change(request, pk, KehadiranForm, "kehadiran_form", "catat_hadir", "Kehadiran dicatat.")


@login_required
@require_POST
def rapat_notulen(request, pk):
    return _change(request, pk, NotulenForm, "notulen_form", "ubah_notulen", "Notulen disimpan.")


@login_required
@require_POST
def rapat_lampiran(request, pk):
    return _change(request, pk, LampiranForm, "lampiran_form", "unggah_lampiran", "Lampiran diunggah.")


@login_required
@require_POST
def keputusan_baru(request, pk):
    return _change(request, pk, KeputusanForm, "keputusan_form", "catat_keputusan", "Keputusan dicatat.")


@login_required
def lampiran_unduh(request, pk):
    # An attachment is seen where its meeting is.
    lampiran = get_object_or_404(Lampiran, pk=pk, rapat__in=Rapat.objects.for_user(request.user))
    return audited_download(request.user, lampiran, lampiran.berkas, rapat=lampiran.rapat_id)


@login_required
@require_safe
def berita_acara(request, pk):
    rapat = get_scoped_or_404(Rapat.objects.select_related("wilayah"), request.user, pk=pk)
    pdf = render_pdf(
        "pdf/berita_acara.html",
        {
            "rapat": rapat,
            "agenda": rapat.agenda.all(),
            "kehadiran": rapat.kehadiran.select_related("instansi"),
            "keputusan": rapat.keputusan.select_related("instansi").order_by("id"),
            "lampiran": rapat.lampiran.all(),
        },
    )
    catat_ekspor(request.user, "monev.rapat", 1, id=rapat.pk, berkas="berita acara")
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="berita-acara-rapat-{rapat.pk}.pdf"'
    return response


@login_required
@require_safe
def keputusan_list(request):
    qs = Keputusan.objects.for_user(request.user).select_related("instansi", "rapat")
    if request.GET.get("milik") == "saya":
        qs = qs.milik(request.user)
    return list_page(
        request,
        "monev/rapat/keputusan_list.html",
        qs,
        param="filter",
        choices=KEPUTUSAN_TABS,
        default="terbuka",
        methods=True,
    )


@login_required
@require_safe
def keputusan_detail(request, pk):
    keputusan = get_scoped_or_404(Keputusan.objects.select_related("rapat", "instansi"), request.user, pk=pk)
    return render(request, "monev/rapat/keputusan_detail.html", _keputusan_context(request, keputusan))


def _keputusan_context(request, keputusan, form=None):
    sekretariat = request.user.has_perm("monev.change_keputusan")
    boleh = services.can_update_progress(request.user, keputusan) and (
        sekretariat or keputusan.status != Keputusan.Status.SELESAI
    )
    return {
        "k": keputusan,
        "progres": keputusan.progres.select_related("oleh"),
        "boleh_progres": boleh,
        "form": form or (ProgresForm(sekretariat=sekretariat) if boleh else None),
    }


@login_required
@require_POST
def keputusan_progres(request, pk):
    keputusan = get_scoped_or_404(Keputusan, request.user, pk=pk)
    sekretariat = request.user.has_perm("monev.change_keputusan")
    if not services.can_update_progress(request.user, keputusan):
        raise PermissionDenied
    form = ProgresForm(request.POST, sekretariat=sekretariat)
    if not form.is_valid():
        return render(
            request, "monev/rapat/keputusan_detail.html", _keputusan_context(request, keputusan, form), status=400
        )
    services.record_progress(request.user, keputusan, **form.cleaned_data)
    messages.success(request, "Perkembangan keputusan dicatat.")
    return redirect(keputusan)
