"""`make docs`: generate the dbt docs for the warehouse and serve them on http://127.0.0.1:8080."""

import os
import subprocess
import sys
from pathlib import Path

from orchestration.environment import ROOT, prepare_environment

HOST = os.environ.get("DBT_DOCS_HOST", "127.0.0.1")
PORT = os.environ.get("DBT_DOCS_PORT", "8080")


def main() -> int:
    prepare_environment()
    dbt = str(Path(sys.executable).parent / "dbt")
    project = ROOT / "dbt_project"
    generated = subprocess.run([dbt, "docs", "generate"], cwd=project)
    if generated.returncode != 0:
        return generated.returncode
    print(f"dbt docs on http://{HOST}:{PORT} (Ctrl-C stops)")
    serve = [dbt, "docs", "serve", "--host", HOST, "--port", PORT, "--no-browser"]
    return subprocess.run(serve, cwd=project).returncode


if __name__ == "__main__":
    sys.exit(main())
