"""The one load lifecycle every source uses: fetch -> parse and validate -> land.

A source declares `TableSpec`s (a contract, the file, fix-ups for its publisher's quirks);
`load_table` does the rest: one ledger row per file, rejected rows quarantined, and the raw
table changed in a single transaction or not at all.

Ledger statuses: 'running' while a load goes on; then 'succeeded', 'unchanged' (same
checksum as the last good load of that URL, or HTTP 304: nothing parsed), 'failed' (with a
one-line error; nothing written but the rejects that explain it) or 'abandoned' (its process
died; the next load of the table says so). A file with fewer rows than its contract's
`min_rows` fails, or succeeds with a `warning` that keeps it from counting as fresh. Loads never
delete: a republished table's rows the new file lacks are marked withdrawn (`Lander.withdraw`),
never when the load rejected rows or the file is empty.

A database that cannot be reached, or that is lost during a load, is a `DatabaseUnavailable`
naming the table and the server; the ledger row is marked failed if any connection still can.
A load that must wait for another load of the same table says so through `notify`.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import psycopg

from loaders.core import ledger
from loaders.core.errors import DatabaseUnavailable, LoadError, RejectThresholdExceeded
from loaders.core.fetch import Fetched, fetch
from loaders.core.history import HISTORY_SCHEMA, ensure_history_views
from loaders.core.land import app_name, land_file, lock_table
from loaders.core.raw_table import RAW_SCHEMA, Lander, ensure_schema
from loaders.core.spec import SourceFile, TableSpec
from warehouse.database import server_name
from warehouse.settings import Settings

Notify = Callable[[str], None]
logger = logging.getLogger("loaders")


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
    warning: str | None = None  # landed, but below the contract's min_rows
    cause: LoadError | None = field(default=None, repr=False)  # why it failed


def load_table(
    spec: TableSpec,
    dsn: str,
    settings: Settings,
    *,
    force: bool = False,
    notify: Notify | None = None,
) -> list[LoadResult]:
    """Load every file of `spec` in order; raises LoadError on the first that fails.
    The raw table exists afterwards even when no file is listed yet (staging can read it).
    `notify` hears what a user waits for (another load of the table holding its lock)."""
    notify = notify or logger.info
    results = []
    try:
        create_table(spec, dsn, notify)
        for source_file in spec.files(settings):
            result = load_file(spec, source_file, dsn, settings, force=force, notify=notify)
            results.append(result)
            if result.status == "failed":
                raise result.cause or LoadError(result.error)
    except psycopg.OperationalError as err:  # before a ledger row: nothing to mark
        raise DatabaseUnavailable(database_message(spec, dsn, settings, err)) from None
    return results


def database_message(
    spec: TableSpec, dsn: str, settings: Settings, err: Exception, *, lost: bool = False
) -> str:
    """One line: the table, the server (never the password), the cause, what to check;
    `lost`: the connection went away during the load."""
    cause = next((line.strip() for line in str(err).splitlines() if line.strip()), "")
    cause = cause or type(err).__name__
    remedy = "check WAREHOUSE_DSN" if settings.dsn else "`make run` starts the embedded server"
    during = " during the load; nothing of it was written" if lost else ""
    return (
        f"{spec.table}: cannot use the warehouse database at {server_name(dsn)}{during} "
        f"({cause}); {remedy}"
    )


def create_table(spec: TableSpec, dsn: str, notify: Notify | None = None) -> None:
    """Create `raw.<table>` (empty) if it does not exist yet, and its `history` views."""
    with psycopg.connect(dsn, application_name=app_name(spec)) as conn, conn.transaction():
        ledger.ensure_ledger(conn)
        ensure_schema(conn, RAW_SCHEMA)
        ensure_schema(conn, HISTORY_SCHEMA)
        lock_table(conn, spec, notify or logger.info)
        Lander(conn, RAW_SCHEMA, spec.table, spec.contract).ensure_table()
        ensure_history_views(conn, RAW_SCHEMA, spec.table, spec.contract)


def load_file(
    spec: TableSpec,
    source_file: SourceFile,
    dsn: str,
    settings: Settings,
    *,
    force: bool = False,
    notify: Notify | None = None,
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
                    spec,
                    source_file,
                    fetched.path,
                    dsn,
                    result.load_id,
                    mirror,
                    checked,
                    notify or logger.info,
                )
                result.rows_read, result.rows_loaded = landed.rows_read, landed.rows_loaded
                result.rows_added, result.rows_changed = landed.rows_added, landed.rows_changed
                result.rows_rejected = landed.rows_rejected
                result.extra_columns, result.warning = landed.extra_columns, landed.warning
                result.rows_withdrawn = landed.rows_withdrawn
                result.status = "succeeded"
        except LoadError as err:
            _finish_failed(log_conn, spec, result, fetched, err, dsn)
        except psycopg.OperationalError as err:  # the server went away, or dropped us
            lost = DatabaseUnavailable(database_message(spec, dsn, settings, err, lost=True))
            _finish_failed(log_conn, spec, result, fetched, lost, dsn)
        except BaseException as err:  # a bug or an interrupt: say so in the ledger, re-raise
            _finish_failed(log_conn, spec, result, fetched, err, dsn)
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


def _finish_failed(
    log_conn, spec, result: LoadResult, fetched, err: BaseException, dsn: str
) -> None:
    message = re.sub(r"\s*[\r\n]+\s*", " ", str(err)).strip() or type(err).__name__
    if not isinstance(err, LoadError):
        message = f"unexpected {type(err).__name__}: {message}"
    result.status, result.error = "failed", message
    result.cause = err if isinstance(err, LoadError) else None
    rejects = err.rejects if isinstance(err, RejectThresholdExceeded) else ()
    if isinstance(err, RejectThresholdExceeded):
        result.rows_read, result.rows_rejected = err.rows_read, len(err.rejects)
    fields = {
        "source": spec.source.name,
        "table_name": spec.table,
        "rows_read": result.rows_read,
        "rows_loaded": 0,
        "rows_rejected": result.rows_rejected,
        "sha256": fetched and fetched.sha256,
        "bytes": fetched and fetched.bytes,
    }
    try:
        ledger.fail(log_conn, result.load_id, message, rejects, **fields)
        return
    except psycopg.Error:
        pass  # the load's connection is gone: a new one may still say why
    try:
        with psycopg.connect(dsn, autocommit=True, connect_timeout=5) as conn:
            ledger.fail(conn, result.load_id, message, rejects, **fields)
    except psycopg.Error:
        pass  # the server is gone: the next load marks this one abandoned
