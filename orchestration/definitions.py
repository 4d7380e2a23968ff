"""The code location: loader and dbt assets, the forecast, the BI role, the report and exports,
checks, jobs, schedules, sensors."""

import dagster as dg

from orchestration.defs.access import bi_reader_asset
from orchestration.defs.dbt import dbt_models
from orchestration.defs.forecast import case_forecast
from orchestration.defs.freshness import freshness_checks
from orchestration.defs.newest_data import newest_data_checks
from orchestration.defs.publishing import publishing_assets
from orchestration.defs.raw import raw_assets
from orchestration.defs.resources import resources
from orchestration.defs.schedules import jobs, schedules
from orchestration.defs.sensors import sensors

# A step runs once the outputs it reads exist, even when the step that made them then failed:
# a dead source keeps its last data and fails its own step (orchestration/defs/raw.py), a dbt
# step in which one model or test failed still hands on every other model, and a failed
# blocking check stops only what reads its asset (orchestration/defs/gates.py). In one process:
# steps run one after another, and the run can be stopped at once.
executor = dg.in_process_executor.configured(
    {"step_dependency_config": {"require_upstream_step_success": False}}
)

mart_keys = [key for key in [*dbt_models.keys, *case_forecast.keys] if key.path[0] == "marts"]

defs = dg.Definitions(
    assets=[
        *raw_assets,
        dbt_models,
        case_forecast,
        bi_reader_asset(mart_keys),
        *publishing_assets(mart_keys),
    ],
    asset_checks=[*freshness_checks(), *newest_data_checks()],
    jobs=jobs,
    schedules=schedules,
    sensors=sensors,
    resources=resources(),
    executor=executor,
)
