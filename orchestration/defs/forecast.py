"""The next-day case forecast and its backtest: a Python asset beside the dbt marts."""

import dagster as dg
import pandas as pd
import psycopg

from analysis.forecast import forecast_states
from analysis.store import replace_tables
from orchestration.defs.gates import stop_if_blocked
from orchestration.defs.resources import Warehouse
from orchestration.defs.table_metadata import markdown_table

CASES_KEY = dg.AssetKey(["marts", "fct_cases_daily"])
FORECAST_KEY = dg.AssetKey(["marts", "fct_case_forecast"])
BACKTEST_KEY = dg.AssetKey(["marts", "fct_forecast_backtest"])

FORECAST_TYPES = {
    "state_fips": "text",
    "state_name": "text",
    "forecast_date": "date",
    "predicted_new_cases": "double precision",
    "method": "text",
    "is_model_forecast": "boolean",
    "last_actual_date": "date",
    "n_backtest_days": "integer",
    "mae_model": "double precision",
    "mae_naive_last": "double precision",
    "mae_naive_7d_avg": "double precision",
}
BACKTEST_TYPES = {
    "state_fips": "text",
    "method": "text",
    "target_date": "date",
    "predicted_new_cases": "double precision",
    "actual_new_cases": "double precision",
    "absolute_error": "double precision",
}
STATE_CASES = """
    select geo_id as state_fips, geo_name as state_name, report_date, new_cases
    from marts.fct_cases_daily
    where geo_level = 'state' and source = 'nyt_covid' and new_cases is not null
"""


@dg.multi_asset(
    specs=[
        dg.AssetSpec(
            FORECAST_KEY,
            deps=[CASES_KEY],
            description=(
                "One row per state: tomorrow's new cases, from a small autoregression refitted "
                "daily (analysis/forecast.py) where it beat both naive baselines in a 90-day "
                "rolling backtest, else from the better baseline; `method` says which."
            ),
            group_name="marts",
            kinds={"python", "postgres"},
        ),
        dg.AssetSpec(
            BACKTEST_KEY,
            deps=[CASES_KEY],
            description=(
                "One row per state per method per backtested day: the forecast each method "
                "made the day before, the actual new cases, and the absolute error."
            ),
            group_name="marts",
            kinds={"python", "postgres"},
        ),
    ],
    check_specs=[
        dg.AssetCheckSpec(
            "method_won_its_backtest",
            asset=FORECAST_KEY,
            blocking=True,
            description=(
                "Recomputed in SQL from fct_forecast_backtest: each state's method has the "
                "lowest mean absolute error (the model only where it beats both baselines), "
                "and every state of fct_cases_daily has a forecast."
            ),
        )
    ],
)
def case_forecast(context: dg.AssetExecutionContext, warehouse: dg.ResourceParam[Warehouse]):
    stop_if_blocked(context, [CASES_KEY])
    with psycopg.connect(warehouse.dsn) as conn:
        cursor = conn.execute(STATE_CASES)
        daily = pd.DataFrame(cursor.fetchall(), columns=[d.name for d in cursor.description])
    forecasts, backtests = forecast_states(daily)
    tables = {
        "fct_forecast_backtest": (backtests, BACKTEST_TYPES),
        "fct_case_forecast": (forecasts, FORECAST_TYPES),
    }
    replace_tables(warehouse.dsn, "marts", tables)
    won = int(forecasts["is_model_forecast"].sum())
    context.log.info(f"model forecast kept for {won} of {len(forecasts)} states")
    yield dg.MaterializeResult(
        asset_key=FORECAST_KEY,
        metadata={
            "dagster/row_count": len(forecasts),
            "states_where_model_won": won,
            "preview": dg.MetadataValue.md(_preview(forecasts, list(FORECAST_TYPES))),
        },
    )
    yield dg.MaterializeResult(
        asset_key=BACKTEST_KEY,
        metadata={
            "dagster/row_count": len(backtests),
            "preview": dg.MetadataValue.md(_preview(backtests, list(BACKTEST_TYPES))),
        },
    )
    problems = forecast_problems(warehouse.dsn)
    yield dg.AssetCheckResult(
        check_name="method_won_its_backtest",
        asset_key=FORECAST_KEY,
        passed=not problems,
        metadata={"problems": dg.MetadataValue.md("\n".join(problems) or "none")},
    )


WRONG_WINNERS = """
    with errors as (
        select state_fips, method, avg(absolute_error) as mae
        from marts.fct_forecast_backtest group by state_fips, method
    ),
    best as (
        select state_fips, min(mae) as mae from errors group by state_fips
    )
    select f.state_fips, f.method
    from marts.fct_case_forecast f
    join errors e on e.state_fips = f.state_fips and e.method = f.method
    join best b on b.state_fips = f.state_fips
    where f.n_backtest_days >= 28 and e.mae > b.mae + 1e-9
"""
MISSING_STATES = """
    select distinct geo_id from marts.fct_cases_daily
    where geo_level = 'state' and geo_id not in (select state_fips from marts.fct_case_forecast)
"""


def forecast_problems(dsn: str) -> list[str]:
    """What is wrong with the written forecast, one line each (none when it is right)."""
    with psycopg.connect(dsn) as conn:
        wrong = conn.execute(WRONG_WINNERS).fetchall()
        missing = conn.execute(MISSING_STATES).fetchall()
    return [
        f"- {state}: {method} did not have the lowest backtest error" for state, method in wrong
    ] + [f"- {state}: no forecast" for (state,) in missing]


def _preview(frame: pd.DataFrame, columns: list[str], rows: int = 5) -> str:
    return markdown_table(columns, list(frame[columns].head(rows).itertuples(index=False)))
