"""Small inline mart tables (the columns of schema `marts`) for the report and export tests."""

from __future__ import annotations

from datetime import date, timedelta

import psycopg
from psycopg import sql

START = date(2020, 3, 1)
DAYS = 21
STATES = {"10": "Delaware", "17": "Illinois"}
DELAWARE_COUNTIES = {"10001": "Kent", "10003": "New Castle", "10005": "Sussex"}


def day(offset: int) -> date:
    return START + timedelta(days=offset)


def state_new_cases(state_fips: str, offset: int) -> int:
    """A made-up series, different per state, with one correction (a negative day)."""
    base = int(state_fips) * 3 + offset * (2 if state_fips == "10" else 5)
    return -4 if (state_fips, offset) == ("10", 9) else base


def cases_rows() -> list[tuple]:
    rows = []
    for fips, name in STATES.items():
        cumulative, window = 0, []
        for offset in range(DAYS):
            new = state_new_cases(fips, offset)
            cumulative += new
            window = [*window[-6:], new]
            average = sum(window) / 7 if len(window) == 7 else None
            rows.append(
                ("state", fips, name, "US", day(offset), "nyt_covid", cumulative, 0, new, average)
            )
    for offset in range(DAYS):  # the nation, and a Canadian row the report must leave out
        rows.append(
            (
                "nation",
                "US",
                "United States",
                None,
                day(offset),
                "nyt_covid",
                0,
                0,
                100 + offset,
                None,
            )
        )
        rows.append(("nation", "CA", "Canada", None, day(offset), "phac_canada", 0, 0, 7, None))
    for index, (fips, name) in enumerate(DELAWARE_COUNTIES.items()):
        for offset in range(DAYS):  # JHU county rows: deaths only
            deaths = (index + 1) * 10 + offset
            rows.append(
                ("county", fips, name, "10", day(offset), "jhu_csse", None, deaths, None, None)
            )
    return rows


CASES_COLUMNS = (
    "geo_level text, geo_id text, geo_name text, parent_geo_id text, report_date date, "
    "source text, cases_cumulative bigint, deaths_cumulative bigint, new_cases bigint, "
    "new_cases_7d_avg numeric, is_correction boolean default false"
)

TABLES: dict[str, tuple[str, list[tuple]]] = {
    "fct_restrictions_timeline": (
        "restriction_period_id text, state_fips text, state_name text, category text, "
        "is_counted_in_force boolean, imposed_date date, lifted_date date, "
        "imposed_description text",
        [
            ("10-1", "10", "Delaware", "schools", True, day(3), day(15), "Closed schools"),
            ("10-2", "10", "Delaware", "stay_at_home", True, day(5), None, 'Stay at home, "now"'),
            ("10-3", "10", "Delaware", "masks", False, day(2), None, "Masks in public"),
            ("17-1", "17", "Illinois", "dining", True, day(4), day(10), "Closed dining"),
        ],
    ),
    "fct_business_activity_daily": (
        "geo_level text, geo_id text, geo_name text, state_fips text, activity_date date, "
        "revenue_change numeric, is_provisional boolean",
        [
            ("state", f, n, f, day(o), -0.01 * o, o > 18)
            for f, n in STATES.items()
            for o in range(DAYS)
        ]
        + [("county", "10001", "Kent", "10", day(0), -0.5, False)],
    ),
    "fct_revenue_restrictions_correlation": (
        "geo_level text, geo_id text, geo_name text, lag_days integer, pearson_r double precision, "
        "n_days integer, is_strongest_lag boolean",
        [
            ("state", f, n, lag, -0.5 + lag / 100, 200, lag == 0)
            for f, n in STATES.items()
            for lag in range(29)
        ]
        + [("nation", "US", "United States", lag, -0.3, 300, lag == 7) for lag in range(29)],
    ),
    "fct_forecast_backtest": (
        "state_fips text, method text, target_date date, predicted_new_cases double precision, "
        "actual_new_cases double precision, absolute_error double precision",
        [
            (f, m, day(o), 40.0 + o, 42.0 + o, 2.0)
            for f in STATES
            for m in ("autoregression", "naive_last")
            for o in range(14, DAYS)
        ],
    ),
    "fct_case_forecast": (
        "state_fips text, state_name text, forecast_date date, predicted_new_cases double "
        "precision, method text, is_model_forecast boolean, last_actual_date date",
        [(f, n, day(DAYS), 55.0, "autoregression", True, day(DAYS - 1)) for f, n in STATES.items()],
    ),
    "dim_delaware_zip_cases": (
        "zip_code text, latitude double precision, longitude double precision, "
        "cases_per_10k_people numeric, snapshot_date date",
        [
            ("19701", 39.58, -75.70, 310.5, None),
            ("19901", 39.16, -75.52, 280.0, None),
            ("19966", 38.58, -75.22, 255.25, None),
            ("19999", None, None, 1.0, None),
        ],
    ),
}


def create_fixture_marts(dsn: str) -> None:
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute("create schema if not exists marts")
        _create(conn, "fct_cases_daily", CASES_COLUMNS, cases_rows())
        for name, (columns, rows) in TABLES.items():
            _create(conn, name, columns, rows)


def _create(conn: psycopg.Connection, name: str, columns: str, rows: list[tuple]) -> None:
    table = sql.Identifier("marts", name)
    conn.execute(sql.SQL("create table {} ({})").format(table, sql.SQL(columns)))
    width = len(rows[0])
    names = [c.split()[0] for c in columns.split(", ")][:width]
    insert = sql.SQL("insert into {} ({}) values ({})").format(
        table,
        sql.SQL(", ").join(map(sql.Identifier, names)),
        sql.SQL(", ").join(sql.Placeholder() * width),
    )
    with conn.cursor() as cursor:
        cursor.executemany(insert, rows)
