"""Alerts from the Dagster daemon: a message when a run fails, one when new data lands, and one
when a check (freshness, newest data, source drift, rejected rows, any dbt test) changes state
(check_alerts.py: once per change, muted by WAREHOUSE_ALERT_MUTE).

Both read the finished run's events from the instance: the loader assets' materializations
carry `rows_added`, `rows_changed` and `rows_rejected` (orchestration/defs/raw.py).
`run_alerts` is the same logic without a sensor, for a run executed in process (`make run`),
which the daemon's sensors do not see when the daemon is not running.
"""

import logging

import dagster as dg

from orchestration.defs.alerts import TableLoad, failure_message, new_data_message, send
from orchestration.defs.check_alerts import changed_states, check_message, run_check_states
from orchestration.defs.resources import Warehouse

LOADER_PREFIX = "raw"
ROW_COUNTS = ("rows_added", "rows_changed", "rows_rejected")


def table_loads(instance: dg.DagsterInstance, run_id: str) -> list[TableLoad]:
    """The loader assets materialized by a run, with their row counts."""
    loads = []
    for entry in instance.all_logs(run_id, of_type=dg.DagsterEventType.ASSET_MATERIALIZATION):
        materialization = entry.get_dagster_event().event_specific_data.materialization
        key = materialization.asset_key
        if key.path[0] != LOADER_PREFIX:
            continue
        counts = [_count(materialization.metadata, name) for name in ROW_COUNTS]
        loads.append(TableLoad(key.path[-1], *counts))
    return loads


def step_failures(instance: dg.DagsterInstance, run_id: str) -> list[tuple[str, str]]:
    """(step, the user's error message) for each failed step of a run."""
    failures = []
    for entry in instance.all_logs(run_id, of_type=dg.DagsterEventType.STEP_FAILURE):
        event = entry.get_dagster_event()
        error = event.event_specific_data.error
        while error is not None and error.cause is not None:  # past Dagster's wrappers
            error = error.cause
        failures.append((event.step_key, error.message if error else "no error message"))
    return failures


def run_alerts(
    instance: dg.DagsterInstance, run: dg.DagsterRun, mute: tuple[str, ...] = ()
) -> list[str]:
    """The messages a finished run calls for: its failure, if it failed; its new data, if any;
    the checks whose state changed, unless muted."""
    messages = []
    if run.status == dg.DagsterRunStatus.FAILURE:
        failures = step_failures(instance, run.run_id) or [("run", "failed before any step")]
        messages.append(failure_message(run.run_id, run.job_name, failures))
    loads = new_data_message(table_loads(instance, run.run_id), run.run_id, run.job_name)
    if loads is not None:
        messages.append(loads)
    changes = changed_states(instance, run_check_states(instance, run.run_id), mute)
    checks = check_message(changes, run.run_id, run.job_name)
    if checks is not None:
        messages.append(checks)
    return messages


def send_run_alerts(
    instance: dg.DagsterInstance,
    run: dg.DagsterRun,
    webhook: str | None,
    log: logging.Logger,
    mute: tuple[str, ...] = (),
) -> None:
    messages = run_alerts(instance, run, mute)
    if not messages:
        log.info(f"run {run.run_id}: no rows added, changed or rejected; no message")
    for text in messages:
        send(text, webhook, log)


@dg.run_status_sensor(
    run_status=dg.DagsterRunStatus.SUCCESS,
    name="new_data_alert",
    description=(
        "After each successful run: rows added, changed and rejected per source, and the "
        "checks that changed state, posted to WAREHOUSE_ALERT_WEBHOOK (logged when unset). "
        "Silent when nothing changed."
    ),
    default_status=dg.DefaultSensorStatus.RUNNING,
)
def new_data_alert(context: dg.RunStatusSensorContext, warehouse: dg.ResourceParam[Warehouse]):
    _alert(context, warehouse)


@dg.run_failure_sensor(
    name="run_failure_alert",
    description=(
        "When a run fails: the failed steps and their errors, then any data it did load, "
        "posted to WAREHOUSE_ALERT_WEBHOOK (logged when unset)."
    ),
    default_status=dg.DefaultSensorStatus.RUNNING,
)
def run_failure_alert(context: dg.RunFailureSensorContext, warehouse: dg.ResourceParam[Warehouse]):
    _alert(context, warehouse)


def _count(metadata: dict, name: str) -> int:
    value = metadata.get(name)
    return int(value.value) if value is not None else 0


sensors = [new_data_alert, run_failure_alert]


def _alert(context: dg.RunStatusSensorContext, warehouse: Warehouse) -> None:
    """The run's digest and changed checks to the webhook (see send_run_alerts)."""
    settings = warehouse.settings
    send_run_alerts(
        context.instance,
        context.dagster_run,
        settings.alert_webhook,
        context.log,
        settings.alert_mute,
    )
