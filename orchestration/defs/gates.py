"""Blocking checks that stop only what reads the failing asset.

The jobs' executor does not require upstream steps to succeed (orchestration/definitions.py),
so a dbt step in which one mart failed a blocking (ERROR) test still hands every other mart to
what reads it. Each asset reading marts calls `stop_if_blocked` first: a blocking check failed
on one of its upstream assets in this run, and the asset fails saying which, writing nothing.
"""

from __future__ import annotations

from collections.abc import Iterable

import dagster as dg


def failed_blocking_checks(
    instance: dg.DagsterInstance, run_id: str, keys: Iterable[dg.AssetKey]
) -> list[str]:
    """`<asset> <check>` for each blocking ERROR check on `keys` that failed in the run."""
    wanted = set(keys)
    records = instance.get_records_for_run(
        run_id, of_type=dg.DagsterEventType.ASSET_CHECK_EVALUATION
    ).records
    failed = []
    for record in records:
        evaluation = record.event_log_entry.dagster_event.event_specific_data
        if (
            evaluation.asset_key in wanted
            and evaluation.blocking
            and not evaluation.passed
            and evaluation.severity == dg.AssetCheckSeverity.ERROR
        ):
            failed.append(f"{evaluation.asset_key.to_user_string()} {evaluation.check_name}")
    return sorted(set(failed))


def stop_if_blocked(context: dg.AssetExecutionContext, keys: Iterable[dg.AssetKey]) -> None:
    """Fails the step, naming the checks, when a blocking check on `keys` failed in this run."""
    failed = failed_blocking_checks(context.instance, context.run.run_id, keys)
    if failed:
        raise dg.Failure(description=f"not built: a blocking check failed on {'; '.join(failed)}")
