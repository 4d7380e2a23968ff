"""Freshness checks: when each raw table was last confirmed, judged against its cadence."""

from datetime import UTC, datetime

import dagster as dg
import psycopg
import pytest

from loaders.core import ledger
from loaders.core.contract import Column, Contract
from loaders.core.spec import Source, TableSpec
from orchestration.defs.freshness import (
    FRESHNESS_CHECK,
    Confirmation,
    freshness_checks,
    judge,
    last_confirmations,
)
from orchestration.defs.resources import Warehouse
from warehouse.settings import Settings

WEEKLY = Source("weekly_source", "https://example.org", "CC0", "weekly", 10, 21)
DAILY = Source("daily_source", "https://example.org", "CC0", "daily", 2, 7)


def confirmed(days_ago: float) -> Confirmation:
    return Confirmation(at=datetime.now(UTC), age_days=days_ago)


@pytest.mark.parametrize(
    ("source", "days_ago", "passed", "severity"),
    [
        (DAILY, 0.0, True, None),
        (DAILY, 1.9, True, None),
        (DAILY, 2.5, False, dg.AssetCheckSeverity.WARN),
        (DAILY, 7.5, False, dg.AssetCheckSeverity.ERROR),
        (WEEKLY, 7.5, True, None),  # a week-old weekly file is on time
        (WEEKLY, 12, False, dg.AssetCheckSeverity.WARN),
        (WEEKLY, 30, False, dg.AssetCheckSeverity.ERROR),
    ],
)
def test_judged_against_the_publishers_cadence(source, days_ago, passed, severity):
    verdict = judge(source, confirmed(days_ago))
    assert verdict.passed is passed
    if not passed:
        assert verdict.severity == severity


def test_a_table_with_only_failed_loads_is_an_error_and_one_never_tried_passes():
    failed = judge(DAILY, None, attempted=True)
    assert (failed.passed, failed.severity) == (False, dg.AssetCheckSeverity.ERROR)
    assert judge(DAILY, None, attempted=False).passed


def test_a_table_the_mirror_has_no_file_for_is_not_configured_after_failed_loads(
    ledger_dsn, mirror
):
    """After a run that could not fetch it, a mirror without the file: not a failure forever."""
    mirror.put("daily_source", "fresh.csv", "id\n1\n")  # the other tables are not in the mirror
    checks = freshness_checks([spec(DAILY, "fresh"), spec(DAILY, "broken")])
    defs = dg.Definitions(
        assets=[dg.AssetSpec(["raw", f"daily_source__{name}"]) for name in ("fresh", "broken")],
        asset_checks=checks,
        resources={
            "warehouse": Warehouse(Settings(dsn=ledger_dsn, sources=mirror.settings.sources))
        },
    )
    job = dg.define_asset_job("freshness", selection=dg.AssetSelection.all_asset_checks())
    result = (
        dg.Definitions.merge(defs, dg.Definitions(jobs=[job]))
        .resolve_job_def("freshness")
        .execute_in_process()
    )
    verdicts = {e.asset_key.path[-1]: e for e in result.get_asset_check_evaluations()}
    broken = verdicts["daily_source__broken"]
    assert broken.passed
    assert "not configured" in broken.description
    assert verdicts["daily_source__fresh"].passed  # has its file, confirmed 0.5 days ago
    # Without the mirror the same ledger is an error: loads were tried, none succeeded.
    assert not judge(DAILY, None, attempted=True).passed


def spec(source: Source, name: str) -> TableSpec:
    contract = Contract(columns=(Column("id", "int"),), natural_key=("id",))
    return TableSpec(source, name, f"{name}.csv", f"https://example.org/{name}.csv", contract, "")


def log_load(conn, table: str, status: str, days_ago: float) -> None:
    source = table.split("__")[0]
    load_id = ledger.start(
        conn, source=source, table_name=table, file_name="f.csv", url="u", vintage=None
    )
    conn.execute(
        "update meta.load_log set status = %s, finished_at = now() - make_interval(secs => %s) "
        "where load_id = %s",
        [status, days_ago * 86_400, load_id],
    )


@pytest.fixture
def ledger_dsn(dsn):
    """A ledger where each daily_source table was last confirmed at a known age."""
    with psycopg.connect(dsn, autocommit=True) as conn:
        ledger.ensure_ledger(conn)
        log_load(conn, "daily_source__fresh", "succeeded", 5)
        log_load(conn, "daily_source__fresh", "unchanged", 0.5)  # confirmed again since
        log_load(conn, "daily_source__fresh", "failed", 0.1)  # a later failure does not count
        log_load(conn, "daily_source__stale", "succeeded", 3)
        log_load(conn, "daily_source__overdue", "unchanged", 9)
        log_load(conn, "daily_source__broken", "failed", 0.2)
        log_load(conn, "other_source__fresh", "succeeded", 30)
    return dsn


def test_last_confirmation_is_the_latest_succeeded_or_unchanged_load(ledger_dsn):
    tables = ["daily_source__fresh", "daily_source__overdue", "daily_source__broken", "nothing"]
    confirmations, attempted = last_confirmations(ledger_dsn, tables)
    assert set(confirmations) == {"daily_source__fresh", "daily_source__overdue"}
    assert confirmations["daily_source__fresh"].age_days == pytest.approx(0.5, abs=0.01)
    assert confirmations["daily_source__overdue"].age_days == pytest.approx(9, abs=0.01)
    assert attempted == {"daily_source__fresh", "daily_source__overdue", "daily_source__broken"}


def test_no_ledger_yet_means_nothing_confirmed(dsn):
    assert last_confirmations(dsn, ["daily_source__fresh"]) == ({}, set())


def test_checks_run_as_a_job_and_report_on_each_raw_asset(ledger_dsn):
    names = ["fresh", "stale", "overdue", "broken", "never"]
    checks = freshness_checks([spec(DAILY, name) for name in names])
    assert len(checks) == 1  # one step per source
    # The raw assets the checks target, as external assets (they are not run here).
    assets = [dg.AssetSpec(["raw", f"daily_source__{name}"]) for name in names]
    job = dg.define_asset_job("freshness", selection=dg.AssetSelection.all_asset_checks())
    defs = dg.Definitions(
        assets=assets,
        asset_checks=checks,
        jobs=[job],
        resources={"warehouse": Warehouse(Settings(dsn=ledger_dsn))},
    )
    result = defs.resolve_job_def("freshness").execute_in_process()
    assert result.success  # stale data fails checks, never the run
    verdicts = {
        evaluation.asset_key.path[-1].split("__")[1]: (evaluation.passed, evaluation.severity)
        for evaluation in result.get_asset_check_evaluations()
        if evaluation.check_name == FRESHNESS_CHECK
    }
    assert verdicts == {
        "fresh": (True, dg.AssetCheckSeverity.WARN),
        "stale": (False, dg.AssetCheckSeverity.WARN),
        "overdue": (False, dg.AssetCheckSeverity.ERROR),
        "broken": (False, dg.AssetCheckSeverity.ERROR),
        "never": (True, dg.AssetCheckSeverity.WARN),
    }


def test_a_load_that_landed_with_too_few_rows_never_counts_as_fresh(dsn):
    with psycopg.connect(dsn, autocommit=True) as conn:
        ledger.ensure_ledger(conn)
        log_load(conn, "daily_source__short", "succeeded", 5)
        log_load(conn, "daily_source__short", "succeeded", 0.1)
        conn.execute(
            "update meta.load_log set warning = 'expected at least 100 data rows, found 3' "
            "where load_id = (select max(load_id) from meta.load_log)"
        )
    confirmations, _ = last_confirmations(dsn, ["daily_source__short"])
    assert confirmations["daily_source__short"].age_days == pytest.approx(5, abs=0.01)
    assert not judge(DAILY, confirmations["daily_source__short"]).passed
