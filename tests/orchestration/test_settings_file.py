"""Settings given to `make run` reach a run started the way the UI and its daemon start one:
a process with none of the variables in its environment, over the same Dagster instance."""

from __future__ import annotations

import os
import subprocess
import sys

import psycopg
import pytest

from warehouse.settings import VARIABLES, persist_settings

pytestmark = pytest.mark.integration

TABLE = "delaware_dhss__zip_case_rates"
# What `make ui` does before it starts Dagster (orchestration/ui.py), then a run of the
# schedules' job through Dagster's CLI instead of the webserver.
LAUNCH = f"""
import os, sys
from orchestration.environment import prepare_environment
prepare_environment()
dagster = os.path.join(os.path.dirname(sys.executable), "dagster")
os.execv(dagster, [dagster, "job", "execute", "-m", "orchestration.definitions",
                   "-j", "refresh_all", "-o", "raw__{TABLE}"])
"""


def test_a_run_launched_without_the_variables_reads_the_mirror_make_run_was_given(
    dsn, shared_data, tmp_path
):
    mirror = tmp_path / "mirror"
    mirror.mkdir()
    (mirror / "delaware_dhss").symlink_to(shared_data / "delaware_dhss")
    home = tmp_path / "home"
    persist_settings(
        {"WAREHOUSE_HOME": str(home), "WAREHOUSE_SOURCES": str(mirror), "WAREHOUSE_DSN": dsn}
    )
    env = {name: value for name, value in os.environ.items() if name not in VARIABLES}
    env["WAREHOUSE_HOME"] = str(home)
    launched = subprocess.run(
        [sys.executable, "-c", LAUNCH],
        env=env,
        cwd=os.path.dirname(os.path.dirname(os.path.dirname(__file__))),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert launched.returncode == 0, launched.stderr[-3000:]

    # Rows as in the mirror's file (one per line after the header), loaded from the mirror.
    lines = (shared_data / "delaware_dhss" / "covid_nums.csv").read_text().splitlines()
    expected_rows = sum(1 for line in lines[1:] if line.strip())
    with psycopg.connect(dsn) as conn:
        rows = conn.execute(f"select count(*) from raw.{TABLE}").fetchone()[0]
        (url,) = conn.execute(
            "select url from meta.load_log where table_name = %s and status = 'succeeded'",
            [TABLE],
        ).fetchone()
    assert rows == expected_rows
    assert url.startswith(str(mirror))
    # The run shows, in its tags, the sources it read.
    dagster_dsn = psycopg.conninfo.make_conninfo(dsn, dbname="dagster")
    with psycopg.connect(dagster_dsn) as conn:
        tags = dict(conn.execute("select key, value from run_tags").fetchall())
    assert tags["warehouse/sources"] == str(mirror)
    assert tags["warehouse/settings_file"] == str(home / "settings.env")
