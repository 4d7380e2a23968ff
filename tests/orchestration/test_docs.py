"""`make docs`: the generated catalog documents every column, and the site is served locally."""

import json
import os
import signal
import socket
import subprocess
import sys
import time

import pytest
import requests

from orchestration.docs import DBT_PROJECT, generate_command, serve_command
from publish.report_data import REPORT_MARTS
from tests.processes import start_server, stop
from warehouse.database import connection_env

pytestmark = pytest.mark.integration
DOCUMENTED_SCHEMAS = ("staging", "marts")


@pytest.fixture(scope="module")
def docs(built_warehouse, tmp_path_factory):
    """`dbt docs generate` against the session's built warehouse, into a private target path."""
    dsn, _ = built_warehouse
    target = tmp_path_factory.mktemp("dbt_docs")
    env = {**os.environ, **connection_env(dsn)}
    generated = subprocess.run(
        generate_command(target), cwd=DBT_PROJECT, env=env, capture_output=True, text=True
    )
    assert generated.returncode == 0, generated.stdout[-3000:]
    return target, env


def load(path):
    return json.loads(path.read_text())


def test_every_column_in_staging_and_marts_is_documented(docs):
    target, _ = docs
    catalog, manifest = load(target / "catalog.json"), load(target / "manifest.json")
    tables = {
        unique_id: node
        for unique_id, node in catalog["nodes"].items()
        if node["metadata"]["schema"] in DOCUMENTED_SCHEMAS
    }
    assert any(uid.startswith("model.") and ".fct_cases_daily" in uid for uid in tables)
    undocumented = []
    for unique_id, node in tables.items():
        declared = manifest["nodes"][unique_id]
        if not declared["description"].strip():
            undocumented.append(unique_id)
        described = {
            name.lower(): column["description"].strip()
            for name, column in declared["columns"].items()
        }
        undocumented += [
            f"{unique_id}.{column}" for column in node["columns"] if not described.get(column)
        ]
    assert undocumented == []


def test_exposures_link_the_report_and_bi_dashboards_to_the_marts(docs):
    target, _ = docs
    manifest = load(target / "manifest.json")
    exposures = {e["name"]: e for e in manifest["exposures"].values()}
    assert "html_report" in exposures
    assert any(e["url"] and "127.0.0.1" in e["url"] for e in exposures.values())
    marts = {
        unique_id
        for unique_id, node in {**manifest["nodes"], **manifest["sources"]}.items()
        if node["resource_type"] in ("model", "source") and node["schema"] == "marts"
    }
    read = set()
    for exposure in exposures.values():
        assert exposure["description"].strip() and exposure["owner"]["name"]
        parents = set(exposure["depends_on"]["nodes"])
        assert parents and parents <= marts, exposure["name"]
        read |= parents
    assert read == marts, "a mart no report or dashboard reads"
    report = {p.split(".")[-1] for p in exposures["html_report"]["depends_on"]["nodes"]}
    assert report == set(REPORT_MARTS)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_the_docs_site_is_served_on_localhost(docs):
    target, env = docs
    port = free_port()
    server = start_server(
        serve_command("127.0.0.1", port, target),
        cwd=DBT_PROJECT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline, response = time.monotonic() + 60, None
        while time.monotonic() < deadline and response is None:
            try:
                response = requests.get(f"http://127.0.0.1:{port}/", timeout=5)
            except requests.ConnectionError:
                time.sleep(0.5)
        assert response is not None, "dbt docs serve did not answer within 60 s"
        assert response.status_code == 200 and "<html" in response.text.lower()
        manifest = requests.get(f"http://127.0.0.1:{port}/manifest.json", timeout=5)
        assert manifest.status_code == 200 and "fct_cases_daily" in manifest.text
    finally:
        stop(server)


def test_the_docs_home_page_describes_the_warehouse(docs):
    target, _ = docs
    manifest = load(target / "manifest.json")
    overview = manifest["docs"]["doc.covid_warehouse.__overview__"]["block_contents"]
    assert "# COVID warehouse" in overview and "Welcome" not in overview
    for mart in ("fct_cases_daily", "fct_hospital_daily", "dim_geography"):
        assert f"`{mart}`" in overview
    assert "CC BY-NC 4.0" in overview


# `make docs` with dbt replaced by a process that serves until stopped.
# SIGINT as a terminal leaves it: a process inherits an ignored SIGINT (from whatever started
# the test run), and Python then never raises KeyboardInterrupt.
FAKE_DOCS = """
import signal
signal.signal(signal.SIGINT, signal.default_int_handler)
import sys
import orchestration.docs as docs
from warehouse.settings import Settings
docs.prepare_environment = lambda: Settings(dsn="postgresql://unused")
docs.generate_command = lambda target_path=None: [sys.executable, "-c", "pass"]
docs.serve_command = lambda host, port, target_path=None: [
    sys.executable, "-c", "import time; open({ready!r}, 'w').close(); time.sleep(120)"
]
sys.exit(docs.main())
"""


def test_ctrl_c_stops_make_docs_with_one_line_and_no_traceback(tmp_path):
    ready = tmp_path / "serving"
    process = subprocess.Popen(
        [sys.executable, "-c", FAKE_DOCS.format(ready=str(ready))],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # a terminal's foreground process group, as under `make docs`
    )
    try:
        deadline = time.monotonic() + 60
        while not ready.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert ready.exists(), "the docs server did not start"
        os.killpg(process.pid, signal.SIGINT)  # what Ctrl-C sends to the whole group
        out, err = process.communicate(timeout=15)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
    assert process.returncode == 130
    assert "Traceback" not in err and "KeyboardInterrupt" not in err, err
    assert out.strip().splitlines()[-1] == "Stopped the dbt docs."


# Ctrl-C arriving while dbt's process is being started: Popen has forked, not yet returned.
INTERRUPTED_START = """
import os, signal, subprocess, sys
signal.signal(signal.SIGINT, signal.default_int_handler)
import orchestration.docs as docs
from warehouse.settings import Settings
docs.prepare_environment = lambda: Settings(dsn="postgresql://unused")
docs.generate_command = lambda target_path=None: [
    sys.executable, "-c", "import time; time.sleep(120)"
]
real_popen = subprocess.Popen
def popen_interrupted(*args, **kwargs):
    process = real_popen(*args, **kwargs)
    with open({pid!r}, "w") as pid:
        pid.write(str(process.pid))
    os.kill(os.getpid(), signal.SIGINT)
    return process
subprocess.Popen = popen_interrupted
sys.exit(docs.main())
"""


def test_ctrl_c_while_dbt_starts_leaves_no_dbt_running(tmp_path):
    pid_file = tmp_path / "dbt.pid"
    # Output to files: a process left running would hold pipes open.
    out, err = tmp_path / "out", tmp_path / "err"
    with out.open("w") as stdout, err.open("w") as stderr:
        code = subprocess.run(
            [sys.executable, "-c", INTERRUPTED_START.format(pid=str(pid_file))],
            stdout=stdout,
            stderr=stderr,
            timeout=60,
        ).returncode
    assert code == 130, err.read_text()
    assert out.read_text().strip().splitlines()[-1] == "Stopped the dbt docs."
    pid = int(pid_file.read_text())
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return  # stopped, as it should be
    os.kill(pid, signal.SIGKILL)
    pytest.fail("the dbt process started when Ctrl-C came was left running")
