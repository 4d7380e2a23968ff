"""On the session's end-to-end warehouse: with no load since the last build, the dbt step builds
nothing; after a load of one raw table it builds exactly the models downstream of it."""

import json

import dagster as dg
import psycopg
import pytest

from loaders.core import ledger
from orchestration.defs.changes import plan_build, record_build
from orchestration.defs.dbt import dbt_models
from orchestration.defs.project import code_version, dbt_project
from orchestration.defs.resources import resources
from publish.report_data import REPORT_MARTS
from tests.end_to_end import warehouse_environment

pytestmark = pytest.mark.integration
# Few rows and one mart downstream, which the report reads (with the other marts it reads). Every
# node this builds, and every node its tests read, is in the session's build.
TABLE = "delaware_dhss__zip_centroids"


def built_keys(dsn: str) -> set[str]:
    with dg.DagsterInstance.ephemeral() as instance:
        result = dg.materialize([dbt_models], resources=resources(), instance=instance)
    return {e.asset_key.to_user_string() for e in result.get_asset_materialization_events()}


def downstream_models(table: str) -> set[str]:
    """Models and seeds whose ancestors (parent_map, walked here) include the table's source."""
    manifest = json.loads(dbt_project.manifest_path.read_text())
    [source] = [
        uid
        for uid, s in manifest["sources"].items()
        if s["schema"] == "raw" and s["identifier"] == table
    ]
    found = set()
    for uid, node in manifest["nodes"].items():
        todo, seen = [uid], set()
        while todo:
            for parent in manifest["parent_map"].get(todo.pop(), ()):
                if parent not in seen:
                    seen.add(parent)
                    todo.append(parent)
        if source in seen and node["resource_type"] in ("model", "seed"):
            found.add(f"{node['schema']}/{node['name']}")
    return found


def test_dbt_builds_nothing_unchanged_and_only_downstream_of_a_changed_table(built_warehouse):
    dsn, _ = built_warehouse
    with pytest.MonkeyPatch.context() as patch:
        warehouse_environment(patch, dsn)
        version = code_version()
        # the session's build covered every mart and its inputs: taken as the last build
        record_build(dsn, version, plan_build(dsn, version))
        assert built_keys(dsn) == set()

        with psycopg.connect(dsn, autocommit=True) as conn:
            ledger.ensure_ledger(conn)
            load_id = conn.execute(
                """insert into meta.load_log (source, table_name, file_name, url, status)
                   values ('delaware_dhss', %s, 'test', 'test', 'succeeded') returning load_id""",
                [TABLE],
            ).fetchone()[0]
        try:
            built = built_keys(dsn)
        finally:
            with psycopg.connect(dsn, autocommit=True) as conn:
                conn.execute("delete from meta.load_log where load_id = %s", [load_id])
        expected = downstream_models(TABLE)
        assert "marts/dim_delaware_zip_cases" in expected
        # the report's marts are built together (they exist as dbt models, not the forecast's)
        together = {f"marts/{name}" for name in REPORT_MARTS if "forecast" not in name}
        assert built == expected | together
        assert plan_build(dsn, version).nothing_changed  # that build was recorded
