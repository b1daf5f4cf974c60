"""Hypothesis for the fuzz tests: one settings profile, and what a rejection must look like.

Profile "ci" (the default): the same examples on every run (derandomize), no deadline (a file import takes its
time), few examples, so tests/fuzz stays within a minute. HYPOTHESIS_PROFILE=dev draws fresh, more examples for
a longer hunt on a laptop. Tests take function-scoped fixtures (the database, users) that every example shares:
each example measures the state before and after itself, so the shared fixtures are what we want.
"""

import json
import os
import re

from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, event, settings

SHARED = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large]
settings.register_profile("ci", derandomize=True, deadline=None, max_examples=12, suppress_health_check=SHARED)
settings.register_profile("dev", deadline=None, max_examples=200, suppress_health_check=SHARED)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

# Words of an English (or Python) message; an Indonesian one for a person has none of them.
ENGLISH = re.compile(
    r"\b(the|is|are|must|invalid|error|field|required|enter|please|value|object|type|expected|"
    r"traceback|exception|cannot|could|should|not a|has no|does not|integer|string|unexpected)\b",
    re.IGNORECASE,
)


def english_in(message, *quoted):
    """English words in `message` once the values it quotes from the input are taken out; [] for Indonesian."""
    message = str(message)
    for value in sorted({str(q) for q in quoted if q not in (None, "")}, key=len, reverse=True):
        message = message.replace(value, "")
    return ENGLISH.findall(message)


def leaves(value):
    """Every scalar inside a JSON value, and every key, as text: the values a message may quote."""
    if isinstance(value, dict):
        return [text for key, item in value.items() for text in (str(key), *leaves(item))]
    if isinstance(value, list):
        return [text for item in value for text in leaves(item)]
    return [json.dumps(value) if not isinstance(value, str) else value]


def outcome(call):
    """(result, None), or (None, messages) for an import that refused the whole file (ValidationError)."""
    try:
        return call(), None
    except ValidationError as refused:
        return None, refused.messages


def assert_rows_named_in_indonesian(errors, rows=None):
    """Every RowError names a row of the file and a column, and says what is wrong in Indonesian."""
    quoted = [value for row in rows or () for value in row]
    # A CSV row is numbered by the line it ends on (readers._iter_csv): a cell with a line break moves the rest on.
    breaks = any("\n" in str(v) or "\r" in str(v) for v in quoted)
    last_row = None if rows is None or breaks else len(rows)
    for error in errors:
        assert error.row >= 1, error
        assert last_row is None or error.row <= last_row, error
        assert isinstance(error.column, str), error
        assert error.column.strip(), error
        assert error.message, error
        assert not english_in(error.message, error.value, *quoted), error


def assert_wrote_nothing_if_refused(result, refusal, before, counts, rows=None):
    """What every fuzzed import must show when refused: a whole file refused (`refusal`) or rows refused
    (`result.refused`) leaves the tables as `before`, and says why in Indonesian, naming row and column.
    Returns True when it was refused; otherwise the caller checks what the written file added."""
    event("berkas ditolak" if refusal is not None else "ditolak per baris" if result.refused else "disimpan")
    if refusal is not None:
        assert counts() == before
        assert not [m for m in refusal if english_in(m, *[v for row in rows or () for v in row])]
        return True
    assert_rows_named_in_indonesian(result.errors, rows)
    if result.refused:
        assert counts() == before
        return True
    return False
