"""Resources: the warehouse (its settings and database) and the dbt CLI."""

from __future__ import annotations

import functools

from orchestration.defs.project import dbt_cli
from warehouse.database import warehouse_dsn
from warehouse.settings import Settings


class Warehouse:
    """What assets need: the settings, and the database they name (the embedded server is
    started on first use when no WAREHOUSE_DSN is set)."""

    def __init__(self, settings: Settings):
        self.settings = settings

    @functools.cached_property
    def dsn(self) -> str:
        return warehouse_dsn(self.settings)


def resources(settings: Settings | None = None) -> dict:
    return {"warehouse": Warehouse(settings or Settings.from_env()), "dbt": dbt_cli()}
