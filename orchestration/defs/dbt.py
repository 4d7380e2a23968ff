"""dbt models, seeds and tests as Dagster assets and asset checks."""

import json
from collections.abc import Iterator, Mapping
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, dbt_assets

from orchestration.defs.changes import exclusions, nodes_to_build, plan_build, record_build
from orchestration.defs.project import code_version, dbt_project
from orchestration.defs.resources import Warehouse
from orchestration.defs.table_metadata import relation_preview
from publish.report_data import REPORT_MARTS


class WarehouseTranslator(DagsterDbtTranslator):
    """Keys read as `<schema>/<name>`; a source's key is its table, i.e. the Python asset that
    writes it (a loader asset for `raw`, the forecast for `marts`)."""

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> dg.AssetKey:
        if dbt_resource_props["resource_type"] == "source":
            return dg.AssetKey([dbt_resource_props["schema"], dbt_resource_props["identifier"]])
        return dg.AssetKey([dbt_resource_props["schema"], dbt_resource_props["name"]])

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        return dbt_resource_props["schema"]


class DbtBuildConfig(dg.Config):
    full_refresh: bool = False


def dbt_build_args(full_refresh: bool = False) -> list[str]:
    """The dbt command the assets run: build = seeds, models and their tests, in DAG order."""
    args = ["build"]
    if full_refresh:
        args.append("--full-refresh")
    return args


@dbt_assets(
    manifest=dbt_project.manifest_path,
    project=dbt_project,
    dagster_dbt_translator=WarehouseTranslator(),
)
def dbt_models(
    context: dg.AssetExecutionContext,
    dbt: DbtCliResource,
    warehouse: dg.ResourceParam[Warehouse],
    config: DbtBuildConfig,
):
    version = code_version()
    plan = plan_build(warehouse.dsn, version, config.full_refresh)
    args = dbt_build_args(config.full_refresh)
    if plan.nothing_changed:
        # Nothing yielded: the models keep their last materialization, and what reads them
        # (the forecast, the exports, the report) is skipped.
        context.log.info("No raw table changed since the last build of this code: dbt skipped.")
        return
    if not plan.builds_everything:
        manifest = json.loads(dbt_project.manifest_path.read_text())
        build = nodes_to_build(manifest, plan.changed_tables, together=[REPORT_MARTS])
        skipped = exclusions(manifest, build)
        context.log.info(
            f"Changed since the last build: {', '.join(sorted(plan.changed_tables))}; "
            f"{len(skipped)} dbt nodes not downstream of them are skipped."
        )
        args += ["--exclude", " ".join(skipped)] if skipped else []
    invocation = dbt.cli(args, context=context)
    events = invocation.stream().fetch_row_counts().fetch_column_metadata()
    yield from with_previews(events, invocation.manifest, warehouse.dsn)
    if set(context.selected_asset_keys) == set(context.assets_def.keys):
        # Only a build of every model moves the mark; a subset leaves the rest to build.
        record_build(warehouse.dsn, version, plan)


def with_previews(events: Iterator, manifest: Mapping[str, Any], dsn: str) -> Iterator:
    """Adds the first rows of each model and seed built (markdown `preview`) to its event."""
    for event in events:
        if isinstance(event, dg.Output | dg.AssetMaterialization) and "unique_id" in event.metadata:
            node = manifest["nodes"].get(event.metadata["unique_id"].value, {})
            if node.get("relation_name"):
                preview = dg.MetadataValue.md(relation_preview(dsn, node["relation_name"]))
                event = event.with_metadata({**event.metadata, "preview": preview})
        yield event
