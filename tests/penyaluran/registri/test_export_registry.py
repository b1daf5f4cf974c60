"""Exports: an exported file re-imports with no changes; each role exports only its area; every export is audited."""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from penyaluran.registri import exports
from penyaluran.registri.imports import import_file
from penyaluran.registri.models import ExportJob
from tests.conftest import KEL_GAMBIR, KEL_TANAH_ABANG, KEL_TEBET, client_for
from tests.factories import EWarongFactory, KpmFactory, PenyediaFactory
from tests.registry_files import read_xlsx
from tikor.models import AuditLog
from tikor.nik import mask_nik

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("celery_eager")]


@pytest.fixture
def registry():
    penyedia = PenyediaFactory(kode="PNY-001", kelurahan_id=KEL_GAMBIR)
    ewarong = EWarongFactory(kode="EW-0001", kelurahan_id=KEL_GAMBIR, penyedia=penyedia, latitude="-6.175392")
    EWarongFactory(kode="EW-0002", kelurahan_id=KEL_TEBET)
    gambir = [
        KpmFactory(kelurahan_id=KEL_GAMBIR, ewarong=ewarong, rt="001", tanggal_lahir=datetime.date(1980, 5, 17))
        for _ in range(3)
    ]
    gambir[0].status = "meninggal"
    gambir[0].alamat = 'Jl. Kenari II; No. 5, "belakang"'
    gambir[0].save()
    others = [
        KpmFactory(kelurahan_id=KEL_TANAH_ABANG),
        KpmFactory(kelurahan_id=KEL_TEBET, nomor_kks="5301234567890001"),
    ]
    return gambir, others


def download(response):
    body = b"".join(response.streaming_content)
    return body


@pytest.mark.parametrize("kind", ["kpm", "ewarong", "agen", "penyedia"])
@pytest.mark.parametrize("file_format", ["xlsx", "csv"])
def test_an_exported_file_reimports_with_no_changes(client, sekretariat, registry, tmp_path, kind, file_format):
    client_for(client, sekretariat)

    response = client.get(reverse("penyaluran:ekspor", args=[kind]), {"format": file_format})

    assert response.status_code == 200
    path = tmp_path / f"ekspor.{file_format}"
    path.write_bytes(download(response))
    result = import_file(kind, path, filename=path.name)
    a = result.analysis
    assert result.errors == []
    assert a.samples == []
    assert (a.new, a.changed, a.missing) == (0, 0, 0)
    assert a.unchanged == exports.MODELS[kind].objects.count()


def test_the_xlsx_keeps_nik_as_text_with_indonesian_headers_frozen_and_filtered(client, sekretariat, registry):
    client_for(client, sekretariat)

    response = client.get(reverse("penyaluran:ekspor", args=["kpm"]), {"format": "xlsx"})

    sheet = load_workbook(io.BytesIO(download(response))).worksheets[0]
    assert [c.value for c in sheet[1]][:5] == ["NIK", "No KK", "Nama KPM", "Jenis Kelamin", "Tanggal Lahir"]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:Q6"
    nik = sheet["A2"]
    assert (nik.data_type, nik.number_format, len(nik.value)) == ("s", "@", 16)
    assert sheet["E2"].value == datetime.datetime(1980, 5, 17)
    assert response["Content-Disposition"].startswith('attachment; filename="kpm-')


def test_a_pendamping_exports_only_its_area_masked_and_the_export_is_audited(client, pendamping_gambir, registry):
    gambir, _others = registry
    client_for(client, pendamping_gambir)

    response = client.get(reverse("penyaluran:ekspor", args=["kpm"]), {"format": "csv", "status": "aktif"})

    lines = download(response).decode("utf-8-sig").splitlines()
    assert lines[0].startswith("NIK;No KK;Nama KPM;")
    # A pendamping sees numbers whole on a KPM's page only (tikor.nik.may_see_full_numbers), never in a file.
    assert sorted(line.split(";")[0] for line in lines[1:]) == sorted(mask_nik(k.nik) for k in gambir[1:])
    audit = AuditLog.objects.get()
    assert (audit.pengguna, audit.aksi, audit.objek, audit.jumlah_baris) == (
        pendamping_gambir,
        "ekspor",
        "penyaluran.kpm",
        2,
    )
    assert audit.keterangan == {"filter": {"status": "aktif"}, "format": "csv", "melalui": "halaman ekspor"}


def test_a_region_outside_the_area_answers_404(client, pendamping_gambir, registry):
    client_for(client, pendamping_gambir)

    response = client.get(reverse("penyaluran:ekspor", args=["kpm"]), {"format": "csv", "wilayah": "31.74.01"})

    assert response.status_code == 404
    assert not AuditLog.objects.exists()


def test_a_member_without_full_nik_right_gets_masked_numbers(client, anggota_tikor, registry):
    client_for(client, anggota_tikor)

    response = client.get(reverse("penyaluran:ekspor", args=["kpm"]), {"format": "csv"})

    rows = [line.split(";") for line in download(response).decode("utf-8-sig").splitlines()[1:]]
    assert len(rows) == 5
    assert all("*" * 10 in row[0] and "*" * 10 in row[1] for row in rows)


def test_a_big_export_runs_as_a_task_with_a_download_link(
    client, tikor_jakpus, pendamping_gambir, registry, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(exports, "DIRECT_LIMIT", 1)
    client_for(client, tikor_jakpus)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(reverse("penyaluran:ekspor", args=["kpm"]), {"format": "xlsx", "wilayah": "31.71"})

    job = ExportJob.objects.get()
    assert response.url == reverse("penyaluran:ekspor_detail", args=[job.pk])
    assert (job.status, job.jumlah_baris) == ("selesai", 4)
    page = client.get(response.url).content.decode()
    assert reverse("penyaluran:ekspor_unduh", args=[job.pk]) in page
    rows = read_xlsx(io.BytesIO(download(client.get(reverse("penyaluran:ekspor_unduh", args=[job.pk])))))
    assert len(rows) == 5
    audit = AuditLog.objects.get()
    assert (audit.pengguna, audit.jumlah_baris, audit.keterangan["melalui"]) == (tikor_jakpus, 4, "tugas latar")
    assert audit.keterangan["filter"] == {"wilayah": "31.71", "wilayah_nama": "Jakarta Pusat"}

    client_for(client, pendamping_gambir)
    assert client.get(reverse("penyaluran:ekspor_detail", args=[job.pk])).status_code == 404
    assert client.get(reverse("penyaluran:ekspor_unduh", args=[job.pk])).status_code == 404


def admin_export(client):
    form = client.get(reverse("admin:penyaluran_kpm_export")).context["form"]
    fields = {name: "on" for name in form.fields if name.startswith("kpmresource_")}
    response = client.post(reverse("admin:penyaluran_kpm_export"), {"format": "0", "resource": "0", **fields})
    return response.content.decode("utf-8-sig")


def test_the_admin_export_is_scoped_masked_by_role_and_audited(client, pendamping_gambir, anggota_tikor, registry):
    gambir, _others = registry
    client_for(client, pendamping_gambir)

    lines = admin_export(client).splitlines()
    assert lines[0].startswith("NIK,No KK,Nama KPM")
    assert sorted(line.split(",")[0] for line in lines[1:]) == sorted(mask_nik(k.nik) for k in gambir)
    audit = AuditLog.objects.get()
    assert (audit.pengguna, audit.jumlah_baris, audit.keterangan["melalui"]) == (pendamping_gambir, 3, "admin")

    client_for(client, anggota_tikor)
    masked = admin_export(client).splitlines()[1:]
    assert len(masked) == 5
    assert all("**********" in line.split(",")[0] for line in masked)


def test_the_export_page_offers_each_kind_and_the_nav_links_to_it(client, pendamping_gambir):
    client_for(client, pendamping_gambir)

    page = client.get(reverse("penyaluran:ekspor", args=["ewarong"])).content.decode()

    assert 'href="/penyaluran/ekspor/kpm/">Ekspor</a>' in page
    assert "Ekspor Penyedia" in page
    assert "Seluruh wilayah saya" in page
    assert "Kec. Gambir" in page
    assert "Kec. Tebet" not in page
    assert client.get(reverse("penyaluran:ekspor", args=["transaksi"])).status_code == 404


def test_text_that_looks_like_a_formula_is_exported_as_text(client, sekretariat, registry, tmp_path):
    gambir, _others = registry
    gambir[1].nama, gambir[1].alamat = '=HYPERLINK("http://contoh";"klik")', "+62 Jl. Melati"
    gambir[1].save()
    client_for(client, sekretariat)

    xlsx = load_workbook(
        io.BytesIO(download(client.get(reverse("penyaluran:ekspor", args=["kpm"]), {"format": "xlsx"})))
    )
    csv_lines = download(client.get(reverse("penyaluran:ekspor", args=["kpm"]), {"format": "csv"})).decode("utf-8-sig")

    row = next(r for r in xlsx.worksheets[0].iter_rows(min_row=2) if r[0].value == gambir[1].nik)
    assert (row[2].value, row[2].data_type) == ('=HYPERLINK("http://contoh";"klik")', "s")
    line = next(line for line in csv_lines.splitlines() if line.startswith(gambir[1].nik))
    assert ';"\'=HYPERLINK(""http://contoh"";""klik"")";' in line
    assert ";'+62 Jl. Melati;" in line
    reimport = tmp_path / "ekspor.csv"
    reimport.write_text(csv_lines, encoding="utf-8")
    assert import_file("kpm", reimport).analysis.changed == 0  # the text marker is taken off again


def test_a_running_export_shows_rows_written_of_the_total(client, tikor_jakpus):
    job = ExportJob.objects.create(
        jenis="kpm", format="xlsx", dibuat_oleh=tikor_jakpus, status="berjalan", jumlah_baris=5000, baris_total=206_438
    )
    client_for(client, tikor_jakpus)

    partial = client.get(reverse("penyaluran:ekspor_detail", args=[job.pk]), HTTP_HX_REQUEST="true").content.decode()

    assert "5.000 dari 206.438 baris ditulis" in partial
    assert 'data-persen="2"' in partial
    assert 'hx-trigger="every 1s"' in partial


def test_a_finished_export_job_counted_every_row_it_wrote(
    client, tikor_jakpus, registry, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(exports, "DIRECT_LIMIT", 1)
    monkeypatch.setattr(exports, "PROGRESS_EVERY", 2)
    client_for(client, tikor_jakpus)

    with django_capture_on_commit_callbacks(execute=True):
        client.get(reverse("penyaluran:ekspor", args=["kpm"]), {"format": "xlsx", "wilayah": "31.71"})

    job = ExportJob.objects.get()
    assert (job.status, job.jumlah_baris, job.baris_total, job.persen) == ("selesai", 4, 4, 100)
    assert job.pesan == "4 baris siap diunduh."
