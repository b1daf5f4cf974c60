"""Checking one data row of a kind's file: each column through its parser, every error collected."""

from django.core.exceptions import ValidationError

from penyaluran.importing.cells import RowError, display


class RowChecker:
    """Parse one data row into values, collecting every error instead of stopping at the first.

    A kind's checker lists its columns in `parsers()` as (column, parser, *arguments). Only the columns
    the file has are parsed, so a column absent from the file leaves the stored value alone; `derive` then
    fills what follows from several cells or from another value. Columns in `repeated` hold few distinct
    values over a file (a status, a bank) and are parsed once per value.

    The checker is made once per import, before the worker processes are forked, so what it reads from
    the database (its lookups) is read once and inherited by the workers, which touch no database.
    """

    repeated = frozenset()

    def __init__(self, kind, header):
        self.kind = kind
        self.header = header
        self.memo = {}
        self.steps = [
            (name, header.index[name], parser, args, name in self.repeated)
            for name, parser, *args in self.parsers()
            if name in header.index
        ]

    def parsers(self):
        """(column, parser, *arguments) for every column parsed on its own, in file-independent order."""
        return []

    def derive(self, values):
        """Fill the values that come from several cells or from another value; errors through self.error."""

    def check(self, row_number, cells):
        self.row_number, self.cells, self.errors = row_number, cells, []
        values = {}
        width, memo = len(cells), self.memo
        for name, position, parser, args, repeated in self.steps:
            value = cells[position] if position < width else None
            if value == "":
                value = None
            if repeated:
                outcome = memo.get((name, value))
                if outcome is None:
                    try:
                        outcome = memo[(name, value)] = (True, parser(value, *args))
                    except ValidationError as exc:
                        outcome = memo[(name, value)] = (False, exc.messages[0])
                if outcome[0]:
                    values[name] = outcome[1]
                    continue
                message = outcome[1]
            else:
                try:
                    values[name] = parser(value, *args)
                    continue
                except ValidationError as exc:
                    message = exc.messages[0]
            values[name] = None
            self.error(name, value, message)
        self.derive(values)
        return values, self.errors

    def error(self, name, value, message):
        """An error on column `name`, named by the header the file gives it."""
        header = self.header.headers.get(name) or self.kind.column(name).header
        self.errors.append(RowError(self.row_number, header, display(value), message))
