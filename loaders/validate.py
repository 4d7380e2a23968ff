"""Type a chunk against its contract, column by column (vectorised), and say why rows fail.

A failing row gets the first reason found; the rest of the chunk goes on.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from loaders.contract import Column, Contract

DATE_DTYPE = "datetime64[s]"  # whole days, any year from 1 to 9999 (nanoseconds stop at 2262)


def validate(
    frame: pd.DataFrame, contract: Contract, today: date
) -> tuple[pd.DataFrame, pd.Series]:
    """Returns the typed rows that passed, and a reason for each line number that failed."""
    reasons = pd.Series(pd.NA, index=frame.index, dtype=object)
    typed = {}
    for column in contract.columns:
        if column.name not in frame.columns:  # an optional column the file does not have
            typed[column.name] = _absent(column, frame.index)
            if column.name in contract.natural_key:
                reasons = reasons.fillna(f"missing {column.name}")
            continue
        raw = frame[column.name]
        values, problems = _convert(raw, column, contract)
        if column.name in contract.natural_key or not column.nullable:
            missing = values.isna() & problems.isna()
            problems = problems.mask(missing, f"missing {column.name}")
        if column.non_negative:
            negative = _is_negative(values) & problems.isna()
            problems = problems.mask(negative, f"negative {column.name}: " + raw.astype(str))
        if column.not_future and column.type == "date":
            future = (values > pd.Timestamp(today)).fillna(False) & problems.isna()
            problems = problems.mask(future, f"{column.name} in the future: " + raw.astype(str))
        reasons = reasons.fillna(problems)
        typed[column.name] = values
    result = pd.DataFrame(typed, index=frame.index)
    failed = reasons.notna()
    return result.loc[~failed], reasons.loc[failed]


def _convert(raw: pd.Series, column: Column, contract: Contract) -> tuple[pd.Series, pd.Series]:
    text = raw.astype(str).str.strip()
    is_null = raw.isna() | text.isin(contract.null_markers)
    if column.type == "text":
        return text.mask(is_null), _no_problems(raw)
    if column.type in ("int", "float"):
        return _numbers(text, is_null, column, contract)
    if column.type == "date":
        return _dates(text, is_null, column)
    return _bools(text, is_null, column)


def _numbers(text, is_null, column, contract):
    cleaned = text
    if contract.thousands_separator:
        cleaned = cleaned.str.replace(contract.thousands_separator, "", regex=False)
    numbers = pd.to_numeric(cleaned.mask(is_null), errors="coerce")
    as_float = numbers.astype("float64")  # to test range and finiteness in one dtype
    bad = (numbers.isna() & ~is_null) | (numbers.notna() & ~np.isfinite(as_float))
    if column.type == "int":
        bad |= numbers.notna() & ((np.floor(as_float) != as_float) | (as_float.abs() >= 2.0**63))
        values = numbers.mask(bad).astype("Int64")
        label = "an integer"
    else:
        values = as_float.mask(bad)
        label = "a number"
    problems = _no_problems(text).mask(bad, f"{column.name}: {label} expected, found " + text)
    return values, problems


def _dates(text, is_null, column):
    parsed = pd.Series(pd.NaT, index=text.index, dtype=DATE_DTYPE)
    for fmt in column.date_formats:
        pending = parsed.isna() & ~is_null
        if not pending.any():
            break
        attempt = pd.to_datetime(text.where(pending), format=fmt, errors="coerce")
        parsed = parsed.where(parsed.notna(), attempt.astype(DATE_DTYPE))
    bad = parsed.isna() & ~is_null
    expected = " or ".join(column.date_formats)
    problems = _no_problems(text).mask(
        bad, f"{column.name}: date {expected} expected, found " + text
    )
    return parsed, problems


TRUE_WORDS = {"1", "true", "t", "yes", "y"}
FALSE_WORDS = {"0", "false", "f", "no", "n"}


def _bools(text, is_null, column):
    lowered = text.str.lower()
    values = pd.Series(pd.NA, index=text.index, dtype="boolean")
    values = values.mask(lowered.isin(TRUE_WORDS), True).mask(lowered.isin(FALSE_WORDS), False)
    bad = values.isna() & ~is_null
    problems = _no_problems(text).mask(bad, f"{column.name}: true/false expected, found " + text)
    return values, problems


def _is_negative(values: pd.Series) -> pd.Series:
    if pd.api.types.is_numeric_dtype(values):
        return (values < 0).fillna(False).astype(bool)
    return pd.Series(False, index=values.index)


ABSENT_DTYPES = {"int": "Int64", "float": "float64", "date": DATE_DTYPE, "bool": "boolean"}


def _absent(column: Column, index: pd.Index) -> pd.Series:
    """All-null values of the column's type, for an optional column the file does not have."""
    return pd.Series(None, index=index, dtype=ABSENT_DTYPES.get(column.type, object))


def _no_problems(like: pd.Series) -> pd.Series:
    return pd.Series(pd.NA, index=like.index, dtype=object)
