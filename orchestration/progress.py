"""Dagster loggers for `make run`: one short line per step, materialization and failed check
on the terminal; every message of the run (dbt's lines among them) in the run's log file."""

from __future__ import annotations

import logging
import sys
import time

import dagster as dg

STARTED = time.monotonic()
# Where progress lines go: the terminal. `make run` sets it while the process's own output
# (dbt's lines, the processes Dagster starts) goes to the run's log file.
terminal = None


class _ProgressHandler(logging.Handler):
    def emit(self, record: logging.LogRecord) -> None:
        event = getattr(record, "dagster_meta", {}).get("dagster_event")
        if event is None:
            return
        line = _line(event)
        if line:
            elapsed = time.monotonic() - STARTED
            print(f"[{elapsed:6.1f}s] {line}", file=terminal or sys.stdout, flush=True)


def _line(event: dg.DagsterEvent) -> str | None:
    kind = event.event_type_value
    if kind == "STEP_START":
        return f"running {event.step_key}"
    if kind == "ASSET_MATERIALIZATION":
        materialization = event.event_specific_data.materialization
        rows = materialization.metadata.get("dagster/row_count")
        count = f" ({rows.value:,} rows)" if rows is not None else ""
        return f"  materialized {materialization.asset_key.to_user_string()}{count}"
    if kind == "ASSET_CHECK_EVALUATION":
        evaluation = event.event_specific_data
        if not evaluation.passed:
            # A WARN check (e.g. two sources drifting apart, which is expected) warns only.
            label = "warning" if evaluation.severity == dg.AssetCheckSeverity.WARN else "FAILED"
            description = evaluation.description or ""
            return (
                f"  check {label}: {evaluation.asset_key.to_user_string()} "
                f"{evaluation.check_name}{': ' + description if description else ''}"
            )
    if kind == "STEP_FAILURE":
        error = event.event_specific_data.error
        message = error.message.strip().splitlines()[-1] if error else "unknown error"
        return f"FAILED {event.step_key}: {message}"
    return None


def _not_about_unbuilt_models(record: logging.LogRecord) -> bool:
    # A dbt model left out of a build (its inputs did not change) has no check results; Dagster
    # warns once per check and per step reading the model, which are skipped anyway.
    return "emitted no result in step" not in record.getMessage()


@dg.logger(description="One line per step, materialization and failed check.")
def progress_logger(init_context: dg.InitLoggerContext) -> logging.Logger:
    plan_logger = logging.getLogger("dagster._core.execution.plan.active")
    if _not_about_unbuilt_models not in plan_logger.filters:
        plan_logger.addFilter(_not_about_unbuilt_models)
    logger = logging.getLogger("warehouse.progress")
    logger.setLevel(logging.DEBUG)
    logger.handlers = [_ProgressHandler()]
    logger.propagate = False
    return logger


@dg.logger(description="Every message of the run, to sys.stdout as it is when the run starts.")
def details_logger(init_context: dg.InitLoggerContext) -> logging.Logger:
    logger = logging.getLogger("warehouse.details")
    logger.setLevel(logging.INFO)
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    logger.handlers = [handler]
    logger.propagate = False
    return logger
