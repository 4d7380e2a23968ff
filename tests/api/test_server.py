"""`make api` against the session's built warehouse, through a real HTTP client: the OpenAPI
document validates and carries the dbt docs, filters and pages return exactly the mart's rows
(CSV included), validators give 304, bad input gets a 400 naming the parameter, injection
attempts reach no SQL, and a warehouse not built yet gets a 503."""

from __future__ import annotations

import csv
import io
import json
import socket
import subprocess
import sys
import time

import pandas as pd
import psycopg
import pytest
import requests
from openapi_spec_validator import validate

from api.__main__ import MANIFEST
from api.store import Store
from tests.end_to_end import query
from tests.processes import start_server, stop
from warehouse.roles import ensure_bi_reader
from warehouse.settings import Settings

pytestmark = pytest.mark.integration
DELAWARE = {"geo_level": "state", "geo_id": "10"}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def serve(dsn: str):
    """Start `python -m api` on a free port against `dsn`; returns (process, base URL)."""
    port = free_port()
    env = {
        "PATH": "/usr/bin:/bin",
        "WAREHOUSE_DSN": dsn,
        "WAREHOUSE_API_PORT": str(port),
    }
    process = start_server(
        [sys.executable, "-m", "api"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            requests.get(f"{base}/openapi.json", timeout=5)
            return process, base
        except requests.ConnectionError:
            if process.poll() is not None:
                raise AssertionError(process.stderr.read().decode()[-3000:]) from None
            time.sleep(0.3)
    stop(process)
    raise AssertionError("the API did not answer within 60 s")


@pytest.fixture(scope="module")
def api(built_warehouse):
    dsn, _ = built_warehouse
    ensure_bi_reader(dsn, None)
    process, base = serve(dsn)
    try:
        yield base, dsn
    finally:
        stop(process)


def get(base, path, **params):
    return requests.get(f"{base}{path}", params=params, timeout=60)


def test_the_openapi_document_validates_and_describes_columns_from_the_dbt_docs(api):
    base, _ = api
    document = get(base, "/openapi.json").json()
    validate(document)
    manifest = json.loads(MANIFEST.read_text())
    marts = {
        node.get("identifier") or node["name"]: node
        for node in [*manifest["nodes"].values(), *manifest["sources"].values()]
        if node["resource_type"] in ("model", "source") and node["schema"] == "marts"
    }
    assert {"fct_cases_daily", "fct_case_forecast"} <= set(marts)
    assert {f"/marts/{name}" for name in marts} == set(document["paths"])
    for name, node in marts.items():
        properties = document["components"]["schemas"][name]["properties"]
        assert list(properties) == list(node["columns"])
        for column, declared in node["columns"].items():
            assert properties[column]["description"] == declared["description"].strip()
    cases = document["components"]["schemas"]["fct_cases_daily"]["properties"]
    assert cases["report_date"]["format"] == "date"  # typed from the warehouse's catalog
    assert cases["cases_cumulative"]["type"] == ["integer", "null"]


def test_delaware_figures_match_the_nyt_file(api, shared_data):
    """Independently of the warehouse: NYT's us-states.csv read directly."""
    base, _ = api
    nyt = pd.read_csv(shared_data / "nyt_covid" / "us-states.csv")  # dates M/D/YYYY here
    nyt["date"] = pd.to_datetime(nyt.date, format="%m/%d/%Y").dt.strftime("%Y-%m-%d")
    nyt = nyt[(nyt.state == "Delaware") & nyt.date.between("2020-12-01", "2020-12-31")]
    response = get(
        base,
        "/marts/fct_cases_daily",
        **DELAWARE,
        start_date="2020-12-01",
        end_date="2020-12-31",
        columns="report_date,cases_cumulative,deaths_cumulative",
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["columns"] == ["report_date", "cases_cumulative", "deaths_cumulative"]
    served = [
        (r["report_date"], r["cases_cumulative"], r["deaths_cumulative"]) for r in body["rows"]
    ]
    assert served == list(nyt[["date", "cases", "deaths"]].itertuples(index=False, name=None))
    assert len(served) == 31 and body["next"] is None


def test_csv_pages_put_together_equal_the_mart_queried_directly(api):
    base, dsn = api
    rows, url, pages = [], "/marts/fct_cases_daily", 0
    params = {"geo_level": "county", "geo_id": "10001,10003,10005", "format": "csv"}
    params.update(start_date="2020-03-01", end_date="2020-06-30", limit=100)
    while url:
        response = requests.get(url if url.startswith("http") else base + url, params=params)
        assert response.status_code == 200 and response.headers["content-type"].startswith(
            "text/csv"
        )
        page = list(csv.reader(io.StringIO(response.text)))
        header, rows = page[0], rows + page[1:]
        pages += 1
        link = response.headers.get("link")
        url = link[1 : link.index(">")] if link else None
        params = None  # the next link carries them
    assert pages > 3
    direct = query(
        dsn,
        "select * from marts.fct_cases_daily where geo_level = 'county' and geo_id in "
        "('10001', '10003', '10005') and report_date between '2020-03-01' and '2020-06-30' "
        "order by geo_level, geo_id, report_date",
    )
    assert header == list(direct.columns)
    served = pd.DataFrame([[v if v != "" else None for v in row] for row in rows], columns=header)
    expected = direct.astype(object).where(direct.notna(), None)
    assert len(served) == len(expected) == 3 * 122
    for column in header:  # text as the CSV writes it, read back into the mart's types
        known = expected[column].dropna()
        kind = type(known.iloc[0]) if len(known) else str
        back = [None if v is None else _typed(v, kind) for v in served[column]]
        assert back == expected[column].tolist(), column


def _typed(text, kind):
    if kind.__name__ == "date":
        return pd.Timestamp(text).date()
    if kind is bool:
        return text == "True"
    return kind(text)


def test_a_whole_small_mart_round_trips_as_csv(api):
    base, dsn = api
    response = get(base, "/marts/dim_delaware_zip_cases", format="csv", limit=50000)
    served = pd.read_csv(io.StringIO(response.text), dtype={"zip_code": str})
    direct = query(dsn, "select * from marts.dim_delaware_zip_cases order by zip_code")
    assert len(served) == len(direct) > 40
    served["snapshot_date"] = pd.to_datetime(served["snapshot_date"]).dt.date
    for column in ("latitude", "longitude", "cases_per_10k_people"):
        direct[column] = direct[column].astype(float)
    pd.testing.assert_frame_equal(served, direct, check_dtype=False)


def test_validators_answer_304_until_the_next_build(api):
    base, dsn = api
    first = get(base, "/marts/fct_restrictions_daily", limit=5)
    tag, modified = first.headers["etag"], first.headers["last-modified"]
    assert first.status_code == 200 and tag and modified
    again = requests.get(
        f"{base}/marts/fct_restrictions_daily", headers={"If-None-Match": tag}, timeout=30
    )
    assert again.status_code == 304 and again.content == b""
    since = requests.get(
        f"{base}/marts/fct_restrictions_daily", headers={"If-Modified-Since": modified}
    )
    assert since.status_code == 304
    as_csv = get(base, "/marts/fct_restrictions_daily", limit=5, format="csv")
    assert as_csv.status_code == 200 and as_csv.headers["etag"] != tag  # another representation
    with psycopg.connect(dsn, autocommit=True) as conn:  # what the build log's hooks write
        conn.execute(
            "insert into meta.dbt_builds values ('test-build', 'build', 'succeeded', now(), now())"
        )
        conn.execute(
            "insert into meta.dbt_model_builds values "
            "('test-build', 'fct_restrictions_daily', 'marts', 'success', now() + interval '1s')"
        )
    try:
        rebuilt = requests.get(
            f"{base}/marts/fct_restrictions_daily", headers={"If-None-Match": tag}, timeout=30
        )
        assert rebuilt.status_code == 200 and rebuilt.headers["etag"] != tag
        other = get(base, "/marts/fct_cases_daily", limit=1)
        assert other.headers["etag"] != rebuilt.headers["etag"]
    finally:
        with psycopg.connect(dsn, autocommit=True) as conn:
            conn.execute("delete from meta.dbt_model_builds where invocation_id = 'test-build'")
            conn.execute("delete from meta.dbt_builds where invocation_id = 'test-build'")


@pytest.mark.parametrize(
    ("params", "parameter", "says"),
    [
        ({"columns": "geo_id,nonsense"}, "columns", "'nonsense' is not a column"),
        ({"start_date": "2020-13-01"}, "start_date", "expected a date YYYY-MM-DD"),
        ({"end_date": "yesterday"}, "end_date", "expected a date"),
        ({"start_date": "2021-01-02", "end_date": "2021-01-01"}, "end_date", "before"),
        ({"limit": "50001"}, "limit", "1 to 50000 rows per page"),
        ({"limit": "-1"}, "limit", "whole number"),
        ({"offset": "1e3"}, "offset", "whole number"),
        ({"format": "xml"}, "format", "expected one of"),
        ({"state": "10"}, "state", "unknown parameter"),
    ],
)
def test_bad_input_gets_a_400_naming_the_parameter(api, params, parameter, says):
    base, _ = api
    response = get(base, "/marts/fct_cases_daily", **params)
    assert response.status_code == 400
    assert response.json()["parameter"] == parameter
    assert says in response.json()["detail"]


def test_a_filter_on_a_mart_without_that_dimension_is_refused(api):
    base, _ = api
    response = get(base, "/marts/fct_revenue_restrictions_correlation", start_date="2020-01-01")
    assert response.status_code == 400 and response.json()["parameter"] == "start_date"


def test_injection_attempts_reach_no_sql(api):
    base, dsn = api
    before = query(dsn, "select count(*) as n from marts.fct_cases_daily").n[0]
    attempts = [
        ("/marts/fct_cases_daily", {"columns": "geo_id; drop table marts.fct_cases_daily"}),
        ("/marts/fct_cases_daily", {"columns": 'geo_id" from raw.nyt_covid__us --'}),
        ("/marts/fct_cases_daily", {"columns": "(select 1)"}),
    ]
    for path, params in attempts:
        response = get(base, path, **params)
        assert response.status_code == 400 and response.json()["parameter"] == "columns"
    for path in (
        "/marts/fct_cases_daily;drop table marts.fct_cases_daily",
        "/marts/nyt_covid__us",  # a raw table's name
        "/marts/..%2Fraw.nyt_covid__us",
        "/marts/pg_shadow",
    ):
        assert get(base, path).status_code == 404, path
    # values are bound parameters: a quote is just a character of an id no row has
    for value in ("10' or '1'='1", "10'); drop table marts.fct_cases_daily; --"):
        response = get(base, "/marts/fct_cases_daily", geo_id=value)
        assert response.status_code == 200 and response.json()["rows"] == []
    after = query(dsn, "select count(*) as n from marts.fct_cases_daily").n[0]
    assert before == after


def test_the_store_reads_as_bi_reader_which_cannot_reach_raw(built_warehouse):
    dsn, _ = built_warehouse
    ensure_bi_reader(dsn, None)
    with Store(Settings(), dsn).connect() as conn:
        assert conn.execute("select current_user").fetchone() == ("bi_reader",)
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("select * from raw.nyt_covid__us limit 1")


def test_a_warehouse_not_built_yet_answers_503_with_the_reason(dsn):
    process, base = serve(dsn)  # an empty database
    try:
        response = get(base, "/marts/fct_cases_daily")
        assert response.status_code == 503
        assert "not been built yet" in response.json()["detail"]
        with psycopg.connect(dsn, autocommit=True) as conn:  # the first build starts
            conn.execute("create schema meta; create schema history")
            conn.execute(
                "create table meta.dbt_builds (invocation_id text, command text, status text,"
                " started_at timestamptz, finished_at timestamptz)"
            )
            conn.execute(
                "insert into meta.dbt_builds values ('b1', 'build', 'running', now(), null)"
            )
            conn.execute("create view history.builds as select * from meta.dbt_builds")
            conn.execute(
                "create view history.mart_builds as select 'x'::text as model, 'marts'::text "
                "as schema_name, 'success'::text as status, 'b1'::text as invocation_id, "
                "now() as finished_at where false"
            )
        ensure_bi_reader(dsn, None)
        response = get(base, "/marts/fct_cases_daily")
        assert response.status_code == 503 and response.headers["retry-after"] == "60"
        assert "is being built" in response.json()["detail"]
    finally:
        stop(process)
    unreachable = "host=127.0.0.1 port=1 dbname=nothing user=nobody connect_timeout=2"
    process, base = serve(unreachable)
    try:
        response = get(base, "/marts/fct_cases_daily")
        assert response.status_code == 503
        assert "cannot reach the warehouse" in response.json()["detail"]
    finally:
        stop(process)


def test_tables_python_writes_in_marts_are_served_dated_by_the_last_build(api):
    base, dsn = api
    response = get(base, "/marts/fct_case_forecast", geo_id="10")
    assert response.status_code == 200 and response.headers["etag"]
    direct = query(
        dsn, "select predicted_new_cases from marts.fct_case_forecast where state_fips = '10'"
    )
    assert [r["predicted_new_cases"] for r in response.json()["rows"]] == list(
        direct.predicted_new_cases
    )
