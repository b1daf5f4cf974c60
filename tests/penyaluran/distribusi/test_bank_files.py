"""Bank files: credits and EDC purchases in CSV or XLSX, per-bank column profiles, idempotent re-import,
bad rows named by Excel row, column and value, and closed periods that no import can change."""

import datetime

import pytest
from django.db import connection
from openpyxl import Workbook

from penyaluran.distribusi import bank_files
from penyaluran.distribusi.models import ImporBank, Penyaluran, ProfilKolomBank, Realisasi, Transaksi
from penyaluran.distribusi.periode import tutup_periode
from penyaluran.registri.models import TerminalEdc
from tests.factories import AgenFactory, EWarongFactory, KpmFactory, bni, eager_tasks, periode
from tikor.jobs import JobStatus

pytestmark = pytest.mark.django_db
TRANSAKSI = ProfilKolomBank.Jenis.TRANSAKSI
PENYALURAN = ProfilKolomBank.Jenis.PENYALURAN


@pytest.fixture
def juni():
    return periode(2021, 6)


@pytest.fixture
def registry():
    ewarong = EWarongFactory(kode="EW-317101-001")
    agen_ewarong = EWarongFactory(kode="EW-317101-002", agen=AgenFactory(kode="BNI46-3171-0001"))
    kpm = KpmFactory(nama="SITI AMINAH", nomor_kks="6000910000000011", ewarong=ewarong)
    by_nik = KpmFactory(nama="BUDI", nomor_kks="6000910000000029")
    TerminalEdc.objects.create(bank=bni(), terminal="EDC-0417", ewarong=ewarong)
    return ewarong, agen_ewarong, kpm, by_nik


def write_csv(tmp_path, lines, name="trx.csv"):
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def purchases_csv(tmp_path, registry, outlet="EDC-0417"):
    """Three purchases: at an e-warong by its code, at an agen by its code, and at a terminal (by default one
    the bank's terminal registry places at the first e-warong)."""
    ewarong, _agen_ewarong, kpm, by_nik = registry
    return write_csv(
        tmp_path,
        [
            "Referensi;Waktu;Jumlah;Nomor KKS;NIK;Terminal",
            f"TRX001;2021-06-10 09:15:00;120.000;{kpm.nomor_kks};;{ewarong.kode}",
            f"TRX002;10/06/2021 14:00:00;80000;;{by_nik.nik};BNI46-3171-0001",
            f"TRX003;2021-06-11 10:00:00;50000;6000919999999999;;{outlet}",
        ],
    )


def test_purchases_are_imported_and_matched_to_kpm_and_ewarong(tmp_path, juni, registry):
    ewarong, agen_ewarong, kpm, by_nik = registry

    path = purchases_csv(tmp_path, registry, outlet="EDC-ASING")
    refused = bank_files.import_file(bni(), TRANSAKSI, path, dry_run=False)
    assert refused.refused_outlets
    assert refused.checks.rows_without_outlet == 1
    assert not Transaksi.objects.exists()

    # Chosen knowingly: the purchase at the unknown terminal is kept without an e-warong.
    result = bank_files.import_file(bni(), TRANSAKSI, path, dry_run=False, allow_without_outlet=True)

    assert (result.rows_read, result.new, result.invalid) == (3, 3, 0)
    rows = {t.referensi: t for t in Transaksi.objects.all()}
    assert (rows["TRX001"].kpm, rows["TRX001"].ewarong, rows["TRX001"].jumlah) == (kpm, ewarong, 120_000)
    assert (rows["TRX002"].kpm, rows["TRX002"].ewarong) == (by_nik, agen_ewarong)  # by NIK and agen terminal
    assert rows["TRX002"].waktu == datetime.datetime(2021, 6, 10, 7, 0, tzinfo=datetime.UTC)  # 14.00 in Jakarta
    assert (rows["TRX003"].kpm, rows["TRX003"].ewarong, rows["TRX003"].terminal) == (None, None, "EDC-ASING")
    assert Realisasi.objects.get(periode=juni, tingkat="provinsi", bank=None).jumlah_transaksi == 3  # summary refreshed


def test_reimporting_the_same_file_writes_nothing_new(tmp_path, juni, registry):
    path = purchases_csv(tmp_path, registry)
    bank_files.import_file(bni(), TRANSAKSI, path, dry_run=False)
    before = list(Transaksi.objects.order_by("pk").values_list("pk", "referensi", "jumlah"))

    preview = bank_files.import_file(bni(), TRANSAKSI, path, dry_run=True)
    again = bank_files.import_file(bni(), TRANSAKSI, path, dry_run=False)

    assert (preview.new, preview.existing) == (0, 3)
    assert (again.new, again.existing) == (0, 3)
    assert list(Transaksi.objects.order_by("pk").values_list("pk", "referensi", "jumlah")) == before


def test_the_same_reference_from_another_bank_is_another_purchase(tmp_path, juni, registry):
    from tikor.models import Bank

    path = purchases_csv(tmp_path, registry)
    bank_files.import_file(bni(), TRANSAKSI, path, dry_run=False)

    bri = Bank.objects.get(kode="BRI")
    # The terminal id is BNI's: for BRI it names no outlet.
    assert bank_files.import_file(bri, TRANSAKSI, path, dry_run=False).refused_outlets
    result = bank_files.import_file(bri, TRANSAKSI, path, dry_run=False, allow_without_outlet=True)

    assert result.new == 3
    assert Transaksi.objects.count() == 6
    assert Transaksi.objects.get(bank=bri, referensi="TRX003").ewarong is None


def test_a_bad_row_refuses_the_whole_file_with_row_column_and_value(tmp_path, juni, registry):
    path = write_csv(
        tmp_path,
        [
            "Referensi;Waktu;Jumlah;Nomor KKS;NIK;Terminal",
            "TRX001;2021-06-10 09:15:00;120000;6000910000000011;;EW-317101-001",
            "TRX002;kemarin;-5;;3.17101E+15;EW-317101-001",
        ],
    )

    result = bank_files.import_file(bni(), TRANSAKSI, path, dry_run=False)

    assert result.refused
    assert Transaksi.objects.count() == 0
    messages = [str(e) for e in result.errors]
    assert "Baris 3, kolom Waktu “kemarin”: Tanggal tidak dapat dibaca; tulis seperti 2021-06-15 09:30:00." in messages
    assert any(m.startswith("Baris 3, kolom Jumlah “-5”") for m in messages)
    assert any("kolom NIK" in m and "diubah Excel" in m for m in messages)


def test_skip_invalid_writes_the_good_rows(tmp_path, juni, registry):
    path = write_csv(
        tmp_path,
        [
            "Referensi;Waktu;Jumlah;Nomor KKS;NIK;Terminal",
            "TRX001;2021-06-10 09:15:00;120000;6000910000000011;;EW-317101-001",
            "TRX002;2021-06-10 09:15:00;0;6000910000000011;;EW-317101-001",
        ],
    )

    result = bank_files.import_file(bni(), TRANSAKSI, path, dry_run=False, skip_invalid=True)

    assert (result.new, result.invalid, result.refused) == (1, 1, False)
    assert list(Transaksi.objects.values_list("referensi", flat=True)) == ["TRX001"]


def test_a_closed_period_cannot_be_changed_by_import(tmp_path, juni, registry):
    tutup_periode(juni)

    result = bank_files.import_file(bni(), TRANSAKSI, purchases_csv(tmp_path, registry), dry_run=False)

    assert result.refused
    assert Transaksi.objects.count() == 0
    assert "Periode Juni 2021 sudah ditutup" in str(result.errors[0])


def test_a_period_not_yet_created_is_an_error(tmp_path, registry):
    result = bank_files.import_file(bni(), TRANSAKSI, purchases_csv(tmp_path, registry), dry_run=False)

    assert result.refused
    assert "Periode 06/2021 belum dibuat" in str(result.errors[0])


def test_a_banks_column_profile_reads_its_own_headers(tmp_path, juni, registry):
    ProfilKolomBank.objects.create(
        bank=bni(),
        jenis=TRANSAKSI,
        kolom={"referensi": "NO_REF_BNI", "waktu": "TGL_JAM", "jumlah": "NOMINAL_RP", "terminal": "TID"},
        format_waktu="%d%m%Y %H%M",
    )
    path = write_csv(
        tmp_path,
        ["NO_REF_BNI,TGL_JAM,NOMINAL_RP,NO KARTU,TID", "X1,10062021 0915,200000,6000910000000011,EW-317101-001"],
    )

    result = bank_files.import_file(bni(), TRANSAKSI, path, dry_run=False)

    assert result.new == 1
    assert Transaksi.objects.get().waktu == datetime.datetime(2021, 6, 10, 2, 15, tzinfo=datetime.UTC)


def test_a_missing_required_column_is_named(tmp_path, juni):
    path = write_csv(tmp_path, ["Referensi;Jumlah;Nomor KKS;Terminal", "X;1;2;3"])

    with pytest.raises(Exception, match="Kolom wajib tidak ditemukan: Tanggal/Waktu"):
        bank_files.import_file(bni(), TRANSAKSI, path)


def test_credits_are_imported_from_xlsx_with_status_and_channel(tmp_path, juni, registry):
    _ewarong, _agen, kpm, by_nik = registry
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Referensi", "Tanggal", "Jumlah", "Nomor KKS", "NIK", "Status", "Kanal"])
    sheet.append(["KR1", datetime.datetime(2021, 6, 5), 200000, kpm.nomor_kks, "", "Sukses", "KKS"])
    sheet.append(["KR2", "05/06/2021", 200000, "", by_nik.nik, "Kartu belum dibagikan", ""])
    sheet.append(["KR3", "05/06/2021", 600000, "", "3171015008800099", "", "PT Pos"])
    path = tmp_path / "kredit.xlsx"
    workbook.save(path)

    result = bank_files.import_file(bni(), PENYALURAN, path, dry_run=False)
    again = bank_files.import_file(bni(), PENYALURAN, path, dry_run=False)

    assert (result.new, again.new) == (3, 0)
    rows = {p.referensi: p for p in Penyaluran.objects.all()}
    assert (rows["KR1"].kpm, rows["KR1"].status, rows["KR1"].nik) == (kpm, "tersalur", kpm.nik)
    assert (rows["KR2"].kpm, rows["KR2"].status) == (by_nik, "kartu_belum")
    assert (rows["KR3"].kpm, rows["KR3"].kanal, rows["KR3"].nik) == (None, "pos", "3171015008800099")


def test_job_runs_once_and_records_the_outcome(tmp_path, juni, registry, sekretariat):
    from django.core.files.uploadedfile import SimpleUploadedFile

    content = purchases_csv(tmp_path, registry).read_bytes()
    job = bank_files.create_job(
        bni(), TRANSAKSI, SimpleUploadedFile("trx.csv", content), user=sekretariat, dry_run=False
    )

    bank_files.run_job(job.pk)
    assert bank_files.run_job(job.pk) is None  # not twice

    job.refresh_from_db()
    assert job.status == JobStatus.SELESAI
    assert (job.baris_dibaca, job.baris_baru, job.baris_sudah_ada) == (3, 3, 0)
    assert ImporBank.objects.count() == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY path: PostgreSQL only")
def test_postgres_copy_path_imports_many_rows_once(tmp_path, juni, registry):
    _ewarong, _agen, kpm, _by_nik = registry
    lines = ["Referensi;Waktu;Jumlah;Nomor KKS;NIK;Terminal"]
    lines += [f"R{i:06d};2021-06-{1 + i % 28:02d} 10:00:00;1000;{kpm.nomor_kks};;EW-317101-001" for i in range(20_000)]
    path = write_csv(tmp_path, lines)

    first = bank_files.import_file(bni(), TRANSAKSI, path, dry_run=False, refresh=False)
    second = bank_files.import_file(bni(), TRANSAKSI, path, dry_run=False, refresh=False)

    assert (first.new, second.new, second.existing) == (20_000, 0, 20_000)
    assert Transaksi.objects.filter(kpm=kpm).count() == 20_000


def test_secretariat_previews_then_saves_a_bank_file_through_the_pages(
    client, tmp_path, juni, registry, sekretariat, django_capture_on_commit_callbacks
):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from tests.conftest import client_for

    client = client_for(client, sekretariat)
    upload = SimpleUploadedFile("trx.csv", purchases_csv(tmp_path, registry).read_bytes())
    with eager_tasks(), django_capture_on_commit_callbacks(execute=True):
        with_preview = client.post(
            reverse("distribusi:impor_bank"), {"bank": bni().pk, "jenis": "transaksi", "berkas": upload}
        )
    preview = ImporBank.objects.get()
    page = client.get(with_preview["Location"])

    assert preview.status == JobStatus.SELESAI  # Celery runs eagerly in tests
    assert Transaksi.objects.count() == 0
    assert "Simpan 3 baris baru" in page.content.decode()
    # June has no BNI credits yet: a warning to read before saving.
    assert [w["kode"] for w in preview.peringatan] == ["tanpa_kredit"]
    assert "belum punya data penyaluran (kredit)" in page.content.decode()

    with eager_tasks(), django_capture_on_commit_callbacks(execute=True):
        unread = client.post(reverse("distribusi:impor_bank_simpan", args=[preview.pk]), follow=True)
    assert "Baca dan centang peringatan" in unread.content.decode()
    assert (Transaksi.objects.count(), ImporBank.objects.count()) == (0, 1)

    with eager_tasks(), django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("distribusi:impor_bank_simpan", args=[preview.pk]), {"peringatan_diterima": "1"})

    assert Transaksi.objects.count() == 3
    saved = ImporBank.objects.get(pratinjau=preview)
    again = client.post(
        reverse("distribusi:impor_bank_simpan", args=[preview.pk]), {"peringatan_diterima": "1"}, follow=True
    )
    assert f"Pratinjau ini sudah disimpan: impor berkas bank #{saved.pk}." in again.content.decode()
    assert ImporBank.objects.count() == 2


def test_a_failed_bank_write_is_saved_again_from_its_preview_and_writes_its_rows_once(
    client, tmp_path, juni, registry, sekretariat, monkeypatch, django_capture_on_commit_callbacks
):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from penyaluran.distribusi import bank_staging
    from tests.conftest import client_for

    client = client_for(client, sekretariat)
    upload = SimpleUploadedFile("trx.csv", purchases_csv(tmp_path, registry).read_bytes())
    with eager_tasks(), django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("distribusi:impor_bank"), {"bank": bni().pk, "jenis": "transaksi", "berkas": upload})
    preview = ImporBank.objects.get()
    write = bank_staging.write_staged
    broken = {"once": True}

    def fails_once(*args, **kwargs):
        new = write(*args, **kwargs)  # the rows are in the table, inside the import's transaction...
        if broken.pop("once", False):
            raise ConnectionResetError("...when the connection drops")
        return new

    monkeypatch.setattr(bank_staging, "write_staged", fails_once)
    simpan = reverse("distribusi:impor_bank_simpan", args=[preview.pk])
    with eager_tasks(), django_capture_on_commit_callbacks(execute=True):
        client.post(simpan, {"peringatan_diterima": "1"})
    failed = ImporBank.objects.get(pratinjau=preview)
    page = client.get(reverse("distribusi:impor_bank_detail", args=[failed.pk])).content.decode()

    assert failed.status == JobStatus.GAGAL
    assert Transaksi.objects.count() == 0  # rolled back whole
    assert "Jalankan ulang" in page

    with eager_tasks(), django_capture_on_commit_callbacks(execute=True):
        client.post(simpan, {"peringatan_diterima": "1"})

    saved = ImporBank.objects.filter(pratinjau=preview).exclude(pk=failed.pk).get()
    assert (saved.status, saved.baris_baru) == (JobStatus.SELESAI, 3)
    assert Transaksi.objects.count() == 3


def test_only_the_secretariat_imports_bank_files(client, tikor_jakpus):
    from django.urls import reverse

    from tests.conftest import client_for

    assert client_for(client, tikor_jakpus).get(reverse("distribusi:impor_bank")).status_code == 403


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the heartbeat runs on PostgreSQL workers")
def test_job_reports_progress_in_the_database_while_rows_stream_in(
    tmp_path, juni, registry, sekretariat, monkeypatch, settings
):
    """The rows stream through one COPY inside the import's transaction; the heartbeat writes the progress on a
    connection of its own, so another connection (the page) sees it before the transaction ends."""
    import time

    from django.core.files.uploadedfile import SimpleUploadedFile

    from tikor.jobs import Heartbeat

    settings.JOB_HEARTBEAT_SECONDS = 0.02
    monkeypatch.setattr(bank_files, "PROGRESS_EVERY", 1)
    seen = []
    beat = Heartbeat.beat

    def beat_and_look(self):
        beat(self)
        row = ImporBank.objects.filter(pk=self.job.pk).values("status", "baris_dibaca", "detak").get()
        seen.append(row)

    monkeypatch.setattr(Heartbeat, "beat", beat_and_look)
    save_progress = ImporBank.save_progress

    def slowly(self, **fields):
        save_progress(self, **fields)
        time.sleep(0.15)  # a big file: time for a beat between two progress calls

    monkeypatch.setattr(ImporBank, "save_progress", slowly)
    content = purchases_csv(tmp_path, registry).read_bytes()
    job = bank_files.create_job(
        bni(), TRANSAKSI, SimpleUploadedFile("trx.csv", content), user=sekretariat, dry_run=False
    )

    bank_files.run_job(job.pk)

    job.refresh_from_db()
    assert job.status == JobStatus.SELESAI
    running = [row["baris_dibaca"] for row in seen if row["status"] == JobStatus.BERJALAN]
    assert {1, 2, 3} <= set(running)
    assert Transaksi.objects.count() == 3
    assert all(row["detak"] is not None for row in seen)
    assert (job.baris_dibaca, job.baris_valid, job.percobaan) == (3, 3, 1)


def test_rejected_bank_rows_come_back_as_xlsx_with_reasons_and_the_download_is_audited(
    client, tmp_path, juni, registry, sekretariat, tikor_jakpus, django_capture_on_commit_callbacks
):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse
    from openpyxl import load_workbook

    from tests.conftest import client_for
    from tikor.models import AuditLog

    ewarong, _agen, kpm, _by_nik = registry
    path = write_csv(
        tmp_path,
        [
            "Referensi;Waktu;Jumlah;Nomor KKS;NIK;Terminal",
            f"TRX001;2021-06-10 09:15:00;120000;{kpm.nomor_kks};;{ewarong.kode}",
            f"TRX002;kemarin;80000;{kpm.nomor_kks};;{ewarong.kode}",
            f'=HYPERLINK("http://contoh");2021-06-10 10:00:00;-5;{kpm.nomor_kks};;{ewarong.kode}',
            f"TRX004;2021-06-10 11:00:00;50000;{kpm.nomor_kks}",
        ],
    )
    sent = client_for(client, sekretariat)
    upload = SimpleUploadedFile("trx-juni.csv", path.read_bytes())
    with eager_tasks(), django_capture_on_commit_callbacks(execute=True):
        sent.post(
            reverse("distribusi:impor_bank"),
            {"bank": bni().pk, "jenis": "transaksi", "berkas": upload, "lewati_tidak_valid": "on"},
        )
    job = ImporBank.objects.get()
    page = sent.get(reverse("distribusi:impor_bank_detail", args=[job.pk])).content.decode()
    url = reverse("distribusi:impor_bank_baris_ditolak", args=[job.pk])

    assert (job.baris_dibaca, job.baris_baru, job.jumlah_tidak_valid) == (4, 1, 3)
    assert url in page
    assert client_for(client, tikor_jakpus).get(url).status_code == 403

    response = client_for(client, sekretariat).get(url)
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).worksheets[0]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    cells = {(cell.row, cell.column): cell for row in sheet.iter_rows() for cell in row}

    assert rows[0] == [
        "BARIS DI BERKAS ASAL", "Referensi", "Waktu", "Jumlah", "Nomor KKS", "NIK", "Terminal", "KETERANGAN KESALAHAN"
    ]  # fmt: skip
    assert [row[:2] for row in rows[1:]] == [[3, "TRX002"], [4, '=HYPERLINK("http://contoh")'], [5, "TRX004"]]
    assert cells[(3, 2)].data_type == "s"  # text from the bank file never becomes a formula
    assert rows[1][7].startswith("Waktu: Tanggal tidak dapat dibaca")
    assert rows[2][7].startswith("Jumlah: ")
    assert rows[3][6] is None  # the short row is padded: its reasons stay in their column
    assert rows[3][7].startswith("Terminal: ")
    audit = AuditLog.objects.get(aksi=AuditLog.Aksi.EKSPOR)
    assert (audit.pengguna, audit.objek, audit.jumlah_baris) == (sekretariat, "penyaluran.imporbank", 3)
