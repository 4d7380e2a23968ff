"""A load killed mid-COPY (SIGKILL, in a separate process) leaves the raw table as it was and
its ledger row 'running'; the next load of the table marks it 'abandoned' and completes. A load
that is still alive is never marked abandoned."""

import os
import signal
import subprocess
import sys
import time
from datetime import date, timedelta

import psycopg

from loaders.core import ledger as load_ledger
from loaders.core.land import app_name
from loaders.core.load import load_table
from tests.conftest import ROOT
from tests.loaders.core.lifecycle_spec import (
    GOOD,
    HEADER,
    SPEC,
    current_rows,
    ledger,
    query,
    raw_table,
    rejected,
)
from tests.loaders.core.slow_load import CHUNK_ROWS, PAUSE_AT_WRITE

ROWS = 4 * CHUNK_ROWS
STATIONS = 100


def big_file() -> str:
    first = date(2020, 1, 1)
    lines = (
        f"{first + timedelta(days=i // STATIONS)},S{i % STATIONS},{i},{i / 8}" for i in range(ROWS)
    )
    return HEADER + "\n".join(lines) + "\n"


def wait_for(condition, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if found := condition():
            return found
        time.sleep(0.05)
    raise AssertionError(f"gave up after {seconds} s waiting for {what}")


def loader_backends(dsn: str) -> list[tuple]:
    return query(
        dsn,
        "select state, query from pg_stat_activity "
        "where application_name = %s and datname = current_database()",
        [app_name(SPEC)],
    )


def test_a_load_killed_mid_copy_leaves_nothing_and_the_next_load_completes(dsn, mirror, tmp_path):
    mirror.put("toy", "readings.csv", GOOD)
    [first] = load_table(SPEC, dsn, mirror.settings)
    stored = raw_table(dsn)
    mirror.put("toy", "readings.csv", big_file())
    marker = tmp_path / "copying"
    log = (tmp_path / "slow_load.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.loaders.core.slow_load", dsn, str(marker)],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_for(lambda: marker.exists() or process.poll() is not None, 60, "the COPY")
        assert process.poll() is None, (tmp_path / "slow_load.log").read_text()
        copying = [q for state, q in loader_backends(dsn) if q.lower().startswith("copy ")]
        assert copying and "_stage_toy__readings" in copying[0]
        assert query(
            dsn,
            "select count(*) from pg_stat_activity where application_name = %s "
            "and state = 'active' and query ilike 'copy %%'",
            [app_name(SPEC)],
        ) == [(1,)]
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)
        log.close()
    assert process.returncode == -signal.SIGKILL
    wait_for(lambda: not loader_backends(dsn), 10, "the killed load's connections to close")

    killed_id = first.load_id + 1
    assert raw_table(dsn) == stored  # none of the (2.5 chunks of) copied rows
    assert rejected(dsn) == []
    assert ledger(dsn, "load_id, status, finished_at is null") == [
        (first.load_id, "succeeded", False),
        (killed_id, "running", True),
    ]

    [result] = load_table(SPEC, dsn, mirror.settings)

    assert (result.status, result.rows_read, result.rows_added) == ("succeeded", ROWS, ROWS)
    assert ledger(dsn, "load_id, status, error") == [
        (first.load_id, "succeeded", None),
        (
            killed_id,
            "abandoned",
            "the process running this load stopped before it finished; nothing of it was written",
        ),
        (result.load_id, "succeeded", None),
    ]
    assert len(current_rows(dsn)) == ROWS + 3
    assert PAUSE_AT_WRITE * CHUNK_ROWS < ROWS  # the kill came before the last chunk


def test_a_load_still_running_is_not_marked_abandoned(dsn, mirror):
    mirror.put("toy", "readings.csv", GOOD)
    load_table(SPEC, dsn, mirror.settings)  # creates the ledger
    with psycopg.connect(dsn, autocommit=True) as live:
        live_id = load_ledger.start(
            live, source="toy", table_name=SPEC.table, file_name="x.csv", url="x", vintage=None
        )
        load_table(SPEC, dsn, mirror.settings, force=True)
        assert ledger(dsn)[live_id - 1] == (live_id, "running")
    [after] = load_table(
        SPEC, dsn, mirror.settings, force=True
    )  # its connection closed: it is gone
    assert ledger(dsn) == [
        (1, "succeeded"),
        (live_id, "abandoned"),
        (3, "succeeded"),
        (after.load_id, "succeeded"),
    ]
