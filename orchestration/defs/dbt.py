"""dbt models, seeds and tests as Dagster assets and asset checks."""

import json
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import dagster as dg
import psycopg
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, dbt_assets

from orchestration.defs.changes import exclusions, nodes_to_build, plan_build, record_build
from orchestration.defs.check_descriptions import describe_test
from orchestration.defs.project import code_version, dbt_project
from orchestration.defs.resources import Warehouse
from orchestration.defs.table_metadata import relation_preview
from publish.report_data import REPORT_MARTS
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

    def get_asset_check_spec(
        self,
        asset_spec: dg.AssetSpec,
        manifest: Mapping[str, Any],
        unique_id: str,
        project: Any,
    ) -> dg.AssetCheckSpec | None:
        """dagster-dbt's check, described by `describe_test` (it reads meta only)."""
        spec = super().get_asset_check_spec(asset_spec, manifest, unique_id, project)
        if spec is None or spec.description:
            return spec
        return spec._replace(description=describe_test(manifest["nodes"][unique_id]))

    def get_asset_spec(self, manifest: Mapping[str, Any], unique_id: str, project) -> dg.AssetSpec:
        """A model whose meta says `reads_every_raw_table` (fct_revisions reads the loaders'
        history views, which dbt cannot see) depends on every raw table."""
        spec = super().get_asset_spec(manifest, unique_id, project)
        node = manifest["nodes"].get(unique_id, {})
        if node.get("config", {}).get("meta", {}).get("reads_every_raw_table"):
            raw = [
                dg.AssetKey([source["schema"], source["identifier"]])
                for source in manifest["sources"].values()
                if source["schema"] == "raw"
            ]
            spec = spec.merge_attributes(deps=raw)
        return spec


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
    grown = incremental_tables_missing_columns(dbt_project.manifest_path, warehouse.dsn)
    if grown and not config.full_refresh:
        context.log.info(
            f"Rebuilding in full: {', '.join(grown)} gained columns since they were last built "
            "(an incremental build cannot fill them for earlier days)."
        )
    full_refresh = config.full_refresh or bool(grown)
    version = code_version()
    plan = plan_build(warehouse.dsn, version, full_refresh)
    args = dbt_build_args(full_refresh)
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


def incremental_tables_missing_columns(manifest_path: Path, dsn: str) -> list[str]:
    """Incremental models whose table exists but lacks a column the model now declares: dbt
    (on_schema_change='fail') would stop, and appending the column would leave it empty for
    the days already built, so the build runs with --full-refresh instead."""
    manifest = json.loads(Path(manifest_path).read_text())
    models = [
        node
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model" and node["config"].get("materialized") == "incremental"
    ]
    changed = []
    with psycopg.connect(dsn) as conn:
        for node in models:
            existing = {
                name
                for (name,) in conn.execute(
                    "select column_name from information_schema.columns "
                    "where table_schema = %s and table_name = %s",
                    [node["schema"], node["alias"] or node["name"]],
                ).fetchall()
            }
            if existing and set(node["columns"]) - existing:
                changed.append(node["name"])
    return changed


def with_previews(events: Iterator, manifest: Mapping[str, Any], dsn: str) -> Iterator:
    """Adds the first rows of each model and seed built (markdown `preview`) to its event."""
    for event in events:
        if isinstance(event, dg.Output | dg.AssetMaterialization) and "unique_id" in event.metadata:
            node = manifest["nodes"].get(event.metadata["unique_id"].value, {})
            if node.get("relation_name"):
                preview = dg.MetadataValue.md(relation_preview(dsn, node["relation_name"]))
                event = event.with_metadata({**event.metadata, "preview": preview})
        yield event
