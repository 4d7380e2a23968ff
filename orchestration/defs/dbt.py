"""dbt models, seeds and tests as Dagster assets and asset checks."""

from collections.abc import Iterator, Mapping
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, dbt_assets

from orchestration.defs.project import dbt_project
from orchestration.defs.resources import Warehouse
from orchestration.defs.table_metadata import relation_preview
from warehouse.spark import dbt_target, export_raw


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


def dbt_build_args(full_refresh: bool = False, target: str | None = None) -> list[str]:
    """The dbt command the assets run: build = seeds, models and their tests, in DAG order;
    `target` names the profile's output for the engine (none: the default, Postgres)."""
    args = ["build"]
    if full_refresh:
        args.append("--full-refresh")
    if target:
        args += ["--target", target]
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
    settings = warehouse.settings
    if settings.engine == "spark":
        # Spark reads the raw tables as exported now from the landing store (warehouse/spark.py).
        counts = export_raw(warehouse.dsn, settings.spark_raw)
        context.log.info(f"Exported {len(counts)} raw tables to {settings.spark_raw}")
        args = dbt_build_args(config.full_refresh, dbt_target(settings))
        yield from dbt.cli(args, context=context).stream()
        return
    invocation = dbt.cli(dbt_build_args(config.full_refresh), context=context)
    events = invocation.stream().fetch_row_counts().fetch_column_metadata()
    yield from with_previews(events, invocation.manifest, warehouse.dsn)


def with_previews(events: Iterator, manifest: Mapping[str, Any], dsn: str) -> Iterator:
    """Adds the first rows of each model and seed built (markdown `preview`) to its event."""
    for event in events:
        if isinstance(event, dg.Output | dg.AssetMaterialization) and "unique_id" in event.metadata:
            node = manifest["nodes"].get(event.metadata["unique_id"].value, {})
            if node.get("relation_name"):
                preview = dg.MetadataValue.md(relation_preview(dsn, node["relation_name"]))
                event = event.with_metadata({**event.metadata, "preview": preview})
        yield event
