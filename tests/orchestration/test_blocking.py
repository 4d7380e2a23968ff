"""A failed ERROR check on a mart stops what is built from it (the report, the exports).

dagster-dbt turns every dbt test of severity `error` into a blocking asset check; the check
result is emitted in the dbt step, and a failed blocking ERROR check fails that step, so
Dagster skips every asset downstream of it.
"""

import json

import dagster as dg
import pytest

from orchestration.defs.dbt import dbt_models
from orchestration.defs.project import dbt_project


def build_graph(passed: bool, severity: dg.AssetCheckSeverity):
    """A mart whose check has the given outcome, with a report and an export built from it."""

    @dg.asset(
        key=["marts", "fct_cases_daily"],
        check_specs=[
            dg.AssetCheckSpec("unique_geo_day", asset=["marts", "fct_cases_daily"], blocking=True)
        ],
    )
    def mart():
        yield dg.MaterializeResult()
        yield dg.AssetCheckResult(check_name="unique_geo_day", passed=passed, severity=severity)

    @dg.asset(key=["reports", "dashboard"], deps=[mart])
    def report():
        pass

    @dg.asset(key=["exports", "fct_cases_daily"], deps=[mart])
    def export():
        pass

    return [mart, report, export]


@pytest.mark.parametrize(
    ("passed", "severity", "downstream_runs"),
    [
        (False, dg.AssetCheckSeverity.ERROR, False),
        (False, dg.AssetCheckSeverity.WARN, True),  # a warning does not block
        (True, dg.AssetCheckSeverity.ERROR, True),
    ],
)
def test_a_failed_error_check_on_a_mart_stops_the_report_and_exports(
    passed, severity, downstream_runs
):
    with dg.DagsterInstance.ephemeral() as instance:
        result = dg.materialize(
            build_graph(passed, severity), instance=instance, raise_on_error=False
        )
    built = {e.asset_key.to_user_string() for e in result.get_asset_materialization_events()}
    assert "marts/fct_cases_daily" in built  # the mart itself was written and is inspectable
    downstream = {"reports/dashboard", "exports/fct_cases_daily"}
    if downstream_runs:
        assert result.success
        assert downstream <= built
    else:
        assert not result.success
        assert not downstream & built
        started = {e.step_key for e in result.all_events if e.event_type_value == "STEP_START"}
        assert started == {"marts__fct_cases_daily"}


def test_dbt_tests_of_severity_error_on_marts_are_blocking_checks():
    manifest = json.loads(dbt_project.manifest_path.read_text())
    specs = [spec for spec in dbt_models.check_specs if spec.asset_key.path[0] == "marts"]
    assert specs, "no dbt tests on marts"
    for spec in specs:
        test = manifest["nodes"][spec.metadata["dagster_dbt/unique_id"]]
        is_error = test["config"].get("severity", "error").lower() == "error"
        assert spec.blocking is is_error, f"{spec.key.to_user_string()}: blocking {spec.blocking}"
