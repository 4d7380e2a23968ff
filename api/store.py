"""The marts as the read-only `bi_reader` role sees them: their columns (the catalog), when
each was last built, and pages of rows. Identifiers in a query are checked against the catalog
and quoted; every value is a bound parameter: nothing from a request becomes SQL text."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

import psycopg
from psycopg import sql
from psycopg.conninfo import make_conninfo

from api.catalog import MARTS_SCHEMA, Mart
from warehouse.roles import BI_READER, HISTORY_SCHEMA
from warehouse.settings import Settings

# When each mart last built: written by dbt's hooks (dbt_project/macros/build_log.sql).
BUILDS_VIEW = f"{HISTORY_SCHEMA}.mart_builds"


class Unavailable(RuntimeError):
    """The warehouse cannot answer now: missing, unreachable, or not built yet (503)."""

    def __init__(self, reason: str, retry_after: int | None = None):
        super().__init__(reason)
        self.reason = reason
        self.retry_after = retry_after


@dataclass(frozen=True)
class Build:
    """The last successful build of one mart: what ETag and Last-Modified are made of."""

    invocation_id: str
    finished_at: datetime


@dataclass(frozen=True)
class Filters:
    geo_level: str | None = None
    geo_ids: tuple[str, ...] = ()
    start_date: date | None = None
    end_date: date | None = None


def reader_dsn(dsn: str, password: str | None) -> tuple[str, bool]:
    """How to connect as bi_reader: with its password when it can log in, else as the
    warehouse's user then `set role` (which needs a superuser or a member of the role).
    Returns (dsn, whether to `set role`)."""
    if password:
        return make_conninfo(dsn, user=BI_READER, password=password), False
    return dsn, True


class Store:
    def __init__(self, settings: Settings, dsn: str):
        self.dsn, self.set_role = reader_dsn(dsn, settings.bi_reader_password)

    def connect(self) -> psycopg.Connection:
        try:
            conn = psycopg.connect(self.dsn, connect_timeout=10, application_name="api")
        except psycopg.OperationalError as error:
            raise Unavailable(f"cannot reach the warehouse: {error}".strip()) from error
        try:
            if self.set_role:
                conn.execute(sql.SQL("set role {}").format(sql.Identifier(BI_READER)))
            conn.execute("set default_transaction_read_only = on")
            conn.commit()
        except psycopg.Error as error:
            conn.close()
            raise Unavailable(
                f"cannot act as the {BI_READER} role ({error.diag.message_primary}): run "
                "`make run` to build the warehouse and create the role"
            ) from error
        return conn

    def builds(self, conn: psycopg.Connection) -> dict[str, Build]:
        """The last successful build of every mart that has one."""
        if conn.execute("select to_regclass(%s)", [BUILDS_VIEW]).fetchone()[0] is None:
            raise Unavailable("the warehouse has not been built yet: run `make run`")
        rows = conn.execute(
            f"select model, invocation_id, finished_at from {BUILDS_VIEW} "
            "where status = 'success' and schema_name = %s",
            [MARTS_SCHEMA],
        ).fetchall()
        return {model: Build(invocation, finished) for model, invocation, finished in rows}

    def running_since(self, conn: psycopg.Connection) -> datetime | None:
        row = conn.execute(
            f"select min(started_at) from {HISTORY_SCHEMA}.builds where status = 'running'"
        ).fetchone()
        return row[0]

    def column_types(self, conn: psycopg.Connection) -> dict[str, dict[str, str]]:
        """{mart: {column: Postgres type}} for the tables this role can read."""
        rows = conn.execute(
            """select table_name, column_name, data_type from information_schema.columns
               where table_schema = %s order by table_name, ordinal_position""",
            [MARTS_SCHEMA],
        ).fetchall()
        types: dict[str, dict[str, str]] = {}
        for table, column, kind in rows:
            types.setdefault(table, {})[column] = kind
        return types

    def page(
        self,
        conn: psycopg.Connection,
        mart: Mart,
        columns: Sequence[str],
        filters: Filters,
        limit: int,
        offset: int,
    ) -> tuple[list[tuple], bool]:
        """Rows `offset` .. `offset + limit` in the mart's grain order, and whether more follow.
        `columns` must already be checked against the catalog."""
        conditions, params = _conditions(mart, filters)
        query = sql.SQL(
            "select {columns} from {table} where {conditions} order by {order} "
            "limit %(limit)s offset %(offset)s"
        ).format(
            columns=sql.SQL(", ").join(map(sql.Identifier, columns)),
            table=sql.Identifier(MARTS_SCHEMA, mart.name),
            conditions=sql.SQL(" and ").join(conditions),
            order=sql.SQL(", ").join(map(sql.Identifier, mart.grain)),
        )
        rows = conn.execute(query, {**params, "limit": limit + 1, "offset": offset}).fetchall()
        return rows[:limit], len(rows) > limit


def _conditions(mart: Mart, filters: Filters) -> tuple[list[sql.Composable], dict]:
    conditions: list[sql.Composable] = [sql.SQL("true")]
    params: dict = {}
    if filters.geo_level is not None:
        params["geo_level"] = filters.geo_level
        if mart.geography_level:
            column = sql.Identifier(mart.geography_level)
            conditions.append(sql.SQL("{} = %(geo_level)s").format(column))
        else:  # every row has the same level
            params["fixed_level"] = mart.fixed_level
            conditions.append(sql.SQL("%(fixed_level)s::text = %(geo_level)s::text"))
    if filters.geo_ids:
        params["geo_ids"] = list(filters.geo_ids)
        column = sql.Identifier(mart.geography_id)
        conditions.append(sql.SQL("{}::text = any(%(geo_ids)s::text[])").format(column))
    if filters.start_date is not None:
        params["start_date"] = filters.start_date
        conditions.append(sql.SQL("{} >= %(start_date)s").format(sql.Identifier(mart.date)))
    if filters.end_date is not None:
        params["end_date"] = filters.end_date
        conditions.append(sql.SQL("{} <= %(end_date)s").format(sql.Identifier(mart.date)))
    return conditions, params
