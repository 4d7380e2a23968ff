"""What the UI shows for a dbt model or seed after a build: rows, column schema, a preview."""

import dagster as dg
import pytest

from orchestration.defs.table_metadata import relation_preview

pytestmark = pytest.mark.integration


def materializations(result) -> dict[dg.AssetKey, dict]:
    events = [e for e in result.all_events if e.event_type_value == "ASSET_MATERIALIZATION"]
    found = {}
    for event in events:
        materialization = event.event_specific_data.materialization
        if "unique_id" in materialization.metadata:  # a dbt node
            found[materialization.asset_key] = materialization.metadata
    return found


def test_every_model_and_seed_built_carries_a_preview_and_its_columns(built_warehouse):
    dsn, result = built_warehouse
    built = materializations(result)
    cases = dg.AssetKey(["marts", "fct_cases_daily"])
    assert cases in built and any(key.path[0] == "staging" for key in built)
    for key, metadata in built.items():
        header, rule, *rows = metadata["preview"].value.splitlines()
        assert rule.startswith("|---") and len(rows) <= 5, f"{key}: {header}"
        columns = [c.name for c in metadata["dagster/column_schema"].value.columns]
        assert header == "| " + " | ".join(columns) + " |", key
    rows = built[cases]["preview"].value.splitlines()[2:]
    assert len(rows) == 5 and built[cases]["dagster/row_count"].value > 5


def test_a_preview_that_cannot_run_says_why(built_warehouse):
    dsn, _ = built_warehouse
    assert relation_preview(dsn, '"marts"."no_such_table"').startswith(
        'No preview of "marts"."no_such_table": UndefinedTable'
    )
