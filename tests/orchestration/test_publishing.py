"""The report and exports in the real definitions: downstream of the marts they read, stopped by
a failed blocking check on them, and built end to end from the real warehouse."""

import json

import dagster as dg
import pandas as pd
import pyarrow.parquet as pq
import pytest

from orchestration.definitions import defs
from orchestration.defs.dbt import dbt_models
from orchestration.defs.project import dbt_project
from orchestration.defs.publishing import REPORT_KEY, export_asset
from orchestration.defs.resources import resources
from publish.exports import LATEST
from publish.report_data import REPORT_MARTS
from tests.end_to_end import query, warehouse_environment
from tests.publish.test_dashboard import SCREENSHOTS, check_rendering

PUBLISHING = dg.AssetSelection.groups("reports")


def graph():
    return defs.resolve_asset_graph()


def mart_keys() -> set[dg.AssetKey]:
    return {k for k in graph().get_all_asset_keys() if k.path[0] == "marts"}


def test_the_report_depends_on_every_mart_it_reads_and_each_is_built_here():
    node = graph().get(REPORT_KEY)
    assert node.group_name == "reports"
    expected = {dg.AssetKey(["marts", name]) for name in REPORT_MARTS}
    assert set(node.parent_keys) == expected
    for key in expected:
        assert graph().get(key).is_materializable, f"the report reads {key}, which nothing builds"


def test_every_mart_has_an_export_downstream_of_it():
    for key in mart_keys():
        if not graph().get(key).is_materializable:
            continue
        export = graph().get(dg.AssetKey(["exports", key.path[-1]]))
        assert export.group_name == "reports"
        assert set(export.parent_keys) == {key}


def test_dbt_error_tests_on_the_published_marts_block_them():
    manifest = json.loads(dbt_project.manifest_path.read_text())
    read = {dg.AssetKey(["marts", name]) for name in REPORT_MARTS} | mart_keys()
    specs = [spec for spec in dbt_models.check_specs if spec.asset_key in read]
    assert {spec.asset_key for spec in specs} >= {dg.AssetKey(["marts", "fct_cases_daily"])}
    for spec in specs:
        test = manifest["nodes"][spec.metadata["dagster_dbt/unique_id"]]
        is_error = test["config"].get("severity", "error").lower() == "error"
        assert spec.blocking is is_error, spec.key.to_user_string()


def test_a_failed_blocking_check_on_a_mart_skips_its_real_export():
    key = dg.AssetKey(["marts", "fct_cases_daily"])

    @dg.asset(key=key, check_specs=[dg.AssetCheckSpec("unique", asset=key, blocking=True)])
    def mart():
        yield dg.MaterializeResult()
        yield dg.AssetCheckResult(check_name="unique", passed=False)

    with dg.DagsterInstance.ephemeral() as instance:
        result = dg.materialize(
            [mart, export_asset(key)],
            resources={"warehouse": dg.ResourceDefinition.none_resource()},
            instance=instance,
            raise_on_error=False,
        )
    started = {e.step_key for e in result.all_events if e.event_type_value == "STEP_START"}
    assert started == {"marts__fct_cases_daily"}


@pytest.fixture(scope="module")
def published(built_warehouse, tmp_path_factory):
    """The `reports` group materialized from the session's end-to-end warehouse."""
    dsn, _ = built_warehouse
    folder = tmp_path_factory.mktemp("published")
    with pytest.MonkeyPatch.context() as patch:
        warehouse_environment(patch, dsn)
        patch.setenv("WAREHOUSE_REPORTS", str(folder / "reports"))
        patch.setenv("WAREHOUSE_EXPORTS", str(folder / "exports"))
        with dg.DagsterInstance.ephemeral() as instance:
            result = dg.materialize(
                defs.assets,
                selection=PUBLISHING,
                resources=resources(),
                instance=instance,
                raise_on_error=False,
            )
    return dsn, folder, result


@pytest.mark.integration
def test_dbt_models_and_seeds_carry_a_preview_of_their_rows(built_warehouse):
    _, result = built_warehouse
    previews = {
        m.asset_key: m.metadata["preview"].value
        for m in (
            e.event_specific_data.materialization
            for e in result.all_events
            if e.event_type_value == "ASSET_MATERIALIZATION"
        )
        if m.asset_key.path[0] in ("staging", "marts") and "unique_id" in m.metadata
    }
    assert dg.AssetKey(["marts", "fct_cases_daily"]) in previews
    for key, preview in previews.items():
        header, rule, *rows = preview.splitlines()
        assert header.startswith("| ") and rule.startswith("|---"), f"{key}: {preview[:200]}"
        assert len(rows) <= 5, key
    header, _, *rows = previews[dg.AssetKey(["marts", "fct_cases_daily"])].splitlines()
    assert "geo_id" in header and "report_date" in header and len(rows) == 5


@pytest.mark.integration
def test_the_report_from_the_real_warehouse_renders_every_chart(published):
    _, folder, result = published
    assert result.success
    charts = check_rendering(folder / "reports" / "dashboard.html", SCREENSHOTS / "dashboard.png")
    assert all(sum(chart["points"]) >= 7 for chart in charts), charts


@pytest.mark.integration
def test_the_real_exports_match_the_marts(published):
    dsn, folder, result = published
    assert result.success
    exports = folder / "exports"
    marts = query(
        dsn, "select table_name from information_schema.tables where table_schema = 'marts'"
    )["table_name"]
    for mart in marts:
        rows = query(dsn, f"select count(*) as n from marts.{mart}")["n"][0]
        assert pq.ParquetFile(exports / f"{mart}.parquet").metadata.num_rows == rows, mart
        assert (exports / "latest" / f"{mart}.csv").exists() == (mart in LATEST), mart
    full = pd.read_csv(exports / "fct_cases_daily.csv", dtype=str, keep_default_na=False)
    assert len(full) == query(dsn, "select count(*) as n from marts.fct_cases_daily")["n"][0]
    last = full.groupby(["geo_level", "geo_id"])["report_date"].transform("max")
    expected = full[full["report_date"] == last].reset_index(drop=True)
    latest = pd.read_csv(
        exports / "latest" / "fct_cases_daily.csv", dtype=str, keep_default_na=False
    )
    pd.testing.assert_frame_equal(latest, expected)


@pytest.mark.integration
def test_every_real_export_carries_a_codebook_naming_its_sources_and_their_terms(published):
    dsn, folder, result = published
    exports = folder / "exports"
    marts = query(
        dsn, "select table_name from information_schema.tables where table_schema = 'marts'"
    )["table_name"]
    for mart in marts:
        codebook = (exports / f"{mart}.codebook.md").read_text()
        columns = query(dsn, f"select * from marts.{mart} limit 0").columns
        for column in columns:
            row = next(line for line in codebook.splitlines() if line.startswith(f"| `{column}`"))
            assert "(not described in the dbt docs)" not in row, (mart, column)
        assert "## Sources, licences and attribution" in codebook, mart
        if mart in LATEST:
            assert (exports / "latest" / f"{mart}.codebook.md").exists(), mart
    cases = (exports / "fct_cases_daily.codebook.md").read_text()
    assert "Sources: jhu_csse, nyt_covid, phac_canada." in cases
    assert "CC BY-NC 4.0" in cases and "Data through 2021-12-31." in cases
    hospital = (exports / "fct_hospital_daily.codebook.md").read_text()
    assert "Sources: hhs_hospital." in hospital and "nyt_covid" not in hospital
    forecast = (exports / "fct_case_forecast.codebook.md").read_text()
    assert "nyt_covid" in forecast  # a Python mart: its lineage comes from meta.reads
    page = (folder / "reports" / "dashboard.html").read_text()
    assert "Data through 2021-12-31." in page and "<b>hhs_hospital</b>" in page
