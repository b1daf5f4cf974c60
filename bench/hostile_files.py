"""Benchmark of hostile files: how fast and how lean the import engine refuses them, against the libraries alone.

    SECRET_KEY=x .venv/bin/python bench/hostile_files.py

Needs no database. Builds, in --dir, the files of issue "Background jobs that never hang and never lie":
  1. far cell: a 2 KB XLSX declaring A1:XFD1048576 with one cell at XFD1048576;
  2. far cell, undeclared: the same cell behind a declared range of A1:B2;
  3. huge spaces: a 0,3 MB XLSX whose shared string is 300 MB of spaces;
  4. compression bomb: a 3 MB XLSX whose sheet unpacks to 3 GB (spaces in an inline string);
  5. oversized upload: a 150 MB bank CSV posted to the import form (limit IMPORT_UPLOAD_MAX_MB, 100 MB).
Each is handed, in a process of its own, to the engine's reader (penyaluran.importing.readers.iter_rows;
for 5, Django's request parser and the import form), and, as the baseline, to openpyxl alone (read-only,
every row read) and to python-calamine alone (the engine's reader for small sheets before the checks),
under a 4 GiB address-space cap and a --timeout. For 5 the baseline is what accepting the file cost
before: reading it whole with the engine's reader (the staging and writing come on top).
Figures: seconds from the start of reading to the refusal (or the end), the peak RSS of that process
(its ru_maxrss from wait4, which starts from this parent's own, printed first), how it ended, and the
ratio baseline / engine. No test asserts on these figures.
"""

import argparse
import json
import os
import resource
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchutil import angka, peak_rss_mb

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tests.registry_files import CRAFTED_HEADER_ROW, write_crafted_xlsx  # noqa: E402

CAP_BYTES = 4 << 30
MB = 1024 * 1024

SPACES = " " * MB


def write_xlsx(path, *, rows="", dimension=None, shared_spaces_mb=0, inline_spaces_mb=0):
    """A hostile XLSX, written in blocks so hundreds of MB of spaces never sit in memory."""
    return write_crafted_xlsx(
        path,
        CRAFTED_HEADER_ROW + rows,
        dimension=dimension,
        long_shared=(SPACES, shared_spaces_mb) if shared_spaces_mb else None,
        long_inline=(SPACES, inline_spaces_mb) if inline_spaces_mb else None,
    )


def write_bank_csv(path, megabytes):
    """Purchases as a bank sends them, about `megabytes` MB."""
    line = "{ref};3171010101{n:06d};KPM {n:06d};EW-{ew:04d};e-Warong {ew:04d};2021-06-15 09:{m:02d}:00;110000\n"
    with open(path, "w") as csv:
        csv.write("NO REFERENSI;NIK;NAMA;KODE E-WARONG;NAMA E-WARONG;WAKTU;NOMINAL\n")
        n = 0
        while csv.tell() < megabytes * MB:
            csv.writelines(
                line.format(ref=f"TRX{n + i:012d}", n=(n + i) % 10**6, ew=(n + i) % 253, m=(n + i) % 60)
                for i in range(10000)
            )
            n += 10000
    return path


def write_multipart(path, upload, fields):
    """A multipart/form-data request body posting `upload` as the field berkas, streamed to disk."""
    boundary = "----tikorbench"
    with open(path, "wb") as body, open(upload, "rb") as content:
        for name, value in fields.items():
            body.write(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
        body.write(
            f'--{boundary}\r\nContent-Disposition: form-data; name="berkas"; filename="{upload.name}"\r\n'
            "Content-Type: text/csv\r\n\r\n".encode()
        )
        for block in iter(lambda: content.read(MB), b""):
            body.write(block)
        body.write(f"\r\n--{boundary}--\r\n".encode())
    return path, f"multipart/form-data; boundary={boundary}"


# -- what runs in each child process -----------------------------------------------------------------------------


def started():
    """Tell the parent that reading starts now, and how much memory the process holds before it."""
    print(json.dumps({"start": time.time(), "rss_mb": peak_rss_mb()}), flush=True)


def child_engine(path):
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tikor.settings")
    import django

    django.setup()
    from django.core.exceptions import ValidationError

    from penyaluran.importing.readers import iter_rows

    started()
    try:
        rows = sum(1 for _ in iter_rows(path, Path(path).name))
    except ValidationError as exc:
        return f"refused: {exc.messages[0]}"
    return f"read {rows} rows"


def child_upload(body, content_type):
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tikor.settings")
    import django

    django.setup()
    from django.core.exceptions import ValidationError
    from django.core.handlers.wsgi import WSGIRequest

    from penyaluran.distribusi.views import ImporBankForm
    from penyaluran.registri.forms import ImportForm

    started()
    with open(body, "rb") as stream:
        request = WSGIRequest(
            {
                "REQUEST_METHOD": "POST",
                "PATH_INFO": "/penyaluran/impor/",
                "CONTENT_TYPE": content_type,
                "CONTENT_LENGTH": str(os.path.getsize(body)),
                "wsgi.input": stream,
                "SERVER_NAME": "testserver",
                "SERVER_PORT": "80",
            }
        )
        form = ImportForm(request.POST, request.FILES)
        bank_field = ImporBankForm.base_fields["berkas"]
        try:
            bank_field.clean(request.FILES["berkas"])
            bank = "accepted"
        except ValidationError:
            bank = "refused"
        if form.is_valid():
            return "accepted"
        return f"refused (bank form: {bank}): {form.errors['berkas'][0]}"


def child_openpyxl(path):
    from openpyxl import load_workbook

    started()
    workbook = load_workbook(path, read_only=True, data_only=True)
    rows = sum(1 for _ in workbook.worksheets[0].iter_rows(values_only=True))
    return f"read {rows} rows"


def child_calamine(path):
    from python_calamine import CalamineWorkbook

    started()
    sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0)
    return f"read {sum(1 for _ in sheet.iter_rows())} rows"


CHILDREN = {"engine": child_engine, "upload": child_upload, "openpyxl": child_openpyxl, "calamine": child_calamine}


def run_child(kind, *args):
    try:
        outcome = CHILDREN[kind](*args)
    except MemoryError:
        outcome = "MemoryError"
    except Exception as exc:  # the library's own error, reported as it is
        outcome = f"{exc.__class__.__name__}: {str(exc)[:80]}"
    print(json.dumps({"end": time.time(), "outcome": outcome}), flush=True)


def measure(kind, *args, timeout, env=None):
    """Run one child under the cap: its seconds from the start of reading to the end, its own peak RSS in MB
    (wait4 gives that child's; RUSAGE_CHILDREN would give the largest of all so far) and how it ended."""

    def cap():
        resource.setrlimit(resource.RLIMIT_AS, (CAP_BYTES, CAP_BYTES))

    with tempfile.TemporaryFile("w+") as stdout:
        process = subprocess.Popen(
            [sys.executable, __file__, "--child", kind, *map(str, args)],
            stdout=stdout,
            stderr=subprocess.DEVNULL,
            preexec_fn=cap,
            env={**os.environ, **(env or {})},
        )
        launched = time.time()
        status = usage = None
        timed_out = False
        while status is None:
            pid, status_word, rusage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                status, usage = status_word, rusage
            elif time.time() > launched + timeout:
                os.kill(process.pid, signal.SIGKILL)
                _pid, status, usage = os.wait4(process.pid, 0)
                timed_out = True
            else:
                time.sleep(0.02)
        ended = time.time()
        process.returncode = os.waitstatus_to_exitcode(status)
        stdout.seek(0)
        lines = [json.loads(line) for line in stdout if line.startswith("{")]
    start, before = next(((line["start"], line["rss_mb"]) for line in lines if "start" in line), (launched, 0))
    end = next((line for line in lines if "end" in line), None)
    if timed_out:
        outcome, seconds = f"stopped after {timeout} s", ended - start
    elif end is None:
        code = process.returncode
        outcome = f"killed by signal {-code} ({signal.Signals(-code).name})" if code < 0 else f"exit {code}"
        seconds = ended - start
    else:
        outcome, seconds = end["outcome"], end["end"] - start
    return {"seconds": seconds, "rss_mb": usage.ru_maxrss / 1024, "before_mb": before, "outcome": outcome}


def build(directory):
    """The hostile files, built once into `directory` (about 40 s: 3 GB of spaces go through deflate)."""
    far = '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'
    recipes = {
        "far cell": ("far-cell.xlsx", {"rows": far, "dimension": "A1:XFD1048576"}),
        "far cell, undeclared": ("far-cell-undeclared.xlsx", {"rows": far, "dimension": "A1:B2"}),
        "huge spaces": (
            "huge-spaces.xlsx",
            {"rows": '<row r="2"><c r="A2" t="s"><v>2</v></c></row>', "shared_spaces_mb": 300},
        ),
        "compression bomb": ("bomb.xlsx", {"inline_spaces_mb": 3 * 1024}),
    }
    files = {}
    for name, (file_name, recipe) in recipes.items():
        path = directory / file_name
        files[name] = path if path.exists() else write_xlsx(path, **recipe)
    bank_csv = directory / "bni-juni.csv"
    if not bank_csv.exists():
        write_bank_csv(bank_csv, 150)
    return files, bank_csv


def row(name, reader, figures):
    print(
        f"{name:<21} {reader:<9} {angka(figures['seconds'], 3):>9} {angka(figures['rss_mb']):>6} MB "
        f"{angka(figures['before_mb']):>6} MB  {figures['outcome'][:105]}"
    )


def ratio(baseline, engine):
    seconds, memory = baseline["seconds"] / engine["seconds"], baseline["rss_mb"] / engine["rss_mb"]
    return f"{angka(seconds, 1)}x time, {angka(memory, 1)}x RSS"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dir", type=Path, default=Path("/tmp/tikor-bench/hostile"))
    parser.add_argument("--timeout", type=int, default=120, help="seconds a baseline may run")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        run_child(*args.child)
        return
    (args.dir / "media").mkdir(parents=True, exist_ok=True)
    env = {"MEDIA_ROOT": str(args.dir / "media")}  # the upload's temporary file lands here

    started_at = time.perf_counter()
    files, bank_csv = build(args.dir)
    body, content_type = write_multipart(args.dir / "upload.body", bank_csv, {"jenis": "kpm"})
    print(
        f"files ready in {angka(time.perf_counter() - started_at, 1)} s; {os.cpu_count()} CPU; every child under a "
        f"{CAP_BYTES >> 30} GiB address-space cap; this parent peaks at {angka(peak_rss_mb())} MB (a floor of the "
        "children's peaks)"
    )
    for name, path in [*files.items(), ("oversized upload", bank_csv)]:
        print(f"  {name}: {path.name}, {angka(path.stat().st_size / MB, 2)} MB")
    print(f"\n{'file':<21} {'reader':<9} {'seconds':>9} {'peak RSS':>9} {'before':>9}  outcome")
    summary = []
    for name, path in files.items():
        engine = measure("engine", path, timeout=args.timeout, env=env)
        openpyxl = measure("openpyxl", path, timeout=args.timeout)
        calamine = measure("calamine", path, timeout=args.timeout)
        for reader, figures in (("engine", engine), ("openpyxl", openpyxl), ("calamine", calamine)):
            row(name, reader, figures)
        summary.append((name, engine, f"openpyxl {ratio(openpyxl, engine)}; calamine {ratio(calamine, engine)}"))
    upload = measure("upload", body, content_type, timeout=args.timeout, env=env)
    accepted = measure("engine", bank_csv, timeout=args.timeout, env=env)
    row("oversized upload", "form", upload)
    row("oversized upload", "accepted", accepted)
    summary.append(("oversized upload", upload, f"accepted and read whole {ratio(accepted, upload)}"))

    print("\n'before': the process's peak RSS when reading starts (Python, Django, the libraries).")
    print("Baseline / engine, and the engine's time to refusal and peak RSS (target: a few seconds, < 300 MB):")
    for name, engine, ratios in summary:
        print(f"  {name:<21} {angka(engine['seconds'], 3)} s, {angka(engine['rss_mb'])} MB; {ratios}")


if __name__ == "__main__":
    main()
