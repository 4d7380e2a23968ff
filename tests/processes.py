"""Stopping what a test started, within a bound, so a slow machine cannot hang the suite."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess


def start_server(command: list[str], **kwargs) -> subprocess.Popen:
    """Start `command` in its own process group, so `stop` reaches the children it starts."""
    return subprocess.Popen(command, start_new_session=True, **kwargs)


def stop(process: subprocess.Popen, grace_seconds: float = 10) -> int:
    """SIGTERM the process group, SIGKILL it if it has not exited after `grace_seconds`;
    returns the exit code. Never waits unbounded."""
    for sig, wait_seconds in ((signal.SIGTERM, grace_seconds), (signal.SIGKILL, 30)):
        with contextlib.suppress(ProcessLookupError):  # already gone (reaped below)
            os.killpg(process.pid, sig)
        try:
            return process.wait(timeout=wait_seconds)
        except subprocess.TimeoutExpired:
            continue
    raise RuntimeError(f"process {process.pid} survived SIGKILL for 30 s")
