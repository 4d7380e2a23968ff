"""The one load lifecycle every source uses: fetch -> parse and validate -> land.

A source declares `TableSpec`s (a contract, the file, fix-ups for its publisher's quirks);
`load_table` does the rest: one ledger row per file, rejected rows quarantined, and the raw
table changed in a single transaction or not at all.

Ledger statuses: 'running' while a load goes on; then 'succeeded', 'unchanged' (same
checksum as the last good load of that URL, or HTTP 304: nothing parsed), 'failed' (with a
one-line error; nothing written but the rejects that explain it) or 'abandoned' (its process
died; the next load of the table says so). A file with a header and no rows succeeds with
nothing read: loads never delete, so it changes nothing (nor does it withdraw the rows of a
republished table: see `Lander.withdraw`).
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field

import psycopg

from loaders.core import ledger
from loaders.core.errors import LoadError, RejectThresholdExceeded
from loaders.core.fetch import Fetched, fetch
from loaders.core.history import HISTORY_SCHEMA, ensure_history_views
from loaders.core.land import app_name, land_file
from loaders.core.raw_table import RAW_SCHEMA, Lander, ensure_schema
from loaders.core.spec import SourceFile, TableSpec
from warehouse.settings import Settings


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
    rows_withdrawn: int = 0
    extra_columns: list[str] = field(default_factory=list)
    seconds: float = 0.0
    error: str | None = None


def load_table(
    spec: TableSpec, dsn: str, settings: Settings, *, force: bool = False
) -> list[LoadResult]:
    """Load every file of `spec` in order; raises LoadError on the first that fails.
    The raw table exists afterwards even when no file is listed yet (staging can read it)."""
    create_table(spec, dsn)
    results = []
    for source_file in spec.files(settings):
        result = load_file(spec, source_file, dsn, settings, force=force)
        results.append(result)
        if result.status == "failed":
            raise LoadError(result.error)
    return results


def create_table(spec: TableSpec, dsn: str) -> None:
    """Create `raw.<table>` (empty) if it does not exist yet, and its `history` views."""
    with psycopg.connect(dsn, application_name=app_name(spec)) as conn, conn.transaction():
        ledger.ensure_ledger(conn)
        ensure_schema(conn, RAW_SCHEMA)
        ensure_schema(conn, HISTORY_SCHEMA)
        conn.execute("select pg_advisory_xact_lock(hashtext(%s))", [f"{RAW_SCHEMA}.{spec.table}"])
        Lander(conn, RAW_SCHEMA, spec.table, spec.contract).ensure_table()
        ensure_history_views(conn, RAW_SCHEMA, spec.table, spec.contract)


def load_file(
    spec: TableSpec, source_file: SourceFile, dsn: str, settings: Settings, *, force: bool = False
) -> LoadResult:
    """Load one file of `spec`; `force` parses and merges it even if it looks unchanged."""
    started = time.monotonic()
    mirror = settings.sources
    location = mirror.location(
        spec.source.name, source_file.relative_path, source_file.official_url
    )
    result = LoadResult(table=spec.table, file_name=source_file.relative_path, status="running")
    with psycopg.connect(dsn, autocommit=True, application_name=app_name(spec)) as log_conn:
        ledger.ensure_ledger(log_conn)
        ensure_schema(log_conn, RAW_SCHEMA)
        result.load_id = ledger.start(
            log_conn,
            source=spec.source.name,
            table_name=spec.table,
            file_name=source_file.relative_path,
            url=location,
            vintage=source_file.vintage,
            contract=spec.fingerprint,
        )
        ledger.abandon_stale(log_conn, spec.table, result.load_id)
        fetched = None
        try:
            previous = (
                None
                if force
                else ledger.previous_fetch(log_conn, spec.table, location, spec.fingerprint)
            )
            fetched = fetch(
                location,
                etag=previous and previous["etag"],
                last_modified=previous and previous["last_modified"],
                policy=settings.http,
                remedy=mirror.remedy(location),
            )
            if previous and (fetched.not_modified or previous["sha256"] == fetched.sha256):
                _finish_unchanged(log_conn, result, fetched, previous)
            elif fetched.not_modified:
                raise LoadError(f"{location}: HTTP 304 Not Modified to an unconditional request")
            else:
                checked = {
                    "sha256": fetched.sha256,
                    "bytes": fetched.bytes,
                    "etag": fetched.etag,
                    "last_modified": fetched.last_modified,
                }
                landed = land_file(
                    spec, source_file, fetched.path, dsn, result.load_id, mirror, checked
                )
                result.rows_read, result.rows_loaded = landed.rows_read, landed.rows_loaded
                result.rows_added, result.rows_changed = landed.rows_added, landed.rows_changed
                result.rows_rejected = landed.rows_rejected
                result.rows_withdrawn = landed.rows_withdrawn
                result.extra_columns = landed.extra_columns
                result.status = "succeeded"
        except LoadError as err:
            _finish_failed(log_conn, spec, result, fetched, err)
        except BaseException as err:  # a bug or an interrupt: say so in the ledger, re-raise
            _finish_failed(log_conn, spec, result, fetched, err)
            raise
        finally:
            if fetched is not None:
                fetched.discard()
    result.seconds = time.monotonic() - started
    return result


def _finish_unchanged(log_conn, result: LoadResult, fetched: Fetched, previous: dict) -> None:
    """Nothing parsed; the validators are carried forward for the next conditional GET."""
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
        bytes=previous["bytes"] if fetched.not_modified else fetched.bytes,
        etag=fetched.etag or previous["etag"],
        last_modified=fetched.last_modified or previous["last_modified"],
    )


def _finish_failed(log_conn, spec, result: LoadResult, fetched, err: BaseException) -> None:
    message = re.sub(r"\s*[\r\n]+\s*", " ", str(err)).strip() or type(err).__name__
    if not isinstance(err, LoadError):
        message = f"unexpected {type(err).__name__}: {message}"
    result.status, result.error = "failed", message
    rejects = err.rejects if isinstance(err, RejectThresholdExceeded) else ()
    if isinstance(err, RejectThresholdExceeded):
        result.rows_read, result.rows_rejected = err.rows_read, len(err.rejects)
    try:
        ledger.fail(
            log_conn,
            result.load_id,
            message,
            rejects,
            source=spec.source.name,
            table_name=spec.table,
            rows_read=result.rows_read,
            rows_loaded=0,
            rows_rejected=result.rows_rejected,
            sha256=fetched and fetched.sha256,
            bytes=fetched and fetched.bytes,
        )
    except psycopg.Error:
        if isinstance(err, LoadError):
            raise
        # the original error matters more; the next load marks this one abandoned
