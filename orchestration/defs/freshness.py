"""Freshness of each raw table against its publisher's cadence, as asset checks.

Fresh means we confirmed the table recently: the last load that succeeded or found the file
unchanged (meta.load_log), whether Dagster or `python -m loaders` ran it; a load that landed
with a warning (fewer rows than its contract's `min_rows`) never counts. Older than the
source's `warn_after_days` fails with WARN severity, older than `error_after_days` with ERROR;
a table with loads but none that succeeded fails with ERROR. A table the folder mirror has no
file for is "not configured" and passes, whatever earlier runs found (orchestration/defs/raw.py).
The checks never block: stale data is still the best data we have. They run after each load
and on their own schedule (`check_freshness`), so a source that stops loading turns red.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

import dagster as dg
import psycopg

from loaders.core import ledger
from loaders.core.spec import Source, TableSpec
from loaders.registry import TABLES
from orchestration.defs.raw import missing_from_mirror, raw_asset_key
from orchestration.defs.resources import Warehouse

FRESHNESS_CHECK = "freshness"
SECONDS_PER_DAY = 86_400


@dataclass(frozen=True)
class Confirmation:
    """When a table's data was last confirmed, and how many days ago (by the server's clock)."""

    at: datetime
    age_days: float


@dataclass(frozen=True)
class Verdict:
    passed: bool
    severity: dg.AssetCheckSeverity
    reason: str


def judge(
    source: Source,
    confirmation: Confirmation | None,
    attempted: bool = True,
    unconfigured: str | None = None,
) -> Verdict:
    """Fresh, stale (WARN) or overdue (ERROR) against the publisher's cadence.

    A table with no load at all in the ledger has had no file to load (a mirror without a copy
    of it, a run that has not reached it): nothing there can be stale, so it passes.
    `unconfigured` (why the table has no file to load, e.g. a mirror without it) passes too.
    """
    if unconfigured:
        return Verdict(True, dg.AssetCheckSeverity.WARN, unconfigured)
    if confirmation is None:
        if not attempted:
            return Verdict(True, dg.AssetCheckSeverity.WARN, "no file loaded yet: nothing to age")
        return Verdict(False, dg.AssetCheckSeverity.ERROR, "no load has succeeded yet")
    age = confirmation.age_days
    if age > source.error_after_days:
        reason = f"last confirmed {age:.1f} days ago, over the {source.error_after_days}-day limit"
        return Verdict(False, dg.AssetCheckSeverity.ERROR, reason)
    if age > source.warn_after_days:
        reason = f"last confirmed {age:.1f} days ago, over the {source.warn_after_days}-day warning"
        return Verdict(False, dg.AssetCheckSeverity.WARN, reason)
    return Verdict(True, dg.AssetCheckSeverity.WARN, f"confirmed {age:.1f} days ago")


def last_confirmations(dsn: str, tables: list[str]) -> tuple[dict[str, Confirmation], set[str]]:
    """The last succeeded or unchanged load of each table that has one, and every table with
    any load in the ledger (whatever its status)."""
    query = """
        select table_name, confirmed_at, extract(epoch from now() - confirmed_at)
        from (
            select table_name,
                   max(case when status in ('succeeded', 'unchanged') and warning is null
                            then finished_at end) as confirmed_at
            from meta.load_log
            where table_name = any(%s)
            group by table_name
        ) as loads
    """
    with psycopg.connect(dsn) as conn:
        if conn.execute("select to_regclass('meta.load_log')").fetchone()[0] is None:
            return {}, set()
        ledger.ensure_ledger(conn)  # a ledger from before a column was added
        rows = conn.execute(query, [tables]).fetchall()
    confirmations = {
        table: Confirmation(at=at, age_days=float(seconds) / SECONDS_PER_DAY)
        for table, at, seconds in rows
        if at is not None
    }
    return confirmations, {table for table, _, _ in rows}


def freshness_check_key(spec: TableSpec) -> dg.AssetCheckKey:
    return dg.AssetCheckKey(raw_asset_key(spec), FRESHNESS_CHECK)


def source_freshness_checks(source: Source, specs: list[TableSpec]) -> dg.AssetChecksDefinition:
    """One step per source, one check per table (so the UI shows it on each raw asset)."""
    by_key = {raw_asset_key(spec): spec for spec in specs}
    description = (
        f"Loaded or confirmed unchanged within {source.warn_after_days} days (WARN) / "
        f"{source.error_after_days} days (ERROR); the publisher updates {source.cadence}."
    )

    @dg.multi_asset_check(
        name=f"{source.name}_freshness",
        specs=[
            dg.AssetCheckSpec(FRESHNESS_CHECK, asset=key, description=description) for key in by_key
        ],
        can_subset=True,
    )
    def _check(context: dg.AssetCheckExecutionContext, warehouse: dg.ResourceParam[Warehouse]):
        confirmations, attempted = last_confirmations(warehouse.dsn, [s.table for s in specs])
        for check_key in context.selected_asset_check_keys:
            spec = by_key[check_key.asset_key]
            confirmation = confirmations.get(spec.table)
            verdict = judge(
                source,
                confirmation,
                attempted=spec.table in attempted,
                unconfigured=missing_from_mirror(spec, warehouse.settings),
            )
            yield dg.AssetCheckResult(
                asset_key=check_key.asset_key,
                check_name=FRESHNESS_CHECK,
                passed=verdict.passed,
                severity=verdict.severity,
                description=verdict.reason,
                metadata={
                    "last_confirmed_at": str(confirmation.at) if confirmation else "never",
                    "age_days": round(confirmation.age_days, 2) if confirmation else None,
                    "warn_after_days": source.warn_after_days,
                    "error_after_days": source.error_after_days,
                    "cadence": source.cadence,
                },
            )

    return _check


def freshness_checks(specs: list[TableSpec] = TABLES) -> list[dg.AssetChecksDefinition]:
    by_source: dict[str, list[TableSpec]] = defaultdict(list)
    for spec in specs:
        by_source[spec.source.name].append(spec)
    return [source_freshness_checks(group[0].source, group) for group in by_source.values()]


freshness_check_keys = [freshness_check_key(spec) for spec in TABLES]
