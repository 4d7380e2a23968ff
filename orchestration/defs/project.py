"""The dbt project, built once. Its manifest is prepared by the entry points (`make run`,
`make ui`, the tests) before the definitions load: importing this module runs nothing."""

import sys
from pathlib import Path

from dagster_dbt import DbtCliResource, DbtProject

DBT_PROJECT_DIR = Path(__file__).resolve().parents[2] / "dbt_project"
# dbt installed beside this interpreter, found whether or not the venv is activated.
_BESIDE = Path(sys.executable).with_name("dbt")
DBT_EXECUTABLE = str(_BESIDE) if _BESIDE.exists() else "dbt"

dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR)


def dbt_cli() -> DbtCliResource:
    return DbtCliResource(project_dir=dbt_project, dbt_executable=DBT_EXECUTABLE)


def prepare_manifest() -> Path:
    """Parses the dbt project into target/manifest.json, which the definitions read."""
    dbt_cli().cli(["parse", "--quiet"], target_path=Path("target")).wait()
    return dbt_project.manifest_path
