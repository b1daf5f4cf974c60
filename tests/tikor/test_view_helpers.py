"""The shared view helpers of the core (tikor.shortcuts): the gate, paging and audited downloads."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse

from monev.complaints import record_complaint
from monev.models import Pengaduan, Penugasan
from penyaluran.registri.models import ImportJob
from tikor import shortcuts
from tikor.models import AuditLog


def test_a_row_outside_the_area_is_not_found_even_for_a_right_the_user_lacks(
    pendamping_gambir, penugasan_gambir, penugasan_tanah_abang
):
    assert shortcuts.get_scoped_or_404(Penugasan, pendamping_gambir, pk=penugasan_gambir.pk) == penugasan_gambir
    with pytest.raises(Http404):
        shortcuts.get_scoped_or_404(Penugasan, pendamping_gambir, pk=penugasan_tanah_abang.pk)
    with pytest.raises(Http404):
        shortcuts.get_scoped_or_404(Penugasan, pendamping_gambir, "monev.add_penugasan", pk=penugasan_tanah_abang.pk)


def test_a_row_inside_the_area_without_the_right_is_forbidden(pendamping_gambir, penugasan_gambir):
    with pytest.raises(PermissionDenied):
        shortcuts.get_scoped_or_404(Penugasan, pendamping_gambir, "monev.add_penugasan", pk=penugasan_gambir.pk)


def test_a_queryset_goes_through_the_gate_too(pendamping_gambir, penugasan_tanah_abang):
    queryset = Penugasan.objects.select_related("ewarong")

    with pytest.raises(Http404):
        shortcuts.get_scoped_or_404(queryset, pendamping_gambir, pk=penugasan_tanah_abang.pk)


def test_the_page_links_of_a_list_keep_its_filter(client, pendamping_gambir, penugasan_gambir, monkeypatch):
    monkeypatch.setattr(shortcuts, "PER_PAGE", 2)
    for _ in range(3):
        complaint = Pengaduan(ewarong=penugasan_gambir.ewarong, kanal="sms1708", kategori="harga", isi="x", anonim=True)
        record_complaint(complaint, None)
    client.force_login(pendamping_gambir)

    first = client.get(reverse("monev:pengaduan_list"), {"filter": "semua"})
    second = client.get(reverse("monev:pengaduan_list"), {"filter": "semua", "halaman": 2})

    assert 'href="?filter=semua&amp;halaman=2">Berikutnya' in first.content.decode()
    assert 'href="?filter=semua&amp;halaman=1">Sebelumnya' in second.content.decode()
    assert len(second.context["page"].object_list) == 1


def test_a_job_file_that_was_never_made_is_not_found_and_not_audited(client, sekretariat):
    job = ImportJob.objects.create(jenis="kpm", nama_berkas="kpm.xlsx", dibuat_oleh=sekretariat)
    client.force_login(sekretariat)

    response = client.get(reverse("penyaluran:impor_baris_ditolak", args=[job.pk]))

    assert response.status_code == 404
    assert not AuditLog.objects.exists()
