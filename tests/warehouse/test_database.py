"""The embedded server: on its socket for the warehouse, on 127.0.0.1:WAREHOUSE_PORT for BI
tools, where only a role with a password (bi_reader) can log in."""

from __future__ import annotations

import socket

import psycopg
import pytest

from warehouse.database import bi_reader_uri, stop_embedded, warehouse_dsn
from warehouse.roles import ensure_bi_reader
from warehouse.settings import Settings


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def embedded(tmp_path):
    """An embedded warehouse under a temporary WAREHOUSE_HOME, stopped afterwards."""
    settings = Settings(home=tmp_path / "home", embedded_port=free_port())
    try:
        yield settings, warehouse_dsn(settings)
    finally:
        stop_embedded(settings)


def test_bi_tools_connect_over_tcp_as_bi_reader_and_read_marts_only(embedded):
    settings, dsn = embedded
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute("create schema marts")
        conn.execute("create table marts.fct_example as select 1 as day, 42 as cases")
        conn.execute("create schema raw")
        conn.execute("create table raw.example as select 1 as secret")
    ensure_bi_reader(dsn, "reader-pw")
    uri = bi_reader_uri(settings, dsn)
    assert uri == f"postgresql://bi_reader@127.0.0.1:{settings.embedded_port}/warehouse"

    with psycopg.connect(uri, password="reader-pw") as conn:
        assert conn.execute("select cases from marts.fct_example").fetchall() == [(42,)]
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("select * from raw.example")
    with pytest.raises(psycopg.OperationalError, match="password"):
        psycopg.connect(uri, password="wrong").close()
    # The superuser has no password: it cannot log in over TCP, only on the socket.
    with pytest.raises(psycopg.OperationalError):
        psycopg.connect(
            f"postgresql://postgres@127.0.0.1:{settings.embedded_port}/warehouse", password="x"
        ).close()


def test_the_port_is_a_setting_and_a_busy_port_is_named(tmp_path):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        settings = Settings(home=tmp_path / "home", embedded_port=busy.getsockname()[1])
        with pytest.raises(RuntimeError, match="WAREHOUSE_PORT"):
            warehouse_dsn(settings)
    assert Settings.from_env({"WAREHOUSE_PORT": "6543"}).embedded_port == 6543
