"""The slices of the marts the report draws, as DataFrames (a few thousand rows each)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import psycopg

# The marts the report reads; its Dagster asset depends on each.
REPORT_MARTS = (
    "fct_cases_daily",
    "fct_restrictions_timeline",
    "fct_business_activity_daily",
    "fct_revenue_restrictions_correlation",
    "fct_forecast_backtest",
    "fct_case_forecast",
    "dim_delaware_zip_cases",
    "fct_hospital_daily",
    "fct_school_case_changes",
    "fct_canada_source_reconciliation",
)

NUMERIC_OID = 1700
TOP_SCHOOLS = 10

QUERIES = {
    "cases": """
        select geo_level, geo_id, geo_name, report_date, new_cases, new_cases_7d_avg
        from marts.fct_cases_daily
        where geo_level = 'state' or (geo_level = 'nation' and geo_id = 'US')
        order by geo_level, geo_name, report_date
    """,
    "restrictions": """
        select state_fips, state_name, category, is_counted_in_force, imposed_date, lifted_date,
               imposed_description
        from marts.fct_restrictions_timeline
        order by state_fips, category, imposed_date
    """,
    "revenue": """
        select state_fips, geo_name as state_name, activity_date, revenue_change
        from marts.fct_business_activity_daily
        where geo_level = 'state' and revenue_change is not null
        order by state_fips, activity_date
    """,
    "correlation": """
        select geo_level, geo_id, geo_name, lag_days, pearson_r, n_days, is_strongest_lag
        from marts.fct_revenue_restrictions_correlation
        order by geo_level, geo_name, lag_days
    """,
    "backtest": """
        select state_fips, method, target_date, predicted_new_cases, actual_new_cases
        from marts.fct_forecast_backtest
        order by state_fips, method, target_date
    """,
    "forecast": """
        select state_fips, state_name, forecast_date, predicted_new_cases, method,
               last_actual_date
        from marts.fct_case_forecast
        order by state_fips
    """,
    "zips": """
        select zip_code, latitude, longitude, cases_per_10k_people, snapshot_date
        from marts.dim_delaware_zip_cases
        where latitude is not null and longitude is not null
        order by zip_code
    """,
    # Each Delaware county's last row (in the mirror: JHU, deaths only).
    "counties": """
        with delaware as (
            select geo_id, geo_name, report_date, source, cases_cumulative, deaths_cumulative
            from marts.fct_cases_daily
            where geo_level = 'county' and parent_geo_id = '10'
        ),
        last_days as (
            select geo_id, max(report_date) as report_date from delaware group by geo_id
        )
        select delaware.*
        from delaware join last_days using (geo_id, report_date)
        order by geo_name
    """,
    # Each state's last day with a 7-day rate.
    "per_capita": """
        with rated as (
            select geo_id, geo_name, report_date, new_cases_per_100k_7d
            from marts.fct_cases_daily
            where geo_level = 'state' and new_cases_per_100k_7d is not null
        ),
        last_days as (select geo_id, max(report_date) as report_date from rated group by geo_id)
        select rated.* from rated join last_days using (geo_id, report_date)
        order by geo_name
    """,
    "hospital": """
        select state_fips, state_name, report_date, covid_inpatients_per_100k
        from marts.fct_hospital_daily
        where covid_inpatients_per_100k is not null
        order by state_name, report_date
    """,
    "school_snapshots": """
        select snapshot_date, sum(new_cases) as new_cases,
               max(days_since_previous_snapshot) as days_since_previous_snapshot
        from marts.fct_school_case_changes
        where previous_snapshot_date is not null
        group by snapshot_date
        order by snapshot_date
    """,
    "top_schools": f"""
        select latest_school_name, snapshot_date, cases_cumulative
        from marts.fct_school_case_changes
        where snapshot_date = (select max(snapshot_date) from marts.fct_school_case_changes)
            and not is_administrative
        order by cases_cumulative desc, latest_school_name
        limit {TOP_SCHOOLS}
    """,
    "provinces": """
        select geo_id, geo_name, report_date, cases_cumulative, population
        from marts.fct_cases_daily
        where geo_level = 'province' and cases_cumulative is not null
        order by geo_name, report_date
    """,
    "canada_reconciliation": """
        select report_date, primary_value, compared_value
        from marts.fct_canada_source_reconciliation
        where geo_id = 'CA' and metric = 'cases'
        order by report_date
    """,
}


@dataclass(frozen=True)
class ReportData:
    cases: pd.DataFrame
    restrictions: pd.DataFrame
    revenue: pd.DataFrame
    correlation: pd.DataFrame
    backtest: pd.DataFrame
    forecast: pd.DataFrame
    zips: pd.DataFrame
    counties: pd.DataFrame
    per_capita: pd.DataFrame
    hospital: pd.DataFrame
    school_snapshots: pd.DataFrame
    top_schools: pd.DataFrame
    provinces: pd.DataFrame
    canada_reconciliation: pd.DataFrame


def read_report_data(dsn: str) -> ReportData:
    with psycopg.connect(dsn) as conn:
        missing = [
            mart
            for mart in REPORT_MARTS
            if conn.execute("select to_regclass(%s)", [f"marts.{mart}"]).fetchone()[0] is None
        ]
        if missing:
            raise LookupError(
                f"the report reads marts.{', marts.'.join(missing)}, missing from the warehouse: "
                "build the marts first (make run)"
            )
        frames = {name: _frame(conn, query) for name, query in QUERIES.items()}
    return ReportData(**frames)


def _frame(conn: psycopg.Connection, query: str) -> pd.DataFrame:
    cursor = conn.execute(query)
    frame = pd.DataFrame(cursor.fetchall(), columns=[column.name for column in cursor.description])
    for column in cursor.description:
        if column.type_code == NUMERIC_OID:  # Decimal values; the charts want floats
            frame[column.name] = frame[column.name].astype(float)
    return frame
