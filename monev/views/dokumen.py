"""Program documents and reference prices: read by every monev role, each download audited."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from monev.models import Dokumen, HargaAcuan
from tikor.shortcuts import audited_download, require_perm


@login_required
@require_safe
def dokumen_list(request):
    require_perm(request.user, "monev.view_dokumen")
    dokumen = Dokumen.objects.select_related("diunggah_oleh")
    harga = HargaAcuan.objects.all()
    return render(request, "monev/dokumen_list.html", {"dokumen": dokumen, "harga": harga})


@login_required
@require_safe
def dokumen_unduh(request, pk):
    require_perm(request.user, "monev.view_dokumen")
    dokumen = get_object_or_404(Dokumen, pk=pk)  # documents belong to the whole province: no area to check
    return audited_download(
        request.user, dokumen, dokumen.berkas, dokumen=dokumen.pk, judul=str(dokumen), berkas=dokumen.berkas.name
    )
