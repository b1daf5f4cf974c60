"""Checking a big file's rows in worker processes, in order, with a bounded number of chunks in flight.

The reader hands out chunks (blocks of sheet XML or lists of rows); a worker turns a chunk into checked
rows. Workers are forked, so they inherit the reader and the row checker as they are (shared strings,
lookups of regions and codes), and touch neither the database nor the files being written. Results come
back in file order, so messages, duplicates and progress read exactly as in one process.
"""

import collections
import logging
import multiprocessing
import os

from django.conf import settings

logger = logging.getLogger(__name__)

_function = None  # the chunk function of the import in progress, inherited by forked workers


def worker_count(path):
    """Worker processes for a file: none for a small one, where forking costs more than it saves."""
    workers = settings.IMPORT_WORKERS or os.cpu_count() or 1
    if workers < 2 or os.path.getsize(path) < settings.IMPORT_PARALLEL_ABOVE_BYTES:
        return 0
    return workers


def _fork_pool(workers):
    """A pool of forked workers, also from a Celery worker process.

    Celery's prefork children are daemonic, and multiprocessing refuses to start children from a daemonic
    process, because it would not wait for them at exit. This pool is always terminated and joined before
    map_chunks returns, and a worker whose parent dies reads end-of-file on its task pipe and exits, so the
    flag is lifted while the pool starts and put back at once.
    """
    config = multiprocessing.current_process()._config
    daemon = config.pop("daemon", None)
    try:
        return multiprocessing.get_context("fork").Pool(workers)
    finally:
        if daemon is not None:
            config["daemon"] = daemon


def _call(chunk):
    return _function(chunk)


def map_chunks(function, chunks, workers):
    """Yield function(chunk) for every chunk, in order; in `workers` forked processes when there are two or more.

    At most two chunks per worker are in flight, so a big file is never held in memory whole.
    """
    if workers < 2:
        yield from map(function, chunks)
        return
    global _function
    _function = function
    try:
        pool = _fork_pool(workers)
    except OSError as exc:  # the system refuses more processes
        logger.warning("Import continues in one process: no worker processes (%s).", exc)
        _function = None
        yield from map(function, chunks)
        return
    try:
        pending = collections.deque()
        for chunk in chunks:
            pending.append(pool.apply_async(_call, (chunk,)))
            if len(pending) >= 2 * workers:
                yield pending.popleft().get()
        while pending:
            yield pending.popleft().get()
    finally:
        pool.terminate()
        pool.join()
        _function = None
