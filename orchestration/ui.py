"""`make ui`: Dagster UI and daemon on http://127.0.0.1:3000, over the storage `make run` used."""

import os
import shutil
import sys

from orchestration.defs.project import prepare_manifest
from orchestration.environment import ROOT, prepare_environment
from warehouse.control import write_pid
from warehouse.database import DatabaseUnreachable


def main() -> None:
    try:
        settings = prepare_environment()
    except DatabaseUnreachable as error:
        sys.exit(str(error))
    prepare_manifest()
    dagster = shutil.which("dagster") or os.path.join(os.path.dirname(sys.executable), "dagster")
    host, port = settings.ui_host, str(settings.ui_port)
    write_pid(settings, "ui")  # the same pid after exec: `make stop` finds Dagster through it
    print(f"Dagster UI on http://{host}:{port} (webserver and daemon; Ctrl-C stops both)")
    os.chdir(ROOT)
    os.execv(
        dagster,
        [dagster, "dev", "-m", "orchestration.definitions", "--host", host, "--port", port],
    )


if __name__ == "__main__":
    main()
