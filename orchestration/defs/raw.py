"""One asset per loader table; its key equals the dbt source's key (`raw/<source>__<table>`).

A table whose file cannot be loaded (a dead URL, a damaged file) keeps its last data: the asset
records what the table still holds (`load_failed` says why), then its step fails with that
reason. Its output is recorded first so that, under the jobs' executor (which does not require
upstream steps to succeed, see orchestration/definitions.py), the models reading it are still
built from the data it kept, and nothing else waits on it. A database that cannot be used fails
the step at once with the loader's one-line message (the table, the server, the cause, the
remedy), not a traceback.
"""

import dagster as dg
import psycopg
from psycopg import sql

from loaders.core.errors import DatabaseUnavailable, LoadError
from loaders.core.load import LoadResult, create_table, load_table
from loaders.core.spec import TableSpec
from loaders.registry import TABLES
from orchestration.defs.resources import Warehouse
from orchestration.defs.source_docs import table_docs
from orchestration.defs.table_metadata import column_schema, preview
from warehouse.settings import Settings

CONTRACT_CHECK = "rows_match_contract"


def raw_asset_key(spec: TableSpec) -> dg.AssetKey:
    return dg.AssetKey(["raw", spec.table])


def missing_from_mirror(spec: TableSpec, settings: Settings) -> str | None:
    """Why a table is not configured: a folder mirror (WAREHOUSE_SOURCES) that holds none of
    its files. Nothing is loaded and nothing ages; None when the table has a file to load."""
    mirror = settings.sources
    if not mirror.is_local:
        return None
    if spec.list_files is not None:
        if spec.files(settings):
            return None
    elif not mirror.lacks(spec.source.name, spec.file_name):
        return None
    return f"not configured: the mirror WAREHOUSE_SOURCES={mirror.root} has no file for it"


def loader_asset(spec: TableSpec) -> dg.AssetsDefinition:
    key = raw_asset_key(spec)

    @dg.asset(
        key=key,
        group_name="raw",
        kinds={"python", "postgres"},
        description=_description(spec),
        check_specs=[
            dg.AssetCheckSpec(
                CONTRACT_CHECK,
                asset=key,
                description="Every row read met the contract (rejected rows are quarantined).",
            )
        ],
        metadata={
            "dagster/table_name": f"raw.{spec.table}",
            "dagster/column_schema": column_schema(spec),
        },
    )
    def _load(context: dg.AssetExecutionContext, warehouse: dg.ResourceParam[Warehouse]):
        unconfigured = missing_from_mirror(spec, warehouse.settings)
        if unconfigured:
            create_table(spec, warehouse.dsn)  # so that staging can read it
            context.log.info(f"raw.{spec.table}: {unconfigured}")
            yield dg.MaterializeResult(
                metadata={
                    "dagster/row_count": current_row_count(warehouse.dsn, spec),
                    "rows_written": 0,
                    "not_configured": unconfigured,
                }
            )
            yield dg.AssetCheckResult(check_name=CONTRACT_CHECK, passed=True)
            return
        try:
            results = load_table(spec, warehouse.dsn, warehouse.settings, notify=context.log.info)
        except DatabaseUnavailable as error:
            raise dg.Failure(description=str(error), allow_retries=False) from None
        except LoadError as error:
            yield from _kept_last_data(spec, warehouse.dsn, str(error))
            return
        for result in results:
            context.log.info(_describe(result))
            if result.extra_columns:
                context.log.warning(
                    f"{result.file_name}: columns the contract does not know (not loaded): "
                    f"{', '.join(result.extra_columns)}"
                )
            if result.warning:
                context.log.warning(result.warning)
        rejected = sum(r.rows_rejected for r in results)
        yield dg.MaterializeResult(
            metadata={
                "dagster/row_count": current_row_count(warehouse.dsn, spec),
                "rows_written": sum(r.rows_added + r.rows_changed for r in results),
                "rows_read": sum(r.rows_read for r in results),
                "rows_added": sum(r.rows_added for r in results),
                "rows_changed": sum(r.rows_changed for r in results),
                "rows_rejected": rejected,
                "files": dg.MetadataValue.md(_files_table(results)),
                "load_ids": ", ".join(str(r.load_id) for r in results),
                "preview": dg.MetadataValue.md(preview(warehouse.dsn, spec)),
                "dagster/column_schema": column_schema(spec),
            }
        )
        yield dg.AssetCheckResult(
            check_name=CONTRACT_CHECK,
            passed=rejected == 0,
            severity=dg.AssetCheckSeverity.WARN,
            metadata={"rows_rejected": rejected, "see": "meta.rejected_rows"},
        )

    _load.__name__ = spec.table
    return _load


def _kept_last_data(spec: TableSpec, dsn: str, reason: str):
    """The table as it stands after a failed load (unchanged), then the step's failure."""
    create_table(spec, dsn)  # staging can read it even when no load ever succeeded
    rows = current_row_count(dsn, spec)
    yield dg.MaterializeResult(
        metadata={
            "dagster/row_count": rows,
            "rows_written": 0,
            "load_failed": reason,
            "kept": f"the last data loaded ({rows:,} current rows)",
        }
    )
    raise dg.Failure(description=f"raw.{spec.table} not loaded, kept its last data: {reason}")


def current_row_count(dsn: str, spec: TableSpec) -> int:
    """Rows in the table's current version (what staging reads); 0 before its first file."""
    query = sql.SQL("select count(*) from {} where _superseded_load_id is null").format(
        sql.Identifier("raw", spec.table)
    )
    with psycopg.connect(dsn) as conn:
        exists = conn.execute("select to_regclass(%s)", [f"raw.{spec.table}"]).fetchone()[0]
        return conn.execute(query).fetchone()[0] if exists else 0


def _description(spec: TableSpec) -> str:
    source = spec.source
    described = table_docs(source.name, spec.name).description or f"Raw table {spec.table}."
    return (
        f"{described}\n\nSource: {source.homepage} ({source.licence}); updated "
        f"{source.cadence}. Loaded by `loaders.sources.{source.name}` into `raw.{spec.table}`."
    )


def _describe(result: LoadResult) -> str:
    return (
        f"{result.file_name}: {result.status}; read {result.rows_read:,}, added "
        f"{result.rows_added:,}, changed {result.rows_changed:,}, rejected {result.rows_rejected:,}"
    )


def _files_table(results: list[LoadResult]) -> str:
    lines = ["| file | status | read | added | changed | rejected |", "|---|---|---|---|---|---|"]
    lines += [
        f"| {r.file_name} | {r.status} | {r.rows_read} | {r.rows_added} | {r.rows_changed} "
        f"| {r.rows_rejected} |"
        for r in results
    ]
    return "\n".join(lines)


raw_assets = [loader_asset(spec) for spec in TABLES]
