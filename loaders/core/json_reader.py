"""Tables whose file is a JSON object (`{"<key>": [v1, v2, ...], ...}`) instead of a CSV.

`JsonTableSpec` reads the object into the same chunks of strings the CSV reader yields (a
header, one record per entry), so the rest of the lifecycle -- ledger, fetch, contract,
quarantine, versioned landing -- is the one every table uses. `_line` is the entry's position
in the object (1 = first entry; a one-line file has no other line numbers) and the raw text of
an entry is `"<key>": <value>`. Duplicate keys are kept (a plain `json.load` would silently keep
the last), so the lander rejects them like duplicate rows of a CSV.

The lifecycle asks the spec for the file's header and chunks (`TableSpec.read`, the CSV reader
by default); this subclass answers with the JSON reader.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass

import pandas as pd

from loaders.core.errors import StructuralError
from loaders.core.reader import Chunk
from loaders.core.spec import TableSpec


@dataclass(frozen=True)
class JsonTableSpec(TableSpec):
    key_header: str = "key"  # the header given to the object's keys
    value_headers: tuple[str, ...] = ("value",)  # one per element of each value

    def read(self, stream, display: str) -> tuple[list[str], Iterator[Chunk]]:
        return read_json_object(
            stream, display, self.key_header, self.value_headers, self.chunk_rows
        )


def read_json_object(
    stream, display: str, key_header: str, value_headers: tuple[str, ...], chunk_rows: int
) -> tuple[list[str], Iterator[Chunk]]:
    """The header `[key_header, *value_headers]` and the object's entries in chunks."""
    entries = _parse_object(stream.read(), display)
    header = [key_header, *value_headers]

    def chunks() -> Iterator[Chunk]:
        for start in range(0, len(entries), chunk_rows):
            yield _chunk(header, entries[start : start + chunk_rows], start + 1)

    return header, chunks()


def _parse_object(text: str, display: str) -> list[tuple[str, object]]:
    stripped = text.strip()
    if not stripped:
        raise StructuralError(f"{display}: expected a JSON object, found an empty file")
    if stripped.startswith("<"):
        raise StructuralError(
            f"{display}: expected a JSON object, found an HTML or XML page "
            f"(starts {stripped[:60]!r})"
        )
    try:
        parsed = json.loads(stripped, object_pairs_hook=_ObjectPairs)
    except json.JSONDecodeError as err:
        raise StructuralError(
            f"{display}: expected a JSON object, found invalid JSON ({err})"
        ) from err
    if not isinstance(parsed, _ObjectPairs):
        raise StructuralError(
            f"{display}: expected a JSON object of key -> values, found a {type(parsed).__name__}"
        )
    return list(parsed)


class _ObjectPairs(list):
    """A JSON object as its (key, value) pairs, duplicates included."""


def _chunk(header: list[str], entries: list[tuple[str, object]], first: int) -> Chunk:
    width = len(header) - 1
    lines, texts, rows, bad = [], {}, [], []
    for line, (key, value) in enumerate(entries, start=first):
        text = f"{json.dumps(key, ensure_ascii=False)}: {json.dumps(value, ensure_ascii=False)}"
        values = value if isinstance(value, list) else [value]
        if len(values) != width or any(isinstance(v, (list, dict)) for v in values):
            bad.append((line, text, f"expected {width} scalar values, found {_shape(value)}"))
            continue
        lines.append(line)
        texts[line] = text
        rows.append([key, *("" if v is None else str(v) for v in values)])
    frame = pd.DataFrame(rows, columns=header, index=pd.Index(lines, name="_line"), dtype=object)
    return Chunk(frame=frame, raw_lines=texts, bad_records=bad)


def _shape(value: object) -> str:
    if isinstance(value, list):
        return f"a list of {len(value)}"
    return f"a {type(value).__name__}"
