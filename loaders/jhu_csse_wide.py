"""Unpivot JHU's wide time series: one column per day (`1/22/20`) -> one row per place per day.

The header decides where every value goes, so a broken header fails the load (StructuralError):
- the place columns come first; from the first date column on, every header must be a date
  `M/D/YY` (or `M/D/YYYY`): an impossible date (`2/30/20`), anything else after the first date
  (`1/23/20x`, `Total`), no date column at all, or two headers naming the same day fail;
- place columns the table does not keep are dropped; unknown ones pass through, so the load
  reports them as extra columns.

A cell that is not a whole number >= 0 (`12`, or `12.0`; blank is null) gets its date column
appended before validation, so the value is rejected with a reason that names the column
(`deaths: an integer expected, found x (column 1/23/20)`) while the place's other days load.

The unpivot is vectorised per chunk (numpy repeat/tile, like `melt` but ordered place by
place); the index stays the file's line numbers, each repeated once per day.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

import numpy as np
import pandas as pd

from loaders.errors import StructuralError
from loaders.jhu_csse_common import INTEGER_WRITTEN_AS_FLOAT

DATE_LIKE = re.compile(r"\d+/\d+/\d+")
DATE_HEADER = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})")


def date_columns(headers: list[str]) -> dict[str, str]:
    """Each date column's header -> its ISO date, in file order; the columns before are places."""
    first = next((i for i, h in enumerate(headers) if DATE_LIKE.fullmatch(h)), None)
    if first is None:
        raise StructuralError(
            "expected one column per day headed M/D/YY (e.g. 1/22/20) after the place "
            f"columns, found none (columns: {', '.join(headers)})"
        )
    dates: dict[str, str] = {}
    seen: dict[str, str] = {}
    for position, header in enumerate(headers[first:], start=first + 1):
        day = _header_date(header, position, headers[first])
        if day in seen:
            raise StructuralError(
                f"columns {seen[day]!r} and {header!r} (column {position}) both hold {day}"
            )
        seen[day] = header
        dates[header] = day
    return dates


def _header_date(header: str, position: int, first: str) -> str:
    match = DATE_HEADER.fullmatch(header)
    problem = None
    if match is None:
        problem = f"expected a date header M/D/YY like every column from {first!r} on"
    else:
        month, day, year = (int(part) for part in match.groups())
        try:
            return date(year + 2000 if year < 100 else year, month, day).isoformat()
        except ValueError as err:
            problem = f"expected a date header M/D/YY, found an impossible date ({err})"
    raise StructuralError(f"column {position} {header!r}: {problem}")


def unpivot(
    value_name: str,
    dropped: tuple[str, ...] = (),
    prepare: Callable[[pd.DataFrame], pd.DataFrame] | None = None,
) -> Callable[[pd.DataFrame], pd.DataFrame]:
    """A reshape: `prepare` the wide chunk's place columns, then one row per place per day."""

    def reshape(frame: pd.DataFrame) -> pd.DataFrame:
        dates = date_columns([str(c) for c in frame.columns])
        wide = frame if prepare is None else prepare(frame)
        kept = [c for c in wide.columns if c not in dates and c not in dropped]
        places, days = len(wide), len(dates)
        long = wide[kept].take(np.repeat(np.arange(places), days))  # index: line numbers
        headers = np.tile(np.array(list(dates), dtype=object), places)
        cells = wide[list(dates)].to_numpy(dtype=object).ravel()  # place by place, day by day
        long[value_name] = _annotate_bad_cells(cells, headers)
        long["date"] = np.tile(np.array(list(dates.values()), dtype=object), places)
        return long

    return reshape


def _annotate_bad_cells(cells: np.ndarray, headers: np.ndarray) -> pd.api.extensions.ExtensionArray:
    text = pd.Series(cells, dtype=str).str.strip()
    bad = ~(text.eq("") | text.str.fullmatch(INTEGER_WRITTEN_AS_FLOAT)).to_numpy(dtype=bool)
    if bad.any():
        found = zip(text[bad], headers[bad], strict=True)
        text[bad] = [f"{cell} (column {column})" for cell, column in found]
    return text.array
