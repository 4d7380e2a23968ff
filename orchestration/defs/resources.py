"""Resources: the warehouse connection and the dbt CLI."""

from __future__ import annotations

import os

import dagster as dg
from dagster_dbt import DbtCliResource

from loaders.database import connection_env
from orchestration.defs.project import dbt_project


class Warehouse(dg.ConfigurableResource):
    """The Postgres warehouse; the DSN comes from the environment only."""

    dsn: str

    def setup_for_execution(self, context: dg.InitResourceContext) -> None:
        # dbt's profiles.yml reads the connection from WAREHOUSE_DB_* variables.
        os.environ.update(connection_env(self.dsn))


def resources() -> dict:
    return {
        "warehouse": Warehouse(dsn=dg.EnvVar("WAREHOUSE_DSN")),
        "dbt": DbtCliResource(project_dir=dbt_project),
    }
