"""`make ui`: Dagster UI and daemon on http://127.0.0.1:3000, over the storage `make run` used."""

import os
import shutil
import sys

from orchestration.environment import ROOT, prepare_environment

HOST = os.environ.get("DAGSTER_UI_HOST", "127.0.0.1")
PORT = os.environ.get("DAGSTER_UI_PORT", "3000")


def main() -> None:
    prepare_environment()
    dagster = shutil.which("dagster") or os.path.join(os.path.dirname(sys.executable), "dagster")
    print(f"Dagster UI on http://{HOST}:{PORT} (webserver and daemon; Ctrl-C stops both)")
    os.chdir(ROOT)
    os.execv(
        dagster,
        [dagster, "dev", "-m", "orchestration.definitions", "--host", HOST, "--port", PORT],
    )


if __name__ == "__main__":
    main()
