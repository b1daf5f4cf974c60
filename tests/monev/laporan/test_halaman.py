"""The reports page: ask, watch, download (audited); only one's own reports and the scheduled ones, inside
one's area; everything else answers 404."""

import datetime

import pytest
from django.urls import reverse

from monev.models import Laporan
from tests.conftest import JAKPUS, client_for
from tikor.models import AuditLog

pytestmark = pytest.mark.django_db
JUNI = datetime.date(2021, 6, 1)


def test_sekretariat_asks_for_a_report_watches_it_and_downloads_both_files(
    client, sekretariat, distribusi, celery_eager, django_capture_on_commit_callbacks
):
    client_for(client, sekretariat)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("monev:laporan:daftar"), {"jenis": "realisasi", "bulan": "2021-06-01", "wilayah": "31"}
        )

    laporan = Laporan.objects.get()
    assert response.url == reverse("monev:laporan:detail", args=[laporan.pk])
    assert (laporan.status, laporan.dibuat_oleh, laporan.periode) == ("selesai", sekretariat, distribusi["periode"])
    page = client.get(response.url).content.decode()
    assert "Unduh XLSX" in page
    assert "Unduh PDF" in page
    listing = client.get(reverse("monev:laporan:daftar")).content.decode()
    assert "Realisasi bulanan" in listing
    assert 'data-status="selesai"' in listing

    xlsx = client.get(reverse("monev:laporan:unduh", args=[laporan.pk, "xlsx"]))
    pdf = client.get(reverse("monev:laporan:unduh", args=[laporan.pk, "pdf"]))

    assert (xlsx.status_code, pdf.status_code) == (200, 200)
    assert pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")
    audits = AuditLog.objects.filter(objek="monev.laporan").order_by("id")
    assert [(a.pengguna, a.aksi, a.keterangan["format"]) for a in audits] == [
        (sekretariat, "ekspor", "xlsx"),
        (sekretariat, "ekspor", "pdf"),
    ]


def test_a_waiting_report_shows_its_progress_and_polls(client, sekretariat, distribusi):
    from monev.laporan.jobs import ask
    from tikor.models import Wilayah

    laporan = ask(Laporan.Jenis.REALISASI, JUNI, Wilayah.objects.get(kode="31"), user=sekretariat)
    Laporan.objects.filter(pk=laporan.pk).update(status="berjalan", persen=40, tahap="Tingkat kecamatan selesai")
    client_for(client, sekretariat)

    partial = client.get(reverse("monev:laporan:detail", args=[laporan.pk]), HTTP_HX_REQUEST="true").content.decode()

    assert 'hx-trigger="every 1s"' in partial
    assert 'data-persen="40"' in partial
    assert "Tingkat kecamatan selesai" in partial
    assert "<html" not in partial


def test_tikor_kota_cannot_ask_for_the_province(client, tikor_jakpus, distribusi):
    client_for(client, tikor_jakpus)

    response = client.post(
        reverse("monev:laporan:daftar"), {"jenis": "realisasi", "bulan": "2021-06-01", "wilayah": "31"}
    )

    assert response.status_code == 200
    assert "wilayah" in response.context["form"].errors
    assert not Laporan.objects.exists()


def test_a_month_without_distribution_is_refused_for_realisation(client, sekretariat, distribusi):
    client_for(client, sekretariat)

    response = client.post(
        reverse("monev:laporan:daftar"), {"jenis": "realisasi", "bulan": "2026-10-01", "wilayah": "31"}
    )

    assert "Belum ada data penyaluran" in response.context["form"].errors["bulan"][0]


def test_another_users_report_and_an_out_of_area_scheduled_one_answer_404(
    client, buat, sekretariat, tikor_jakpus, pendamping_gambir, distribusi
):
    province = buat(Laporan.Jenis.REALISASI, JUNI, "31", sekretariat)
    scheduled = buat(Laporan.Jenis.REALISASI, JUNI, "31")  # no asker: a scheduled report
    jakpus = buat(Laporan.Jenis.REALISASI, JUNI, JAKPUS, tikor_jakpus)

    client_for(client, tikor_jakpus)
    for laporan in (province, scheduled):
        assert client.get(reverse("monev:laporan:detail", args=[laporan.pk])).status_code == 404
        assert client.get(reverse("monev:laporan:unduh", args=[laporan.pk, "xlsx"])).status_code == 404
    assert client.get(reverse("monev:laporan:unduh", args=[jakpus.pk, "pdf"])).status_code == 200

    client_for(client, pendamping_gambir)  # inside Jakarta Pusat, but not the asker
    assert client.get(reverse("monev:laporan:unduh", args=[jakpus.pk, "xlsx"])).status_code == 404
    assert 'data-testid="laporan"' not in client.get(reverse("monev:laporan:daftar")).content.decode()

    client_for(client, sekretariat)
    assert client.get(reverse("monev:laporan:unduh", args=[scheduled.pk, "xlsx"])).status_code == 200
    assert (
        not AuditLog.objects.filter(pengguna__in=[tikor_jakpus, pendamping_gambir], objek="monev.laporan")
        .exclude(keterangan__laporan=jakpus.pk)
        .exists()
    )


def test_the_bank_of_a_bank_staff_report_is_always_its_own(client, distribusi, bri):
    from tests.factories import UserFactory, bni
    from tikor.models import Role

    anggota_bri = UserFactory(username="anggota.bri", role=Role.ANGGOTA, bank=bri)
    client_for(client, anggota_bri)

    client.post(
        reverse("monev:laporan:daftar"),
        {"jenis": "realisasi", "bulan": "2021-06-01", "wilayah": "31", "bank": bni().pk},
    )

    assert Laporan.objects.get().bank == bri
