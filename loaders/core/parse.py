"""Parse a file against its table's contract, with no database: typed rows and rejects.

`parse(spec, data)` reads a whole file (bytes, text or a path) and returns every typed row and
every rejected line with its reason, duplicates of a natural key included. The load lifecycle
streams the same steps chunk by chunk (`Parsing.chunks`), so a file of any size is typed in
bounded memory; it finds repeated keys in the database instead (`loaders.core.raw_table`), with
the same reason.

Per chunk: the publisher's quirks are fixed (`TableSpec.reshape`), the file's headers renamed to
the contract's names, each column typed and checked (`loaders.core.validate`).
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pandas as pd

from loaders.core.errors import StructuralError
from loaders.core.reader import open_text
from loaders.core.spec import Reshape, TableSpec
from loaders.core.validate import validate
from warehouse.settings import Mirror

Reject = tuple[int, str, str]  # line number, raw text, reason


@dataclass
class ParsedChunk:
    rows: pd.DataFrame  # typed contract columns; index: line numbers
    rejects: list[Reject]
    rows_read: int
    raw_lines: dict[int, str]  # the text of each line of the chunk


@dataclass
class Parsed:
    """A whole file parsed: what a load would land, and what it would quarantine."""

    rows: pd.DataFrame
    rejects: list[Reject]
    rows_read: int
    extra_columns: list[str] = field(default_factory=list)


class Parsing:
    """Reads one file chunk by chunk: reshaped, renamed, typed and validated."""

    def __init__(
        self,
        spec: TableSpec,
        path: Path,
        *,
        display: str,
        vintage: str | None = None,
        today: date | None = None,
        mirror: Mirror | None = None,
    ):
        self.spec, self.path, self.display = spec, Path(path), display
        self.today = today or date.today()
        self.vintage = vintage or self.today.isoformat()
        self.reshape = spec.reshaper(mirror or Mirror())
        self.extra_columns: list[str] = []

    def chunks(self) -> Iterator[ParsedChunk]:
        """The file's chunks in line order; fails (StructuralError) on a missing column."""
        spec = self.spec
        with open_text(self.path, self.display) as stream:
            header, chunks = spec.read(stream, self.display)
            empty = pd.DataFrame(columns=header, index=pd.Index([], name="_line"), dtype=object)
            self.extra_columns = check_columns(spec, self._reshaped(empty), self.display)
            for chunk in chunks:
                frame = rename(spec, self._reshaped(chunk.frame))
                good, reasons = validate(frame, spec.contract, self.today)
                rejects = list(chunk.bad_records)
                rejects.extend(
                    (line, chunk.raw_lines.get(line, ""), reason)
                    for line, reason in reasons.items()
                )
                rows_read = len(frame) + len(chunk.bad_records)
                yield ParsedChunk(good, rejects, rows_read, chunk.raw_lines)

    def raw_text(self, lines: set[int]) -> dict[int, str]:
        """The file's own text of `lines` (a second read, for rejects found after parsing)."""
        texts: dict[int, str] = {}
        with open_text(self.path, self.display) as stream:
            _, chunks = self.spec.read(stream, self.display)
            for chunk in chunks:
                texts.update(
                    (line, chunk.raw_lines[line]) for line in lines & chunk.raw_lines.keys()
                )
                if len(texts) == len(lines):
                    break
        return texts

    def _reshaped(self, frame: pd.DataFrame) -> pd.DataFrame:
        return reshape(self.spec, self.reshape, frame, self.display, self.vintage)


def parse(
    spec: TableSpec,
    data: bytes | str | Path,
    *,
    vintage: str | None = None,
    today: date | None = None,
    mirror: Mirror | None = None,
) -> Parsed:
    """Every typed row of a file and every rejected line, as a load would find them.

    `data` is the file's bytes or text, or a path to it."""
    if isinstance(data, Path):
        return _parse_path(spec, data, vintage, today, mirror)
    content = data.encode("utf-8") if isinstance(data, str) else data
    with tempfile.NamedTemporaryFile(suffix=Path(spec.file_name).suffix) as handle:
        handle.write(content)
        handle.flush()
        return _parse_path(spec, Path(handle.name), vintage, today, mirror)


def _parse_path(spec, path: Path, vintage, today, mirror) -> Parsed:
    display = f"{spec.source.name}/{spec.file_name}"
    parsing = Parsing(spec, path, display=display, vintage=vintage, today=today, mirror=mirror)
    frames, rejects, rows_read, texts = [], [], 0, {}
    for chunk in parsing.chunks():
        frames.append(chunk.rows)
        rejects.extend(chunk.rejects)
        rows_read += chunk.rows_read
        texts.update(chunk.raw_lines)
    rows = pd.concat(frames) if frames else _empty_rows(spec)
    rows, duplicates = drop_duplicate_keys(rows, spec.contract.natural_key)
    rejects.extend((line, texts.get(line, ""), reason) for line, reason in duplicates)
    rejects.sort(key=lambda reject: reject[0])
    return Parsed(rows, rejects, rows_read, parsing.extra_columns)


def duplicate_reason(natural_key: tuple[str, ...], first_line: int) -> str:
    return f"duplicate key ({', '.join(natural_key)}): first seen on line {first_line}"


def drop_duplicate_keys(
    rows: pd.DataFrame, natural_key: tuple[str, ...]
) -> tuple[pd.DataFrame, list[tuple[int, str]]]:
    """The rows with the first line of each key only, and (line, reason) per line dropped."""
    keys = rows[list(natural_key)].reset_index()
    first = keys.groupby(list(natural_key), dropna=False, sort=False)["_line"].transform("min")
    repeated = (keys["_line"] != first).to_numpy()
    dropped = [
        (int(line), duplicate_reason(natural_key, int(seen)))
        for line, seen in zip(keys["_line"][repeated], first[repeated], strict=True)
    ]
    return rows[~repeated], dropped


def _empty_rows(spec: TableSpec) -> pd.DataFrame:
    return pd.DataFrame(
        columns=spec.contract.names, index=pd.Index([], name="_line", dtype="int64")
    )


def reshape(
    spec: TableSpec, fix: Reshape | None, frame: pd.DataFrame, display: str, vintage: str
) -> pd.DataFrame:
    if spec.vintage_column:
        frame = frame.assign(**{spec.vintage_column: vintage})
    if fix is None:
        return frame
    try:
        return fix(frame)
    except StructuralError as err:
        raise StructuralError(f"{display}: {err}") from err


def rename(spec: TableSpec, frame: pd.DataFrame) -> pd.DataFrame:
    mapping = {c.source_header: c.name for c in spec.contract.columns}
    return frame.rename(columns=mapping)


def check_columns(spec: TableSpec, frame: pd.DataFrame, display: str) -> list[str]:
    """Fails on a missing required column; returns the columns the contract does not know."""
    found = list(frame.columns)
    missing = [
        c.source_header
        for c in spec.contract.columns
        if c.required and c.source_header not in found
    ]
    if missing:
        expected = ", ".join(c.source_header for c in spec.contract.columns if c.required)
        raise StructuralError(
            f"{display}: missing column {', '.join(repr(m) for m in missing)} "
            f"(expected {expected}; found {', '.join(found)})"
        )
    known = {c.source_header for c in spec.contract.columns}
    return [name for name in found if name not in known]
