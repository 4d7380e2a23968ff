"""An incremental mart that gained a column is rebuilt in full, not stopped or left half-empty."""

import psycopg

from orchestration.defs.dbt import incremental_tables_missing_columns
from orchestration.defs.project import dbt_project

OLD_CASES_COLUMNS = (
    "geo_level text, geo_id text, geo_name text, parent_geo_id text, report_date date, "
    "source text, population bigint, cases_cumulative bigint, deaths_cumulative bigint, "
    "new_cases bigint, new_deaths bigint, new_cases_7d_avg float, new_cases_per_100k_7d float, "
    "is_correction boolean, is_gap_fill boolean, days_since_previous_report integer"
)


def test_a_table_built_before_the_deaths_averages_is_rebuilt_in_full(dsn):
    manifest = dbt_project.manifest_path
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute("create schema marts")
        assert incremental_tables_missing_columns(manifest, dsn) == []  # nothing built yet
        conn.execute(f"create table marts.fct_cases_daily ({OLD_CASES_COLUMNS})")
        assert incremental_tables_missing_columns(manifest, dsn) == ["fct_cases_daily"]
        conn.execute(
            "alter table marts.fct_cases_daily add column new_deaths_7d_avg float, "
            "add column new_deaths_per_100k_7d float"
        )
    assert incremental_tables_missing_columns(manifest, dsn) == []
