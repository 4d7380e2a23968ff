"""Network faults against a local HTTP server, conditional GET, and the mirror's conventions
(a base URL or a folder, names with spaces, `<file>.gz` instead of `<file>`)."""

import dataclasses
import gzip
import socket
import time

import pytest

from loaders.core import fetch as fetch_module
from loaders.core.errors import LoadError
from loaders.core.load import load_table
from tests.loaders.core.http_server import Reply, ScriptedServer
from tests.loaders.core.lifecycle_spec import (
    GOOD,
    GOOD_ROWS,
    SPEC,
    current_rows,
    ledger,
    raw_table,
)
from warehouse.settings import HttpPolicy, Settings, SettingsError

TIMEOUT = 0.3
PATH = "/toy/readings.csv"


@pytest.fixture
def server(monkeypatch):
    """A scripted server used as the WAREHOUSE_SOURCES mirror, with a fast HTTP policy."""
    monkeypatch.setenv("WAREHOUSE_HTTP_TIMEOUT", str(TIMEOUT))
    monkeypatch.setenv("WAREHOUSE_HTTP_RETRIES", "2")
    monkeypatch.setenv("WAREHOUSE_HTTP_BACKOFF", "0.01")
    with ScriptedServer() as scripted:
        monkeypatch.setenv("WAREHOUSE_SOURCES", scripted.base_url)
        yield scripted


def failure_of(spec, dsn) -> str:
    with pytest.raises(LoadError) as failure:
        load_table(spec, dsn, Settings.from_env())
    return str(failure.value)


def test_a_server_error_is_retried_and_the_load_succeeds(dsn, server):
    server.route(PATH, Reply(status=500), Reply(status=503), Reply(body=GOOD.encode()))
    [result] = load_table(SPEC, dsn, Settings.from_env())
    assert (result.status, result.rows_loaded) == ("succeeded", 3)
    assert server.paths_requested() == [PATH] * 3
    assert current_rows(dsn) == GOOD_ROWS


def test_a_hang_past_the_read_timeout_fails_in_bounded_time(dsn, server):
    server.route(PATH, Reply(body=GOOD.encode(), hang_seconds=30))
    started = time.monotonic()
    message = failure_of(SPEC, dsn)
    elapsed = time.monotonic() - started

    url = server.url(PATH)
    assert message == (
        f"cannot fetch {url} after 3 attempts (no response within {TIMEOUT:g} s); check the "
        f"mirror WAREHOUSE_SOURCES={server.base_url}, or unset it to use the official URL"
    )
    assert 3 * TIMEOUT <= elapsed < 4.0  # the default policy would take minutes
    assert ledger(dsn, "status, error") == [("failed", message)]
    assert raw_table(dsn) == []


def test_a_truncated_body_is_retried_then_fails_and_nothing_is_written(dsn, server):
    body = GOOD.encode()
    server.route(PATH, Reply(body=body, declared_length=len(body) + 500))
    message = failure_of(SPEC, dsn)
    assert message.startswith(
        f"cannot fetch {server.url(PATH)} after 3 attempts (body cut short: received "
        f"{len(body)} of {len(body) + 500} bytes); "
    )
    assert server.paths_requested() == [PATH] * 3
    assert ledger(dsn, "status, rows_read, sha256") == [("failed", 0, None)]
    assert raw_table(dsn) == []


def test_a_stalled_body_says_how_many_bytes_had_arrived(dsn, server):
    body = GOOD.encode()
    server.route(PATH, Reply(body=body, stall_after=30))
    message = failure_of(SPEC, dsn)
    assert (
        f"(body stalled after 30 of {len(body)} bytes: nothing received for {TIMEOUT:g} s)"
        in message
    )
    assert raw_table(dsn) == []


def test_a_body_cut_short_without_content_length_fails_and_nothing_is_written(dsn, server):
    """The server closes the connection mid-line: the client cannot tell from HTTP, so the
    last line's missing newline (the publisher always writes one) fails the load."""
    first = GOOD.encode()
    cut = first.replace(b"2020-03-02,A,3,2.5", b"2020-03-02,A,7,1234.5") + b"2020-03-02,B,9,12"
    server.route(PATH, Reply(body=first), Reply(body=cut, send_length=False))
    spec = dataclasses.replace(
        SPEC, contract=dataclasses.replace(SPEC.contract, ends_with_newline=True)
    )
    load_table(spec, dsn, Settings.from_env())
    stored = raw_table(dsn)

    message = failure_of(spec, dsn)

    assert message == (
        "toy/readings.csv: expected the file to end with a newline, as this publisher's files "
        "do; found none: the file looks cut short (last line 5: '2020-03-02,B,9,12'); nothing "
        "was loaded"
    )
    assert raw_table(dsn) == stored  # not even the good lines before the cut one
    assert current_rows(dsn) == GOOD_ROWS
    assert ledger(dsn, "status, error") == [("succeeded", None), ("failed", message)]


def test_an_html_error_page_with_status_200_is_a_structural_failure(dsn, server):
    page = b"<html><head><title>Service unavailable</title></head></html>"
    server.route(PATH, Reply(body=page, headers={"Content-Type": "text/html"}))
    message = failure_of(SPEC, dsn)
    assert message == (
        "toy/readings.csv: expected CSV, found an HTML or XML page "
        "(starts '<html><head><title>Service unavailable</title></head></html>')"
    )
    assert server.paths_requested() == [PATH]  # not retried: the server answered
    assert ledger(dsn, "status") == [("failed",)]


VALIDATORS = {
    "etag": ({"ETag": '"v1"'}, {"If-None-Match": '"v1"'}),
    "last-modified": (
        {"Last-Modified": "Sun, 01 Mar 2020 12:00:00 GMT"},
        {"If-Modified-Since": "Sun, 01 Mar 2020 12:00:00 GMT"},
    ),
}


@pytest.mark.parametrize("validator", VALIDATORS)
def test_a_304_skips_the_file_cheaply_and_the_ledger_says_unchanged(dsn, server, validator):
    sent, condition = VALIDATORS[validator]
    server.route(PATH, Reply(body=GOOD.encode(), headers=sent, not_modified_if=condition))
    parsed = []

    def counting(frame):
        parsed.append(len(frame))
        return frame

    spec = dataclasses.replace(SPEC, reshape=counting)
    [first] = load_table(spec, dsn, Settings.from_env())
    calls_after_first = len(parsed)
    stored = raw_table(dsn)
    [second] = load_table(spec, dsn, Settings.from_env())
    [third] = load_table(
        spec, dsn, Settings.from_env()
    )  # the validator was carried forward by the 'unchanged' row

    assert [r.status for r in (first, second, third)] == ["succeeded", "unchanged", "unchanged"]
    assert len(parsed) == calls_after_first  # nothing parsed after the first load
    assert [r.headers.get(name) for r in server.requests for name in condition] == [
        None,
        *condition.values(),
        *condition.values(),
    ]
    assert raw_table(dsn) == stored
    [(sha256,)] = ledger(dsn, "sha256")[:1]
    assert ledger(dsn, "status, sha256, bytes, rows_read") == [
        ("succeeded", sha256, len(GOOD), 3),
        ("unchanged", sha256, len(GOOD), 0),
        ("unchanged", sha256, len(GOOD), 0),
    ]


def test_a_base_url_mirror_reads_names_with_spaces_and_falls_back_to_gz(dsn, server):
    spaced = dataclasses.replace(SPEC, name="spaced", file_name="Readings - State Daily.csv")
    server.route("/toy/Readings - State Daily.csv", Reply(body=GOOD.encode()))
    server.route("/toy/readings.csv.gz", Reply(body=gzip.compress(GOOD.encode())))

    [spaced_result] = load_table(spaced, dsn, Settings.from_env())
    [gz_result] = load_table(SPEC, dsn, Settings.from_env())

    assert (spaced_result.status, spaced_result.rows_loaded) == ("succeeded", 3)
    assert (gz_result.status, gz_result.rows_loaded) == ("succeeded", 3)
    assert server.paths_requested() == [
        "/toy/Readings - State Daily.csv",
        "/toy/readings.csv",  # 404
        "/toy/readings.csv.gz",
    ]
    assert ledger(dsn, "url") == [
        (f"{server.base_url}/toy/Readings%20-%20State%20Daily.csv",),
        (f"{server.base_url}/toy/readings.csv",),
    ]
    assert current_rows(dsn) == GOOD_ROWS


def test_a_folder_mirror_falls_back_to_gz(dsn, mirror):
    mirror.put("toy", "readings.csv.gz", gzip.compress(GOOD.encode()))
    [result] = load_table(SPEC, dsn, mirror.settings)
    assert (result.status, result.rows_loaded) == ("succeeded", 3)
    assert current_rows(dsn) == GOOD_ROWS


def test_a_file_missing_from_either_kind_of_mirror_fails_with_the_remedy(
    dsn, mirror, server, monkeypatch
):
    assert failure_of(SPEC, dsn) == (  # the server: 404 for the file and for its .gz
        f"cannot fetch {server.url(PATH)}: HTTP 404 Not Found; check the mirror "
        f"WAREHOUSE_SOURCES={server.base_url}, or unset it to use the official URL"
    )
    monkeypatch.setenv("WAREHOUSE_SOURCES", str(mirror.root))
    path = mirror.root.resolve() / "toy" / "readings.csv"
    assert failure_of(SPEC, dsn) == (
        f"cannot read {path}: no such file (nor readings.csv.gz); check the mirror "
        f"WAREHOUSE_SOURCES={mirror.root}, or unset it to use the official URL"
    )


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def attempts(monkeypatch):
    """Every GET the fetcher sends (the retries included), by URL."""
    sent: list[str] = []
    real_get = fetch_module.requests.get

    def counting_get(url, *args, **kwargs):
        sent.append(url)
        return real_get(url, *args, **kwargs)

    monkeypatch.setattr(fetch_module.requests, "get", counting_get)
    return sent


@pytest.mark.parametrize(
    ("host", "cause"),
    [
        ("127.0.0.1:{port}", "[Errno 111] Connection refused"),
        ("warehouse-test.invalid", "[Errno -2] Name or service not known"),  # .invalid: RFC 2606
    ],
    ids=["connection refused", "name not resolved"],
)
def test_an_unreachable_host_fails_at_once_with_one_line_and_the_remedy(
    dsn, monkeypatch, attempts, host, cause
):
    monkeypatch.delenv("WAREHOUSE_SOURCES", raising=False)
    monkeypatch.setenv("WAREHOUSE_HTTP_RETRIES", "3")
    monkeypatch.setenv("WAREHOUSE_HTTP_BACKOFF", "5")  # a retry would take 5 s, then 10 s...
    url = f"http://{host.format(port=closed_port())}/toy/readings.csv"
    message = failure_of(dataclasses.replace(SPEC, official_url=url), dsn)

    assert attempts == [url]  # one attempt, no retry (3 are allowed for other errors)
    assert "\n" not in message
    assert message.startswith(f"cannot fetch {url}: could not connect (")
    if cause.startswith("[Errno 111]"):  # name resolution's wording depends on the resolver
        assert cause in message
    assert message.endswith(
        "not retried; set WAREHOUSE_SOURCES=<dir or base URL> to read a local mirror instead"
    )
    assert ledger(dsn, "status, url, error") == [("failed", url, message)]
    assert raw_table(dsn) == []


def test_an_unreachable_mirror_names_the_mirror_in_its_remedy(dsn, monkeypatch, attempts):
    mirror = f"http://127.0.0.1:{closed_port()}"
    monkeypatch.setenv("WAREHOUSE_SOURCES", mirror)
    message = failure_of(SPEC, dsn)
    assert len(attempts) == 1
    assert message.endswith(
        f"not retried; check the mirror WAREHOUSE_SOURCES={mirror}, or unset it to use the "
        "official URL"
    )


def test_the_http_policy_comes_from_the_environment(monkeypatch):
    monkeypatch.setenv("WAREHOUSE_HTTP_TIMEOUT", "2.5")
    monkeypatch.setenv("WAREHOUSE_HTTP_RETRIES", "0")
    monkeypatch.delenv("WAREHOUSE_HTTP_BACKOFF", raising=False)
    http = Settings.from_env().http
    assert http == HttpPolicy(2.5, 2.5, 0, HttpPolicy().backoff_seconds)
    monkeypatch.setenv("WAREHOUSE_HTTP_RETRIES", "many")
    with pytest.raises(SettingsError, match="WAREHOUSE_HTTP_RETRIES must be a non-negative int, "):
        Settings.from_env()
