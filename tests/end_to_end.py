"""One end-to-end build of the marts from the real mirror, shared by the Dagster tests
(tests/orchestration/) and the mart tests (tests/dbt_project/marts/) through the session
fixture `built_warehouse` (tests/conftest.py), and the helpers they read it with."""

from __future__ import annotations

import functools

import dagster as dg
import pandas as pd
import psycopg
import pytest

from orchestration.defs.project import prepare_manifest
from warehouse.database import connection_env

# Every mart and everything upstream of it: the real files, seeds, staging and intermediate models.
E2E_SELECTION = dg.AssetSelection.key_prefixes(["marts"]).upstream()


@functools.cache
def parse_dbt_project() -> None:
    """Parse the dbt project once per session, before the definitions are imported, so the
    asset graph reflects the models on disk rather than a manifest left by an earlier run."""
    prepare_manifest()


def build_warehouse(postgres_server: str, shared_data) -> tuple[str, dg.ExecuteInProcessResult]:
    """Run the marts and their upstream from the folder mirror (an HTTP mirror cannot list
    folders, and some of the mirror's files are absent: the loaders leave their tables empty);
    returns (dsn, result)."""
    parse_dbt_project()
    # The manifest names relations "warehouse"."marts"...; dagster-dbt counts rows through it.
    name = "warehouse"
    with psycopg.connect(postgres_server, autocommit=True) as conn:
        conn.execute(f"drop database if exists {name} with (force)")
        conn.execute(f"create database {name}")
    dsn = psycopg.conninfo.make_conninfo(postgres_server, dbname=name)
    with pytest.MonkeyPatch.context() as patch:
        warehouse_environment(patch, dsn)
        patch.setenv("WAREHOUSE_SOURCES", str(shared_data))
        from orchestration.definitions import defs
        from orchestration.defs.resources import resources

        with dg.DagsterInstance.ephemeral() as instance:
            result = dg.materialize(
                defs.assets,
                selection=E2E_SELECTION,
                resources=resources(),
                instance=instance,
                raise_on_error=False,
            )
    return dsn, result


def warehouse_environment(patch: pytest.MonkeyPatch, dsn: str) -> None:
    """What `make run` exports for its processes: the DSN, and dbt's connection variables."""
    patch.setenv("WAREHOUSE_DSN", dsn)
    for name, value in connection_env(dsn).items():
        patch.setenv(name, value)


def query(dsn, sql, params=None) -> pd.DataFrame:
    with psycopg.connect(dsn) as conn:
        cursor = conn.execute(sql, params)
        return pd.DataFrame(cursor.fetchall(), columns=[d.name for d in cursor.description])
