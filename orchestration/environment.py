"""Point every process (Dagster, dbt, loaders) at the same warehouse and Dagster storage.

Entry points (`make run`, `make ui`, `make docs`, the code server) call `prepare_environment`
first: it starts the embedded Postgres unless WAREHOUSE_DSN is set, and exports what the
processes they start read: the DSN, Dagster's storage and home, and the WAREHOUSE_DB_*
variables of `dbt_project/profiles.yml`.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from psycopg.conninfo import conninfo_to_dict

from warehouse.database import as_url, connection_env, dagster_storage_dsn, warehouse_dsn
from warehouse.settings import PROJECT_ROOT, Settings, export_environment, settings_file
from warehouse.spark import spark_env

ROOT = PROJECT_ROOT
DAGSTER_YAML = ROOT / "dagster.yaml"


def process_environment(settings: Settings) -> dict[str, str]:
    """WAREHOUSE_DSN, WAREHOUSE_DB_*, WAREHOUSE_SPARK_*, DAGSTER_POSTGRES_URL and DAGSTER_HOME
    for `settings`."""
    # dagster-postgres speaks psycopg2; SQLAlchemy 2.1 would pick psycopg 3 for a bare URL.
    dagster_url = as_url(dagster_storage_dsn(settings)).replace(
        "postgresql://", "postgresql+psycopg2://", 1
    )
    dsn = warehouse_dsn(settings)
    dagster_home = settings.dagster_home_path
    dagster_home.mkdir(parents=True, exist_ok=True)
    # Dagster reads dagster.yaml from DAGSTER_HOME; the repository's copy is the one to edit.
    shutil.copyfile(DAGSTER_YAML, Path(dagster_home) / "dagster.yaml")
    return {
        "WAREHOUSE_DSN": dsn,
        "DAGSTER_POSTGRES_URL": dagster_url,
        "DAGSTER_HOME": str(dagster_home),
        **connection_env(dsn),
        # the Spark targets' variables (read only when WAREHOUSE_ENGINE=spark)
        **spark_env(settings),
    }


def run_tags(settings: Settings) -> dict[str, str]:
    """What a run reads, shown on it in the UI (no secrets): the sources, the database, and the
    settings file the settings came from."""
    if settings.dsn:
        parts = conninfo_to_dict(settings.dsn)
        database = f"{parts.get('host') or 'localhost'}:{parts.get('port') or 5432}"
        database += f"/{parts.get('dbname') or ''}"
    else:
        database = f"embedded under {settings.home}"
    return {
        "warehouse/sources": settings.sources.root or "official URLs",
        "warehouse/database": database,
        "warehouse/settings_file": str(settings_file()),
    }


def prepare_environment(settings: Settings | None = None) -> Settings:
    """Exports `process_environment`; returns the settings as the started processes see them."""
    settings = settings or Settings.from_env()
    export_environment(process_environment(settings))
    return Settings.from_env()
