import subprocess
import sys
import time

from tests.processes import start_server, stop

IGNORES_SIGTERM = (
    "import signal, subprocess, sys, time\n"
    "signal.signal(signal.SIGTERM, signal.SIG_IGN)\n"
    "child = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(600)'])\n"
    "print(child.pid, flush=True)\n"
    "time.sleep(600)\n"
)


def _alive(pid: int) -> bool:
    return subprocess.run(["kill", "-0", str(pid)], capture_output=True).returncode == 0


def test_stop_kills_a_server_that_ignores_sigterm_and_its_children():
    server = start_server([sys.executable, "-c", IGNORES_SIGTERM], stdout=subprocess.PIPE)
    child = int(server.stdout.readline())
    started = time.monotonic()
    code = stop(server, grace_seconds=1)
    assert code == -9
    assert time.monotonic() - started < 20
    deadline = time.monotonic() + 10
    while _alive(child) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _alive(child)
    server.stdout.close()


def test_stop_returns_at_once_for_a_process_that_already_exited():
    server = start_server([sys.executable, "-c", "pass"])
    server.wait(timeout=30)
    assert stop(server) == 0
