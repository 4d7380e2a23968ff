"""Ctrl-C during the dbt step of `make run` stops everything within 10 s, marks the run
canceled, and leaves the database consistent (dbt's transactions rolled back, nothing left
running). The mirror is empty, so every table is "not configured" and dbt starts quickly."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid

import psycopg
import pytest

from warehouse.settings import PROJECT_ROOT, VARIABLES

pytestmark = pytest.mark.integration


@pytest.fixture
def dagster_storage(postgres_server):
    """A database of its own for Dagster's runs (the run's status is read there)."""
    name = f"dagster_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(postgres_server, autocommit=True) as conn:
        conn.execute(f'create database "{name}"')
    yield psycopg.conninfo.make_conninfo(postgres_server, dbname=name)
    with psycopg.connect(postgres_server, autocommit=True) as conn:
        conn.execute(f'drop database "{name}" with (force)')


def test_ctrl_c_during_dbt_stops_the_run_within_10_seconds_and_cancels_it(
    dsn, dagster_storage, tmp_path
):
    mirror = tmp_path / "mirror"
    mirror.mkdir()
    env = {name: value for name, value in os.environ.items() if name not in VARIABLES}
    env.update(
        WAREHOUSE_HOME=str(tmp_path / "home"),
        WAREHOUSE_SOURCES=str(mirror),
        WAREHOUSE_DSN=dsn,
        DAGSTER_POSTGRES_URL=dagster_storage,
        WAREHOUSE_REPORTS=str(tmp_path / "reports"),
        WAREHOUSE_EXPORTS=str(tmp_path / "exports"),
    )
    run = subprocess.Popen(
        [sys.executable, "-m", "orchestration.run"],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,  # its own process group, as a terminal's foreground job
    )
    lines = []
    try:
        deadline = time.monotonic() + 300
        for line in run.stdout:
            lines.append(line)
            if "running dbt_models" in line or time.monotonic() > deadline:
                break
        assert any("running dbt_models" in line for line in lines), "".join(lines)[-3000:]
        time.sleep(8)  # dbt is building models
        interrupted = time.monotonic()
        os.killpg(run.pid, signal.SIGINT)  # what Ctrl-C sends
        rest, _ = run.communicate(timeout=60)
        stopped_after = time.monotonic() - interrupted
    finally:
        if run.poll() is None:
            os.killpg(run.pid, signal.SIGKILL)
            run.wait()
    output = "".join(lines) + rest
    assert stopped_after < 10, f"stopped after {stopped_after:.1f} s"
    assert run.returncode == 130, output[-3000:]
    assert "Traceback" not in rest, rest[-3000:]
    assert "canceled" in rest.strip().splitlines()[-1]

    with psycopg.connect(dagster_storage) as conn:
        statuses = [s for (s,) in conn.execute("select status from runs").fetchall()]
    assert statuses == ["CANCELED"]
    with psycopg.connect(dsn) as conn:
        busy = conn.execute(
            "select count(*) from pg_stat_activity "
            "where datname = current_database() and pid <> pg_backend_pid()"
        ).fetchone()[0]
        leftovers = conn.execute(
            "select count(*) from pg_class where relname like '%%__dbt_tmp%%' "
            "or relname like '%%__dbt_backup%%'"
        ).fetchone()[0]
        running = conn.execute(
            "select count(*) from meta.load_log where status = 'running'"
        ).fetchone()[0]
    assert busy == 0  # no query of dbt's left running
    assert leftovers == 0  # each model's transaction committed whole or rolled back
    assert running == 0
