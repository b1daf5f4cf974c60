"""Whether a request wrote to the database: every statement that changed rows, as it runs, and the program's
tables as counts and a hash of their rows, compared before and after."""

import contextlib
import hashlib
import re

from django.apps import apps
from django.db import connection

# Tables a refused request may still write: the session, the login throttle and the audit trail.
UNWATCHED_TABLES = ("django_session", "axes_", "tikor_auditlog")
PROGRAM_APPS = ("tikor", "penyaluran", "monev", "auth")

_WRITE = re.compile(r"^\s*(INSERT\s+INTO|UPDATE|DELETE\s+FROM|TRUNCATE|COPY)\s+\"?(?P<table>\w+)", re.IGNORECASE)


class WriteRecorder:
    """A database execute wrapper: the tables of every INSERT, UPDATE, DELETE (or COPY, TRUNCATE) that changed a
    row on this connection while it is installed. Cheaper than a snapshot per request, and it names the table."""

    def __init__(self):
        self.tables = []

    def __call__(self, execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        match = _WRITE.match(sql)
        if match and not match["table"].startswith(UNWATCHED_TABLES):
            rowcount = getattr(context["cursor"], "rowcount", -1)
            if rowcount != 0:
                self.tables.append(match["table"])
        return result

    @contextlib.contextmanager
    def watching(self):
        self.tables = []
        with connection.execute_wrapper(self):
            yield self


def snapshot():
    """{table: (row count, hash of its rows)} for every table of the program's apps."""
    state = {}
    with connection.cursor() as cursor:
        for model in apps.get_models():
            meta = model._meta
            if meta.app_label not in PROGRAM_APPS or not meta.managed or meta.db_table.startswith(UNWATCHED_TABLES):
                continue
            cursor.execute(f'SELECT * FROM "{meta.db_table}"')  # the name comes from the model
            rows = sorted(repr(row) for row in cursor.fetchall())
            state[meta.db_table] = (len(rows), hashlib.sha256("\n".join(rows).encode()).hexdigest())
    return state


def differences(before, after):
    return sorted(table for table in before.keys() | after.keys() if before.get(table) != after.get(table))
