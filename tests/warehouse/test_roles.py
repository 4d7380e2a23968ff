"""`bi_reader` may SELECT from marts and nothing else: every other access is refused."""

import psycopg
import pytest
from psycopg import errors

from warehouse.roles import BI_READER, PASSWORD_VARIABLE, ensure_bi_reader
from warehouse.settings import Settings


@pytest.fixture
def warehouse(dsn):
    """Tiny tables in each schema, built by the owner before the role exists."""
    with psycopg.connect(dsn, autocommit=True) as conn:
        for schema in ("raw", "staging", "marts", "meta"):
            conn.execute(f"create schema {schema}")
            conn.execute(f"create table {schema}.things (id int, name text)")
            conn.execute(f"insert into {schema}.things values (1, '{schema} one')")
        conn.execute("create view staging.things_view as select * from staging.things")
    return dsn


def as_bi_reader(dsn: str, statement: str):
    """Run `statement` with bi_reader's privileges (SET ROLE from the owner's session)."""
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(f"set role {BI_READER}")
        cursor = conn.execute(statement)
        return cursor.fetchall() if cursor.description else None


def test_bi_reader_reads_marts_only_and_writes_nowhere(warehouse):
    assert ensure_bi_reader(warehouse, None) is False
    assert ensure_bi_reader(warehouse, None) is False  # idempotent

    assert as_bi_reader(warehouse, "select name from marts.things") == [("marts one",)]
    for table in ("raw.things", "staging.things", "staging.things_view", "meta.things"):
        with pytest.raises(errors.InsufficientPrivilege):
            as_bi_reader(warehouse, f"select * from {table}")
    for statement in (
        "insert into marts.things values (2, 'mine')",
        "update marts.things set name = 'changed'",
        "delete from marts.things",
        "truncate marts.things",
        "drop table marts.things",
        "create table marts.mine (id int)",
        "create table public.mine (id int)",
        "insert into raw.things values (2, 'mine')",
        "create table raw.mine (id int)",
        "create schema mine",
    ):
        with pytest.raises((errors.InsufficientPrivilege, errors.ReadOnlySqlTransaction)):
            as_bi_reader(warehouse, statement)


def test_marts_built_after_the_grant_are_readable(warehouse):
    ensure_bi_reader(warehouse, "")
    with psycopg.connect(warehouse, autocommit=True) as conn:
        # What dbt does for a table model: build beside, then swap in.
        conn.execute("create table marts.fct_new as select 42 as answer")
        conn.execute("drop table marts.things")
        conn.execute("create table marts.things as select 7 as id")
    assert as_bi_reader(warehouse, "select answer from marts.fct_new") == [(42,)]
    assert as_bi_reader(warehouse, "select id from marts.things") == [(7,)]


def test_login_only_with_a_password_from_the_environment(warehouse, monkeypatch):
    monkeypatch.setenv(PASSWORD_VARIABLE, "a-test-only-password")
    assert ensure_bi_reader(warehouse, Settings.from_env().bi_reader_password) is True
    login = psycopg.conninfo.make_conninfo(
        warehouse, user=BI_READER, password="a-test-only-password"
    )
    with psycopg.connect(login) as conn:
        assert conn.execute("select name from marts.things").fetchall() == [("marts one",)]
        # Logged in, the role's sessions are read-only too.
        assert conn.execute("show default_transaction_read_only").fetchone() == ("on",)

    monkeypatch.delenv(PASSWORD_VARIABLE)
    assert ensure_bi_reader(warehouse, Settings.from_env().bi_reader_password) is False
    with psycopg.connect(warehouse) as conn:
        can_login, password = conn.execute(
            "select rolcanlogin, rolpassword from pg_authid where rolname = %s", [BI_READER]
        ).fetchone()
    assert (can_login, password) == (False, None)


def test_history_views_read_raw_for_the_role_without_opening_raw(warehouse):
    """A view in `history` runs with its owner's rights: bi_reader reads raw through it only."""
    ensure_bi_reader(warehouse, None)
    with psycopg.connect(warehouse, autocommit=True) as conn:
        conn.execute("create view history.things as select id, name from raw.things")
    assert as_bi_reader(warehouse, "select name from history.things") == [("raw one",)]
    with pytest.raises(errors.InsufficientPrivilege):
        as_bi_reader(warehouse, "select * from raw.things")
    with pytest.raises((errors.InsufficientPrivilege, errors.ReadOnlySqlTransaction)):
        as_bi_reader(warehouse, "create view history.mine as select 1")
