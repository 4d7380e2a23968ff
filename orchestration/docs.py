"""`make docs`: generate the dbt docs for the warehouse and serve them on http://127.0.0.1:8080.

The docs read the warehouse's catalog (column types, row counts) and the project's YAML
(descriptions, tests, exposures: the report and BI dashboards that read the marts).
"""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

from orchestration.environment import ROOT, prepare_environment
from warehouse.database import DatabaseUnreachable

DBT_PROJECT = ROOT / "dbt_project"


def dbt_command(*args: str, target_path: Path | None = None) -> list[str]:
    dbt = str(Path(sys.executable).parent / "dbt")
    target = ["--target-path", str(target_path)] if target_path else []
    return [dbt, *args, *target]


def generate_command(target_path: Path | None = None) -> list[str]:
    return dbt_command("docs", "generate", target_path=target_path)


def serve_command(host: str, port: str | int, target_path: Path | None = None) -> list[str]:
    """Serves the generated site; binds `host` only (127.0.0.1 unless DBT_DOCS_HOST says)."""
    args = ("docs", "serve", "--host", host, "--port", str(port), "--no-browser")
    return dbt_command(*args, target_path=target_path)


def main() -> int:
    try:
        try:
            settings = prepare_environment()
        except DatabaseUnreachable as error:
            print(error, file=sys.stderr)
            return 1
        host, port = settings.docs_host, settings.docs_port
        generated = _run(generate_command())
        if generated != 0:
            return generated
        print(f"dbt docs on http://{host}:{port} (Ctrl-C stops)", flush=True)
        return _run(serve_command(host, port))
    except KeyboardInterrupt:
        print("\nStopped the dbt docs.")
        return 130


def _run(command: list[str]) -> int:
    """Runs dbt in a session of its own, so Ctrl-C reaches this process only: dbt is then
    stopped here, quietly, instead of printing its traceback."""
    process = None
    try:
        # A Ctrl-C while the process is being started waits until `process` is set: else it
        # would interrupt Popen after the fork and leave dbt running in its own session.
        interrupts = []
        previous = signal.signal(signal.SIGINT, lambda *_: interrupts.append(True))
        try:
            process = subprocess.Popen(command, cwd=DBT_PROJECT, start_new_session=True)
        finally:
            signal.signal(signal.SIGINT, previous)
        if interrupts:
            raise KeyboardInterrupt
        return process.wait()
    except KeyboardInterrupt:
        if process is not None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        raise


if __name__ == "__main__":
    sys.exit(main())
