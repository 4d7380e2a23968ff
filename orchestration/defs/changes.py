"""Which dbt nodes a build needs: those downstream of a raw table that changed since the last
successful build of the same code.

`meta.dbt_change_marks` remembers, per successful build, the code it was built from (`code_version`
in orchestration/defs/project.py) and the last load it had seen (`meta.load_log.load_id`). A
raw table changed when a load of it succeeded after that load: the loaders mark a file they
already hold 'unchanged', and write nothing for it. A node none of whose upstream raw tables
changed would be rebuilt from the same rows by the same code; it is left out. Anything else
(no earlier build, other code, a full refresh) builds everything.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import psycopg

DDL = """
create schema if not exists meta;
create table if not exists meta.dbt_change_marks (
    build_id bigserial primary key,
    code_version text not null,
    through_load_id bigint not null,
    finished_at timestamptz not null default now()
);
"""
RAW_SCHEMA = "raw"


@dataclass(frozen=True)
class BuildPlan:
    """`changed_tables` is None when everything is built; else the raw tables that changed."""

    through_load_id: int
    changed_tables: frozenset[str] | None

    @property
    def builds_everything(self) -> bool:
        return self.changed_tables is None

    @property
    def nothing_changed(self) -> bool:
        return self.changed_tables is not None and not self.changed_tables


def plan_build(dsn: str, code_version: str, full_refresh: bool = False) -> BuildPlan:
    """What changed since the last successful build of `code_version` (see the module)."""
    with psycopg.connect(dsn, autocommit=True) as conn:
        through = _latest_load_id(conn)
        previous = None if full_refresh else _last_build(conn, code_version)
        if previous is None:
            return BuildPlan(through, None)
        changed = conn.execute(
            """select distinct table_name from meta.load_log
               where status = 'succeeded' and load_id > %s and load_id <= %s""",
            [previous, through],
        ).fetchall()
        return BuildPlan(through, frozenset(row[0] for row in changed))


def record_build(dsn: str, code_version: str, plan: BuildPlan) -> None:
    """Called after a build succeeded: the next plan compares with `plan.through_load_id`."""
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(DDL)
        conn.execute(
            "insert into meta.dbt_change_marks (code_version, through_load_id) values (%s, %s)",
            [code_version, plan.through_load_id],
        )


def _latest_load_id(conn: psycopg.Connection) -> int:
    """The last load a build started now sees; a load still running (of another process) is
    left for the next build, with everything after it."""
    if conn.execute("select to_regclass('meta.load_log')").fetchone()[0] is None:
        return 0
    return conn.execute(
        """select coalesce(min(load_id) filter (where status = 'running') - 1, max(load_id), 0)
           from meta.load_log"""
    ).fetchone()[0]


def _last_build(conn: psycopg.Connection, code_version: str) -> int | None:
    """The load the latest build had seen, if it was built from `code_version`."""
    if conn.execute("select to_regclass('meta.dbt_change_marks')").fetchone()[0] is None:
        return None
    row = conn.execute(
        "select code_version, through_load_id from meta.dbt_change_marks "
        "order by build_id desc limit 1"
    ).fetchone()
    return row[1] if row and row[0] == code_version else None


def nodes_to_build(
    manifest: Mapping[str, Any],
    changed_tables: Iterable[str],
    together: Iterable[Iterable[str]] = (),
) -> set[str]:
    """Unique ids of every node downstream of the changed raw tables' sources (tests among
    them), and the unit tests of the models among those.

    `together` lists groups of models read together by a step outside dbt (the report reads
    several marts): Dagster runs such a step only when every model it reads was built, so when
    one of a group is built, the others are built (from unchanged inputs) with their tests."""
    changed = set(changed_tables)
    start = [
        uid
        for uid, source in manifest["sources"].items()
        if source["schema"] == RAW_SCHEMA and source["identifier"] in changed
    ]
    children = manifest["child_map"]
    seen = _descendants(children, start)
    models = {
        node["name"]: uid
        for uid, node in manifest["nodes"].items()
        if node["resource_type"] == "model"
    }
    for group in together:
        members = {models[name] for name in group if name in models}
        if members & seen:
            for uid in members - seen:
                seen.add(uid)
                seen.update(c for c in children.get(uid, ()) if c.startswith("test."))
    for uid, unit_test in manifest.get("unit_tests", {}).items():
        if set(unit_test["depends_on"]["nodes"]) & seen:
            seen.add(uid)
    return seen


def _descendants(children: Mapping[str, list[str]], start: list[str]) -> set[str]:
    seen: set[str] = set()
    todo = list(start)
    while todo:
        for child in children.get(todo.pop(), ()):
            if child not in seen:
                seen.add(child)
                todo.append(child)
    return seen


def exclusions(manifest: Mapping[str, Any], build: set[str]) -> list[str]:
    """dbt `--exclude` selectors (full fqn) for every buildable node not in `build`."""
    nodes = {**manifest["nodes"], **manifest.get("unit_tests", {})}
    return sorted(".".join(node["fqn"]) for uid, node in nodes.items() if uid not in build)
