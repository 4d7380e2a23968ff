"""Land one fetched file in its raw table, in one transaction (the heart of `load_file`).

The file is parsed chunk by chunk (`loaders.core.parse.Parsing`) and each chunk's good rows
COPied into a temporary stage; in-file duplicate keys are removed there; the stage is merged
into the versioned raw table (`loaders.core.raw_table`) and the ledger row finished, all in the
transaction that holds the table's lock. Any error rolls all of it back. Into a table with no
rows yet the chunks go straight into the table (no stage, no merge), unless the file repeats a
key.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import psycopg

from loaders.core import ledger
from loaders.core.errors import RejectThresholdExceeded, StructuralError
from loaders.core.parse import Parsing, Reject
from loaders.core.raw_table import RAW_SCHEMA, Lander
from loaders.core.spec import SourceFile, TableSpec
from warehouse.settings import Mirror


@dataclass
class Landed:
    """What landing one file did to its table."""

    rows_read: int = 0
    rows_loaded: int = 0
    rows_added: int = 0
    rows_changed: int = 0
    rows_rejected: int = 0
    rows_withdrawn: int = 0
    extra_columns: list[str] = field(default_factory=list)
    warning: str | None = None  # landed, but not to be trusted as fresh (too few rows)


def app_name(spec: TableSpec) -> str:
    """How a load's connections show in pg_stat_activity."""
    return f"loaders {spec.table}"[:63]


def lock_table(conn, spec: TableSpec, notify: Callable[[str], None]) -> None:
    """Take the table's lock (held until the transaction ends); if another load of the table
    holds it, say so before waiting for it."""
    key = f"{RAW_SCHEMA}.{spec.table}"
    if conn.execute("select pg_try_advisory_xact_lock(hashtext(%s))", [key]).fetchone()[0]:
        return
    holder = conn.execute(
        """select a.pid, a.application_name, a.xact_start
           from pg_locks l join pg_stat_activity a using (pid)
           where l.locktype = 'advisory' and l.granted and l.objsubid = 1
             and l.objid::bigint = (hashtext(%s)::bigint & 4294967295)
           limit 1""",
        [key],
    ).fetchone()
    by = f" (process {holder[0]}, {holder[1] or 'no name'}, since {holder[2]:%H:%M:%S})"
    notify(f"{spec.table}: waiting for another load of this table to finish{by if holder else ''}")
    conn.execute("select pg_advisory_xact_lock(hashtext(%s))", [key])


def land_file(
    spec: TableSpec,
    source_file: SourceFile,
    path: Path,
    dsn: str,
    load_id: int,
    mirror: Mirror,
    checked: dict,
    notify: Callable[[str], None] = print,
) -> Landed:
    """Parse `path` and land it as load `load_id`; `checked` (the fetch's checksum and HTTP
    validators) is written to the ledger row with the counts when the transaction commits."""
    display = f"{spec.source.name}/{source_file.relative_path}"
    parsing = Parsing(spec, path, display=display, vintage=source_file.vintage, mirror=mirror)
    landed = Landed()
    with psycopg.connect(dsn, application_name=app_name(spec)) as conn, conn.transaction():
        lock_table(conn, spec, notify)
        ledger.abandon_stale(conn, spec.table, load_id)
        lander = Lander(conn, RAW_SCHEMA, spec.table, spec.contract)
        lander.ensure_table()
        rejects = None
        if lander.is_empty():
            rejects = _land_direct(conn, lander, parsing, landed, load_id)
        if rejects is None:
            rejects = _land_staged(lander, parsing, landed, load_id)
        landed.rows_loaded = landed.rows_read - landed.rows_rejected
        landed.warning = _check_min_rows(spec, parsing.display, landed.rows_read)
        ledger.record_rejects(conn, load_id, spec.source.name, spec.table, rejects)
        ledger.finish(
            conn,
            load_id,
            "succeeded",
            **checked,
            rows_read=landed.rows_read,
            rows_loaded=landed.rows_loaded,
            rows_added=landed.rows_added,
            rows_changed=landed.rows_changed,
            rows_rejected=landed.rows_rejected,
            rows_withdrawn=landed.rows_withdrawn,
            extra_columns=landed.extra_columns,
            warning=landed.warning,
        )
    return landed


def _check_min_rows(spec: TableSpec, display: str, rows_read: int) -> str | None:
    """Fewer rows than a complete file has: the load fails, or warns if the contract says so."""
    contract = spec.contract
    if rows_read >= contract.min_rows:
        return None
    message = (
        f"{display}: expected at least {contract.min_rows:,} data row"
        f"{'s' if contract.min_rows != 1 else ''}, found {rows_read:,}"
    )
    if contract.too_few_rows == "warn":
        return f"{message}; loaded, but not counted as fresh"
    raise StructuralError(f"{message}; nothing was loaded")


def _land_direct(conn, lander: Lander, parsing: Parsing, landed: Landed, load_id: int):
    """A first load: every good row straight into the table. None if the file repeats a key
    (nothing of this attempt stays); the staged way then finds the lines that repeat it."""
    try:
        with conn.transaction():
            if not lander.begin_direct(load_id):
                return None  # rows came in meanwhile, not by a loader (they take the lock)
            rejects = _copy(parsing, lander, landed)
            landed.rows_added, landed.rows_changed = lander.end_direct(), 0
    except psycopg.errors.UniqueViolation:
        landed.rows_read = 0
        return None
    _check_threshold(parsing, landed, rejects, load_id)
    return rejects


def _land_staged(lander: Lander, parsing: Parsing, landed: Landed, load_id: int) -> list[Reject]:
    """Into a stage, then merged: new keys added, changed values versioned."""
    lander.open_stage()
    rejects = _copy(parsing, lander, landed)
    duplicates = lander.remove_duplicates()
    if duplicates:
        texts = parsing.raw_text({line for line, _, _ in duplicates})
        rejects.extend((line, texts.get(line, ""), reason) for line, _, reason in duplicates)
        rejects.sort(key=lambda reject: reject[0])
    _check_threshold(parsing, landed, rejects, load_id)
    landed.rows_added, landed.rows_changed = lander.merge(load_id)
    # A republished file lists every row: one it no longer lists was withdrawn. Not when rows
    # were rejected (their keys are unknown) or the file is empty (more likely broken).
    if parsing.spec.full_republication and landed.rows_read and not rejects:
        landed.rows_withdrawn = lander.withdraw(load_id)
    return rejects


def _copy(parsing: Parsing, lander: Lander, landed: Landed) -> list[Reject]:
    """Every good row COPied by `lander`; returns the rejects, in line order."""
    rejects: list[Reject] = []
    with lander.copying():
        for chunk in parsing.chunks():
            landed.extra_columns = parsing.extra_columns
            landed.rows_read += chunk.rows_read
            rejects.extend(chunk.rejects)
            lander.copy(chunk.rows)
    landed.extra_columns = parsing.extra_columns
    rejects.sort(key=lambda reject: reject[0])
    return rejects


def _check_threshold(parsing: Parsing, landed: Landed, rejects: list[Reject], load_id: int):
    """Above the spec's share of rejected rows the load is not trusted: nothing lands."""
    spec = parsing.spec
    landed.rows_rejected = len(rejects)
    if not rejects or len(rejects) <= spec.reject_threshold * max(landed.rows_read, 1):
        return
    line, _, reason = rejects[0]
    raise RejectThresholdExceeded(
        f"{parsing.display}: {len(rejects)} of {landed.rows_read} rows broke the contract, "
        f"above the {spec.reject_threshold * 100:g}% threshold; nothing was loaded (first: line "
        f"{line}: {reason}). See meta.rejected_rows, load_id = {load_id}.",
        rejects,
        landed.rows_read,
    )
