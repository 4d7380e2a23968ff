"""The one load lifecycle every source uses: fetch -> parse and validate -> land.

A source module declares `TableSpec`s (a contract, the file, fix-ups for its publisher's
quirks); `load_table` does the rest: one ledger row per file, rejected rows quarantined,
and the raw table changed in a single transaction or not at all.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pandas as pd
import psycopg

from loaders import ledger
from loaders.contract import Contract
from loaders.errors import LoadError, RejectThresholdExceeded, StructuralError
from loaders.fetch import Fetched, fetch, source_location
from loaders.land import Lander
from loaders.reader import open_text, read_chunks
from loaders.validate import validate

RAW_SCHEMA = "raw"
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
    description: str
    reshape: Reshape | None = None  # the publisher's quirks, applied to each chunk of strings
    reject_threshold: float = 0.01
    chunk_rows: int = 50_000
    list_files: Callable[[TableSpec], list[SourceFile]] | None = None  # vintages, snapshots
    vintage_column: str | None = None  # a column filled with the file's vintage (or today)

    @property
    def table(self) -> str:
        return f"{self.source.name}__{self.name}"

    def files(self) -> list[SourceFile]:
        if self.list_files is not None:
            return self.list_files(self)
        return [SourceFile(self.file_name, self.official_url)]


@dataclass
class LoadResult:
    table: str
    file_name: str
    status: str
    load_id: int | None = None
    rows_read: int = 0
    rows_loaded: int = 0
    rows_added: int = 0
    rows_changed: int = 0
    rows_rejected: int = 0
    extra_columns: list[str] = field(default_factory=list)
    seconds: float = 0.0
    error: str | None = None


def load_table(spec: TableSpec, dsn: str, *, force: bool = False) -> list[LoadResult]:
    """Load every file of `spec` in order; raises LoadError on the first that fails."""
    results = []
    for source_file in spec.files():
        result = load_file(spec, source_file, dsn, force=force)
        results.append(result)
        if result.status == "failed":
            raise LoadError(result.error)
    return results


def load_file(
    spec: TableSpec, source_file: SourceFile, dsn: str, *, force: bool = False
) -> LoadResult:
    started = time.monotonic()
    location = source_location(
        spec.source.name, source_file.relative_path, source_file.official_url
    )
    result = LoadResult(table=spec.table, file_name=source_file.relative_path, status="running")
    with psycopg.connect(dsn, autocommit=True) as log_conn:
        ledger.ensure_ledger(log_conn)
        result.load_id = ledger.start(
            log_conn,
            source=spec.source.name,
            table_name=spec.table,
            file_name=source_file.relative_path,
            url=location,
            vintage=source_file.vintage,
        )
        fetched = None
        try:
            previous = None if force else ledger.previous_fetch(log_conn, spec.table, location)
            fetched = fetch(
                location,
                etag=previous and previous["etag"],
                last_modified=previous and previous["last_modified"],
            )
            if fetched.not_modified or (previous and previous["sha256"] == fetched.sha256):
                result.status = "unchanged"
                ledger.finish(
                    log_conn,
                    result.load_id,
                    "unchanged",
                    rows_read=0,
                    rows_loaded=0,
                    rows_added=0,
                    rows_changed=0,
                    rows_rejected=0,
                    sha256=fetched.sha256 or previous["sha256"],
                    bytes=fetched.bytes,
                    etag=fetched.etag,
                    last_modified=fetched.last_modified,
                )
            else:
                _parse_and_land(spec, source_file, fetched, dsn, result)
                result.status = "succeeded"
        except LoadError as err:
            result.status, result.error = "failed", str(err)
            ledger.finish(
                log_conn,
                result.load_id,
                "failed",
                error=str(err),
                rows_read=result.rows_read,
                rows_rejected=result.rows_rejected,
                sha256=fetched and fetched.sha256,
                bytes=fetched and fetched.bytes,
            )
            if isinstance(err, RejectThresholdExceeded):
                ledger.record_rejects(
                    log_conn, result.load_id, spec.source.name, spec.table, err.args[1]
                )
                result.error = err.args[0]
                log_conn.execute(
                    "update meta.load_log set error = %s where load_id = %s",
                    [err.args[0], result.load_id],
                )
        finally:
            if fetched is not None:
                fetched.discard()
    result.seconds = time.monotonic() - started
    return result


def _parse_and_land(
    spec: TableSpec, source_file: SourceFile, fetched: Fetched, dsn: str, result: LoadResult
) -> None:
    display = f"{spec.source.name}/{result.file_name}"
    today = date.today()
    vintage = source_file.vintage or today.isoformat()
    rejects: list[tuple[int, str, str]] = []
    with psycopg.connect(dsn) as conn, conn.transaction():
        conn.execute("select pg_advisory_xact_lock(hashtext(%s))", [f"raw.{spec.table}"])
        ledger.abandon_stale(conn, spec.table, result.load_id)
        lander = Lander(conn, RAW_SCHEMA, spec.table, spec.contract)
        lander.ensure_table()
        lander.open_stage()
        with open_text(Path(fetched.path), display) as stream:
            header, chunks = read_chunks(stream, display, spec.chunk_rows)
            empty = pd.DataFrame(columns=header, index=pd.Index([], name="_line"), dtype=object)
            result.extra_columns = _check_columns(
                spec, _reshape(spec, empty, display, vintage), display
            )
            for chunk in chunks:
                frame = _rename(spec, _reshape(spec, chunk.frame, display, vintage))
                good, reasons = validate(frame, spec.contract, today)
                result.rows_read += len(frame) + len(chunk.bad_records)
                rejects.extend(chunk.bad_records)
                rejects.extend(
                    (line, chunk.raw_lines.get(line, ""), reason)
                    for line, reason in reasons.items()
                )
                lander.copy(good)
        rejects.extend(lander.remove_duplicates())
        result.rows_rejected = len(rejects)
        limit = spec.reject_threshold * max(result.rows_read, 1)
        if rejects and len(rejects) > limit:
            raise RejectThresholdExceeded(
                f"{display}: {len(rejects)} of {result.rows_read} rows broke the contract, "
                f"above the {spec.reject_threshold:.0%} threshold; nothing was loaded "
                f"(first: line {rejects[0][0]}: {rejects[0][2]}). See meta.rejected_rows.",
                rejects,
            )
        result.rows_added, result.rows_changed = lander.merge(result.load_id)
        result.rows_loaded = result.rows_read - result.rows_rejected
        ledger.record_rejects(conn, result.load_id, spec.source.name, spec.table, rejects)
        ledger.finish(
            conn,
            result.load_id,
            "succeeded",
            sha256=fetched.sha256,
            bytes=fetched.bytes,
            etag=fetched.etag,
            last_modified=fetched.last_modified,
            rows_read=result.rows_read,
            rows_loaded=result.rows_loaded,
            rows_added=result.rows_added,
            rows_changed=result.rows_changed,
            rows_rejected=result.rows_rejected,
            extra_columns=result.extra_columns,
        )


def _reshape(spec: TableSpec, frame: pd.DataFrame, display: str, vintage: str) -> pd.DataFrame:
    if spec.vintage_column:
        frame = frame.assign(**{spec.vintage_column: vintage})
    if spec.reshape is None:
        return frame
    try:
        return spec.reshape(frame)
    except StructuralError as err:
        raise StructuralError(f"{display}: {err}") from err


def _rename(spec: TableSpec, frame: pd.DataFrame) -> pd.DataFrame:
    mapping = {c.source_header: c.name for c in spec.contract.columns}
    return frame.rename(columns=mapping)


def _check_columns(spec: TableSpec, frame: pd.DataFrame, display: str) -> list[str]:
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
