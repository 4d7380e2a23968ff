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

The unpivot is vectorised per chunk (Arrow take and numpy repeat/tile, like `melt` but ordered
place by place); the index stays the file's line numbers, each repeated once per day. The dates are
typed here, once per column header, and the values too when all of a chunk's are plain digits
(validation then checks them without parsing them again).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from datetime import date

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from loaders.core.errors import StructuralError
from loaders.core.fips import WHOLE_NUMBER

DATE_LIKE = re.compile(r"\d+/\d+/\d+")
DATE_HEADER = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})")


def date_columns(headers: list[str]) -> dict[str, str]:
    """Each date column's header -> its ISO date, in file order; the columns before are places."""
    return dict(_date_columns(tuple(headers)))  # every chunk of a file has the same header


@functools.lru_cache(maxsize=4)
def _date_columns(headers: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
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
    return tuple(dates.items())


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
        dates = date_columns(list(map(str, frame.columns.tolist())))
        wide = frame if prepare is None else prepare(frame)
        kept = [c for c in wide.columns if c not in dates and c not in dropped]
        places, days = len(wide), len(dates)
        each_place = np.repeat(np.arange(places), days)
        long = {name: _repeated(wide[name], each_place) for name in kept}
        headers = np.array(list(dates), dtype=object)
        cells = _day_cells(wide[list(dates)].to_numpy(dtype=object))
        long[value_name] = _cell_values(cells, headers)
        day_values = np.array(list(dates.values()), dtype="datetime64[s]")
        long["date"] = np.tile(day_values, places)  # typed here: validation need not parse it
        index = pd.Index(np.repeat(wide.index.to_numpy(), days), name=wide.index.name)
        return pd.DataFrame(long).set_axis(index)  # index: line numbers

    return reshape


def _repeated(values: pd.Series, each_place: np.ndarray) -> pd.Categorical:
    """A place column repeated on each of its days, as a categorical: validation converts each
    distinct value once."""
    codes, distinct = pd.factorize(values.to_numpy(dtype=object))
    return pd.Categorical.from_codes(codes[each_place], categories=distinct)


def _day_cells(rows: np.ndarray) -> pa.Array:
    """The cells place by place, day by day, as Arrow strings. Each place's cells are joined
    with commas and split again by Arrow, which is much cheaper than converting every cell on
    its own; exact unless a cell holds a comma (then the pieces do not count up, and every
    cell is converted on its own)."""
    try:
        joined = pa.array([",".join(row) for row in rows.tolist()], type=pa.large_string())
    except TypeError:  # a null cell
        joined = None
    if joined is not None and len(joined):
        pieces = pc.split_pattern(joined, ",")
        if pc.all(pc.equal(pc.list_value_length(pieces), rows.shape[1])).as_py():
            return pieces.flatten()
    return pa.array(rows.ravel(), type=pa.large_string(), from_pandas=True)


def _cell_values(cells: pa.Array, headers: np.ndarray) -> pd.Series:
    """The cells as whole numbers (Int64, blank = null) when every one is plain digits, which is
    the usual case; else as trimmed text, each cell that is not a whole number with its column's
    header appended, for validation to word the reason."""
    for text in (cells, None):  # as they are, else trimmed (a cell with spaces fails the cast)
        text = pc.utf8_trim_whitespace(cells) if text is None else text
        blank = pc.equal(pc.binary_length(text), 0)
        numbers = _plain_whole_numbers(pc.if_else(blank, pa.scalar(None, text.type), text))
        if numbers is not None:
            return numbers.to_pandas(types_mapper={pa.int64(): pd.Int64Dtype()}.get)
    return _annotate_bad_cells(text, blank, headers).to_pandas()


def _plain_whole_numbers(text: pa.Array) -> pa.Array | None:
    """`text` cast to int64 if every value is digits only (no sign, no 0x), else None."""
    if any(pc.any(pc.match_substring(text, mark)).as_py() for mark in ("-", "x", "X")):
        return None
    try:
        return pc.cast(text, pa.int64())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None


def _annotate_bad_cells(text: pa.Array, blank: pa.Array, headers: np.ndarray) -> pa.Array:
    """A cell that is not a whole number (12, or 12.0) gets its column's header appended."""
    number = pc.match_substring_regex(text, f"^{WHOLE_NUMBER}$")
    good = pc.fill_null(pc.or_kleene(blank, number), True)  # a null cell stays null
    if pc.all(good).as_py() is not False:  # None: no cells
        return text
    bad = np.flatnonzero(~good.to_numpy(zero_copy_only=False))
    annotated = text.to_numpy(zero_copy_only=False).astype(object)
    days = np.tile(headers, len(text) // len(headers))
    annotated[bad] = [f"{annotated[i]} (column {days[i]})" for i in bad]
    return pa.array(annotated, type=pa.large_string(), from_pandas=True)
