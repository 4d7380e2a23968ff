"""A test-only source and table, so lifecycle tests depend on no real source module.

`toy/readings.csv`: one row per station per day, a count that cannot be negative and a level.
"""

from __future__ import annotations

import psycopg

from loaders.core.contract import Column, Contract
from loaders.core.spec import Source, TableSpec

SOURCE = Source(
    name="toy",
    homepage="http://127.0.0.1/",
    licence="test fixture",
    cadence="daily",
    warn_after_days=1,
    error_after_days=2,
)
SPEC = TableSpec(
    source=SOURCE,
    name="readings",
    file_name="readings.csv",
    official_url="http://127.0.0.1:9/toy/readings.csv",  # never fetched: tests set a mirror
    contract=Contract(
        columns=(
            Column("day", "date", not_future=True),
            Column("station", "text"),
            Column("count", "int", non_negative=True),
            Column("level", "float"),
        ),
        natural_key=("day", "station"),
    ),
)
TABLE = f"raw.{SPEC.table}"
HEADER = "day,station,count,level\n"
GOOD = HEADER + "2020-03-01,A,1,0.5\n2020-03-01,B,2,1.5\n2020-03-02,A,3,2.5\n"
GOOD_ROWS = [("2020-03-01", "A", 1, 0.5), ("2020-03-01", "B", 2, 1.5), ("2020-03-02", "A", 3, 2.5)]


def query(dsn: str, statement: str, params=()) -> list[tuple]:
    with psycopg.connect(dsn) as conn:
        return conn.execute(statement, params).fetchall()


def table_exists(dsn: str) -> bool:
    return query(dsn, "select to_regclass(%s) is not null", [TABLE])[0][0]


def raw_table(dsn: str) -> list[tuple]:
    """Every stored version, with its load columns: the table's full contents."""
    if not table_exists(dsn):
        return []
    return query(
        dsn,
        f"select day::text, station, count, level, _load_id, _loaded_at, _superseded_load_id "
        f"from {TABLE} order by day, station, _load_id",
    )


def current_rows(dsn: str) -> list[tuple]:
    if not table_exists(dsn):
        return []
    return query(
        dsn,
        f"select day::text, station, count, level from {TABLE} "
        f"where _superseded_load_id is null order by day, station",
    )


def ledger(dsn: str, columns: str = "load_id, status") -> list[tuple]:
    return query(dsn, f"select {columns} from meta.load_log order by load_id")


def rejected(dsn: str) -> list[tuple]:
    return query(
        dsn,
        "select load_id, line_number, raw_line, reason from meta.rejected_rows "
        "order by load_id, line_number",
    )
