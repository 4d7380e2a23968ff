"""One dead source and one failing mart test in the same run stop only what depends on them.

The run goes through `dg.execute_job` with the code location's executor, as `make run`, the UI
and the schedules do. The sources are served over HTTP from the real mirror, except one file
that answers 404 (a publication that moved); a mart is given a duplicate key in its raw table
so its blocking `unique` test fails.
"""

from __future__ import annotations

import socket
import sys
import time

import dagster as dg
import psycopg
import pytest

from loaders.core.load import load_table
from loaders.registry import TABLES
from orchestration.summary import planned_assets, summarize
from tests.end_to_end import warehouse_environment
from tests.processes import start_server, stop
from warehouse.settings import Settings

pytestmark = pytest.mark.integration

DEAD = "raw/phac_canada__covid19"
FAILING_MART = "marts/dim_delaware_zip_cases"
HEALTHY_MART = "marts/fct_business_activity_daily"
TARGETS = [
    FAILING_MART,
    HEALTHY_MART,
    "exports/dim_delaware_zip_cases",
    "exports/fct_business_activity_daily",
    "staging/stg_phac_canada__regions",
]


def isolation_job() -> dg.JobDefinition:
    """`refresh_all` with the executor and assets of the code location, and resources read
    from this process's environment now (the test sets it)."""
    from orchestration.definitions import defs, executor
    from orchestration.defs.resources import resources
    from orchestration.defs.schedules import refresh_all

    return dg.Definitions(
        assets=defs.assets,
        asset_checks=defs.asset_checks,
        jobs=[refresh_all],
        resources=resources(),
        executor=executor,
    ).resolve_job_def("refresh_all")


@pytest.fixture
def http_mirror(shared_data, tmp_path):
    """The real mirror over HTTP, without the dead source's file (the server answers 404)."""
    root = tmp_path / "served"
    root.mkdir()
    for source in ("delaware_dhss", "oi_economic_tracker"):
        (root / source).symlink_to(shared_data / source, target_is_directory=True)
    (root / "phac_canada").mkdir()
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = start_server(
        [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1"],
        cwd=root,
        stdout=open(tmp_path / "http.log", "w"),  # noqa: SIM115 - closed with the process
        stderr=open(tmp_path / "http.err", "w"),  # noqa: SIM115
    )
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            time.sleep(0.2)
    yield f"http://127.0.0.1:{port}"
    stop(server)


def test_a_dead_source_and_a_failing_mart_test_stop_only_what_depends_on_them(
    dsn, http_mirror, monkeypatch, tmp_path
):
    warehouse_environment(monkeypatch, dsn)
    monkeypatch.setenv("WAREHOUSE_SOURCES", http_mirror)
    monkeypatch.setenv("WAREHOUSE_HTTP_RETRIES", "0")
    monkeypatch.setenv("WAREHOUSE_EXPORTS", str(tmp_path / "exports"))
    monkeypatch.setenv("WAREHOUSE_REPORTS", str(tmp_path / "reports"))
    # A second snapshot of one ZIP code in raw: dim_delaware_zip_cases has it twice.
    (rates,) = [spec for spec in TABLES if spec.table == "delaware_dhss__zip_case_rates"]
    load_table(rates, dsn, Settings.from_env())
    with psycopg.connect(dsn) as conn:
        conn.execute(
            "create temp table extra as select * from raw.delaware_dhss__zip_case_rates "
            "where zip_code = '19701' and _superseded_load_id is null"
        )
        conn.execute("update extra set snapshot_date = '2021-02-01'")
        conn.execute("insert into raw.delaware_dhss__zip_case_rates select * from extra")

    from orchestration.definitions import defs

    selection = dg.AssetSelection.assets(*map(dg.AssetKey.from_user_string, TARGETS)).upstream()
    keys = selection.resolve(defs.resolve_asset_graph())
    with dg.DagsterInstance.ephemeral() as instance:
        job = dg.build_reconstructable_job(__name__, "isolation_job")
        with dg.execute_job(
            job, instance=instance, asset_selection=sorted(keys), raise_on_error=False
        ) as result:
            events = result.all_events
            success = result.success

    built = {
        e.asset_key.to_user_string()
        for e in events
        if e.event_type_value == "ASSET_MATERIALIZATION"
    }
    failed = {
        e.step_key: e.event_specific_data.error.message
        for e in events
        if e.event_type_value == "STEP_FAILURE"
    }
    assert not success
    # The dead source failed its own step, saying why, and kept its (empty) table ...
    assert "raw__phac_canada__covid19" in failed, failed
    assert "404" in failed["raw__phac_canada__covid19"]
    assert "kept its last data" in failed["raw__phac_canada__covid19"]
    # ... which the model reading it was still built from.
    assert "staging/stg_phac_canada__regions" in built
    # The failing mart was written (inspectable), its export was not, and said why.
    assert FAILING_MART in built
    assert "exports/dim_delaware_zip_cases" not in built
    assert "unique" in failed["exports__dim_delaware_zip_cases"]
    assert not (tmp_path / "exports" / "dim_delaware_zip_cases.csv").exists()
    # Everything else was built: every other mart in the selection and its export.
    expected = {key.to_user_string() for key in keys} - {"exports/dim_delaware_zip_cases"}
    assert built == expected
    assert (tmp_path / "exports" / "fct_business_activity_daily.csv").stat().st_size > 0
    # Exactly three steps failed: the dead source, dbt (the failed test), the stopped export.
    assert set(failed) == {
        "raw__phac_canada__covid19",
        "dbt_models",
        "exports__dim_delaware_zip_cases",
    }
    # The summary names what was not built and why.
    rows = {row.asset: row for row in summarize(events, planned_assets(defs))}
    assert "404" in rows[DEAD].problem
    assert "unique" in rows["exports/dim_delaware_zip_cases"].problem
    assert rows[HEALTHY_MART].problem is None
