"""A hostile or broken file is refused at once, in one Indonesian sentence that names the problem.

The files are built here byte by byte, as an attacker or a broken exporter would write them: a sheet that
declares (or really reaches) cell XFD1048576, a shared string of 300 MB of spaces squeezed into 0,3 MB, an
archive whose central directory lies about its sizes, CSV that is no text. How fast and how lean each
refusal is, is measured by bench/hostile_files.py; these tests check that each is refused, and how.
"""

import os
import random
import signal
import string

import pytest
from django.core.exceptions import ValidationError

from penyaluran.importing import readers, xlsx, xlsx_stream
from penyaluran.importing.parallel import map_chunks, memory_limit
from penyaluran.registri import imports
from tests.registry_files import CRAFTED_HEADER_ROW as HEADER_ROW
from tests.registry_files import declare_size, write_crafted_xlsx


def refusal(path, name=None):
    with pytest.raises(ValidationError) as refused:
        list(readers.iter_rows(path, name or path.name))
    (message,) = refused.value.messages
    assert not {"zip", "error", "file"} & set(message.lower().split())  # no library's English inside
    return message


@pytest.fixture(params=["calamine", "streaming"])
def xlsx_reader(request, monkeypatch):
    """Small sheets go to calamine after the checks, big ones to the streaming reader: both must refuse."""
    if request.param == "streaming":
        monkeypatch.setattr(xlsx, "STREAM_ABOVE_BYTES", 0)
    return request.param


# -- the far cell -----------------------------------------------------------------------------------------------


def test_a_sheet_declaring_cell_xfd1048576_is_refused_unread(tmp_path):
    path = write_crafted_xlsx(
        tmp_path / "kpm.xlsx", HEADER_ROW + '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>',
        dimension="A1:XFD1048576",
    )  # fmt: skip

    message = refusal(path)

    assert message.startswith(
        "Lembar pertama menyatakan rentang terpakai A1:XFD1048576 (1.048.576 baris, 16.384 kolom)"
    )
    assert "lebih dari batas 1.000 kolom satu impor" in message
    assert "hapus isi dan format sel di luar tabel data" in message


def test_a_far_cell_behind_a_modest_declaration_is_refused_by_name(tmp_path, xlsx_reader):
    path = write_crafted_xlsx(
        tmp_path / "kpm.xlsx", HEADER_ROW + '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>', dimension="A1:B2"
    )

    message = refusal(path)

    assert message.startswith(
        "Baris 1.048.576, kolom XFD (kolom ke-16.384) berada di luar batas 1.000 kolom satu impor"
    )


def test_a_far_cell_without_any_declaration_is_refused_by_name_too(tmp_path):
    path = write_crafted_xlsx(tmp_path / "kpm.xlsx", HEADER_ROW + "<row r=\"9\"><c r='ZZZ9'><v>1</v></c></row>")

    assert refusal(path).startswith("Baris 9, kolom ZZZ (kolom ke-18.278) berada di luar batas 1.000 kolom")


def test_the_limits_are_settings(tmp_path, settings):
    settings.IMPORT_MAX_COLUMNS, settings.IMPORT_MAX_ROWS = 20, 1000
    path = write_crafted_xlsx(tmp_path / "kpm.xlsx", HEADER_ROW + '<row r="5000"><c r="A5000"><v>1</v></c></row>')

    assert refusal(path).startswith("Baris 5.000, kolom A (kolom ke-1) berada di luar batas 1.000 baris satu impor")


def test_a_sparse_sheet_within_the_limits_is_read_by_the_streaming_reader(tmp_path):
    # One cell at ALL100000 makes calamine build 100.000 x 1.000 cells (3 GB): the streaming reader keeps two rows.
    path = write_crafted_xlsx(tmp_path / "kpm.xlsx", HEADER_ROW + '<row r="100000"><c r="ALL100000"><v>7</v></c></row>')

    source = readers.open_source(path, "kpm.xlsx")
    rows = list(readers.iter_rows(path, "kpm.xlsx"))

    assert isinstance(source, xlsx_stream.XmlSheetSource)
    assert rows == [(1, ["NIK", "NAMA"]), (100000, [*[""] * 999, 7.0])]


# -- compression bombs and lying archives -------------------------------------------------------------------------


def test_a_shared_string_of_300_mb_of_spaces_is_refused_before_it_is_unpacked(tmp_path):
    path = write_crafted_xlsx(
        tmp_path / "kpm.xlsx", HEADER_ROW + '<row r="2"><c r="A2" t="s"><v>2</v></c></row>',
        long_shared=(" " * (1 << 20), 300),
    )  # fmt: skip
    assert path.stat().st_size < 1024 * 1024

    message = refusal(path)

    assert message.startswith("Berkas XLSX ini tidak wajar: bagiannya xl/sharedStrings.xml membesar 1.0")
    assert "(0,3 MB menjadi 300 MB), lebih dari batas 100 kali" in message


def test_an_archive_declaring_more_than_the_unpacked_limit_is_refused(tmp_path):
    path = write_crafted_xlsx(tmp_path / "kpm.xlsx", HEADER_ROW)
    declare_size(path, "xl/worksheets/sheet1.xml", 3_000_000_000)

    message = refusal(path)

    assert message.startswith("Berkas XLSX ini berisi 2.861 MB data setelah dibuka, lebih dari batas 2.048 MB")


def test_a_part_holding_more_than_it_declares_is_refused_as_damaged(tmp_path, xlsx_reader):
    # The directory says 2 KB; the stream holds 20 MB of spaces. Every reader stops at the declared size.
    path = write_crafted_xlsx(
        tmp_path / "kpm.xlsx", HEADER_ROW + '<row r="2"><c r="A2" t="s"><v>2</v></c></row>',
        long_shared=(" " * (1 << 20), 20),
    )  # fmt: skip
    declare_size(path, "xl/sharedStrings.xml", 2000)

    assert refusal(path) == (
        "Berkas XLSX rusak dan tidak dapat dibaca; simpan ulang dari Excel sebagai XLSX atau sebagai CSV UTF-8."
    )


# -- cells too long ---------------------------------------------------------------------------------------------------


def test_a_cell_of_millions_of_spaces_is_refused_by_name_when_the_ratio_lets_it_through(
    tmp_path, settings, xlsx_reader
):
    settings.IMPORT_MAX_COMPRESSION_RATIO = 100_000
    path = write_crafted_xlsx(
        tmp_path / "kpm.xlsx",
        HEADER_ROW + '<row r="2"><c r="A2" t="s"><v>0</v></c><c r="B2" t="s"><v>2</v></c></row>',
        long_shared=(" " * (1 << 20), 20),
    )

    assert refusal(path) == (
        "Baris 2, kolom B: isi sel lebih dari 32.767 karakter (batas Excel), jadi berkas ini tidak dibaca; "
        "periksa sel itu, lalu simpan ulang berkasnya."
    )


def test_a_long_inline_text_that_compresses_poorly_is_refused_by_name(tmp_path, xlsx_reader):
    text = "".join(random.Random(4).choices(string.ascii_letters, k=40_000))
    path = write_crafted_xlsx(
        tmp_path / "kpm.xlsx",
        HEADER_ROW + f'<row r="3"><c r="A3"><v>1</v></c><c r="C3" t="inlineStr"><is><t>{text}</t></is></c></row>',
    )

    assert refusal(path).startswith("Baris 3, kolom C: isi sel lebih dari 32.767 karakter (batas Excel)")


def test_a_cell_at_excels_own_limit_is_read(tmp_path):
    path = write_crafted_xlsx(tmp_path / "kpm.xlsx", HEADER_ROW + '<row r="2"><c r="B2" t="s"><v>2</v></c></row>',
                      long_shared=("x", 32_767))  # fmt: skip

    assert list(readers.iter_rows(path, "kpm.xlsx"))[1] == (2, ["", "x" * 32_767])


# -- not what the name says ---------------------------------------------------------------------------------------


def test_a_csv_named_xlsx_is_refused_as_not_xlsx(tmp_path):
    path = tmp_path / "kpm.xlsx"
    path.write_text("NIK;NAMA\n3171010101800001;Siti\n")

    assert refusal(path) == (
        "Berkas bukan XLSX yang sah (isinya bukan arsip XLSX); simpan ulang dari Excel sebagai XLSX atau sebagai "
        "CSV UTF-8."
    )


def test_an_old_xls_or_password_protected_file_is_named_as_such(tmp_path):
    path = tmp_path / "kpm.xlsx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(2000))

    assert refusal(path).startswith("Berkas ini berformat Excel lama (XLS) atau dilindungi kata sandi")


def test_an_xlsx_named_csv_is_named_as_such(tmp_path):
    path = write_crafted_xlsx(tmp_path / "bni.csv", HEADER_ROW)

    assert refusal(path).startswith("Isi berkas ini XLSX, bukan CSV: ganti akhiran namanya menjadi .xlsx")


# -- CSV ------------------------------------------------------------------------------------------------------------


def test_a_csv_in_utf16_is_refused_with_what_to_do(tmp_path):
    path = tmp_path / "bni.csv"
    path.write_text("NIK\tNAMA\n3171010101800001\tSiti\n", encoding="utf-16")

    assert refusal(path) == (
        "Berkas tidak terbaca sebagai teks dalam pengodean yang dikenal (UTF-8 atau Windows-1252); "
        "simpan ulang sebagai CSV UTF-8 atau XLSX."
    )


def test_a_csv_with_a_byte_windows1252_lacks_is_read_not_refused_with_a_codec_error(tmp_path):
    path = tmp_path / "bni.csv"
    path.write_bytes(b"NIK;NAMA\n3171010101800001;Caf\x8f\n")

    assert list(readers.iter_rows(path, "bni.csv")) == [(1, ["NIK", "NAMA"]), (2, ["3171010101800001", "Caf\x8f"])]


def test_a_csv_line_of_many_megabytes_is_refused_before_it_is_parsed(tmp_path):
    path = tmp_path / "bni.csv"
    path.write_bytes(b"NIK;NAMA\n1;Siti\n" + b";" * (3 * 1024 * 1024) + b"\n")

    assert refusal(path).startswith("Baris 3 berkas CSV lebih panjang dari 1 MB")


def test_a_csv_cell_longer_than_excel_allows_is_refused_by_name(tmp_path):
    path = tmp_path / "bni.csv"
    path.write_text("NIK;NAMA\n1;" + " " * 40_000 + "\n")

    assert refusal(path).startswith("Baris 2, kolom B: isi sel lebih dari 32.767 karakter")


def test_a_csv_past_the_row_and_column_limits_is_refused(tmp_path, settings):
    settings.IMPORT_MAX_ROWS, settings.IMPORT_MAX_COLUMNS = 3, 5
    wide, long = tmp_path / "lebar.csv", tmp_path / "panjang.csv"
    wide.write_text("NIK;NAMA\n1;Siti;;;;;;;x\n")
    long.write_text("NIK;NAMA\n" + "1;Siti\n" * 5)

    assert refusal(wide).startswith("Baris 2, kolom I (kolom ke-9) berada di luar batas 5 kolom satu impor")
    assert refusal(long) == "Berkas berisi lebih dari 3 baris, batas satu impor; bagi datanya menjadi beberapa berkas."


# -- through the engine, and out of memory -------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_import_of_a_hostile_file_fails_with_the_readers_message(tmp_path):
    path = write_crafted_xlsx(tmp_path / "kpm.xlsx", HEADER_ROW, dimension="A1:XFD1048576")

    with pytest.raises(ValidationError, match="rentang terpakai A1:XFD1048576"):
        imports.import_file("kpm", path)


def _swallow_memory(chunk):
    return bytearray(1 << 30)  # 1 GB: more than the worker may take


def _die(chunk):
    os.kill(os.getpid(), signal.SIGKILL)


def test_a_worker_out_of_memory_fails_the_check_with_a_message(settings):
    settings.IMPORT_MEMORY_MB = 256

    with pytest.raises(ValidationError) as refused:
        list(map_chunks(_swallow_memory, iter([b"blok"] * 4), 2))

    assert refused.value.messages == [
        "Pemeriksaan berkas ini memerlukan lebih dari 256 MB memori, batas satu proses, jadi berkas ini tidak "
        "dibaca; periksa isinya (sel atau baris yang tidak wajar), atau bagi datanya menjadi beberapa berkas."
    ]


def test_a_worker_that_dies_fails_the_check_instead_of_leaving_it_waiting():
    with pytest.raises(ValidationError, match="Proses pemeriksa baris berhenti mendadak"):
        list(map_chunks(_die, iter([b"blok"] * 4), 2))


def _limited_then_freed(megabytes):
    """In a forked child (one thread, whatever threads the test process runs): exit 0 when the check is refused
    past the limit and the limit is lifted after."""
    import resource

    before = resource.getrlimit(resource.RLIMIT_AS)
    try:
        with memory_limit():
            bytearray(1 << 30)
    except ValidationError as exc:
        refused = f"lebih dari {megabytes} MB memori" in exc.messages[0]
    else:
        refused = False
    os._exit(0 if refused and resource.getrlimit(resource.RLIMIT_AS) == before else 1)


def test_the_importing_process_is_limited_while_it_checks_and_freed_after(settings):
    import multiprocessing

    settings.IMPORT_MEMORY_MB = 256
    child = multiprocessing.get_context("fork").Process(target=_limited_then_freed, args=(256,))
    child.start()
    child.join(60)

    assert child.exitcode == 0
