"""Convert one column of strings to its contract type, with Arrow kernels on the usual input.

The fast path casts the whole column at once (`pyarrow.compute`); it is taken only when every
value is one the slower pandas rules accept identically, and otherwise the column goes through
those rules (`to_numeric`, `to_datetime` per format), which find and word each bad value. So
the typed values and the reasons never depend on which path ran.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from loaders.core.contract import Column, Contract

DATE_DTYPE = "datetime64[s]"  # whole days, any year from 1 to 9999 (nanoseconds stop at 2262)
FIRST_DAY = (date(1, 1, 1) - date(1970, 1, 1)).days
TRUE_WORDS = {"1", "true", "t", "yes", "y"}
FALSE_WORDS = {"0", "false", "f", "no", "n"}
LABELS = {"int": "an integer", "float": "a number", "bool": "true/false"}
TYPED = {  # a column a reshape typed already: how to tell, and the dtype it becomes
    "date": (pd.api.types.is_datetime64_any_dtype, DATE_DTYPE),
    "int": (pd.api.types.is_integer_dtype, "Int64"),
    "float": (pd.api.types.is_float_dtype, "float64"),
}


@dataclass
class Converted:
    """A column's typed values and, per row, whether it was bad or missing."""

    values: pd.Series
    bad: np.ndarray  # not a value of the type
    missing: np.ndarray  # null (or a null marker)
    expected: str  # "an integer expected", for the reason of a bad value
    trimmed: pa.Array | None  # the text as read, trimmed; None for a typed column
    raw: pd.Series
    codes: np.ndarray | None = None  # row -> position in `trimmed`, for repeated values

    def found(self, rows: np.ndarray) -> pd.Series:
        positions = np.flatnonzero(rows) if self.codes is None else self.codes[rows]
        return _series(self.trimmed.take(pa.array(positions)), self.raw.index[rows])

    def raw_text(self, rows: np.ndarray) -> pd.Series:
        part = self.raw[rows]
        if pd.api.types.is_datetime64_any_dtype(part):
            return part.dt.strftime("%Y-%m-%d")
        return part.astype(str)

    def negative(self) -> np.ndarray:
        if not pd.api.types.is_numeric_dtype(self.values) or pd.api.types.is_bool_dtype(
            self.values
        ):
            return np.zeros(len(self.values), dtype=bool)
        return (self.values < 0).fillna(False).to_numpy(dtype=bool)

    def after(self, today: date) -> np.ndarray:
        return (self.values > pd.Timestamp(today)).fillna(False).to_numpy(dtype=bool)


def convert(raw: pd.Series, column: Column, contract: Contract) -> Converted:
    if isinstance(raw.dtype, pd.CategoricalDtype):
        return _convert_repeated(raw, column, contract)
    typed = TYPED.get(column.type)
    if typed is not None and typed[0](raw.dtype) and not pd.api.types.is_bool_dtype(raw.dtype):
        values = raw.astype(typed[1])  # handed over typed by a reshape: nothing to parse
        none = np.zeros(len(raw), dtype=bool)
        return Converted(values, none, values.isna().to_numpy(), "", None, raw)
    text = _arrow_text(raw)
    trimmed = pc.utf8_trim_whitespace(text)
    markers = pa.array(contract.null_markers, type=trimmed.type)
    null = pc.or_kleene(pc.is_null(text), pc.is_in(trimmed, value_set=markers))
    is_null = null.to_numpy(zero_copy_only=False)
    candidates = pc.if_else(null, pa.scalar(None, trimmed.type), trimmed)
    if column.type in ("int", "float") and contract.thousands_separator:
        candidates = pc.replace_substring(candidates, contract.thousands_separator, "")
    fast = _fast(candidates, column)
    if fast is None:
        values, bad = _slow(_series(trimmed, raw.index), candidates, is_null, column)
    else:
        values, bad = fast
        values.index = raw.index
    if column.type == "date":
        expected = f"date {' or '.join(column.date_formats)} expected"
    else:
        expected = f"{LABELS.get(column.type, 'text')} expected"
    return Converted(values, bad, is_null & ~bad, expected, trimmed, raw)


def _convert_repeated(raw: pd.Series, column: Column, contract: Contract) -> Converted:
    """A categorical column (a place's name on each of its days, say): each distinct value is
    converted once, and the results repeated row by row."""
    distinct = pd.Series([*raw.cat.categories.astype(object), None], dtype=object)
    codes = raw.cat.codes.to_numpy().astype(np.intp)
    codes[codes < 0] = len(distinct) - 1  # a null: the None appended
    once = convert(distinct, column, contract)
    if column.type == "text":  # Arrow strings: taken in Arrow, not through pandas' take
        values = _series(pa.array(once.values).take(pa.array(codes)), raw.index)
    else:
        values = once.values.take(codes).set_axis(raw.index)
    return Converted(
        values, once.bad[codes], once.missing[codes], once.expected, once.trimmed, raw, codes
    )


def _series(values: pa.Array, index: pd.Index, types_mapper=None) -> pd.Series:
    series = values.to_pandas(types_mapper=types_mapper)
    series.index = index
    return series


def _arrow_text(raw: pd.Series) -> pa.Array:
    """The column as Arrow strings (no copy when pandas already holds it in Arrow)."""
    try:
        text = pa.array(raw, type=pa.large_string(), from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError):  # not all strings: take their text
        text = pa.array(raw.astype(str).mask(raw.isna()), type=pa.large_string(), from_pandas=True)
    return text.combine_chunks() if isinstance(text, pa.ChunkedArray) else text


def _fast(candidates: pa.Array, column: Column) -> tuple[pd.Series, np.ndarray] | None:
    """The whole column cast at once and its bad values (nan, inf), or None when a value needs
    the slower rules."""
    good = np.zeros(len(candidates), dtype=bool)
    if column.type == "text":
        return candidates.to_pandas(), good
    if column.type == "bool":
        return None
    if column.type in ("int", "float"):
        if any(pc.any(pc.match_substring(candidates, x)).as_py() for x in "xX"):
            return None  # Arrow reads 0x1F as hex; pandas does not
        kind = pa.int64() if column.type == "int" else pa.float64()
        try:
            cast = pc.cast(candidates, kind)
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            return None
        if column.type == "int":
            return cast.to_pandas(types_mapper={pa.int64(): pd.Int64Dtype()}.get), good
        bad = pc.fill_null(pc.and_kleene(pc.is_valid(cast), pc.invert(pc.is_finite(cast))), False)
        bad = bad.to_numpy(zero_copy_only=False)
        values = pd.Series(cast.to_numpy(zero_copy_only=False), dtype="float64")
        return values.mask(bad), bad
    if column.date_formats[0] != "%Y-%m-%d":
        return None
    try:
        days = pc.cast(candidates, pa.date32())  # strictly YYYY-MM-DD, real dates
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None
    first = pc.min(days.cast(pa.int32())).as_py()  # days since 1970-01-01
    if first is not None and first < FIRST_DAY:  # year 0: Arrow takes it, pandas does not
        return None
    return pd.Series(pc.cast(days, pa.timestamp("s")).to_numpy(zero_copy_only=False)), good


def _slow(text: pd.Series, candidates: pa.Array, is_null: np.ndarray, column: Column):
    """pandas' rules, value by value in C: the typed values and which ones are bad."""
    cleaned = _series(candidates, text.index)
    null = pd.Series(is_null, index=text.index)
    if column.type in ("int", "float"):
        return _numbers(cleaned, null, column)
    if column.type == "date":
        return _dates(text, null, column)
    if column.type == "text":
        return cleaned, np.zeros(len(text), dtype=bool)
    return _bools(text, null)


def _numbers(cleaned: pd.Series, is_null: pd.Series, column: Column):
    numbers = pd.to_numeric(cleaned.mask(is_null), errors="coerce")
    as_float = numbers.astype("float64")  # to test range and finiteness in one dtype
    bad = (numbers.isna() & ~is_null) | (numbers.notna() & ~np.isfinite(as_float))
    if column.type == "int":
        bad |= numbers.notna() & ((np.floor(as_float) != as_float) | (as_float.abs() >= 2.0**63))
        values = numbers.mask(bad).astype("Int64")
    else:
        values = as_float.mask(bad)
    return values, bad.to_numpy(dtype=bool)


def _dates(text: pd.Series, is_null: pd.Series, column: Column):
    parsed = pd.Series(pd.NaT, index=text.index, dtype=DATE_DTYPE)
    for fmt in column.date_formats:
        pending = parsed.isna() & ~is_null
        if not pending.any():
            break
        attempt = pd.to_datetime(text.where(pending), format=fmt, errors="coerce")
        parsed = parsed.where(parsed.notna(), attempt.astype(DATE_DTYPE))
    return parsed, (parsed.isna() & ~is_null).to_numpy(dtype=bool)


def _bools(text: pd.Series, is_null: pd.Series):
    lowered = text.str.lower()
    values = pd.Series(pd.NA, index=text.index, dtype="boolean")
    values = values.mask(lowered.isin(TRUE_WORDS), True).mask(lowered.isin(FALSE_WORDS), False)
    return values, (values.isna() & ~is_null).to_numpy(dtype=bool)
