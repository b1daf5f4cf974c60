"""What a kind of file holds, and the header matching that finds its columns however a file spells them.

A kind (registry KPM, e-warong, ...; a bank's purchases or credits) names its columns with the header
exports write and the other spellings people give them; `find_header` finds the header row under any
title rows and maps it, `match_columns` maps one header row.
"""

import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError

HEADER_SEARCH_ROWS = 30


def header_key(text):
    """ "NO. KK" -> "nokk", "Desa/Kelurahan" -> "desakelurahan": one spelling for every variant."""
    return re.sub(r"[^a-z0-9]", "", str(text).lower())


@dataclass(frozen=True)
class Column:
    name: str  # key in a checked row: a model attname or a helper such as "kecamatan"
    header: str  # the Indonesian header exports write and messages use
    aliases: tuple = ()
    required: bool = False  # the column must be in the file
    fills: tuple | None = None  # the model fields a file with this column updates; by default (name,)

    @property
    def spellings(self):
        """The header keys this column answers to, best first: its header, then its aliases in order."""
        return tuple(dict.fromkeys([header_key(self.header), *(header_key(a) for a in self.aliases)]))

    @property
    def filled(self):
        return (self.name,) if self.fills is None else self.fills


@dataclass(frozen=True)
class Kind:
    """A kind of file for the engine (penyaluran.importing.engine): its columns, row checks and writer.

    `checker` is a RowChecker subclass, made once per import as checker(kind, header). The set-based
    writers (penyaluran.importing.writers) fill `model`, matched on `key`, with `fields`.
    """

    name: str
    label: str
    key: str  # the natural key the file is matched on
    columns: tuple
    checker: type
    model: type | None = None
    fields: tuple = ()  # model attnames an import writes, in table order
    defaults: dict = field(default_factory=dict)  # for new rows when the file has no such column
    always_updated: tuple = ()  # attnames computed for every row (jenis_kelamin from the NIK)
    key_label: str | None = None  # how messages name the key; by default the header the file gives it
    companion: str | None = None  # a value rows with one key must agree on (No KK for a NIK)
    name_field: str = "nama"  # what names a stored row in the list of rows missing from a complete file

    def column(self, name):
        return next(c for c in self.columns if c.name == name)


@dataclass
class HeaderMap:
    row: int  # Excel row number of the header
    index: dict  # column name -> cell index
    headers: dict  # column name -> header as written in the file
    extra: list  # headers in the file that the import ignores
    cells: list  # the header row as read, for the rejected-rows file


def match_columns(columns, cells, preferred=None):
    """Map a header row: ({column name: cell index}, {column name: header as written}, [ignored headers]).

    A column takes the cell with its best spelling: the one in `preferred` ({column name: header}, a bank's
    own header for it) first, then its header, then its aliases in order; of cells spelled alike, the first.
    """
    preferred = preferred or {}
    ranks = {}  # header key -> (column, rank): a spelling belongs to the first column that has it
    for column in columns:
        spellings = column.spellings
        if preferred.get(column.name):
            spellings = (header_key(preferred[column.name]), *spellings)
        for rank, key in enumerate(spellings):
            ranks.setdefault(key, (column, rank))
    best = {}  # column name -> (rank, cell index)
    for position, cell in enumerate(cells):
        found = ranks.get(header_key(cell))
        if found is not None and (found[0].name not in best or found[1] < best[found[0].name][0]):
            best[found[0].name] = (found[1], position)
    index = {name: position for name, (_rank, position) in best.items()}
    taken = set(index.values())
    headers = {name: " ".join(str(cells[position]).split()) for name, position in index.items()}
    extra = [text for p, cell in enumerate(cells) if p not in taken and (text := " ".join(str(cell).split()))]
    return index, headers, extra


def find_header(kind, rows):
    """Consume `rows` up to the header row (title rows above it are skipped) and map its columns.

    The header row is the first that names the kind's key column.
    """
    key_column = kind.column(kind.key)
    key_spellings = set(key_column.spellings)
    for row_number, cells in rows:
        if row_number > HEADER_SEARCH_ROWS:
            break
        if not any(header_key(cell) in key_spellings for cell in cells):
            continue
        index, headers, extra = match_columns(kind.columns, cells)
        if kind.key not in index:
            continue  # the key's spelling belongs to another column of the kind
        missing = [c.header for c in kind.columns if c.required and c.name not in index]
        if missing:
            raise ValidationError(
                f"Baris judul kolom (baris {row_number}) tidak memuat kolom wajib: {', '.join(missing)}."
            )
        return HeaderMap(row_number, index, headers, extra, list(cells))
    raise ValidationError(
        f"Baris judul kolom tidak ditemukan di {HEADER_SEARCH_ROWS} baris pertama: harus ada kolom {key_column.header}."
    )
