"""Importing the same content again writes nothing; a changed row updates that row and its history shows it."""

import pytest
from django.core.management import call_command

from penyaluran.registri.imports import create_job, import_file, run_job
from penyaluran.registri.models import ImportJob, Kpm
from tests.factories import KpmFactory, make_nik, make_no_kk
from tests.registry_files import write_xlsx

pytestmark = pytest.mark.django_db

HEADER = ["NIK", "No KK", "Nama KPM", "Kelurahan", "Kecamatan", "RT", "RW", "Bank", "Status"]


def registry_rows(count=5):
    return [
        [
            make_nik(serial=100 + i),
            make_no_kk(serial=100 + i),
            f"KPM Nomor {i}",
            "Gambir",
            "Gambir",
            "1",
            "2",
            "BNI",
            "Aktif",
        ]
        for i in range(count)
    ]


def test_second_import_of_the_same_file_writes_nothing(tmp_path, sekretariat):
    rows = registry_rows()
    path = write_xlsx(tmp_path / "kpm.xlsx", [HEADER, *rows])
    import_file("kpm", path, dry_run=False, user=sekretariat)
    stamps = dict(Kpm.objects.values_list("nik", "updated_at"))
    history = Kpm.history.count()

    again = import_file("kpm", path, dry_run=False, user=sekretariat)

    assert (again.analysis.new, again.analysis.changed, again.analysis.unchanged) == (0, 0, 5)
    assert again.written == 0
    assert dict(Kpm.objects.values_list("nik", "updated_at")) == stamps
    assert Kpm.history.count() == history == 0


def test_one_changed_field_updates_one_row_and_history_shows_before_and_after(tmp_path, sekretariat):
    rows = registry_rows()
    import_file("kpm", write_xlsx(tmp_path / "v1.xlsx", [HEADER, *rows]), dry_run=False, user=sekretariat)
    untouched = dict(Kpm.objects.values_list("nik", "updated_at"))
    rows[2][5] = "7"

    result = import_file(
        "kpm",
        write_xlsx(tmp_path / "v2.xlsx", [HEADER, *rows]),
        dry_run=False,
        user=sekretariat,
        reason="Impor #9 v2.xlsx",
    )

    assert (result.analysis.changed, result.analysis.unchanged, result.written) == (1, 4, 1)
    assert result.analysis.samples == [{"row": 4, "key": rows[2][0], "changes": [("RT", "1", "7")]}]
    changed = Kpm.objects.get(nik=rows[2][0])
    assert changed.rt == "7"
    assert changed.updated_at > untouched[changed.nik]
    assert {nik: ts for nik, ts in Kpm.objects.values_list("nik", "updated_at") if nik != changed.nik} == {
        nik: ts for nik, ts in untouched.items() if nik != changed.nik
    }
    after, before = changed.history.all()
    assert (before.history_type, before.history_date, before.history_user) == ("+", changed.created_at, None)
    assert before.history_change_reason == "Keadaan saat dibuat lewat impor registri"
    assert (after.history_type, after.history_date, after.history_user) == ("~", changed.updated_at, sekretariat)
    assert after.history_change_reason == "Impor #9 v2.xlsx"
    delta = after.diff_against(before)
    assert [(c.field, c.old, c.new) for c in delta.changes] == [("rt", "1", "7")]
    assert Kpm.history.count() == 2


def test_rows_missing_from_the_new_file_are_listed_not_deleted(tmp_path):
    old = KpmFactory(nama="Tidak Ada Lagi")
    path = write_xlsx(tmp_path / "kpm.xlsx", [HEADER, *registry_rows(2)])

    partial = import_file("kpm", path, dry_run=True)
    result = import_file("kpm", path, dry_run=False, complete=True)

    # Most files update some rows: only a file marked as the whole registry is compared with every row.
    assert (partial.analysis.missing, partial.missing_file) == (0, None)
    assert result.analysis.missing == 1
    assert result.analysis.missing_sample == [(old.nik, "Tidak Ada Lagi")]
    assert Kpm.objects.filter(pk=old.pk).exists()


def test_the_missing_rows_follow_the_nik_masking_of_the_role(tmp_path):
    from openpyxl import load_workbook

    from tikor.nik import mask_nik

    old = KpmFactory(nama="Tidak Ada Lagi")
    path = write_xlsx(tmp_path / "kpm.xlsx", [HEADER, *registry_rows(2)])

    result = import_file("kpm", path, dry_run=True, complete=True, mask_key=mask_nik)

    assert result.analysis.missing_sample == [(mask_nik(old.nik), "Tidak Ada Lagi")]
    assert mask_nik(old.nik) != old.nik
    sheet = load_workbook(__import__("io").BytesIO(result.missing_file)).active
    assert [list(r) for r in sheet.iter_rows(values_only=True)] == [
        ["NIK", "Nama"],
        [mask_nik(old.nik), "Tidak Ada Lagi"],
    ]


def test_columns_absent_from_the_file_are_left_as_they_are(tmp_path):
    kpm = KpmFactory(nik=make_nik(serial=100), no_kk=make_no_kk(serial=100), nama="KPM Nomor 0", alamat="Jl. Kenari 5")
    path = write_xlsx(tmp_path / "kpm.xlsx", [["NIK", "No KK", "Nama"], [kpm.nik, kpm.no_kk, "KPM Nomor 0"]])

    result = import_file("kpm", path, dry_run=False)

    assert (result.analysis.unchanged, result.written) == (1, 0)
    assert Kpm.objects.get().alamat == "Jl. Kenari 5"


def test_a_job_runs_once_and_records_its_counts(tmp_path, sekretariat):
    path = write_xlsx(tmp_path / "kpm.xlsx", [HEADER, *registry_rows(3)])
    with path.open("rb") as f:
        from django.core.files import File

        job = create_job("kpm", File(f, name="kpm.xlsx"), user=sekretariat, dry_run=False)

    run_job(job.pk)
    assert run_job(job.pk) is None

    job.refresh_from_db()
    assert job.status == ImportJob.Status.SELESAI
    assert (job.baris_dibaca, job.jumlah_baru, job.baris_ditulis) == (3, 3, 3)
    assert job.selesai >= job.mulai
    assert job.durasi.total_seconds() >= 0


def test_importing_a_file_already_imported_warns_first(tmp_path, capsys):
    path = write_xlsx(tmp_path / "kpm.xlsx", [HEADER, *registry_rows(2)])
    call_command("import_registry", "kpm", str(path))
    assert "sudah diimpor" not in capsys.readouterr().err

    call_command("import_registry", "kpm", str(path))

    captured = capsys.readouterr()
    assert "Perhatian: berkas dengan isi yang sama sudah diimpor pada" in captured.err
    assert "tidak berubah 2" in captured.out
