"""Parse, validate and land one fetched file, in one transaction (the heart of `load_file`).

The file is read in chunks (`TableSpec.read`), each reshaped (the publisher's quirks),
renamed to the contract's names, typed and checked (`loaders.validate`), and COPied into a
temporary stage; in-file duplicate keys are removed there; the stage is merged into the
versioned raw table (`loaders.land`) and the ledger row finished, all in the transaction that
holds the table's lock. Any error rolls all of it back. Into a table with no rows yet the
chunks go straight into the table (no stage, no merge), unless the file repeats a key.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
import psycopg

from loaders import ledger
from loaders.errors import RejectThresholdExceeded, StructuralError
from loaders.land import RAW_SCHEMA, Lander
from loaders.reader import open_text
from loaders.validate import validate

if TYPE_CHECKING:
    from loaders.base import LoadResult, SourceFile, TableSpec
    from loaders.fetch import Fetched

Reject = tuple[int, str, str]  # line number, raw text, reason


def app_name(spec: TableSpec) -> str:
    """How a load's connections show in pg_stat_activity."""
    return f"loaders {spec.table}"[:63]


def parse_and_land(
    spec: TableSpec, source_file: SourceFile, fetched: Fetched, dsn: str, result: LoadResult
) -> None:
    read = _Reading(spec, fetched, source_file.vintage, result)
    with psycopg.connect(dsn, application_name=app_name(spec)) as conn, conn.transaction():
        conn.execute("select pg_advisory_xact_lock(hashtext(%s))", [f"raw.{spec.table}"])
        ledger.abandon_stale(conn, spec.table, result.load_id)
        lander = Lander(conn, RAW_SCHEMA, spec.table, spec.contract)
        lander.ensure_table()
        rejects = _land_direct(conn, lander, read, result) if lander.is_empty() else None
        if rejects is None:
            rejects = _land_staged(lander, read, result)
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


def _land_direct(conn, lander: Lander, read: _Reading, result: LoadResult) -> list[Reject] | None:
    """A first load: every good row straight into the table. None if the file repeats a key
    (nothing of this attempt stays); the staged way then finds the lines that repeat it."""
    try:
        with conn.transaction():
            if not lander.begin_direct(result.load_id):
                return None  # rows came in meanwhile, not by a loader (they take the lock)
            rejects = read.into(lander)
            result.rows_added, result.rows_changed = lander.end_direct(), 0
    except psycopg.errors.UniqueViolation:
        result.rows_read = 0
        return None
    _check_threshold(read.spec, read.display, result, rejects)
    return rejects


def _land_staged(lander: Lander, read: _Reading, result: LoadResult) -> list[Reject]:
    """Into a stage, then merged: new keys added, changed values versioned."""
    lander.open_stage()
    rejects = read.into(lander)
    duplicates = lander.remove_duplicates()
    if duplicates:
        rejects.extend(_with_raw_text(read.spec, read.fetched, read.display, duplicates))
        rejects.sort(key=lambda reject: reject[0])
    _check_threshold(read.spec, read.display, result, rejects)
    result.rows_added, result.rows_changed = lander.merge(result.load_id)
    return rejects


class _Reading:
    """Reads the fetched file chunk by chunk: reshaped, renamed, validated, then COPied."""

    def __init__(self, spec: TableSpec, fetched: Fetched, vintage: str | None, result):
        self.spec, self.fetched, self.result = spec, fetched, result
        self.display = f"{spec.source.name}/{result.file_name}"
        self.today = date.today()
        self.vintage = vintage or self.today.isoformat()

    def into(self, lander: Lander) -> list[Reject]:
        """Every good row COPied by `lander`; returns the rejects, in line order."""
        spec, display, result = self.spec, self.display, self.result
        rejects: list[Reject] = []
        with open_text(Path(self.fetched.path), display) as stream, lander.copying():
            header, chunks = spec.read(stream, display)
            empty = pd.DataFrame(columns=header, index=pd.Index([], name="_line"), dtype=object)
            result.extra_columns = _check_columns(
                spec, _reshape(spec, empty, display, self.vintage), display
            )
            for chunk in chunks:
                frame = _rename(spec, _reshape(spec, chunk.frame, display, self.vintage))
                good, reasons = validate(frame, spec.contract, self.today)
                result.rows_read += len(frame) + len(chunk.bad_records)
                rejects.extend(chunk.bad_records)
                rejects.extend(
                    (line, chunk.raw_lines.get(line, ""), reason)
                    for line, reason in reasons.items()
                )
                lander.copy(good)
        rejects.sort(key=lambda reject: reject[0])
        return rejects


def _check_threshold(spec: TableSpec, display: str, result: LoadResult, rejects: list[Reject]):
    """Above the spec's share of rejected rows the load is not trusted: nothing lands."""
    result.rows_rejected = len(rejects)
    if not rejects or len(rejects) <= spec.reject_threshold * max(result.rows_read, 1):
        return
    line, _, reason = rejects[0]
    raise RejectThresholdExceeded(
        f"{display}: {len(rejects)} of {result.rows_read} rows broke the contract, above the "
        f"{spec.reject_threshold * 100:g}% threshold; nothing was loaded (first: line {line}: "
        f"{reason}). See meta.rejected_rows, load_id = {result.load_id}.",
        rejects,
    )


def _with_raw_text(
    spec: TableSpec, fetched: Fetched, display: str, rejects: list[Reject]
) -> list[Reject]:
    """Fills in the file's own text of rejected lines (a second read, only when needed)."""
    wanted = {line for line, _, _ in rejects}
    texts: dict[int, str] = {}
    with open_text(Path(fetched.path), display) as stream:
        _, chunks = spec.read(stream, display)
        for chunk in chunks:
            texts.update((line, chunk.raw_lines[line]) for line in wanted & chunk.raw_lines.keys())
            if len(texts) == len(wanted):
                break
    return [(line, texts.get(line, raw), reason) for line, raw, reason in rejects]


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
