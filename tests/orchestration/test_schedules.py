"""The schedules: CPS on school days, freshness checks on their own; and what each job runs."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import dagster as dg
import pytest

from loaders.registry import TABLES
from orchestration.definitions import defs
from orchestration.defs.dbt import dbt_build_args
from orchestration.defs.freshness import FRESHNESS_CHECK
from orchestration.defs.newest_data import NEWEST_DATA_CHECK
from orchestration.defs.schedules import is_school_day


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2021, 1, 15), True),  # a Friday in January
        (date(2021, 1, 16), False),  # Saturday
        (date(2021, 1, 17), False),  # Sunday
        (date(2021, 6, 18), True),  # Friday before the year ends on 20 June
        (date(2021, 6, 21), False),  # Monday after: summer
        (date(2021, 7, 14), False),  # a July Wednesday
        (date(2021, 8, 13), False),  # Friday before the year starts on 15 August
        (date(2021, 8, 16), True),  # Monday after
        (date(2021, 12, 1), True),
    ],
)
def test_school_days_are_weekdays_from_mid_august_to_mid_june(day, expected):
    assert is_school_day(day) is expected


def selected_assets(job_name: str) -> set[dg.AssetKey]:
    return set(defs.resolve_job_def(job_name).asset_layer.selected_asset_keys)


def test_cps_job_loads_the_cps_tables_and_rebuilds_only_what_reads_them():
    cps_tables = {dg.AssetKey(["raw", s.table]) for s in TABLES if s.source.name == "cps_covid"}
    selected = selected_assets("cps_refresh")
    assert cps_tables <= selected
    graph = defs.resolve_asset_graph()
    for key in selected - cps_tables:
        # Everything else in the job sits downstream of a CPS table.
        assert _ancestors(graph, key) & cps_tables, f"{key} does not read CPS data"
    assert not any(k.path[0] == "raw" for k in selected - cps_tables)
    staged = {k for k in selected if k.path[0] == "staging"}
    if any(k.path[-1].startswith("stg_cps_covid__") for k in graph.get_all_asset_keys()):
        assert staged, "the CPS staging models are not in the CPS job"


def _ancestors(graph, key) -> set[dg.AssetKey]:
    seen, stack = set(), [key]
    while stack:
        for parent in graph.get(stack.pop()).parent_keys:
            if parent not in seen:
                seen.add(parent)
                stack.append(parent)
    return seen


def test_cps_schedule_runs_hourly_on_school_days_only():
    schedule = defs.resolve_schedule_def("cps_school_day_refresh")
    assert schedule.job_name == "cps_refresh"
    chicago = ZoneInfo("America/Chicago")
    ticks = {
        datetime(2021, 3, 3, 10, 0, tzinfo=chicago): True,  # Wednesday, term time
        datetime(2021, 6, 25, 10, 0, tzinfo=chicago): False,  # Friday, summer (June in cron)
        datetime(2021, 8, 10, 10, 0, tzinfo=chicago): False,  # Tuesday, before the year
    }
    with dg.DagsterInstance.ephemeral() as instance:
        for tick, should_run in ticks.items():
            context = dg.build_schedule_context(instance=instance, scheduled_execution_time=tick)
            data = schedule.evaluate_tick(context)
            assert bool(data.run_requests) is should_run, tick


def test_freshness_job_runs_the_freshness_checks_and_nothing_else():
    job = defs.resolve_job_def("check_freshness")
    selected_checks = set(job.asset_layer.asset_graph.asset_check_keys)
    expected = {dg.AssetCheckKey(dg.AssetKey(["raw", s.table]), FRESHNESS_CHECK) for s in TABLES}
    expected |= {
        dg.AssetCheckKey(dg.AssetKey(["raw", s.table]), NEWEST_DATA_CHECK)
        for s in TABLES
        if s.data_date_column
    }
    assert selected_checks == expected
    assert not job.asset_layer.selected_asset_keys


def test_the_weekly_rebuild_runs_everything_with_a_full_refresh_of_dbt(monkeypatch):
    schedule = defs.resolve_schedule_def("weekly_full_rebuild")
    assert schedule.job_name == "refresh_all"
    context = dg.build_schedule_context(
        scheduled_execution_time=datetime(2021, 1, 17, 4, tzinfo=ZoneInfo("America/New_York"))
    )
    [request] = list(schedule.evaluate_tick(context).run_requests)
    monkeypatch.setenv("WAREHOUSE_DSN", "postgresql://localhost/unused")
    resolved = dg.validate_run_config(defs.resolve_job_def("refresh_all"), request.run_config)
    full_refresh = resolved["ops"]["dbt_models"]["config"]["full_refresh"]
    assert full_refresh is True
    assert dbt_build_args(full_refresh) == ["build", "--full-refresh"]
