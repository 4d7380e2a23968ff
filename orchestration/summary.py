"""The table `make run` ends with: each asset, rows written, seconds, checks passed/warned/failed.

A failed check of severity WARN (e.g. sources drifting apart) is a warning: reported, but the
run still counts as a success; a failed ERROR check is a failure. Below the table, every asset
the run did not build (or whose step failed) is listed with the reason."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass

import dagster as dg


@dataclass
class AssetRow:
    asset: str
    rows: int | None = None
    seconds: float | None = None
    checks_passed: int = 0
    checks_warned: int = 0
    checks_failed: int = 0
    materialized: bool = False
    problem: str | None = None  # why the asset was not built, or why its step failed


def planned_assets(
    defs: dg.Definitions, selection: Collection[dg.AssetKey] | None = None
) -> dict[str, list[str]]:
    """Step key -> the assets that step makes, for every asset in `defs` (or in `selection`:
    what the run was asked for)."""
    planned = {}
    for assets in defs.assets:
        if isinstance(assets, dg.AssetsDefinition) and assets.is_executable:
            keys = [key for key in assets.keys if selection is None or key in selection]
            if keys:
                planned[assets.node_def.name] = [key.to_user_string() for key in keys]
    return planned


def summarize(
    events: list[dg.DagsterEvent], planned: dict[str, list[str]] | None = None
) -> list[AssetRow]:
    """One row per asset the events touch; with `planned` (the run's steps and assets, from
    `planned_assets`), also one per planned asset that was not built, saying why."""
    rows: dict[str, AssetRow] = {}
    failures: dict[str, str] = {}
    step_seconds: dict[str, float] = {}
    step_assets: dict[str, list[str]] = defaultdict(list)
    for event in events:
        kind = event.event_type_value
        if kind == "STEP_FAILURE":
            failures[event.step_key] = failure_reason(event)
        elif kind == "STEP_SUCCESS":
            step_seconds[event.step_key] = event.event_specific_data.duration_ms / 1000
        elif kind == "ASSET_MATERIALIZATION":
            materialization = event.event_specific_data.materialization
            name = materialization.asset_key.to_user_string()
            row = rows.setdefault(name, AssetRow(name))
            row.materialized = True
            metadata = materialization.metadata
            # Loaders say how many row versions they wrote; a dbt table is rewritten whole.
            for field in ("rows_written", "dagster/row_count"):
                if field in metadata:
                    row.rows = metadata[field].value
                    break
            if "Execution Duration" in metadata:
                row.seconds = metadata["Execution Duration"].value
            step_assets[event.step_key].append(name)
        elif kind == "ASSET_CHECK_EVALUATION":
            evaluation = event.event_specific_data
            name = evaluation.asset_key.to_user_string()
            row = rows.setdefault(name, AssetRow(name))
            if evaluation.passed:
                row.checks_passed += 1
            elif evaluation.severity == dg.AssetCheckSeverity.WARN:
                row.checks_warned += 1
            else:
                row.checks_failed += 1
    for step, names in step_assets.items():
        if len(names) == 1 and rows[names[0]].seconds is None:
            rows[names[0]].seconds = step_seconds.get(step)
    for step, names in (planned or {}).items():
        for name in names:
            row = rows.setdefault(name, AssetRow(name))
            if not row.materialized:
                row.problem = failures.get(step, "not run: a step it reads from failed")
            elif step in failures and len(names) == 1:
                row.problem = failures[step]  # e.g. a source that kept its last data
    return sorted(rows.values(), key=lambda r: (_layer(r.asset), r.asset))


def render(rows: list[AssetRow]) -> str:
    width = max([len(r.asset) for r in rows] + [5])
    lines = [f"{'asset':<{width}}  {'rows written':>12}  {'seconds':>7}  {'checks':>20}"]
    lines.append("-" * len(lines[0]))
    for row in rows:
        count = f"{row.rows:,}" if row.rows is not None else "-"
        seconds = f"{row.seconds:.1f}" if row.seconds is not None else "-"
        checks = f"{row.checks_passed} ok"
        checks += f", {row.checks_warned} warn" if row.checks_warned else ""
        checks += f", {row.checks_failed} FAILED" if row.checks_failed else ""
        lines.append(f"{row.asset:<{width}}  {count:>12}  {seconds:>7}  {checks:>20}")
    passed = sum(r.checks_passed for r in rows)
    warned = sum(r.checks_warned for r in rows)
    failed = sum(r.checks_failed for r in rows)
    materialized = sum(r.materialized for r in rows)
    lines.append("-" * len(lines[0]))
    lines.append(
        f"{materialized} assets materialized; checks: {passed} passed, {warned} warned, "
        f"{failed} failed"
    )
    problems = [r for r in rows if r.problem]
    if problems:
        lines.append(f"\nNot built or failed ({len(problems)}):")
        lines += [f"  {r.asset}: {r.problem}" for r in problems]
    return "\n".join(lines)


def failure_reason(event: dg.DagsterEvent) -> str:
    """The last line of a step failure's message: the cause, without the traceback."""
    error = event.event_specific_data.error
    if error is None:
        return "failed"
    lines = [line.strip() for line in error.message.strip().splitlines() if line.strip()]
    return lines[-1] if lines else "failed"


def _layer(asset: str) -> int:
    order = ["raw", "staging", "marts", "roles", "reports", "exports"]
    head = asset.split("/")[0]
    return order.index(head) if head in order else len(order)
