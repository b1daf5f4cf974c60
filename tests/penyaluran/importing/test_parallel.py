"""A big file is checked in forked worker processes: the outcome must be exactly that of one process.

Chunks are made tiny here so a few dozen rows cross many chunk boundaries, with a duplicate NIK and a
NIK given with two No KK far apart, invalid rows in several chunks, and both XLSX readers.
"""

import datetime
import multiprocessing
import os

import pytest

from penyaluran.importing import engine, limits, xlsx, xlsx_stream
from penyaluran.importing.parallel import map_chunks
from penyaluran.registri import imports
from penyaluran.registri.models import Kpm
from tests.factories import EWarongFactory, make_nik, make_no_kk
from tests.registry_files import write_xlsx

pytestmark = pytest.mark.django_db

HEADER = ["NIK", "NO. KK", "NAMA KPM", "TGL LAHIR", "KELURAHAN", "KEC.", "NOMOR KKS", "BANK", "KODE E-WARONG"]
KELURAHAN = ["Gambir", "Cideng", "Petojo Utara", "Gelora", "Tebet Timur"]


def data(count=60):
    rows = []
    for i in range(count):
        born = datetime.date(1950 + i % 40, 1 + i % 12, 1 + i % 28)
        rows.append([
            make_nik(born=born, female=i % 2 == 1, serial=1 + i), make_no_kk(serial=1 + i // 2), f"KPM {i}",
            born, KELURAHAN[i % 5], "", f"60{i:014d}", ["BNI", "BRI"][i % 2], "EW-0001" if i % 3 == 0 else "",
        ])  # fmt: skip
    rows[7][0] = "31710112"  # too short
    rows[23][4] = "Kelurahan Antah Berantah"
    rows[41] = [*rows[3]]  # the same KPM again, 38 rows later
    rows[52][0], rows[52][1] = rows[11][0], make_no_kk(serial=999)  # one NIK, two No KK
    return rows


def outcome(result):
    a = result.analysis
    registry = list(Kpm.objects.order_by("nik").values_list("nik", "no_kk", "nama", "kelurahan_id", "ewarong_id"))
    return [str(e) for e in result.errors], (a.new, a.changed, a.unchanged, result.invalid, result.written), registry


@pytest.mark.parametrize("reader", ["calamine", "streaming"])
def test_worker_processes_give_the_outcome_of_one_process(tmp_path, monkeypatch, settings, reader):
    EWarongFactory(kode="EW-0001")
    path = write_xlsx(tmp_path / "kpm.xlsx", [["DAFTAR KPM"], HEADER, *data()])
    monkeypatch.setattr(limits, "ROWS_PER_CHUNK", 7)
    if reader == "streaming":
        monkeypatch.setattr(xlsx, "STREAM_ABOVE_BYTES", 0)
        monkeypatch.setattr(xlsx_stream, "XML_BLOCK_BYTES", 2000)  # about 4 rows per block

    settings.IMPORT_WORKERS = 1
    alone = outcome(imports.import_file("kpm", path, dry_run=False, skip_invalid=True))
    Kpm.objects.all().delete()

    pids = []
    check = engine._ChunkChecker.__call__

    def check_and_tell(self, chunk):
        checked = check(self, chunk)
        checked.pid = os.getpid()
        return checked

    map_chunks = engine.map_chunks

    def watch(*args):
        for checked in map_chunks(*args):
            pids.append(checked.pid)
            yield checked

    monkeypatch.setattr(engine._ChunkChecker, "__call__", check_and_tell)
    monkeypatch.setattr(engine, "map_chunks", watch)
    settings.IMPORT_WORKERS, settings.IMPORT_PARALLEL_ABOVE_BYTES = 2, 0
    together = outcome(imports.import_file("kpm", path, dry_run=False, skip_invalid=True))

    assert len(pids) >= 8  # many chunks,
    assert os.getpid() not in pids  # all checked in worker processes
    assert together == alone
    errors, counts, registry = together
    assert counts == (54, 0, 0, 6, 54)  # 60 rows, 6 refused: both copies of each duplicated NIK among them
    assert [e.split(":")[0] for e in errors] == [
        "Baris 6, kolom NIK “" + data()[3][0] + "”",
        "Baris 10, kolom NIK “31710112”",
        "Baris 14, kolom NO. KK “" + data()[11][1] + "”",
        "Baris 26, kolom KELURAHAN “Kelurahan Antah Berantah”",
        "Baris 44, kolom NIK “" + data()[3][0] + "”",
        "Baris 55, kolom NO. KK “" + make_no_kk(serial=999) + "”",
    ]
    assert len(registry) == 54


def _pid(_chunk):
    return os.getpid()


def test_workers_also_start_inside_a_daemonic_process_as_celery_runs_imports():
    # A Celery prefork child is daemonic, and multiprocessing refuses children to those by default.
    context = multiprocessing.get_context("fork")
    answers = context.Queue()

    def celery_child():
        answers.put((os.getpid(), list(map_chunks(_pid, range(6), 2))))

    child = context.Process(target=celery_child, daemon=True)
    child.start()
    parent, pids = answers.get(timeout=60)
    child.join(timeout=60)

    assert len(pids) == 6
    assert parent not in pids


def test_workers_do_not_run_the_after_fork_hooks_this_process_registered():
    """kombu registers one that closes inherited broker connections; on a channel waiting for the broker it
    blocked a checking worker for ever. Here a hook that kills the child stands for it."""
    import multiprocessing.util

    class Connection:
        pass

    inherited = Connection()
    multiprocessing.util.register_after_fork(inherited, lambda _obj: os._exit(3))

    pids = list(map_chunks(_pid, range(6), 2))

    assert len(pids) == 6
    assert os.getpid() not in pids
    assert inherited in multiprocessing.util._afterfork_registry.values()  # still there for other forks
    del inherited
