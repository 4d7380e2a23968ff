"""The code location loads and its graph has no gaps: raw -> staging -> marts."""

import json

import dagster as dg

from loaders.registry import TABLES
from orchestration.definitions import defs
from orchestration.defs.dbt import dbt_build_args
from orchestration.defs.project import dbt_project
from warehouse.settings import Settings


def asset_graph():
    return defs.resolve_asset_graph()


def test_definitions_load_with_one_asset_per_loader_table():
    keys = asset_graph().get_all_asset_keys()
    for spec in TABLES:
        assert dg.AssetKey(["raw", spec.table]) in keys


def test_every_dbt_source_is_a_python_asset():
    """A source is a table a Python asset writes: a loader's in `raw`, the forecast's in
    `marts`; its asset key is `<schema>/<table>`."""
    manifest = json.loads(dbt_project.manifest_path.read_text())
    graph = asset_graph()
    materializable = {key for key in graph.get_all_asset_keys() if graph.get(key).is_materializable}
    sources = manifest["sources"].values()
    assert sources, "the dbt project declares no sources"
    for source in sources:
        key = dg.AssetKey([source["schema"], source["identifier"]])
        assert key in materializable, f"dbt source {source['unique_id']} has no asset {key}"
        assert source["schema"] in ("raw", "marts")


def test_every_model_reads_from_a_loader_or_another_model():
    graph = asset_graph()
    for key in graph.get_all_asset_keys():
        node = graph.get(key)
        if key.path[0] in ("staging", "marts") and node.is_materializable:
            for parent in node.parent_keys:
                assert graph.get(parent).is_materializable, f"{key} depends on external {parent}"


def test_marts_reach_back_to_raw():
    graph = asset_graph()
    marts = [k for k in graph.get_all_asset_keys() if k.path[0] == "marts"]
    assert marts
    for key in marts:
        ancestors = _ancestors(graph, key)
        assert any(a.path[0] == "raw" for a in ancestors), f"{key} has no raw ancestor"


def _ancestors(graph, key):
    seen, stack = set(), [key]
    while stack:
        for parent in graph.get(stack.pop()).parent_keys:
            if parent not in seen:
                seen.add(parent)
                stack.append(parent)
    return seen


def test_dbt_tests_are_asset_checks():
    checks = asset_graph().asset_check_keys
    dbt_checks = [c for c in checks if c.asset_key.path[0] in ("staging", "marts")]
    assert any(c.name.startswith(("unique", "not_null")) for c in dbt_checks)


def test_daily_schedule_runs_the_whole_graph_at_four_pm_new_york():
    schedule = defs.resolve_schedule_def("daily_refresh")
    assert schedule.cron_schedule == "0 16 * * *"
    assert schedule.execution_timezone == "America/New_York"
    assert schedule.job_name == "refresh_all"


def test_dbt_build_args():
    assert dbt_build_args() == ["build"]
    assert dbt_build_args(full_refresh=True) == ["build", "--full-refresh"]
    assert dbt_build_args(target="spark") == ["build", "--target", "spark"]


def test_a_spark_run_materializes_the_loads_and_the_dbt_graph_only():
    """On Spark the marts are not in Postgres, so what reads them there (the forecast, the
    report, the exports) is left out; every loader and every mart model is in."""
    from orchestration.defs.forecast import FORECAST_KEY
    from orchestration.run import engine_selection

    assert engine_selection(defs, Settings()) is None
    selected = set(engine_selection(defs, Settings(engine="spark")))
    assert {dg.AssetKey(["raw", spec.table]) for spec in TABLES} <= selected
    assert dg.AssetKey(["marts", "fct_cases_daily"]) in selected
    assert FORECAST_KEY not in selected
    assert len(selected) < len(asset_graph().get_all_asset_keys())


def test_the_summary_of_a_spark_run_lists_only_what_it_was_asked_for():
    """Assets left out of a run's selection are not reported as "not built"."""
    from orchestration.run import engine_selection
    from orchestration.summary import planned_assets

    selection = engine_selection(defs, Settings(engine="spark"))
    planned = {asset for assets in planned_assets(defs, selection).values() for asset in assets}
    assert planned == {key.to_user_string() for key in selection}
    everything = {asset for assets in planned_assets(defs).values() for asset in assets}
    assert "exports/fct_cases_daily" in everything - planned
