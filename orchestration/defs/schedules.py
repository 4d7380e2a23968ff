"""When things run.

- `daily_refresh`: the whole graph daily at 16:00 New York time, after the publishers' updates.
- `cps_school_day_refresh`: the CPS loaders and every model downstream of them, hourly from
  07:00 to 19:00 Chicago time on school days: Monday to Friday from 15 August to 20 June (the
  CPS school year with a margin either side; holidays are not excluded, where a load just
  finds the files unchanged).
- `daily_freshness`: the freshness checks on their own, daily at 09:00 New York time, so a
  source that stopped loading turns red even when no load runs.
- `weekly_full_rebuild`: the whole graph with the incremental dbt models rebuilt from scratch,
  Sundays at 04:00 New York time, so a publisher's revision older than the incremental
  lookback window is in the marts within a week.
"""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

import dagster as dg

from orchestration.defs.freshness import freshness_check_keys
from orchestration.defs.newest_data import newest_data_check_keys
from orchestration.environment import run_tags
from warehouse.settings import Settings

# Every run of these jobs (from the UI, a schedule or `make run`) shows the settings it reads.
TAGS = run_tags(Settings.from_env())

CPS_TIMEZONE = "America/Chicago"
SCHOOL_YEAR_STARTS = (8, 15)  # (month, day), inclusive
SCHOOL_YEAR_ENDS = (6, 20)

refresh_all = dg.define_asset_job(
    "refresh_all",
    selection=dg.AssetSelection.all(),
    description="Load every source, then build and test every dbt model.",
    tags=TAGS,
)

daily_refresh = dg.ScheduleDefinition(
    name="daily_refresh",
    job=refresh_all,
    cron_schedule="0 16 * * *",
    execution_timezone="America/New_York",
    default_status=dg.DefaultScheduleStatus.RUNNING,
)

# By key pattern, so the job is valid (and empty) before the CPS loader assets exist.
cps_refresh = dg.define_asset_job(
    "cps_refresh",
    selection=dg.AssetSelection.from_string('key:"raw/cps_covid__*"').downstream(),
    description="Load the CPS school case files, then rebuild and test what reads them.",
    tags=TAGS,
)


def is_school_day(day: date) -> bool:
    """A weekday within the school year (15 August to 20 June)."""
    in_year = (day.month, day.day) >= SCHOOL_YEAR_STARTS or (day.month, day.day) <= SCHOOL_YEAR_ENDS
    return day.weekday() < 5 and in_year


def _on_a_school_day(context: dg.ScheduleEvaluationContext) -> bool:
    return is_school_day(context.scheduled_execution_time.astimezone(ZoneInfo(CPS_TIMEZONE)).date())


cps_school_day_refresh = dg.ScheduleDefinition(
    name="cps_school_day_refresh",
    job=cps_refresh,
    cron_schedule="0 7-19 * 1-6,8-12 1-5",  # narrowed to the school year by should_execute
    execution_timezone=CPS_TIMEZONE,
    should_execute=_on_a_school_day,
    default_status=dg.DefaultScheduleStatus.RUNNING,
    description="Hourly 07:00-19:00 Chicago time, Monday to Friday, 15 August to 20 June.",
)

check_freshness = dg.define_asset_job(
    "check_freshness",
    selection=dg.AssetSelection.checks(*freshness_check_keys, *newest_data_check_keys),
    description="Every raw table's freshness and newest-data checks, without loading anything.",
    tags=TAGS,
)

daily_freshness = dg.ScheduleDefinition(
    name="daily_freshness",
    job=check_freshness,
    cron_schedule="0 9 * * *",
    execution_timezone="America/New_York",
    default_status=dg.DefaultScheduleStatus.RUNNING,
)

# The op that runs dbt (orchestration/defs/dbt.py) and its DbtBuildConfig.
FULL_REFRESH_RUN_CONFIG = {"ops": {"dbt_models": {"config": {"full_refresh": True}}}}

weekly_full_rebuild = dg.ScheduleDefinition(
    name="weekly_full_rebuild",
    job=refresh_all,
    cron_schedule="0 4 * * 0",
    execution_timezone="America/New_York",
    run_config=FULL_REFRESH_RUN_CONFIG,
    default_status=dg.DefaultScheduleStatus.RUNNING,
    description="Sundays 04:00: everything, with the incremental dbt models rebuilt in full.",
)

jobs = [refresh_all, cps_refresh, check_freshness]
schedules = [daily_refresh, cps_school_day_refresh, daily_freshness, weekly_full_rebuild]
