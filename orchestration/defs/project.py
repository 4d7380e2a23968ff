"""The dbt project, built once. Its manifest is prepared by the entry points (`make run`,
`make ui`, the tests) before the definitions load: importing this module runs nothing."""

import hashlib
import sys
from importlib import metadata
from pathlib import Path

from dagster_dbt import DbtCliResource, DbtProject

from warehouse.database import connection_env
from warehouse.settings import Settings

DBT_PROJECT_DIR = Path(__file__).resolve().parents[2] / "dbt_project"
SEEDS_DIR = DBT_PROJECT_DIR.parent / "seeds"
# dbt installed beside this interpreter, found whether or not the venv is activated.
_BESIDE = Path(sys.executable).with_name("dbt")
DBT_EXECUTABLE = str(_BESIDE) if _BESIDE.exists() else "dbt"
_NOT_CODE = {"target", "dbt_packages", "logs"}

dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR)


def dbt_cli() -> DbtCliResource:
    return DbtCliResource(project_dir=dbt_project, dbt_executable=DBT_EXECUTABLE)


def code_version() -> str:
    """A hash of everything dbt reads to build the manifest: the project's files, the seeds,
    the dbt versions and the database name. Equal hashes mean the same manifest."""
    digest = hashlib.sha256()
    for package in ("dbt-core", "dbt-postgres", "dagster-dbt"):
        digest.update(f"{package}={metadata.version(package)}\n".encode())
    # The database name ends up in every relation_name; the other connection values only
    # matter when dbt connects.
    dsn = Settings.from_env().dsn
    digest.update(f"database={connection_env(dsn)['WAREHOUSE_DB_NAME'] if dsn else ''}\n".encode())
    for root in (DBT_PROJECT_DIR, SEEDS_DIR):
        for path in sorted(root.rglob("*")):
            relative = path.relative_to(root)
            if path.is_file() and relative.parts[0] not in _NOT_CODE:
                digest.update(f"{root.name}/{relative.as_posix()}\n".encode())
                digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def prepare_manifest() -> Path:
    """Parses the dbt project into target/manifest.json, which the definitions read, unless the
    manifest there was parsed from the same code (`code_version`) and nothing rewrote it since:
    a second `dbt parse` of an unchanged project costs seconds and changes nothing."""
    manifest = dbt_project.manifest_path
    stamp = manifest.with_name("manifest.code_version")
    version = code_version()
    if stamp.exists() and manifest.exists() and stamp.read_text() == _stamp(version, manifest):
        return manifest
    stamp.unlink(missing_ok=True)
    dbt_cli().cli(["parse", "--quiet"], target_path=Path("target")).wait()
    stamp.write_text(_stamp(version, manifest))
    return manifest


def _stamp(version: str, manifest: Path) -> str:
    # The manifest's own modification time: another `dbt parse` (or `dbt docs generate`) with
    # other settings rewrites it, and the next preparation parses again.
    stat = manifest.stat()
    return f"{version} {stat.st_mtime_ns} {stat.st_size}"
