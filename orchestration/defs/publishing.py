"""The `reports` group: the HTML report and the mart exports, downstream of the marts they read.

Each depends on its marts' asset keys, so a failed blocking (ERROR) dbt test on one of those
marts stops it (orchestration/defs/gates.py): the previous report and export files stay as
they were. Exports of the other marts are still written.
"""

import dagster as dg

from orchestration.defs.gates import stop_if_blocked
from orchestration.defs.resources import Warehouse
from publish.dashboard import FILE_NAME, write_dashboard
from publish.exports import LATEST, export_mart
from publish.report_data import REPORT_MARTS

GROUP = "reports"
REPORT_KEY = dg.AssetKey(["reports", "dashboard"])
MART_PREFIX = "marts"


def mart_key(name: str) -> dg.AssetKey:
    return dg.AssetKey([MART_PREFIX, name])


@dg.asset(
    key=REPORT_KEY,
    group_name=GROUP,
    kinds={"python", "plotly", "html"},
    deps=[mart_key(name) for name in REPORT_MARTS],
    description=(
        f"A static HTML report (`reports/{FILE_NAME}`, or under WAREHOUSE_REPORTS) that opens "
        "offline: daily new cases and their 7-day average per state; restriction periods with "
        "small-business revenue on its own axis; the revenue-restrictions correlation by lag; "
        "the forecast against actuals; Delaware ZIP case rates inside the state's outline beside "
        "county counts; states per 100,000; Chicago schools; Canada; sources and data-through."
    ),
)
def dashboard(
    context: dg.AssetExecutionContext, warehouse: dg.ResourceParam[Warehouse]
) -> dg.MaterializeResult:
    stop_if_blocked(context, [mart_key(name) for name in REPORT_MARTS])
    path, sections = write_dashboard(warehouse.dsn, warehouse.settings.reports)
    points = {
        part.chart_id: sum(
            _points(trace) for trace in part.figure.data if trace.visible in (None, True)
        )
        for part in sections
    }
    context.log.info(f"Report written to {path}")
    return dg.MaterializeResult(
        metadata={
            "path": dg.MetadataValue.path(str(path)),
            "bytes": path.stat().st_size,
            "charts": len(sections),
            "points_shown_first": dg.MetadataValue.json(points),
        }
    )


def export_asset(key: dg.AssetKey) -> dg.AssetsDefinition:
    """`exports/<mart>`: the mart as CSV and Parquet, full and (for dated marts) latest."""
    mart = key.path[-1]
    latest = LATEST.get(mart)
    latest_text = (
        f" and `latest/{mart}.csv|.parquet` (the last {latest.date} per {', '.join(latest.keys)})"
        if latest
        else ""
    )

    @dg.asset(
        key=["exports", mart],
        group_name=GROUP,
        kinds={"csv", "parquet"},
        deps=[key],
        description=(
            f"`marts.{mart}` exported under `exports/` (or WAREHOUSE_EXPORTS) as "
            f"`{mart}.csv` and `{mart}.parquet`{latest_text}; stable row and column order, "
            "replaced atomically."
        ),
    )
    def _export(
        context: dg.AssetExecutionContext, warehouse: dg.ResourceParam[Warehouse]
    ) -> dg.MaterializeResult:
        stop_if_blocked(context, [key])
        folder = warehouse.settings.exports
        result = export_mart(warehouse.dsn, mart, folder)
        context.log.info(f"{mart}: {result.rows:,} rows exported to {folder}")
        files = ["| file | bytes |", "|---|---|"]
        files += [f"| {name} | {size:,} |" for name, size in sorted(result.files.items())]
        metadata = {
            "dagster/row_count": result.rows,
            "folder": dg.MetadataValue.path(str(folder)),
            "files": dg.MetadataValue.md("\n".join(files)),
        }
        if result.latest_rows is not None:
            metadata["latest_rows"] = result.latest_rows
        return dg.MaterializeResult(metadata=metadata)

    _export.__name__ = f"export_{mart}"
    return _export


def publishing_assets(mart_keys: list[dg.AssetKey]) -> list[dg.AssetsDefinition]:
    """The report and one export per mart (the marts' keys, as the definitions hold them)."""
    return [dashboard, *(export_asset(key) for key in sorted(mart_keys))]


def _points(trace) -> int:
    values = [getattr(trace, axis, None) for axis in ("x", "y")]
    return max((len(v) for v in values if v is not None), default=0)
