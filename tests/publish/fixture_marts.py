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
    for offset in range(0, DAYS, 2):  # a province, reported every other day
        rows.append(
            ("province", "CA-ON", "Ontario", "CA", day(offset), "phac_canada", 10 * offset, 0)
            + (None, None)
        )
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
    "new_cases_7d_avg numeric, is_correction boolean default false, "
    "new_cases_per_100k_7d numeric, population bigint"
)
POPULATIONS = {"10": 973_764, "17": 12_671_821, "CA-ON": 14_734_014}
SCHOOLS = {"610001": "ADDAMS", "610002": "ALCOTT HIGH SCHOOL", "999999": "ADMINISTRATIVE"}
SNAPSHOTS = [day(0), day(10), day(20)]


def school_rows() -> list[tuple]:
    """Three snapshots of three schools' cumulative cases (the administrative one excluded
    from the report's ranking)."""
    rows = []
    for index, (key, name) in enumerate(SCHOOLS.items()):
        for number, snapshot in enumerate(SNAPSHOTS):
            cumulative = (index + 1) * (number + 2)
            previous = SNAPSHOTS[number - 1] if number else None
            new = (index + 1) if number else None
            gap = 10 if number else None
            rows.append((key, name, key == "999999", snapshot, previous, gap, cumulative, new))
    return rows


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
    "fct_hospital_daily": (
        "state_fips text, state_name text, report_date date, covid_inpatients_per_100k "
        "double precision",
        [(f, n, day(o), int(f) + o / 10) for f, n in STATES.items() for o in range(DAYS)],
    ),
    "fct_school_case_changes": (
        "school_key text, latest_school_name text, is_administrative boolean, snapshot_date date, "
        "previous_snapshot_date date, days_since_previous_snapshot integer, "
        "cases_cumulative bigint, new_cases bigint",
        school_rows(),
    ),
    "fct_canada_source_reconciliation": (
        "geo_level text, geo_id text, region_name text, report_date date, comparison text, "
        "metric text, primary_value bigint, compared_value bigint",
        [
            ("nation", "CA", "Canada", day(o), "phac_vs_jhu_canada_sum", "cases", 20 * o, 21 * o)
            for o in range(0, DAYS, 2)
        ],
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
        for geo_id, population in POPULATIONS.items():
            conn.execute(
                "update marts.fct_cases_daily set population = %s, "
                "new_cases_per_100k_7d = new_cases_7d_avg * 7 * 100000 / %s where geo_id = %s",
                [population, population, geo_id],
            )
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
