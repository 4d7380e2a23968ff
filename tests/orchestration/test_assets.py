"""What the UI shows for each asset: a description, a group, and for loaders rows, a preview
and the column schema."""

import socket
from dataclasses import replace
from pathlib import Path

import dagster as dg
import yaml

from loaders.core.contract import Column, Contract
from loaders.core.spec import Source, TableSpec
from orchestration.definitions import defs
from orchestration.defs.raw import loader_asset
from orchestration.defs.resources import Warehouse
from orchestration.defs.table_metadata import markdown_table

SOURCE = Source("tiny_source", "https://example.org", "CC0", "daily", 2, 7)
SPEC = TableSpec(
    source=SOURCE,
    name="counts",
    file_name="counts.csv",
    official_url="https://example.org/counts.csv",
    contract=Contract(
        columns=(
            Column("day", "date", nullable=False),
            Column("place", "text", nullable=False),
            Column("cases", "int", non_negative=True),
        ),
        natural_key=("day", "place"),
    ),
    reject_threshold=0.5,
)
# Seven valid rows, out of key order, and one row that breaks the contract.
FILE = (
    "day,place,cases\n"
    "2020-03-04,b,4\n2020-03-01,b,1\n2020-03-03,a,3\n2020-03-02,a,2\n"
    "2020-03-01,a,10\n2020-03-02,b,20\n2020-03-05,a,5\n2020-03-06,a,-1\n"
)


def test_every_asset_has_a_description_and_a_known_group():
    graph = defs.resolve_asset_graph()
    for key in graph.get_all_asset_keys():
        node = graph.get(key)
        if not node.is_materializable:
            continue
        description = (node.description or "").strip()
        # dagster-dbt falls back to "dbt <resource type> <name>" for a node without a description.
        undescribed = description.startswith(("dbt model ", "dbt seed ", "dbt snapshot "))
        assert description and not undescribed, f"{key} undescribed"
        assert node.group_name in {"raw", "staging", "marts", "reports"}, f"{key} group"


def test_a_load_reports_rows_a_preview_and_the_column_schema(dsn, mirror):
    mirror.put("tiny_source", "counts.csv", FILE)
    asset = loader_asset(SPEC)
    result = dg.materialize(
        [asset], resources={"warehouse": Warehouse(replace(mirror.settings, dsn=dsn))}
    )
    [materialization] = result.asset_materializations_for_node(asset.op.name)
    metadata = {name: value.value for name, value in materialization.metadata.items()}

    assert metadata["dagster/row_count"] == 7
    counts = [metadata[name] for name in ("rows_added", "rows_changed", "rows_rejected")]
    assert counts == [7, 0, 1]
    # The first five current rows in natural-key order (day, place).
    expected = [
        ("2020-03-01", "a", "10"),
        ("2020-03-01", "b", "1"),
        ("2020-03-02", "a", "2"),
        ("2020-03-02", "b", "20"),
        ("2020-03-03", "a", "3"),
    ]
    assert metadata["preview"] == markdown_table(["day", "place", "cases"], expected)
    schema = metadata["dagster/column_schema"]
    columns = [(c.name, c.type) for c in schema.columns]
    assert columns == [
        ("day", "date"),
        ("place", "text"),
        ("cases", "bigint"),
        ("_load_id", "bigint"),
        ("_loaded_at", "timestamptz"),
        ("_superseded_load_id", "bigint"),
    ]
    day = schema.columns[0]
    assert day.constraints.nullable is False and day.constraints.other == ["natural key"]
    assert schema.columns[2].constraints.nullable is True
    # The declared schema is on the asset before anything runs, too.
    assert asset.specs_by_key[asset.key].metadata["dagster/column_schema"] == schema


def test_raw_assets_are_described_as_in_the_dbt_sources_yaml():
    """The Dagster UI and the dbt docs say the same thing: both read the sources YAML."""
    staging = Path(__file__).resolve().parents[2] / "dbt_project" / "models" / "staging"
    document = yaml.safe_load((staging / "nyt_covid" / "_nyt_covid__sources.yml").read_text())
    [states] = [t for t in document["sources"][0]["tables"] if t["name"] == "us_states"]
    node = defs.resolve_asset_graph().get(dg.AssetKey(["raw", "nyt_covid__us_states"]))

    assert node.description.startswith(states["description"].strip())
    schema = node.metadata["dagster/column_schema"]
    described = {column["name"]: column["description"] for column in states["columns"]}
    assert {c.name: c.description for c in schema.columns} == described


def test_markdown_cells_are_escaped_and_shortened():
    table = markdown_table(["a", "b"], [("x|y", None), ("z" * 60, "line\nbreak")])
    lines = table.splitlines()
    assert lines[:2] == ["| a | b |", "|---|---|"]
    assert lines[2] == "| x\\|y |  |"
    assert lines[3].startswith("| " + "z" * 39 + "… |")
    assert lines[3].endswith("| line break |")


def test_a_failed_load_is_a_dagster_failure_with_the_loaders_one_line(mirror):
    """No traceback of the lifecycle: the step fails with the message a user acts on."""
    mirror.put("tiny_source", "counts.csv", FILE)
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings = replace(mirror.settings, dsn=f"postgresql://loader@127.0.0.1:{port}/warehouse")
    asset = loader_asset(SPEC)
    result = dg.materialize(
        [asset], resources={"warehouse": Warehouse(settings)}, raise_on_error=False
    )

    [failure] = result.get_step_failure_events()
    error = failure.event_specific_data.error
    assert error.cls_name == "Failure"
    assert error.cause is None  # not chained to psycopg's error
    message = error.message.removeprefix("dagster._core.definitions.events.Failure: ")
    assert message.startswith(
        f"tiny_source__counts: cannot use the warehouse database at 127.0.0.1:{port}/warehouse "
        "(connection failed: "
    )
    assert message.rstrip().endswith("; check WAREHOUSE_DSN")
    assert "\n" not in message.rstrip()
