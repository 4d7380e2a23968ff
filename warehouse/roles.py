"""The read-only role BI tools connect as: `bi_reader` may SELECT from `marts` and `history`
(views over the raw tables' versions and the build log), nothing else.

Idempotent; run after dbt builds the marts (Dagster's `roles/bi_reader` asset does, and
`python -m warehouse.roles` does by hand). Default privileges cover tables the warehouse user
creates in `marts` later, so a rebuilt mart stays readable. The role can log in only when
WAREHOUSE_BI_READER_PASSWORD is set; its password is never read from anywhere else.
"""

from __future__ import annotations

import psycopg
from psycopg import sql

BI_READER = "bi_reader"
READABLE_SCHEMA = "marts"
HISTORY_SCHEMA = "history"  # views the warehouse user owns: they read raw and meta for the role
PRIVATE_SCHEMAS = ("raw", "staging", "meta")
PASSWORD_VARIABLE = "WAREHOUSE_BI_READER_PASSWORD"


def ensure_bi_reader(dsn: str, password: str | None, *, role: str = BI_READER) -> bool:
    """Create or update `role`; returns whether it can log in (only with a `password`)."""
    name = sql.Identifier(role)
    marts = sql.Identifier(READABLE_SCHEMA)
    with psycopg.connect(dsn) as conn, conn.transaction():
        # Roles are shared by every database on the server: serialize concurrent creators.
        conn.execute("select pg_advisory_xact_lock(hashtext('bi_reader role'))")
        exists = conn.execute("select 1 from pg_roles where rolname = %s", [role]).fetchone()
        if not exists:
            conn.execute(sql.SQL("create role {} nologin").format(name))
        if password:
            conn.execute(
                sql.SQL("alter role {} login password {}").format(name, sql.Literal(password))
            )
        else:
            conn.execute(sql.SQL("alter role {} nologin password null").format(name))
        conn.execute(sql.SQL("alter role {} set default_transaction_read_only = on").format(name))
        database = sql.Identifier(conn.execute("select current_database()").fetchone()[0])
        conn.execute(sql.SQL("grant connect on database {} to {}").format(database, name))
        for schema in _existing(conn, PRIVATE_SCHEMAS):
            private = sql.Identifier(schema)
            conn.execute(sql.SQL("revoke all on schema {} from {}").format(private, name))
            conn.execute(
                sql.SQL("revoke all on all tables in schema {} from {}").format(private, name)
            )
        for readable in (marts, sql.Identifier(HISTORY_SCHEMA)):
            _grant_select(conn, readable, name)
    return bool(password)


def _grant_select(conn: psycopg.Connection, schema: sql.Identifier, role: sql.Identifier) -> None:
    conn.execute(sql.SQL("create schema if not exists {}").format(schema))
    conn.execute(sql.SQL("revoke create on schema {} from {}").format(schema, role))
    conn.execute(sql.SQL("grant usage on schema {} to {}").format(schema, role))
    conn.execute(sql.SQL("revoke all on all tables in schema {} from {}").format(schema, role))
    conn.execute(sql.SQL("grant select on all tables in schema {} to {}").format(schema, role))
    # Tables and views the current user (the one dbt and the loaders connect as) creates there
    # from now on.
    conn.execute(
        sql.SQL("alter default privileges in schema {} grant select on tables to {}").format(
            schema, role
        )
    )


def _existing(conn: psycopg.Connection, schemas: tuple[str, ...]) -> list[str]:
    rows = conn.execute(
        "select nspname from pg_namespace where nspname = any(%s)", [list(schemas)]
    ).fetchall()
    return [row[0] for row in rows]


if __name__ == "__main__":
    from warehouse.database import warehouse_dsn
    from warehouse.settings import Settings

    settings = Settings.from_env()
    can_login = ensure_bi_reader(warehouse_dsn(settings), settings.bi_reader_password)
    login = "on" if can_login else "off"
    print(f"{BI_READER}: SELECT on {READABLE_SCHEMA} and {HISTORY_SCHEMA} only; login {login}")
