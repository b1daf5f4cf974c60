"""The import page: only the secretariat imports; preview first, then confirm; progress and rejected rows."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from penyaluran.registri.models import ImportJob, Kpm
from tests.conftest import client_for
from tests.factories import make_nik, make_no_kk
from tests.registry_files import read_xlsx, write_xlsx
from tikor.models import AuditLog

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("celery_eager")]


HEADER = ["NIK", "No KK", "Nama KPM", "Kelurahan", "Kecamatan", "Bank"]


def upload(tmp_path, rows, name="kpm.xlsx"):
    path = tmp_path / name
    if not path.exists():
        write_xlsx(path, [["DAFTAR KPM 2021"], HEADER, *rows])
    return SimpleUploadedFile(name, path.read_bytes())


def good_rows(count=3):
    # Born on another day than KpmFactory's people, whose serials run on through the session.
    born = datetime.date(1961, 8, 17)
    return [
        [make_nik(serial=500 + i, born=born), make_no_kk(serial=500 + i), f"KPM {i}", "Gambir", "Gambir", "BNI"]
        for i in range(count)
    ]


@pytest.mark.parametrize("user", ["pendamping_gambir", "tikor_jakpus", "anggota_tikor"])
def test_only_the_secretariat_may_import(client, request, user, sekretariat, tmp_path):
    preview = ImportJob.objects.create(jenis="kpm", nama_berkas="x.xlsx", checksum="0", dibuat_oleh=sekretariat)
    client_for(client, request.getfixturevalue(user))

    assert client.get(reverse("penyaluran:impor")).status_code == 403
    assert (
        client.post(reverse("penyaluran:impor"), {"jenis": "kpm", "berkas": upload(tmp_path, good_rows())}).status_code
        == 403
    )
    assert client.get(reverse("penyaluran:impor_detail", args=[preview.pk])).status_code == 403
    assert client.get(reverse("penyaluran:impor_progres", args=[preview.pk])).status_code == 403
    assert client.post(reverse("penyaluran:impor_simpan", args=[preview.pk])).status_code == 403
    assert ImportJob.objects.count() == 1
    assert not Kpm.objects.exists()


def test_the_secretariat_previews_then_confirms(client, sekretariat, tmp_path, django_capture_on_commit_callbacks):
    client_for(client, sekretariat)
    assert 'href="/penyaluran/impor/"' in client.get(reverse("beranda")).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("penyaluran:impor"), {"jenis": "kpm", "berkas": upload(tmp_path, good_rows())})

    preview = ImportJob.objects.get()
    assert response.url == reverse("penyaluran:impor_detail", args=[preview.pk])
    assert (preview.status, preview.uji_coba, preview.jumlah_baru) == (ImportJob.Status.SELESAI, True, 3)
    assert not Kpm.objects.exists()
    page = client.get(response.url).content.decode()
    assert "Pratinjau impor KPM" in page
    assert "Simpan ke registri" in page

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("penyaluran:impor_simpan", args=[preview.pk]))

    saved = ImportJob.objects.get(pratinjau=preview)
    assert response.url == reverse("penyaluran:impor_detail", args=[saved.pk])
    assert (saved.status, saved.baris_ditulis, saved.dibuat_oleh) == (ImportJob.Status.SELESAI, 3, sekretariat)
    assert Kpm.objects.count() == 3
    audit = AuditLog.objects.get(aksi=AuditLog.Aksi.IMPOR)
    assert (audit.pengguna, audit.objek, audit.jumlah_baris) == (sekretariat, "penyaluran.kpm", 3)
    # A preview is saved once.
    client.post(reverse("penyaluran:impor_simpan", args=[preview.pk]))
    assert ImportJob.objects.filter(pratinjau=preview).count() == 1

    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(reverse("penyaluran:impor"), {"jenis": "kpm", "berkas": upload(tmp_path, good_rows())})
    page = client.get(again.url).content.decode()
    assert "Berkas dengan isi yang sama sudah diimpor pada" in page
    assert ImportJob.objects.get(pk=again.url.split("/")[-2]).jumlah_sama == 3


def test_an_invalid_file_cannot_be_saved_and_its_rejected_rows_download(
    client, sekretariat, tmp_path, django_capture_on_commit_callbacks
):
    client_for(client, sekretariat)
    rows = [*good_rows(2), ["3171", make_no_kk(serial=9), "Salah", "Gambir", "Gambir", "BNI"]]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("penyaluran:impor"), {"jenis": "kpm", "berkas": upload(tmp_path, rows)})
    preview = ImportJob.objects.get()

    page = client.get(response.url).content.decode()
    assert "Baris 5, kolom NIK “3171”: NIK harus 16 digit, yang tertulis 4 digit: 3171." in page
    assert "Simpan ke registri" not in page
    # The refusal says how to go on: fix the rows, or save only the valid ones.
    assert (
        f"lewati baris yang tidak valid\u201d untuk menyimpan {preview.baris_dibaca - 1} baris yang valid saja" in page
    )
    client.post(reverse("penyaluran:impor_simpan", args=[preview.pk]))
    assert ImportJob.objects.count() == 1
    assert not Kpm.objects.exists()

    download = client.get(reverse("penyaluran:impor_baris_ditolak", args=[preview.pk]))
    rejected = read_xlsx(io.BytesIO(b"".join(download.streaming_content)))
    assert rejected[0] == ["BARIS DI BERKAS ASAL", *HEADER, "KETERANGAN KESALAHAN"]
    assert rejected[1][:2] == [5, "3171"]
    assert rejected[1][-1] == "NIK: NIK harus 16 digit, yang tertulis 4 digit: 3171."


def test_progress_fragment_shows_counts_and_reloads_the_page_when_done(client, sekretariat):
    client_for(client, sekretariat)
    job = ImportJob.objects.create(
        jenis="kpm", nama_berkas="x.xlsx", checksum="0", status=ImportJob.Status.BERJALAN, baris_dibaca=2000
    )
    url = reverse("penyaluran:impor_progres", args=[job.pk])

    running = client.get(url, headers={"HX-Request": "true"})
    assert 'data-dibaca="2000"' in running.content.decode()
    assert 'hx-trigger="every 1s"' in running.content.decode()
    assert "HX-Refresh" not in running

    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.SELESAI)
    done = client.get(url, headers={"HX-Request": "true"})
    assert done["HX-Refresh"] == "true"
    assert client.get(reverse("penyaluran:impor_progres", args=[job.pk + 99])).status_code == 404


def test_the_admin_import_button_opens_the_import_page(client, sekretariat, pendamping_gambir):
    client_for(client, sekretariat)
    response = client.get(reverse("admin:penyaluran_kpm_import"))
    assert response.url == reverse("penyaluran:impor") + "?jenis=kpm"
    assert 'value="kpm" selected' in client.get(response.url).content.decode()

    client_for(client, pendamping_gambir)
    assert client.get(reverse("admin:penyaluran_kpm_import")).status_code == 403


def test_import_jobs_are_listed_in_the_admin_for_the_secretariat_only(client, sekretariat, pendamping_gambir):
    ImportJob.objects.create(jenis="kpm", nama_berkas="kpm-2021.xlsx", checksum="0", dibuat_oleh=sekretariat)
    url = reverse("admin:penyaluran_importjob_changelist")

    assert "kpm-2021.xlsx" in client_for(client, sekretariat).get(url).content.decode()
    assert client_for(client, pendamping_gambir).get(url).status_code == 403


def test_every_registry_row_missing_from_the_file_downloads_in_full_and_the_download_is_audited(
    client, sekretariat, pendamping_gambir, tmp_path, django_capture_on_commit_callbacks
):
    from tests.factories import KpmFactory

    missing = sorted(KpmFactory.create_batch(60), key=lambda k: k.nik)  # more than the page lists
    client_for(client, sekretariat)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("penyaluran:impor"),
            {"jenis": "kpm", "berkas": upload(tmp_path, good_rows()), "registri_lengkap": "on"},
        )
    preview = ImportJob.objects.get()
    page = client.get(response.url).content.decode()
    url = reverse("penyaluran:impor_tidak_ada", args=[preview.pk])

    assert preview.jumlah_tidak_ada == 60
    assert "Di bawah ini 50 yang pertama." in page
    assert url in page
    download = client.get(url)
    rows = read_xlsx(io.BytesIO(b"".join(download.streaming_content)))
    assert rows[0] == ["NIK", "Nama"]
    assert rows[1:] == [[k.nik, k.nama] for k in missing]
    audit = AuditLog.objects.get(aksi=AuditLog.Aksi.EKSPOR)
    assert (audit.pengguna, audit.objek, audit.jumlah_baris) == (sekretariat, "penyaluran.importjob", 60)
    assert client_for(client, pendamping_gambir).get(url).status_code == 403
