"""`make stop` and `make clean`'s guard: what `make ui` and `make run` started, found through
the pid files they write under WAREHOUSE_HOME, and the embedded Postgres.

    python -m warehouse.control stop    # stop the UI (webserver, daemon), a run, the database
    python -m warehouse.control check   # exit 1, saying what, while any of them runs
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
from pathlib import Path

from warehouse.database import running_embedded, stop_embedded
from warehouse.settings import Settings

# Processes that write a pid file: `make ui` (its pid stays Dagster's after exec) and `make run`.
PROCESSES = ("ui", "run")


def pid_file(settings: Settings, name: str) -> Path:
    return settings.home.resolve() / f"{name}.pid"


def write_pid(settings: Settings, name: str) -> Path:
    """Record this process as `name` (called by the entry point itself)."""
    path = pid_file(settings, name)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"{os.getpid()}\n")
    return path


def running_pid(settings: Settings, name: str) -> int | None:
    """The pid in `name`'s pid file if that process still runs; a stale file is removed."""
    path = pid_file(settings, name)
    try:
        pid = int(path.read_text().strip())
        os.kill(pid, 0)
    except (OSError, ValueError):
        path.unlink(missing_ok=True)
        return None
    return pid


def stop_process(pid: int, grace_seconds: float = 20) -> None:
    """SIGINT (what Ctrl-C sends: Dagster stops its webserver and daemon), then SIGKILL to it
    and every process it started that is left after `grace_seconds`."""
    import psutil

    try:
        process = psutil.Process(pid)
        family = [process, *process.children(recursive=True)]
        process.send_signal(signal.SIGINT)
    except psutil.NoSuchProcess:
        return
    _, alive = psutil.wait_procs(family, timeout=grace_seconds)
    for left in alive:
        with contextlib.suppress(psutil.NoSuchProcess):
            left.kill()
    psutil.wait_procs(alive, timeout=5)


def running(settings: Settings) -> list[str]:
    """What still runs, one phrase each."""
    found = [
        f"`make {name}` (pid {pid})" for name in PROCESSES if (pid := running_pid(settings, name))
    ]
    info = running_embedded(settings)
    if info is not None:
        found.append(f"the warehouse database (pid {info.pid}, {info.pgdata})")
    return found


def stop(settings: Settings) -> list[str]:
    """Stop everything `running` finds; returns what was stopped."""
    stopped = []
    for name in PROCESSES:
        pid = running_pid(settings, name)
        if pid:
            stop_process(pid)
            pid_file(settings, name).unlink(missing_ok=True)
            stopped.append(f"`make {name}` (pid {pid})")
    if stop_embedded(settings):
        stopped.append("the warehouse database")
    return stopped


def main(argv: list[str]) -> int:
    settings = Settings.from_env()
    if argv == ["stop"]:
        stopped = stop(settings)
        print(f"Stopped {', '.join(stopped)}." if stopped else "Nothing was running.")
        return 0
    if argv == ["check"]:
        found = running(settings)
        if found:
            print(f"Refusing: {', '.join(found)} still running; `make stop` first.")
            return 1
        return 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
