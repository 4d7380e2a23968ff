"""End to end: the real files, served over HTTP, through Dagster into a fresh database.

The marts' values are checked against pandas recomputations in tests/dbt_project/marts/; this
module checks the run itself: every asset built, every check run, the summary `make run` prints.
"""

from datetime import date

import dagster as dg
import pytest

from orchestration.definitions import defs
from orchestration.defs.newest_data import newest_data_checks
from orchestration.defs.resources import Warehouse
from orchestration.summary import render, summarize
from tests.end_to_end import E2E_SELECTION, query
from warehouse.settings import Settings

pytestmark = pytest.mark.integration


def check_evaluations(result) -> list:
    return [
        e.event_specific_data
        for e in result.all_events
        if e.event_type_value == "ASSET_CHECK_EVALUATION"
    ]


def test_every_asset_materialized_and_no_error_check_failed(built_warehouse):
    _, result = built_warehouse
    assert result.success
    evaluations = check_evaluations(result)
    failed = [e for e in evaluations if not e.passed and e.severity == dg.AssetCheckSeverity.ERROR]
    assert failed == []
    materialized = {
        e.event_specific_data.materialization.asset_key
        for e in result.all_events
        if e.event_type_value == "ASSET_MATERIALIZATION"
    }
    expected = E2E_SELECTION.resolve(defs.resolve_asset_graph())
    assert materialized == expected
    assert {key.path[0] for key in materialized} == {"raw", "staging", "marts"}


def test_source_drift_is_a_warning_naming_its_rows(built_warehouse):
    """The real sources disagree past the tolerance on some state-days: the drift test warns
    (it does not fail the run) with as many rows as the mart flags."""
    dsn, result = built_warehouse
    drift = [
        e for e in check_evaluations(result) if e.check_name.startswith("assert_case_sources_agree")
    ]
    assert len(drift) == 1 and not drift[0].passed
    assert drift[0].severity == dg.AssetCheckSeverity.WARN
    [[flagged]] = query(
        dsn, "select count(*) from marts.fct_case_source_reconciliation where is_beyond_tolerance"
    ).values
    assert drift[0].metadata["dagster_dbt/failed_row_count"].value == flagged > 0


def test_run_summary_reports_rows_written_and_checks(built_warehouse, shared_data):
    dsn, result = built_warehouse
    rows = {row.asset: row for row in summarize(result.all_events)}
    with (shared_data / "nyt_covid" / "us-states.csv").open() as handle:
        state_lines = sum(1 for _ in handle) - 1
    assert rows["raw/nyt_covid__us_states"].rows == state_lines
    [[mart_rows]] = query(dsn, "select count(*) from marts.fct_cases_daily").values
    assert rows["marts/fct_cases_daily"].rows == mart_rows
    assert rows["marts/fct_cases_daily"].checks_passed > 0
    assert all(row.checks_failed == 0 for row in rows.values())
    assert rows["marts/fct_case_source_reconciliation"].checks_warned == 1
    text = render(list(rows.values()))
    assert "raw/nyt_covid__us_states" in text and f"{state_lines:,}" in text
    assert "1 warned, 0 failed" in text


def test_the_newest_data_is_judged_per_source_ended_or_old(built_warehouse):
    """Dates from the mirror's SOURCES.md: NYT's states copy runs to 2021-12-31 (the NYT ended
    on 2023-03-23: "ended", passing); PHAC's slice ends on 2020-03-16 (still published: old)."""
    dsn, _ = built_warehouse
    checks = newest_data_checks()
    job = dg.define_asset_job("newest", selection=dg.AssetSelection.all_asset_checks())
    external = [dg.AssetSpec(key) for c in checks for key in {k.asset_key for k in c.check_keys}]
    result = (
        dg.Definitions(
            assets=external,
            asset_checks=checks,
            jobs=[job],
            resources={"warehouse": Warehouse(Settings(dsn=dsn))},
        )
        .resolve_job_def("newest")
        .execute_in_process()
    )
    assert result.success  # old data warns, never fails the run
    newest = {e.asset_key.path[-1]: e for e in result.get_asset_check_evaluations()}
    states = newest["nyt_covid__us_states"]
    assert states.passed and states.metadata["state"].value == "ended"
    assert states.description == (
        "ended: nyt_covid stopped publishing on 2023-03-23; newest data 2021-12-31"
    )
    phac = newest["phac_canada__covid19"]
    assert (phac.passed, phac.severity) == (False, dg.AssetCheckSeverity.WARN)
    age = (date.today() - date(2020, 3, 16)).days
    assert phac.description == (
        f"newest data 2020-03-16 is {age:,} days old; phac_canada publishes daily (2 days allowed)"
    )
    # a table never loaded from the mirror (no us-counties.csv there) has nothing to judge
    assert newest["nyt_covid__us_counties"].passed
