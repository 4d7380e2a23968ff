"""The dbt project, built once; its manifest is (re)parsed when missing or in `dagster dev`."""

import os
import shutil
import sys
from pathlib import Path

from dagster_dbt import DbtProject

DBT_PROJECT_DIR = Path(__file__).resolve().parents[2] / "dbt_project"

# dbt is installed beside this interpreter; make it findable when the venv is not activated.
if shutil.which("dbt") is None:
    os.environ["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"

# No colour codes in logs; no usage statistics sent (the machine may be offline).
os.environ.setdefault("DBT_USE_COLORS", "false")
os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
# A partial run tests only what it built: a test runs when all the models it reads were built.
os.environ.setdefault("DBT_INDIRECT_SELECTION", "cautious")

dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR)
if dbt_project.manifest_path.exists():
    dbt_project.prepare_if_dev()
else:
    dbt_project.preparer.prepare(dbt_project)
