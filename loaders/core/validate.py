"""Type a chunk against its contract, column by column (vectorised), and say why rows fail.

A failing row gets the first reason found, in contract column order; the rest of the chunk goes
on. Values are converted with Arrow kernels (`loaders.core.convert`); a reshape may also hand over a
column already typed (dates as datetime64, whole numbers as Int64), which is then checked but
not parsed again.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import numpy as np
import pandas as pd

from loaders.core.contract import Column, Contract
from loaders.core.convert import DATE_DTYPE, convert

__all__ = ["DATE_DTYPE", "validate"]


class _Reasons:
    """The first reason per row position; rows that already failed keep their reason."""

    def __init__(self, size: int):
        self.failed = np.zeros(size, dtype=bool)
        self.text = np.full(size, None, dtype=object)

    def add(self, mask: np.ndarray, prefix: str, texts: Callable | None = None) -> None:
        """`prefix`, followed by `texts(rows)` (one text per new failing row) when given."""
        new = mask & ~self.failed
        if new.any():
            self.text[new] = prefix if texts is None else (prefix + texts(new)).to_numpy()
            self.failed |= new


def validate(
    frame: pd.DataFrame, contract: Contract, today: date
) -> tuple[pd.DataFrame, pd.Series]:
    """Returns the typed rows that passed, and a reason for each line number that failed."""
    reasons = _Reasons(len(frame))
    typed = {}
    for column in contract.columns:
        if column.name not in frame.columns:  # an optional column the file does not have
            typed[column.name] = _absent(column, frame.index)
            if column.name in contract.natural_key:
                reasons.add(np.ones(len(frame), dtype=bool), f"missing {column.name}")
            continue
        converted = convert(frame[column.name], column, contract)
        reasons.add(converted.bad, f"{column.name}: {converted.expected}, found ", converted.found)
        if column.name in contract.natural_key or not column.nullable:
            reasons.add(converted.missing & ~converted.bad, f"missing {column.name}")
        if column.non_negative:
            reasons.add(converted.negative(), f"negative {column.name}: ", converted.raw_text)
        if column.not_future and column.type == "date":
            reasons.add(
                converted.after(today), f"{column.name} in the future: ", converted.raw_text
            )
        typed[column.name] = converted.values
    result = pd.DataFrame(typed, index=frame.index)
    if not reasons.failed.any():
        return result, pd.Series([], index=frame.index[:0], dtype=object)
    failed = reasons.failed
    return result.loc[~failed], pd.Series(reasons.text[failed], index=frame.index[failed])


ABSENT_DTYPES = {"int": "Int64", "float": "float64", "date": DATE_DTYPE, "bool": "boolean"}


def _absent(column: Column, index: pd.Index) -> pd.Series:
    """All-null values of the column's type, for an optional column the file does not have."""
    return pd.Series(None, index=index, dtype=ABSENT_DTYPES.get(column.type, object))
