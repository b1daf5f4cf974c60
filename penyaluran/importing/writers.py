"""Writing checked rows: set-based on PostgreSQL, batched and portable elsewhere. Both give the same registry.

A writer turns valid rows into what it stores (`prepare`, which runs in the import's worker processes
and so must not touch the database), receives those in file order (`add`), may be told to drop rows
found invalid later (`discard`), compares them with the table (`analyse`) and, when asked, writes only
new and changed rows (`write`), with a simple-history row ("~") for each changed row. New rows get no
history row (the ImportJob and the audit log record who brought them in); when a changed row has none
yet, its state as created is recorded first ("+", dated at its creation), so before and after are both
in the history. Unchanged rows are not touched at all.
"""

import datetime
import io
import operator
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.utils import timezone

SAMPLE_SIZE = 20
BASELINE_REASON = "Keadaan saat dibuat lewat impor registri"
MISSING_SAMPLE_SIZE = 50
COPY_BATCH = 5000
BULK_LOAD_ROWS = 20000  # a first load this big builds secondary indexes after inserting
ANALYZE_AFTER_ROWS = 10000  # a write this big refreshes the table's planner statistics


@dataclass
class Analysis:
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    missing: int = 0
    samples: list = field(default_factory=list)  # [{"row", "key", "changes": [(field, before, after)]}]
    missing_sample: list = field(default_factory=list)  # [(key, nama)]


def writer_for(kind, update_fields):
    if connection.vendor == "postgresql":
        return PostgresWriter(kind, update_fields)
    return PortableWriter(kind, update_fields)


class BaseWriter:
    def __init__(self, kind, update_fields):
        self.kind = kind
        self.model = kind.model
        self.fields = list(kind.fields)
        # The key never changes and is what rows are matched on; it is not compared.
        self.compared = [name for name in kind.fields if name in update_fields and name != kind.key]
        self._defaults = {name: kind.defaults.get(name) for name in self.fields}
        self._pick = operator.itemgetter(*self.fields)

    def full_values(self, values):
        """Every written field, in table order; fields the file does not have take their defaults."""
        return self._pick({**self._defaults, **values})

    def _diff(self, row_number, key, before, after):
        changes = [
            (self.model._meta.get_field(name.removesuffix("_id")).verbose_name, b, a)
            for name, b, a in zip(self.compared, before, after, strict=True)
            if b != a
        ]
        return {"row": row_number, "key": key, "changes": [(str(n), _show(b), _show(a)) for n, b, a in changes]}


def _show(value):
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    return str(value)


class PortableWriter(BaseWriter):
    """bulk_create / bulk_update of new and changed rows only, for SQLite (development and tests)."""

    batch_size = 500

    def __init__(self, kind, update_fields):
        super().__init__(kind, update_fields)
        self.rows = {}  # row number -> full values tuple
        self.key_index = self.fields.index(kind.key)

    def begin(self):
        pass

    def prepare(self, rows):
        return [(row_number, self.full_values(values)) for row_number, values in rows]

    def add(self, prepared):
        self.rows.update(prepared)

    def flush(self):
        pass

    def discard(self, row_numbers):
        for number in row_numbers:
            self.rows.pop(number, None)

    def analyse(self, other_keys=(), missing=True):
        """Count new, changed and unchanged rows; with `missing`, also the stored rows the file does not hold."""
        key = self.kind.key
        existing = {}
        keys = [values[self.key_index] for values in self.rows.values()]
        for start in range(0, len(keys), self.batch_size):
            chunk = keys[start : start + self.batch_size]
            for row in self.model._base_manager.filter(**{f"{key}__in": chunk}).values_list("pk", key, *self.compared):
                existing[row[1]] = (row[0], row[2:])
        positions = [self.fields.index(name) for name in self.compared]
        self.new_rows, self.changed_rows = [], []
        result = Analysis()
        for number, values in sorted(self.rows.items()):
            found = existing.get(values[self.key_index])
            if found is None:
                self.new_rows.append(values)
                continue
            incoming = tuple(values[p] for p in positions)
            if incoming == found[1]:
                result.unchanged += 1
                continue
            self.changed_rows.append((found[0], values))
            if len(result.samples) < SAMPLE_SIZE:
                result.samples.append(self._diff(number, values[self.key_index], found[1], incoming))
        result.new, result.changed = len(self.new_rows), len(self.changed_rows)
        self.missing_rows = []
        if not missing:
            return result
        in_file = set(keys) | set(other_keys)
        everything = self.model._base_manager.order_by(key).values_list(key, self.kind.name_field)
        self.missing_rows = [(k, nama) for k, nama in everything.iterator() if k not in in_file]
        result.missing = len(self.missing_rows)
        result.missing_sample = self.missing_rows[:MISSING_SAMPLE_SIZE]
        return result

    def iter_missing(self):
        """(key, nama) of every registry row the file does not hold, after analyse()."""
        return iter(self.missing_rows)

    def write(self, user, reason):
        now = timezone.now()
        history = self.model.history
        with transaction.atomic():
            created = self.model._base_manager.bulk_create(
                [self.model(**dict(zip(self.fields, values, strict=True))) for values in self.new_rows],
                batch_size=self.batch_size,
            )
            by_pk = self.model._base_manager.in_bulk([pk for pk, _values in self.changed_rows])
            with_history = set(history.filter(id__in=list(by_pk)).values_list("id", flat=True).distinct())
            baseline = [obj for pk, obj in by_pk.items() if pk not in with_history]
            for obj in baseline:
                obj._history_date, obj._history_user = obj.created_at, None
            history.bulk_history_create(baseline, batch_size=self.batch_size, default_change_reason=BASELINE_REASON)
            changed = []
            for pk, values in self.changed_rows:
                obj = by_pk[pk]
                for name, value in zip(self.fields, values, strict=True):
                    if name in self.compared:
                        setattr(obj, name, value)
                obj.updated_at = obj._history_date = now
                obj._history_user = user
                changed.append(obj)
            self.model._base_manager.bulk_update(changed, [*self.compared, "updated_at"], batch_size=self.batch_size)
            history.bulk_history_create(
                changed, batch_size=self.batch_size, update=True, default_change_reason=reason[:100]
            )
        return len(created) + len(changed)

    def close(self):
        self.rows = {}


_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_text(value):
    """A value in COPY's text format."""
    if value.__class__ is str:
        if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
            return value.translate(_COPY_ESCAPES)
        return value
    if value is None:
        return "\\N"
    if value is True or value is False:
        return "t" if value else "f"
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


class PostgresWriter(BaseWriter):
    """COPY into a temporary table, compare in SQL, then one INSERT ... ON CONFLICT ... WHERE DISTINCT.

    The staging table lives in the session, not in a transaction, so progress written to the job row
    while rows stream in is visible to the browser at once.
    """

    stage = "import_stage"
    todo = "import_todo"

    def begin(self):
        meta = self.model._meta
        self.table = meta.db_table
        self.history_table = self.model.history.model._meta.db_table
        columns = ", ".join(
            f"{name} {meta.get_field(name.removesuffix('_id')).db_type(connection)}" for name in self.fields
        )
        self.buffer = io.StringIO()
        self.pending = 0
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {self.stage}")
            cursor.execute(f"CREATE TEMPORARY TABLE {self.stage} (row_no integer, {columns})")

    def prepare(self, rows):
        """(row number, values) pairs as COPY text, and how many rows it holds."""
        full_values, text, tabs = self.full_values, _copy_text, len(self.fields)
        lines = []
        for row_number, values in rows:
            values = full_values(values)
            # Text as it is; one look at the whole line tells whether any of it needs COPY's escapes.
            line = "\t".join([str(row_number), *[v if v.__class__ is str else text(v) for v in values]])
            if line.count("\t") != tabs or "\\" in line or "\n" in line or "\r" in line:
                line = "\t".join([str(row_number), *map(text, values)])
            lines.append(line)
        lines.append("")
        return "\n".join(lines), len(rows)

    def add(self, prepared):
        text, count = prepared
        self.buffer.write(text)
        self.pending += count
        if self.pending >= COPY_BATCH:
            self.flush()

    def flush(self):
        if not self.pending:
            return
        self.buffer.seek(0)
        with connection.cursor() as cursor:
            cursor.cursor.copy_expert(f"COPY {self.stage} (row_no, {', '.join(self.fields)}) FROM STDIN", self.buffer)
        self.buffer = io.StringIO()
        self.pending = 0

    def discard(self, row_numbers):
        self.flush()
        if row_numbers:
            with connection.cursor() as cursor:
                cursor.execute(f"DELETE FROM {self.stage} WHERE row_no = ANY(%s)", [list(row_numbers)])

    def _distinct(self, left, right):
        return (
            f"ROW({', '.join(f'{left}.{n}' for n in self.compared)}) IS DISTINCT FROM "
            f"ROW({', '.join(f'{right}.{n}' for n in self.compared)})"
        )

    def analyse(self, other_keys=(), missing=True):
        self.flush()
        key = self.kind.key
        result = Analysis()
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {self.stage}")
            # The rows to write, found in one join: the counts, the sample and the writes all start here.
            cursor.execute(f"DROP TABLE IF EXISTS {self.todo}")
            cursor.execute(
                f"CREATE TEMPORARY TABLE {self.todo} AS SELECT s.row_no, t.id AS target_id "
                f"FROM {self.stage} s LEFT JOIN {self.table} t ON t.{key} = s.{key} "
                f"WHERE t.id IS NULL OR {self._distinct('t', 's')}"
            )
            cursor.execute(
                f"SELECT count(*) FILTER (WHERE target_id IS NULL), count(target_id), "
                f"(SELECT count(*) FROM {self.stage}) FROM {self.todo}"
            )
            result.new, result.changed, total = cursor.fetchone()
            result.unchanged = total - result.new - result.changed
            self.to_write, self.changed = result.new + result.changed, result.changed
            cursor.execute(f"SELECT NOT EXISTS (SELECT 1 FROM {self.table})")
            self.first_load = cursor.fetchone()[0] and result.new >= BULK_LOAD_ROWS
            if result.changed:
                cursor.execute(
                    f"SELECT s.row_no, s.{key}, {', '.join(f't.{n}' for n in self.compared)}, "
                    f"{', '.join(f's.{n}' for n in self.compared)} "
                    f"FROM {self.todo} d JOIN {self.stage} s USING (row_no) JOIN {self.table} t ON t.id = d.target_id "
                    f"ORDER BY s.row_no LIMIT {SAMPLE_SIZE}"
                )
                width = len(self.compared)
                for row in cursor.fetchall():
                    result.samples.append(self._diff(row[0], row[1], row[2 : 2 + width], row[2 + width :]))
            self.other_keys = list(other_keys)
            if not missing:
                return result
            cursor.execute(f"SELECT count(*) FROM {self.table}")
            if cursor.fetchone()[0] == total - result.new and not other_keys:
                return result  # every row of the table is in the file: none missing
            cursor.execute(f"SELECT count(*) {self._missing}", [self.other_keys])
            result.missing = cursor.fetchone()[0]
            cursor.execute(
                f"SELECT t.{key}, t.{self.kind.name_field} {self._missing} "
                f"ORDER BY t.{key} LIMIT {MISSING_SAMPLE_SIZE}",
                [self.other_keys],
            )
            result.missing_sample = cursor.fetchall()
        return result

    @property
    def _missing(self):
        key = self.kind.key
        return (
            f"FROM {self.table} t WHERE NOT EXISTS (SELECT 1 FROM {self.stage} s WHERE s.{key} = t.{key}) "
            f"AND NOT (t.{key} = ANY(%s))"
        )

    def iter_missing(self):
        """(key, nama) of every registry row the file does not hold, after analyse(), in pages."""
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT t.{self.kind.key}, t.{self.kind.name_field} {self._missing} ORDER BY 1", [self.other_keys]
            )
            while page := cursor.fetchmany(5000):
                yield from page

    def _history_select(self, source, date, kind, user, reason):
        """Column list and SELECT list for historical rows built from `source` (a table alias)."""
        columns, values = [], []
        for f in self.model.history.model._meta.concrete_fields:
            if f.attname == "history_id":
                continue
            columns.append(f.column)
            special = {"history_date": date, "history_type": kind, "history_user_id": user}
            values.append(
                special.get(f.attname, reason if f.attname == "history_change_reason" else f"{source}.{f.column}")
            )
        return ", ".join(columns), ", ".join(values)

    def write(self, user, reason):
        key, columns = self.kind.key, ", ".join(self.fields)
        updates = ", ".join(f"{n} = EXCLUDED.{n}" for n in self.compared)
        baseline_columns, baseline_values = self._history_select("t", "t.created_at", "'+'", "NULL", "%(baseline)s")
        history_columns, history_values = self._history_select(
            "up", "statement_timestamp()", "'~'", "%(user)s", "%(reason)s"
        )
        # A row that came in through an import has no history yet: record the state it was created
        # with before changing it, so the history shows before and after.
        baseline = f"""
            INSERT INTO {self.history_table} ({baseline_columns})
            SELECT {baseline_values} FROM {self.todo} d JOIN {self.table} t ON t.id = d.target_id
            WHERE NOT EXISTS (SELECT 1 FROM {self.history_table} h WHERE h.id = t.id)
        """
        upsert = f"""
            WITH up AS (
                INSERT INTO {self.table} ({columns}, created_at, updated_at)
                SELECT {", ".join(f"s.{n}" for n in self.fields)}, statement_timestamp(), statement_timestamp()
                -- Unchanged rows never reach ON CONFLICT, which would lock (and so write) each of them.
                FROM {self.todo} d JOIN {self.stage} s USING (row_no)
                ORDER BY s.{key}
                ON CONFLICT ({key}) DO UPDATE SET {updates}, updated_at = EXCLUDED.updated_at
                WHERE {self._distinct(self.table, "EXCLUDED")}
                RETURNING {self.table}.*, (xmax = 0) AS inserted
            ), history AS (
                INSERT INTO {self.history_table} ({history_columns})
                SELECT {history_values} FROM up WHERE NOT up.inserted
                RETURNING 1
            )
            SELECT count(*) FROM up
        """
        if not self.changed:
            # Only new rows (a first load, for one): no history to write, nothing to return.
            upsert = f"""
                INSERT INTO {self.table} ({columns}, created_at, updated_at)
                SELECT {", ".join(f"s.{n}" for n in self.fields)}, statement_timestamp(), statement_timestamp()
                FROM {self.todo} d JOIN {self.stage} s USING (row_no)
                ORDER BY s.{key}
                ON CONFLICT ({key}) DO NOTHING
            """
        params = {"user": getattr(user, "pk", None), "reason": reason[:100], "baseline": BASELINE_REASON}
        if not self.to_write:
            return 0
        with transaction.atomic(), connection.cursor() as cursor:
            # The import can be run again from its file; waiting for the WAL flush buys nothing here.
            cursor.execute("SET LOCAL synchronous_commit = off")
            cursor.execute("SET LOCAL work_mem = '64MB'")  # sort by key in memory, not on disk
            rebuild = self._set_aside_indexes_and_foreign_keys(cursor) if self.first_load else []
            if self.changed:
                cursor.execute(baseline, params)
                cursor.execute(upsert, params)
                written = cursor.fetchone()[0]
            else:
                cursor.execute(upsert, params)
                written = cursor.rowcount
            for statement in rebuild:
                cursor.execute(statement)
            if written >= ANALYZE_AFTER_ROWS:
                # Fresh statistics for the pages that count the registry by area, bank and status: without them a
                # table just loaded is estimated at a handful of rows and joined by nested loops (1 s instead of
                # 30 ms for a kota's active KPM), until autovacuum gets to it, if it runs at all.
                cursor.execute(f"ANALYZE {self.table}")
            return written

    def _set_aside_indexes_and_foreign_keys(self, cursor):
        """First load into an empty table: build secondary indexes and check foreign keys once, at the end.

        PostgreSQL's own advice for populating a database ("Remove Indexes", "Remove Foreign Key
        Constraints"): one index build and one validating join instead of 200.000 index insertions
        and 600.000 trigger lookups. Constraint indexes (primary key, unique NIK or kode) stay, ON
        CONFLICT needs them. It all happens in the import's transaction: a failure rolls back the
        rows and restores the indexes and constraints as they were. Returns the statements that put
        them back.
        """
        quote = connection.ops.quote_name
        # ALTER TABLE refuses to run while deferred checks from earlier in the transaction are pending.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        cursor.execute(
            "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
            "WHERE i.indrelid = %s::regclass "
            "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)",
            [self.table],
        )
        indexes = cursor.fetchall()
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = %s::regclass AND contype = 'f'",
            [self.table],
        )
        foreign_keys = cursor.fetchall()
        for name, _definition in foreign_keys:
            cursor.execute(f"ALTER TABLE {quote(self.table)} DROP CONSTRAINT {quote(name)}")
        for name, _definition in indexes:
            cursor.execute(f"DROP INDEX {quote(name)}")
        return [
            *(definition for _name, definition in indexes),
            *(f"ALTER TABLE {quote(self.table)} ADD CONSTRAINT {quote(n)} {d}" for n, d in foreign_keys),
        ]

    def close(self):
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {self.stage}, {self.todo}")
