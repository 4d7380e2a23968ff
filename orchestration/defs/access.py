"""The `bi_reader` role, (re)granted after the marts are built so BI tools can read them."""

import dagster as dg

from orchestration.defs.resources import Warehouse
from warehouse.roles import BI_READER, PASSWORD_VARIABLE, READABLE_SCHEMA, ensure_bi_reader

BI_READER_KEY = dg.AssetKey(["roles", BI_READER])


def bi_reader_asset(mart_keys: list[dg.AssetKey]) -> dg.AssetsDefinition:
    """Runs after every mart in `mart_keys`; grants cover tables created since the last run."""

    @dg.asset(
        key=BI_READER_KEY,
        group_name="marts",
        kinds={"postgres"},
        deps=mart_keys,
        description=(
            f"The read-only role BI tools connect as: SELECT on every table in "
            f"`{READABLE_SCHEMA}`, no access to `raw`, `staging` or `meta`, no writes. It can "
            f"log in only when {PASSWORD_VARIABLE} is set."
        ),
    )
    def _grant(
        context: dg.AssetExecutionContext, warehouse: dg.ResourceParam[Warehouse]
    ) -> dg.MaterializeResult:
        can_login = ensure_bi_reader(warehouse.dsn, warehouse.settings.bi_reader_password)
        context.log.info(f"{BI_READER}: SELECT on {READABLE_SCHEMA}; login {can_login}")
        return dg.MaterializeResult(
            metadata={"readable_schema": READABLE_SCHEMA, "can_log_in": can_login}
        )

    _grant.__name__ = BI_READER
    return _grant
