"""`make stop` stops what `make ui` started (Dagster's webserver and daemon, the embedded
Postgres); `make clean` refuses while any of it runs."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from tests.processes import start_server, stop
from warehouse.database import running_embedded, warehouse_dsn
from warehouse.settings import PROJECT_ROOT, VARIABLES, Settings


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def environment(home: Path, **more: str) -> dict[str, str]:
    """This environment without any warehouse or Dagster setting, with WAREHOUSE_HOME=home."""
    env = {name: value for name, value in os.environ.items() if name not in VARIABLES}
    env.pop("DAGSTER_POSTGRES_URL", None)
    return {**env, "WAREHOUSE_HOME": str(home), **more}


def listening(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
    except OSError:
        return False
    return True


@pytest.fixture
def makefile_copy(tmp_path):
    """The project's Makefile in a folder of its own (with the installed .venv), so `make clean`
    deletes that folder's `.warehouse`, never this checkout's."""
    folder = tmp_path / "checkout"
    folder.mkdir()
    shutil.copy(PROJECT_ROOT / "Makefile", folder / "Makefile")
    (folder / ".venv").symlink_to(PROJECT_ROOT / ".venv", target_is_directory=True)
    (folder / "pyproject.toml").symlink_to(PROJECT_ROOT / "pyproject.toml")
    return folder


def make(folder: Path, target: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["make", "-s", "-C", str(folder), target],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_make_stop_stops_the_ui_its_daemon_and_the_database(tmp_path, makefile_copy):
    home = tmp_path / "home"
    ui_port, pg_port = free_port(), free_port()
    env = environment(home, DAGSTER_UI_PORT=str(ui_port), WAREHOUSE_PORT=str(pg_port))
    ui = start_server(
        [sys.executable, "-m", "orchestration.ui"],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 180
        while not listening(ui_port) and time.monotonic() < deadline:
            assert ui.poll() is None, "make ui exited"
            time.sleep(1)
        assert listening(ui_port), "the UI did not start"
        family = [psutil.Process(ui.pid), *psutil.Process(ui.pid).children(recursive=True)]
        assert len(family) >= 3  # dagster dev, its webserver and its daemon
        settings = Settings(home=home, embedded_port=pg_port)
        assert running_embedded(settings) is not None
        refused = make(makefile_copy, "clean", env)
        assert refused.returncode != 0
        assert "Refusing" in refused.stdout and "make ui" in refused.stdout

        stopped = make(makefile_copy, "stop", env)
        assert stopped.returncode == 0, stopped.stderr
        assert "make ui" in stopped.stdout and "warehouse database" in stopped.stdout
        _, alive = psutil.wait_procs(family, timeout=5)
        assert not alive, alive
        assert not listening(ui_port)
        assert running_embedded(settings) is None
        assert not listening(pg_port)
    finally:
        stop(ui)
        subprocess.run(
            [sys.executable, "-m", "warehouse.control", "stop"], env=env, timeout=60, check=False
        )


def test_make_clean_refuses_while_the_database_runs_and_cleans_once_stopped(
    tmp_path, makefile_copy
):
    home = makefile_copy / ".warehouse"
    settings = Settings(home=home, embedded_port=free_port())
    env = environment(home, WAREHOUSE_PORT=str(settings.embedded_port))
    try:
        warehouse_dsn(settings)  # starts the embedded server
        refused = make(makefile_copy, "clean", env)
        assert refused.returncode != 0
        assert "warehouse database" in refused.stdout
        assert (home / "pgdata" / "PG_VERSION").is_file()  # nothing deleted
        assert running_embedded(settings) is not None
        assert make(makefile_copy, "stop", env).returncode == 0
        cleaned = make(makefile_copy, "clean", env)
        assert cleaned.returncode == 0, cleaned.stdout + cleaned.stderr
        assert not home.exists()
    finally:
        subprocess.run(
            [sys.executable, "-m", "warehouse.control", "stop"], env=env, timeout=60, check=False
        )
