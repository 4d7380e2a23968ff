"""Read a CSV file in bounded chunks, keeping each record's line number and raw text.

Structural problems (empty file, an HTML page instead of CSV, a truncated gzip, bytes that
are not UTF-8) raise StructuralError with what was expected and what was found. A record with
the wrong number of fields is not structural: it comes back as a bad record to quarantine.
"""

from __future__ import annotations

import csv
import gzip
import io
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from loaders.errors import StructuralError

GZIP_MAGIC = b"\x1f\x8b"
csv.field_size_limit(1 << 24)


@dataclass
class Chunk:
    """Up to `chunk_rows` records: a frame of strings indexed by line number."""

    frame: pd.DataFrame
    raw_lines: dict[int, str]
    bad_records: list[tuple[int, str, str]] = field(default_factory=list)  # line, raw, reason


@contextmanager
def open_text(path: Path, display_name: str):
    """A text stream over `path`, gunzipped when it is gzip, BOM stripped, strict UTF-8."""
    with path.open("rb") as raw:
        head = raw.read(2)
        raw.seek(0)
        binary = gzip.GzipFile(fileobj=raw) if head == GZIP_MAGIC else raw
        stream = io.TextIOWrapper(binary, encoding="utf-8-sig", errors="strict", newline="")
        try:
            yield stream
        except (EOFError, zlib.error, gzip.BadGzipFile) as err:
            raise StructuralError(
                f"{display_name}: expected a complete gzip file, found a truncated or corrupt "
                f"one ({err})"
            ) from err
        except UnicodeDecodeError as err:
            raise StructuralError(
                f"{display_name}: expected UTF-8 text, found undecodable bytes "
                f"({err.object[err.start : err.end]!r}, {err.reason})"
            ) from err


class _LineTap:
    """Passes lines to csv.reader and remembers them, so each record's raw text is known."""

    def __init__(self, stream):
        self._stream = stream
        self._taken: list[str] = []

    def __iter__(self):
        return self

    def __next__(self) -> str:
        line = next(self._stream)
        self._taken.append(line)
        return line

    def take(self) -> str:
        text = "".join(self._taken).rstrip("\r\n")
        self._taken.clear()
        return text


def read_header(
    stream, display_name: str
) -> tuple[list[str], Iterator[tuple[int, str, list[str]]]]:
    """The header and an iterator of (line number, raw text, fields) for the records."""
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

    def records():
        line = reader.line_num
        for fields in reader:
            text = tap.take()
            start = line + 1
            line = reader.line_num
            if not fields:
                continue
            yield start, text, fields

    return header, records()


def read_chunks(stream, display_name: str, chunk_rows: int) -> tuple[list[str], Iterator[Chunk]]:
    header, records = read_header(stream, display_name)
    width = len(header)

    def chunks():
        lines, texts, rows, bad = [], {}, [], []
        for line, text, fields in records:
            if len(fields) != width:
                bad.append((line, text, f"expected {width} fields, found {len(fields)}"))
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


def _chunk(header, lines, texts, rows, bad) -> Chunk:
    frame = pd.DataFrame(rows, columns=header, index=pd.Index(lines, name="_line"), dtype=object)
    return Chunk(frame=frame, raw_lines=texts, bad_records=bad)
