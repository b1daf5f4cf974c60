"""What the fuzz tests send: values a person, a spreadsheet program or a broken phone could produce."""

import datetime
import decimal

from hypothesis import strategies as st

# Text as people and programs type it: any character (NUL, right-to-left marks, emoji, surrogate-free), spaces
# around, formulas, numbers written as text, and very long runs.
junk_text = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=12).map(lambda s: f"  {s}  "),
    st.sampled_from(
        ["", " ", "=1+1", "@SUM(A1)", "-", "0", "00", "1e309", "NaN", "inf", "-1", "null", "None", "true", "'", '"']
        + ["\x00", "a\x1bb", "\x7f"]
    ),
    st.sampled_from(["\u202e", "\ufeff", "\u00a0", "\t", "\r\n", "🍚", "ß", "İ", "ǅ"]),
    st.integers(min_value=1, max_value=400).map(lambda n: "x" * n * 50),
)

numbers = st.one_of(
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.decimals(allow_nan=False, allow_infinity=False, places=3),
)

moments = st.one_of(
    st.dates(min_value=datetime.date(1, 1, 1), max_value=datetime.date(9999, 12, 31)),
    st.datetimes(min_value=datetime.datetime(1900, 1, 1), max_value=datetime.datetime(9999, 12, 31)),
    st.times(),
)

# One cell of a CSV or XLSX file.
cell = st.one_of(st.none(), junk_text, numbers, moments, st.booleans())

# JSON of any shape.
json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.text(max_size=20)),
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)


def as_text(value):
    """A cell as a CSV writer puts it."""
    if value is None:
        return ""
    if isinstance(value, decimal.Decimal):
        return format(value, "f")
    return str(value)
