"""Read a CSV file in bounded chunks, keeping each record's line number and raw text.

Structural problems (empty file, an HTML page instead of CSV, a truncated gzip, bytes that
are not UTF-8, two columns with the same name, a quoted field never closed, a last line cut
short) raise StructuralError with what was expected and what was found. A record with the
wrong number of fields, or with a NUL byte, is not structural: it comes back as a bad record
to quarantine.
Line numbers are physical lines of the file (1 = the header line, usually); a record with a
quoted multi-line field carries the number of its first line.
"""

from __future__ import annotations

import csv
import gzip
import io
import itertools
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from loaders.core.errors import StructuralError

GZIP_MAGIC = b"\x1f\x8b"
csv.field_size_limit(1 << 24)


@dataclass
class Chunk:
    """Up to `chunk_rows` records (and `chunk_cells` fields): a frame of strings indexed by
    line number."""

    frame: pd.DataFrame
    raw_lines: dict[int, str]
    bad_records: list[tuple[int, str, str]] = field(default_factory=list)  # line, raw, reason


def _open_binary(raw):
    head = raw.read(2)
    raw.seek(0)
    return gzip.GzipFile(fileobj=raw) if head == GZIP_MAGIC else raw


@contextmanager
def open_text(path: Path, display_name: str):
    """A text stream over `path`, gunzipped when it is gzip, BOM stripped, strict UTF-8."""
    with path.open("rb") as raw:
        stream = io.TextIOWrapper(
            _open_binary(raw), encoding="utf-8-sig", errors="strict", newline=""
        )
        try:
            yield stream
        except (EOFError, zlib.error, gzip.BadGzipFile) as err:
            raise StructuralError(
                f"{display_name}: expected a complete gzip file, found a truncated or corrupt "
                f"one ({err})"
            ) from err
        except UnicodeDecodeError as err:
            where = _first_undecodable_line(path)
            raise StructuralError(
                f"{display_name}: expected UTF-8 text, found undecodable bytes{where} "
                f"({err.object[err.start : err.end]!r}, {err.reason})"
            ) from err


def _first_undecodable_line(path: Path) -> str:
    """` on line N` for the first line that is not UTF-8 (newline bytes never occur inside a
    multi-byte character, so lines decode independently); empty if it cannot be told."""
    try:
        with path.open("rb") as raw:
            for number, line in enumerate(_open_binary(raw), start=1):
                try:
                    line.decode("utf-8")
                except UnicodeDecodeError:
                    return f" on line {number}"
    except (OSError, EOFError, zlib.error):
        pass
    return ""


class _LineTap:
    """Passes lines to csv.reader and remembers them, so each record's raw text is known."""

    def __init__(self, stream):
        self._stream = stream
        self._taken: list[str] = []
        self.ended_line = True  # did the last line taken end with a newline?

    def __iter__(self):
        return self

    def __next__(self) -> str:
        line = next(self._stream)
        self._taken.append(line)
        return line

    def take(self) -> str:
        raw = "".join(self._taken)
        self.ended_line = raw.endswith(("\n", "\r"))
        self._taken.clear()
        return raw.rstrip("\r\n")


def read_header(
    stream, display_name: str, ends_with_newline: bool = False
) -> tuple[list[str], Iterator[tuple[int, str, list[str]]]]:
    """The header and an iterator of (line number, raw text, fields) for the records.

    The last record must be complete: a file cut short (a closed connection, a full disk) ends
    in a partial line that would land as a wrong value. It fails when it has fewer fields than
    the header, or, if the publisher always ends its files with a newline
    (`ends_with_newline`), when that newline is missing."""
    tap = _LineTap(stream)
    reader = csv.reader(tap)
    header = None
    for header in reader:
        if any(cell.strip() for cell in header):
            break
    else:
        header = None
    first_text = tap.take()
    if header is None:
        raise StructuralError(f"{display_name}: expected a CSV header line, found an empty file")
    if first_text.lstrip().startswith("<"):
        raise StructuralError(
            f"{display_name}: expected CSV, found an HTML or XML page "
            f"(starts {first_text.strip()[:60]!r})"
        )
    header = [h.strip() for h in header]
    _check_distinct(header, display_name)

    def records():
        line = reader.line_num
        last = None  # (line, text) of a multi-line record
        pending = None  # the latest record, held back until it is known not to be the last
        for fields in reader:
            text = tap.take()
            start = line + 1
            line = reader.line_num
            if not fields:
                continue
            last = (start, text) if line > start else None
            if pending is not None:
                yield pending[:3]
            pending = (start, text, fields, tap.ended_line)
        if last and _ends_inside_quotes(last[1]):  # the reader ran to the end of the file
            raise StructuralError(
                f"{display_name}: expected every quoted field to be closed, found one "
                f"opened on line {last[0]} that runs to the end of the file"
            )
        if pending is not None:
            _check_last_record(display_name, len(header), ends_with_newline, *pending)
            yield pending[:3]

    return header, records()


def _check_last_record(
    display_name: str, width: int, ends_with_newline: bool, line, text, fields, ended_line
) -> None:
    """A last line with fewer fields, or without the newline the publisher always writes."""
    cut = f"the file looks cut short (last line {line}: {text[-60:]!r}); nothing was loaded"
    if len(fields) < width:
        raise StructuralError(
            f"{display_name}: expected {width} fields on the last line, found {len(fields)}: {cut}"
        )
    if ends_with_newline and not ended_line:
        raise StructuralError(
            f"{display_name}: expected the file to end with a newline, as this publisher's "
            f"files do; found none: {cut}"
        )


def _ends_inside_quotes(text: str) -> bool:
    try:
        list(csv.reader(io.StringIO(text), strict=True))
    except csv.Error as err:
        return "unexpected end of data" in str(err)
    return False


def _check_distinct(header: list[str], display_name: str) -> None:
    """Two columns with one (non-empty) name: which one a contract means is unknowable."""
    seen: dict[str, int] = {}
    for position, name in enumerate(header, start=1):
        if name and name in seen:
            raise StructuralError(
                f"{display_name}: expected distinct column names, found {name!r} twice "
                f"(columns {seen[name]} and {position})"
            )
        seen.setdefault(name, position)


def read_chunks(
    stream,
    display_name: str,
    chunk_rows: int,
    chunk_cells: int | None = None,
    ends_with_newline: bool = False,
) -> tuple[list[str], Iterator[Chunk]]:
    """Chunks of at most `chunk_rows` records and (when given) `chunk_cells` fields, so a file
    with thousands of columns is read in as little memory as a narrow one."""
    header, records = read_header(stream, display_name, ends_with_newline)
    width = len(header)
    if chunk_cells is not None:
        chunk_rows = max(1, min(chunk_rows, chunk_cells // max(width, 1)))

    def chunks():
        lines, texts, rows, bad = [], {}, [], []
        for line, text, fields in records:
            if len(fields) != width or "\x00" in text:
                bad.append((line, text, _bad_record_reason(width, fields, line, text)))
                continue
            lines.append(line)
            texts[line] = text
            rows.append(fields)
            if len(rows) >= chunk_rows:
                yield _chunk(header, lines, texts, rows, bad)
                lines, texts, rows, bad = [], {}, [], []
        if rows or bad:
            yield _chunk(header, lines, texts, rows, bad)

    return header, chunks()


def _bad_record_reason(width: int, fields: list[str], line: int, text: str) -> str:
    if len(fields) == width:
        return "expected text, found a NUL byte"
    reason = f"expected {width} fields, found {len(fields)}"
    last = line + text.count("\n")
    if last > line:
        reason += f" (the record spans lines {line}-{last}: a stray quote?)"
    return reason


def _chunk(header, lines, texts, rows, bad) -> Chunk:
    cells = np.fromiter(  # one block of strings, not a column each: wide files have thousands
        itertools.chain.from_iterable(rows), dtype=object, count=len(rows) * len(header)
    ).reshape(len(rows), len(header))
    index = pd.Index(lines, name="_line")
    frame = pd.DataFrame(cells, columns=header, index=index, dtype=object, copy=False)
    return Chunk(frame=frame, raw_lines=texts, bad_records=bad)
