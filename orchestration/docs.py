"""`make docs`: generate the dbt docs for the warehouse and serve them on http://127.0.0.1:8080.

The docs read the warehouse's catalog (column types, row counts) and the project's YAML
(descriptions, tests, exposures: the report and BI dashboards that read the marts).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from orchestration.environment import ROOT, prepare_environment

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
    settings = prepare_environment()
    host, port = settings.docs_host, settings.docs_port
    generated = subprocess.run(generate_command(), cwd=DBT_PROJECT)
    if generated.returncode != 0:
        return generated.returncode
    print(f"dbt docs on http://{host}:{port} (Ctrl-C stops)")
    return subprocess.run(serve_command(host, port), cwd=DBT_PROJECT).returncode


if __name__ == "__main__":
    sys.exit(main())
