"""What `make run` prints: a bad WAREHOUSE_DSN in one line before anything starts, a failed
WARN check as a warning, and no runtime-dir warning."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from types import SimpleNamespace

import dagster as dg

from orchestration.progress import _line
from warehouse.settings import PROJECT_ROOT, VARIABLES


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # nothing listens once the socket is closed


def make_run(env: dict[str, str]) -> subprocess.CompletedProcess:
    """`make run`'s command in a new process with `env`, its output captured."""
    return subprocess.run(
        [sys.executable, "-m", "orchestration.run"],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_a_bad_dsn_fails_in_one_line_before_anything_starts(tmp_path):
    port = closed_port()
    env = {name: value for name, value in os.environ.items() if name not in VARIABLES}
    env["WAREHOUSE_HOME"] = str(tmp_path / "home")
    env["WAREHOUSE_DSN"] = f"postgresql://loader:secret-pw@127.0.0.1:{port}/warehouse"
    ran = make_run(env)
    assert ran.returncode == 1
    assert "Starting" not in ran.stdout and "Connecting" not in ran.stdout
    lines = ran.stderr.strip().splitlines()
    assert len(lines) == 1, ran.stderr
    assert f"127.0.0.1:{port}/warehouse" in lines[0] and "cannot connect" in lines[0]
    assert "secret-pw" not in ran.stderr


def check_event(passed: bool, severity: dg.AssetCheckSeverity, description: str):
    evaluation = SimpleNamespace(
        passed=passed,
        severity=severity,
        description=description,
        asset_key=dg.AssetKey(["marts", "fct_case_source_reconciliation"]),
        check_name="sources_agree",
    )
    return SimpleNamespace(
        event_type_value="ASSET_CHECK_EVALUATION", event_specific_data=evaluation
    )


def test_a_failed_warn_check_prints_as_a_warning_and_an_error_check_as_failed():
    warned = _line(check_event(False, dg.AssetCheckSeverity.WARN, "NYT and JHU differ by 3%"))
    assert warned.strip().startswith("check warning:")
    assert "failed" not in warned.lower() and "NYT and JHU differ by 3%" in warned
    failed = _line(check_event(False, dg.AssetCheckSeverity.ERROR, ""))
    assert failed.strip().startswith("check FAILED:")
    assert _line(check_event(True, dg.AssetCheckSeverity.ERROR, "")) is None


def test_no_runtime_dir_warning_when_the_embedded_server_is_used(tmp_path):
    """XDG_RUNTIME_DIR unset (as under cron or ssh): platformdirs warns, we do not pass it on."""
    env = {name: value for name, value in os.environ.items() if name != "XDG_RUNTIME_DIR"}
    ran = subprocess.run(
        [
            sys.executable,
            "-W",
            "default",
            "-c",
            "from warehouse.database import _embedded_postgres; _embedded_postgres()",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert ran.returncode == 0, ran.stderr
    assert "XDG_RUNTIME_DIR" not in ran.stderr


def test_a_taken_port_fails_in_one_line(tmp_path):
    """Another server (another checkout's warehouse) on WAREHOUSE_PORT: one line naming the
    port and the remedy, no traceback."""
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        env = {name: value for name, value in os.environ.items() if name not in VARIABLES}
        env.update(WAREHOUSE_HOME=str(tmp_path / "home"), WAREHOUSE_PORT=str(port))
        ran = make_run(env)
    assert ran.returncode == 1
    lines = ran.stderr.strip().splitlines()
    assert len(lines) == 1, ran.stderr
    assert f"127.0.0.1:{port}" in lines[0] and "WAREHOUSE_PORT" in lines[0]
