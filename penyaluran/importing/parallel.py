"""Checking a big file's rows in worker processes, in order, with a bounded number of chunks in flight.

The reader hands out chunks (blocks of sheet XML or lists of rows); a worker turns a chunk into checked
rows. Workers are forked, so they inherit the reader and the row checker as they are (shared strings,
lookups of regions and codes), and touch neither the database nor the files being written. Results come
back in file order, so messages, duplicates and progress read exactly as in one process.

Checking runs under a memory limit (IMPORT_MEMORY_MB): each worker for its whole life, the importing
process while it reads and checks. A file that needs more fails with MemoryError, told as a refusal in
Indonesian, instead of the kernel killing the process; a worker that dies all the same fails the import
instead of leaving it waiting for a result that never comes.
"""

import collections
import contextlib
import logging
import multiprocessing
import multiprocessing.util
import os
import threading

from django.conf import settings
from django.core.exceptions import ValidationError

from tikor.formatting import angka
from tikor.jobs import Heartbeat

try:
    import resource
except ImportError:  # not a POSIX system: no limit
    resource = None

logger = logging.getLogger(__name__)

WAIT_SECONDS = 1  # how often the importing process looks whether its workers still live

_function = None  # the chunk function of the import in progress, inherited by forked workers
_limited = 0  # depth of memory_limit blocks in this process


def worker_count(path):
    """Worker processes for a file: none for a small one, where forking costs more than it saves."""
    workers = settings.IMPORT_WORKERS or os.cpu_count() or 1
    if workers < 2 or os.path.getsize(path) < settings.IMPORT_PARALLEL_ABOVE_BYTES:
        return 0
    return workers


def out_of_memory():
    """The refusal of a file whose checking ran out of the memory one process may take."""
    return ValidationError(
        f"Pemeriksaan berkas ini memerlukan lebih dari {angka(settings.IMPORT_MEMORY_MB)} MB memori, batas satu "
        "proses, jadi berkas ini tidak dibaca; periksa isinya (sel atau baris yang tidak wajar), atau bagi datanya "
        "menjadi beberapa berkas."
    )


def _address_space():
    """Bytes of address space this process has mapped now (Linux), else None."""
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError):
        return None


def _cap_memory(megabytes):
    """Let this process map at most `megabytes` more than it has now, never looser than a limit already
    set (by the importing process a worker was forked from, or by the administrator). Returns the soft
    limit it replaced, or None when it set none (already as tight, or no /proc or resource module)."""
    used = _address_space()
    if resource is None or used is None:
        return None
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    cap = used + megabytes * 1024 * 1024
    if hard != resource.RLIM_INFINITY:
        cap = min(cap, hard)
    if soft != resource.RLIM_INFINITY and soft <= cap:
        return None  # already as tight
    resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    return soft


@contextlib.contextmanager
def memory_limit():
    """Check a file under IMPORT_MEMORY_MB more address space than the process has now; past it, the
    file is refused (ValidationError) instead of the process being killed.

    Only in a process with one thread besides a job's heartbeat, as a Celery worker process is: the limit
    holds for the whole process, and would also bind the other requests of a threaded server (runserver,
    tasks run eagerly).
    """
    global _limited
    previous = None
    if _limited == 0 and _single_threaded():
        previous = _cap_memory(settings.IMPORT_MEMORY_MB)
    _limited += 1
    try:
        yield
    except MemoryError:
        raise out_of_memory() from None
    finally:
        _limited -= 1
        if previous is not None:
            resource.setrlimit(resource.RLIMIT_AS, (previous, resource.getrlimit(resource.RLIMIT_AS)[1]))


def _single_threaded():
    """No other thread runs here but the job's own heartbeat (which the work may outlive by nothing)."""
    here = threading.current_thread()
    return all(t is here or isinstance(t, Heartbeat) for t in threading.enumerate())


def _start_worker(megabytes):
    _cap_memory(megabytes)


def _fork_pool(workers):
    """A pool of forked workers, each under the memory limit, also from a Celery worker process.

    Celery's prefork children are daemonic, and multiprocessing refuses to start children from a daemonic
    process, because it would not wait for them at exit. This pool is always terminated and joined before
    map_chunks returns, and a worker whose parent dies reads end-of-file on its task pipe and exits, so the
    flag is lifted while the pool starts and put back at once.
    """
    config = multiprocessing.current_process()._config
    daemon = config.pop("daemon", None)
    try:
        with _without_inherited_after_fork_hooks():
            return multiprocessing.get_context("fork").Pool(
                workers, initializer=_start_worker, initargs=(settings.IMPORT_MEMORY_MB,)
            )
    finally:
        if daemon is not None:
            config["daemon"] = daemon


@contextlib.contextmanager
def _without_inherited_after_fork_hooks():
    """The workers only check rows. The after-fork hooks other libraries registered in this process must not
    run in them: kombu's closes the broker connections a child inherits, and on a channel that was waiting
    for the broker it reads from the socket the parent still owns, blocking the child for ever (seen with a
    Celery consumer in the same process). Hooks of what the pool itself creates are registered afresh."""
    registry = multiprocessing.util._afterfork_registry
    inherited = dict(registry)
    registry.clear()
    try:
        yield
    finally:
        registry.update(inherited)


def _call(chunk):
    try:
        return _function(chunk)
    except MemoryError:
        raise out_of_memory() from None


def _result(pending, processes):
    """The result of the oldest chunk in flight; a refusal if a worker died (its chunk would never come back)."""
    result = pending.popleft()
    while True:
        try:
            return result.get(WAIT_SECONDS)
        except multiprocessing.TimeoutError:
            # A pool replaces a dead worker but forgets its task; the workers it started with never exit on their own.
            dead = [process for process in processes if _ended(process)]
            if dead:
                logger.error("Import worker %s ended (exit code %s).", dead[0].pid, dead[0].exitcode)
                raise ValidationError(
                    "Proses pemeriksa baris berhenti mendadak saat membaca berkas ini (kemungkinan kehabisan memori), "
                    "jadi berkas ini tidak dibaca; periksa isinya atau bagi datanya menjadi beberapa berkas, lalu "
                    "coba lagi."
                ) from None


def _ended(process):
    """True when a worker process has ended. Its exit code alone is not enough: where SIGCHLD is ignored or
    another part of the program reaps children (a test runner, a library), waitpid never sees it end."""
    if process.exitcode is not None:
        return True
    try:
        os.kill(process.pid, 0)
    except ProcessLookupError:
        return True
    return False


def map_chunks(function, chunks, workers):
    """Yield function(chunk) for every chunk, in order; in `workers` forked processes when there are two or more.

    At most two chunks per worker are in flight, so a big file is never held in memory whole.
    """
    if workers < 2:
        try:
            yield from map(function, chunks)
        except MemoryError:
            raise out_of_memory() from None
        return
    global _function
    _function = function
    try:
        pool = _fork_pool(workers)
    except OSError as exc:  # the system refuses more processes
        logger.warning("Import continues in one process: no worker processes (%s).", exc)
        _function = None
        yield from map_chunks(function, chunks, 1)
        return
    processes = list(pool._pool)
    try:
        pending = collections.deque()
        for chunk in chunks:
            pending.append(pool.apply_async(_call, (chunk,)))
            if len(pending) >= 2 * workers:
                yield _result(pending, processes)
        while pending:
            yield _result(pending, processes)
    finally:
        pool.terminate()
        pool.join()
        _function = None
