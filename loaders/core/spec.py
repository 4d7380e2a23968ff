"""What a source declares: its publisher (`Source`) and a `TableSpec` per raw table.

A `TableSpec` names the file, its official URL and its `Contract`, and the fix-ups for the
publisher's quirks (`reshape`, applied to each chunk of strings before validation). The load
lifecycle (`loaders.core.load`) and the parser (`loaders.core.parse`) do the rest.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pandas as pd

from loaders.core.contract import Contract
from loaders.core.reader import Chunk, read_chunks
from warehouse.settings import Mirror, Settings

Reshape = Callable[[pd.DataFrame], pd.DataFrame]


@dataclass(frozen=True)
class Source:
    """A publisher: where its files live, under what terms, and how often they change."""

    name: str
    homepage: str
    licence: str
    cadence: str
    warn_after_days: int
    error_after_days: int
    ended: str | None = None  # ISO date the publisher stopped updating; None: still publishing


@dataclass(frozen=True)
class SourceFile:
    """One file to load into a table: its path under the source folder and its vintage."""

    relative_path: str
    official_url: str
    vintage: str | None = None


@dataclass(frozen=True)
class TableSpec:
    source: Source
    name: str
    file_name: str
    official_url: str
    contract: Contract
    reshape: Reshape | None = None  # the publisher's quirks, applied to each chunk of strings
    # a reshape that reads other files of the source (CPS matches IDs across snapshots)
    reshape_for: Callable[[Mirror], Reshape] | None = None
    reject_threshold: float = 0.01
    chunk_rows: int = 50_000
    chunk_cells: int = 500_000  # fields per chunk: bounds memory however wide the file is
    # the files to load, oldest first (vintages, snapshots); default: `file_name` alone
    list_files: Callable[[TableSpec, Settings], list[SourceFile]] | None = None
    vintage_column: str | None = None  # a column filled with the file's vintage (or today)
    # Each file is the whole table again (not a snapshot, a day's report or a vintage of a
    # changed layout): a row a new file no longer lists is marked withdrawn (Lander.withdraw).
    full_republication: bool = False

    @property
    def table(self) -> str:
        return f"{self.source.name}__{self.name}"

    def files(self, settings: Settings) -> list[SourceFile]:
        if self.list_files is not None:
            return self.list_files(self, settings)
        return [SourceFile(self.file_name, self.official_url)]

    def reshaper(self, mirror: Mirror) -> Reshape | None:
        """The fix-ups to apply to each chunk, reading other files from `mirror` if needed."""
        return self.reshape_for(mirror) if self.reshape_for is not None else self.reshape

    @property
    def data_date_column(self) -> str | None:
        """The column that dates the data: the first date column of the natural key, if any
        (lookups such as GeoIDs have none)."""
        return next(
            (k for k in self.contract.natural_key if self.contract.column(k).type == "date"), None
        )

    @property
    def fingerprint(self) -> str:
        """Changes when the contract does, so an unchanged file is read again under a new one."""
        return hashlib.sha256(repr((self.table, self.contract)).encode()).hexdigest()[:16]

    def read(self, stream, display: str) -> tuple[list[str], Iterator[Chunk]]:
        """The file's header and its records in chunks of strings: CSV unless overridden."""
        return read_chunks(
            stream, display, self.chunk_rows, self.chunk_cells, self.contract.ends_with_newline
        )
