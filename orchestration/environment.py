"""Point every process (Dagster, dbt, loaders) at the same warehouse and Dagster storage.

Called once by `make run`, `make ui` and `make docs` before anything else starts: it starts the
embedded Postgres unless WAREHOUSE_DSN is set, and exports the variables the rest reads.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from loaders.database import (
    as_url,
    connection_env,
    dagster_storage_dsn,
    warehouse_dsn,
    warehouse_home,
)

ROOT = Path(__file__).resolve().parents[1]
DAGSTER_YAML = ROOT / "dagster.yaml"


def prepare_environment() -> dict[str, str]:
    """Exports WAREHOUSE_DSN, WAREHOUSE_DB_*, DAGSTER_POSTGRES_URL, DAGSTER_HOME; returns them."""
    # dagster-postgres speaks psycopg2; SQLAlchemy 2.1 would pick psycopg 3 for a bare URL.
    dagster_url = as_url(dagster_storage_dsn()).replace(
        "postgresql://", "postgresql+psycopg2://", 1
    )
    dsn = warehouse_dsn()
    dagster_home = Path(os.environ.get("DAGSTER_HOME") or warehouse_home() / "dagster_home")
    dagster_home.mkdir(parents=True, exist_ok=True)
    # Dagster reads dagster.yaml from DAGSTER_HOME; the repository's copy is the one to edit.
    shutil.copyfile(DAGSTER_YAML, dagster_home / "dagster.yaml")
    exported = {
        "WAREHOUSE_DSN": dsn,
        "DAGSTER_POSTGRES_URL": dagster_url,
        "DAGSTER_HOME": str(dagster_home.resolve()),
        **connection_env(dsn),
    }
    os.environ.update(exported)
    return exported
