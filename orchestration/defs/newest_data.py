"""The newest data date in each raw table, judged against its publisher, as asset checks.

The freshness check (freshness.py) asks when we last fetched a file; this one asks what the
file holds: a publisher that keeps serving the same old file stays fresh there but not here.
Each table with a date in its natural key (`TableSpec.data_date_column`) is checked on the
current rows of its raw table:
- a source declared ended (`Source.ended`, e.g. the NYT on 2023-03-23) passes as "ended": no
  new data is expected, so it is said once (alerts.py sends a state change once), never daily;
- a still-publishing source whose newest date is older than its `warn_after_days` fails with
  WARN: an alert, while the data stays the best we have (it never blocks the run);
- a table with no rows yet passes: nothing there can be old.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

import dagster as dg
import psycopg
from psycopg import sql

from loaders.core.spec import Source, TableSpec
from loaders.registry import TABLES
from orchestration.defs.raw import raw_asset_key
from orchestration.defs.resources import Warehouse

NEWEST_DATA_CHECK = "newest_data"
ENDED, OLD, CURRENT, EMPTY = "ended", "old", "current", "no data yet"


@dataclass(frozen=True)
class DataVerdict:
    state: str  # ENDED, OLD, CURRENT or EMPTY
    passed: bool
    reason: str


def judge_newest(source: Source, newest: date | None, today: date) -> DataVerdict:
    if newest is None:
        return DataVerdict(EMPTY, True, "no rows loaded yet")
    if source.ended:
        return DataVerdict(
            ENDED,
            True,
            f"ended: {source.name} stopped publishing on {source.ended}; newest data {newest}",
        )
    age = (today - newest).days
    if age > source.warn_after_days:
        return DataVerdict(
            OLD,
            False,
            f"newest data {newest} is {age:,} days old; {source.name} publishes "
            f"{source.cadence} ({source.warn_after_days} days allowed)",
        )
    return DataVerdict(CURRENT, True, f"newest data {newest} ({age} days old)")


def newest_dates(dsn: str, specs: list[TableSpec]) -> dict[str, date | None]:
    """The newest data date among each table's current rows (None: no table or no rows)."""
    newest: dict[str, date | None] = {}
    with psycopg.connect(dsn) as conn:
        for spec in specs:
            if conn.execute("select to_regclass(%s)", [f"raw.{spec.table}"]).fetchone()[0] is None:
                newest[spec.table] = None
                continue
            query = sql.SQL("select max({}) from {} where _superseded_load_id is null").format(
                sql.Identifier(spec.data_date_column), sql.Identifier("raw", spec.table)
            )
            newest[spec.table] = conn.execute(query).fetchone()[0]
    return newest


def newest_data_check_key(spec: TableSpec) -> dg.AssetCheckKey:
    return dg.AssetCheckKey(raw_asset_key(spec), NEWEST_DATA_CHECK)


def source_newest_data_checks(source: Source, specs: list[TableSpec]) -> dg.AssetChecksDefinition:
    by_key = {raw_asset_key(spec): spec for spec in specs}
    description = (
        f"The newest {{}} is within {source.warn_after_days} days (WARN); the publisher "
        f"updates {source.cadence}."
        + (f" Ended on {source.ended}: reported as ended, not as old." if source.ended else "")
    )

    @dg.multi_asset_check(
        name=f"{source.name}_newest_data",
        specs=[
            dg.AssetCheckSpec(
                NEWEST_DATA_CHECK,
                asset=key,
                description=description.format(by_key[key].data_date_column),
            )
            for key in by_key
        ],
        can_subset=True,
    )
    def _check(context: dg.AssetCheckExecutionContext, warehouse: dg.ResourceParam[Warehouse]):
        newest = newest_dates(warehouse.dsn, specs)
        today = date.today()
        for check_key in context.selected_asset_check_keys:
            spec = by_key[check_key.asset_key]
            verdict = judge_newest(source, newest[spec.table], today)
            yield dg.AssetCheckResult(
                asset_key=check_key.asset_key,
                check_name=NEWEST_DATA_CHECK,
                passed=verdict.passed,
                severity=dg.AssetCheckSeverity.WARN,
                description=verdict.reason,
                metadata={
                    "state": verdict.state,
                    "newest_data": str(newest[spec.table] or "none"),
                    "date_column": spec.data_date_column,
                    "ended": source.ended or "still publishing",
                    "cadence": source.cadence,
                },
            )

    return _check


def newest_data_checks(specs: list[TableSpec] = TABLES) -> list[dg.AssetChecksDefinition]:
    by_source: dict[str, list[TableSpec]] = defaultdict(list)
    for spec in specs:
        if spec.data_date_column:
            by_source[spec.source.name].append(spec)
    return [source_newest_data_checks(group[0].source, group) for group in by_source.values()]


newest_data_check_keys = [newest_data_check_key(s) for s in TABLES if s.data_date_column]
