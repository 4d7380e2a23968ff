"""dbt builds only what is downstream of a raw table that changed: the plan read from the load
ledger and the last build, and the nodes it leaves out."""

import json

import psycopg
import pytest

from loaders.core import ledger
from orchestration.defs.changes import (
    BuildPlan,
    exclusions,
    nodes_to_build,
    plan_build,
    record_build,
)
from orchestration.defs.project import dbt_project


def source(name: str, schema: str = "raw") -> dict:
    return {"schema": schema, "identifier": name}


def node(kind: str, *fqn: str) -> dict:
    return {"resource_type": kind, "name": fqn[-1], "fqn": ["demo", *fqn]}


# a -> stg_a -> mart <- stg_b <- b; a test on stg_a and one on the mart; a unit test of stg_b.
SMALL = {
    "sources": {"source.demo.s.a": source("a"), "source.demo.s.b": source("b")},
    "nodes": {
        "model.demo.stg_a": node("model", "staging", "stg_a"),
        "model.demo.stg_b": node("model", "staging", "stg_b"),
        "model.demo.mart": node("model", "marts", "mart"),
        "test.demo.not_null_stg_a": node("test", "staging", "not_null_stg_a"),
        "test.demo.unique_mart": node("test", "marts", "unique_mart"),
        "seed.demo.states": node("seed", "states"),
    },
    "unit_tests": {
        "unit_test.demo.stg_b.t": {
            **node("unit_test", "staging", "stg_b", "t"),
            "depends_on": {"nodes": ["model.demo.stg_b"]},
        },
    },
    "child_map": {
        "source.demo.s.a": ["model.demo.stg_a"],
        "source.demo.s.b": ["model.demo.stg_b"],
        "model.demo.stg_a": ["model.demo.mart", "test.demo.not_null_stg_a"],
        "model.demo.stg_b": ["model.demo.mart"],
        "model.demo.mart": ["test.demo.unique_mart"],
    },
}


def test_a_changed_table_builds_what_reads_it_and_nothing_else():
    build = nodes_to_build(SMALL, {"a"})
    assert build == {
        "model.demo.stg_a",
        "model.demo.mart",
        "test.demo.not_null_stg_a",
        "test.demo.unique_mart",
    }
    assert exclusions(SMALL, build) == [
        "demo.staging.stg_b",
        "demo.staging.stg_b.t",
        "demo.states",
    ]


def test_a_model_built_takes_its_unit_tests_along():
    assert "unit_test.demo.stg_b.t" in nodes_to_build(SMALL, {"b"})


def test_models_read_together_are_built_together_with_their_tests():
    # the report reads stg_b and mart: when a changes, mart is built, so stg_b is too
    build = nodes_to_build(SMALL, {"a"}, together=[["stg_b", "mart", "not_a_model"]])
    assert {"model.demo.stg_b", "unit_test.demo.stg_b.t"} <= build
    assert nodes_to_build(SMALL, set(), together=[["stg_b", "mart"]]) == set()
    # a group none of which is built stays out
    assert "model.demo.stg_b" not in nodes_to_build(SMALL, {"a"}, together=[["stg_b", "x"]])


def test_a_table_of_another_schema_or_no_table_builds_nothing():
    assert nodes_to_build(SMALL, set()) == set()
    assert nodes_to_build(SMALL, {"mart"}) == set()


def ancestors(manifest: dict, uid: str) -> set[str]:
    """Every node upstream of `uid`, walked through parent_map (the plan walks child_map)."""
    parents = {**manifest["parent_map"]}
    for test_id, unit_test in manifest["unit_tests"].items():
        parents[test_id] = unit_test["depends_on"]["nodes"]
    seen, todo = set(), [uid]
    while todo:
        for parent in parents.get(todo.pop(), ()):
            if parent not in seen:
                seen.add(parent)
                todo.append(parent)
    return seen


def test_on_the_project_a_node_is_skipped_exactly_when_no_changed_table_is_upstream():
    manifest = json.loads(dbt_project.manifest_path.read_text())
    raw = {uid: s["identifier"] for uid, s in manifest["sources"].items() if s["schema"] == "raw"}
    nodes = {**manifest["nodes"], **manifest["unit_tests"]}
    assert len(raw) > 20
    for uid_of_source, table in raw.items():
        build = nodes_to_build(manifest, {table})
        for uid in nodes:
            reads_it = uid_of_source in ancestors(manifest, uid)
            # unit tests run on inline rows: they go with their model
            if uid.startswith("unit_test."):
                reads_it = bool(set(manifest["unit_tests"][uid]["depends_on"]["nodes"]) & build)
            assert (uid in build) is reads_it, f"{table} changed: {uid}"
        skipped = set(exclusions(manifest, build))
        assert skipped == {".".join(nodes[uid]["fqn"]) for uid in nodes if uid not in build}
        assert not any(s.startswith("seed.") for s in build)


def add_load(dsn: str, table: str, status: str) -> int:
    with psycopg.connect(dsn, autocommit=True) as conn:
        ledger.ensure_ledger(conn)
        return conn.execute(
            """insert into meta.load_log (source, table_name, file_name, url, status)
               values ('demo', %s, 'f.csv', 'file:f.csv', %s) returning load_id""",
            [table, status],
        ).fetchone()[0]


@pytest.mark.database
def test_the_plan_follows_the_ledger_since_the_last_build_of_the_same_code(dsn):
    assert plan_build(dsn, "v1").builds_everything  # no ledger, no build yet
    add_load(dsn, "a", "succeeded")
    first = plan_build(dsn, "v1")
    assert first.builds_everything
    record_build(dsn, "v1", first)

    assert plan_build(dsn, "v1").nothing_changed
    add_load(dsn, "b", "unchanged")  # a file already held: nothing written
    add_load(dsn, "c", "failed")
    assert plan_build(dsn, "v1").changed_tables == frozenset()
    add_load(dsn, "a", "succeeded")
    add_load(dsn, "b", "succeeded")
    assert plan_build(dsn, "v1").changed_tables == {"a", "b"}
    assert plan_build(dsn, "v2").builds_everything  # other code
    assert plan_build(dsn, "v1", full_refresh=True).builds_everything


@pytest.mark.database
def test_a_build_that_did_not_succeed_leaves_its_changes_to_the_next(dsn):
    add_load(dsn, "a", "succeeded")
    record_build(dsn, "v1", plan_build(dsn, "v1"))
    add_load(dsn, "a", "succeeded")
    assert plan_build(dsn, "v1").changed_tables == {"a"}  # planned, not recorded (failed)
    assert plan_build(dsn, "v1").changed_tables == {"a"}
    record_build(dsn, "v2", plan_build(dsn, "v2"))
    assert plan_build(dsn, "v1").builds_everything  # the latest build was of other code


@pytest.mark.database
def test_a_load_still_running_is_left_with_what_follows_it_to_the_next_build(dsn):
    add_load(dsn, "a", "succeeded")
    running = add_load(dsn, "b", "running")
    add_load(dsn, "c", "succeeded")
    plan = plan_build(dsn, "v1")
    assert plan.through_load_id == running - 1
    record_build(dsn, "v1", plan)
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute("update meta.load_log set status = 'succeeded' where load_id = %s", [running])
    assert plan_build(dsn, "v1").changed_tables == {"b", "c"}


def test_a_plan_with_no_changed_table_is_nothing_to_do():
    assert BuildPlan(5, frozenset()).nothing_changed
    assert not BuildPlan(5, None).nothing_changed
    assert BuildPlan(5, None).builds_everything
