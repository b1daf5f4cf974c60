"""Reads of dashboards and reports on a read replica, when one is configured (issue 19).

With `DATABASE_REPLICA_URL` set, the settings add a database alias "replica" (a streaming standby of the primary)
and name it in `READ_REPLICA`.
Code that only reads and can bear a few seconds of replication lag, the dashboards, the map and the report
builders, runs inside `reading()` (or under `@replica_reads`): their queries go to the replica, every other read and
every write stays on the primary. Without the setting the router routes nothing and everything uses "default".

Reads are not sent to the replica wholesale: a page that saves a row and reads it back, an import that checks what
it just staged, or a job that claims its row must see the primary. So the replica is opt-in per unit of work, and a
write inside `reading()` still goes to the primary (a replica refuses writes).
"""

import functools
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings

_reading = ContextVar("tikor_replica_reading", default=False)


def alias():
    """The database alias reads inside `reading()` go to, or None without a replica (settings.READ_REPLICA)."""
    return settings.READ_REPLICA


@contextmanager
def reading():
    """Inside this block, reads go to the replica (when there is one)."""
    token = _reading.set(True)
    try:
        yield
    finally:
        _reading.reset(token)


def replica_reads(view):
    """Decorator form of `reading()` for a view or a builder function."""

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        with reading():
            return view(*args, **kwargs)

    return wrapper


class ReplicaRouter:
    """Routes reads to the replica inside `reading()`; writes, migrations and everything else to the primary."""

    def db_for_read(self, model, **hints):
        if _reading.get():
            return alias()
        return None

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        # The replica is a copy of the primary: rows read from either may be related.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        # The replica follows the primary's schema by streaming; it is never migrated itself.
        return db == "default"
