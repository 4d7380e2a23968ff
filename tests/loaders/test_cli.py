"""`python -m loaders` when things go wrong: one line per failure, naming the table and the
server or the source, no traceback; what a load waits for and what it did not load, said."""

import re
import threading

import psycopg
import pytest
from psycopg.conninfo import conninfo_to_dict

from loaders.__main__ import main
from loaders.core import fetch as fetch_module
from loaders.core import land
from tests.loaders.core.test_fetch import closed_port

US = "date,cases,deaths\n2020-03-01,1,0\n2020-03-02,4,1\n"
STATES = "date,state,fips,cases,deaths\n2020-03-11,Delaware,10,1,0\n"


def run(capsys, *tables: str) -> tuple[int, list[str], list[str]]:
    """The exit code, the lines on stdout and the lines on stderr."""
    code = main(list(tables))
    out, err = capsys.readouterr()
    return code, out.splitlines(), err.splitlines()


def query(dsn: str, statement: str) -> list[tuple]:
    with psycopg.connect(dsn) as conn:
        return conn.execute(statement).fetchall()


def test_an_unreachable_database_is_one_line_naming_the_table_and_the_server(capsys, monkeypatch):
    port = closed_port()
    monkeypatch.setenv("WAREHOUSE_DSN", f"postgresql://loader:secret@127.0.0.1:{port}/warehouse")
    code, out, err = run(capsys, "nyt_covid__us", "nyt_covid__us_states", "nyt_covid__us_counties")

    assert code == 1 and out == []
    [line] = err
    assert line.startswith(
        f"load failed: nyt_covid__us: cannot use the warehouse database at 127.0.0.1:{port}/"
        "warehouse (connection failed: "
    )
    assert line.endswith("; check WAREHOUSE_DSN (2 more tables not tried)")
    assert "secret" not in line


def test_a_database_lost_during_a_load_is_one_line_and_the_ledger_says_failed(
    capsys, monkeypatch, dsn, mirror
):
    """Every connection of the load is cut while it copies rows (as when the server stops);
    the process can still reach the server, so the ledger row says why, not 'running'."""
    monkeypatch.setenv("WAREHOUSE_DSN", dsn)
    mirror.put("nyt_covid", "us.csv", US)
    copy = land._copy

    def cut_connections(parsing, lander, landed):
        with psycopg.connect(dsn, autocommit=True) as admin:
            admin.execute(
                "select pg_terminate_backend(pid) from pg_stat_activity "
                "where application_name = 'loaders nyt_covid__us'"
            )
        return copy(parsing, lander, landed)

    monkeypatch.setattr(land, "_copy", cut_connections)
    code, out, err = run(capsys, "nyt_covid__us")

    parts = conninfo_to_dict(dsn)  # the test server listens on a socket in its data folder
    server = f"the socket in {parts['host']}:{parts.get('port') or 5432}/{parts['dbname']}"
    assert code == 1 and out == []
    [line] = err
    assert line.startswith(
        f"load failed: nyt_covid__us: cannot use the warehouse database at {server} during the "
        "load; nothing of it was written ("
    )
    assert "Traceback" not in line
    [(status, error)] = query(dsn, "select status, error from meta.load_log")
    assert (status, error) == ("failed", line.removeprefix("load failed: "))
    assert query(dsn, "select count(*) from raw.nyt_covid__us") == [(0,)]


def test_a_host_that_does_not_resolve_is_one_line_per_source_and_tried_once(
    capsys, monkeypatch, dsn
):
    monkeypatch.setenv("WAREHOUSE_DSN", dsn)
    monkeypatch.setenv("WAREHOUSE_SOURCES", "http://warehouse-test.invalid/mirror")
    monkeypatch.setenv("WAREHOUSE_HTTP_BACKOFF", "5")  # a retry would show in the attempts
    sent = []
    real_get = fetch_module.requests.get
    monkeypatch.setattr(
        fetch_module.requests, "get", lambda url, **kw: sent.append(url) or real_get(url, **kw)
    )
    code, out, err = run(capsys, "nyt_covid__us", "nyt_covid__us_states", "phac_canada__covid19")

    assert code == 1 and out == []
    assert sent == [
        "http://warehouse-test.invalid/mirror/nyt_covid/us.csv",
        "http://warehouse-test.invalid/mirror/phac_canada/covid19.csv",
    ]
    assert len(err) == 2
    remedy = (
        "not retried; check the mirror WAREHOUSE_SOURCES=http://warehouse-test.invalid/mirror, "
        "or unset it to use the official URL"
    )
    assert err[0].startswith(
        "nyt_covid: load failed: cannot fetch http://warehouse-test.invalid/mirror/nyt_covid/"
        "us.csv: could not connect ("
    )
    assert err[0].endswith(f"{remedy} (1 more table not tried)")
    assert err[1].startswith("phac_canada: load failed: cannot fetch ")
    assert err[1].endswith(remedy)


def test_an_unknown_column_is_printed_not_only_stored(capsys, monkeypatch, dsn, mirror):
    monkeypatch.setenv("WAREHOUSE_DSN", dsn)
    mirror.put("nyt_covid", "us.csv", "date,cases,deaths,note\n2020-03-01,1,0,x\n2020-03-02,4,1,\n")
    code, out, err = run(capsys, "nyt_covid__us")

    assert code == 0 and len(out) == 1 and out[0].split()[:2] == ["nyt_covid__us", "succeeded"]
    assert err == [
        "nyt_covid__us: us.csv has columns the contract does not know (not loaded): note"
    ]
    assert query(dsn, "select extra_columns from meta.load_log") == [(["note"],)]


def test_a_load_waiting_for_another_load_of_its_table_says_so(capsys, monkeypatch, dsn, mirror):
    monkeypatch.setenv("WAREHOUSE_DSN", dsn)
    mirror.put("nyt_covid", "us-states.csv", STATES)
    other = psycopg.connect(dsn, application_name="loaders nyt_covid__us_states")
    other.execute("select pg_advisory_xact_lock(hashtext('raw.nyt_covid__us_states'))")
    pid = other.info.backend_pid
    release = threading.Timer(1.0, other.rollback)  # the other load finishes after a second
    release.start()
    try:
        code, out, err = run(capsys, "nyt_covid__us_states")
    finally:
        release.join()
        other.close()

    assert code == 0 and out[0].split()[:2] == ["nyt_covid__us_states", "succeeded"]
    [waiting] = err
    assert re.fullmatch(
        rf"nyt_covid__us_states: waiting for another load of this table to finish \(process "
        rf"{pid}, loaders nyt_covid__us_states, since \d\d:\d\d:\d\d\)",
        waiting,
    )


@pytest.mark.parametrize("content", ["date,cases,deaths\n"], ids=["header only"])
def test_too_few_rows_fail_with_one_line(capsys, monkeypatch, dsn, mirror, content):
    monkeypatch.setenv("WAREHOUSE_DSN", dsn)
    mirror.put("nyt_covid", "us.csv", content)
    code, out, err = run(capsys, "nyt_covid__us")
    assert (code, out) == (1, [])
    assert err == [
        "nyt_covid__us: load failed: nyt_covid/us.csv: expected at least 1 data row, found 0; "
        "nothing was loaded"
    ]
    assert query(dsn, "select status from meta.load_log") == [("failed",)]
