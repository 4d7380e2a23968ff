"""Typed rows of a `Parsed` file as plain Python values, to compare with what a test expects
(and with what a query of the landed table returns): dates as `date`, nulls as None."""

from __future__ import annotations

import pandas as pd

from loaders.core.parse import Parsed


def value(cell):
    if cell is None or (not isinstance(cell, (list, tuple)) and pd.isna(cell)):
        return None
    if isinstance(cell, pd.Timestamp):
        return cell.date()
    return cell.item() if hasattr(cell, "item") else cell


def rows(parsed: Parsed, columns: str, *, order_by: str | None = None) -> list[tuple]:
    """The values of `columns` (comma-separated, as in SQL) of every typed row, in line order
    or ordered by `order_by` (nulls last)."""
    names = [name.strip() for name in columns.split(",")]
    found = [
        tuple(value(cell) for cell in row)
        for row in parsed.rows[names].itertuples(index=False, name=None)
    ]
    if order_by is None:
        return found
    keys = [names.index(name.strip()) for name in order_by.split(",")]

    def nulls_last(row: tuple) -> list[tuple]:
        return [(row[k] is None, 0 if row[k] is None else row[k]) for k in keys]

    return sorted(found, key=nulls_last)


def lines(parsed: Parsed) -> list[int]:
    """The line number of every typed row."""
    return [int(line) for line in parsed.rows.index]


def reasons(parsed: Parsed) -> list[tuple[int, str]]:
    """(line, reason) of every reject, in line order."""
    return [(line, reason) for line, _, reason in parsed.rejects]
