"""The source tests that check how files are read (every one not marked `database`) pass with
no Postgres at all: run in a separate pytest in which connecting to or starting one fails, and
in which every test marked `database` fails for that reason."""

import os
import re
import subprocess
import sys

from tests.conftest import ROOT


def source_tests(marker: str, basetemp) -> str:
    """The summary line of the source tests selected by `marker`, run without Postgres."""
    environment = {k: v for k, v in os.environ.items() if k != "WAREHOUSE_TEST_DSN"}
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "tests/loaders/sources", "-m", marker,
         "-p", "tests.no_database", "-p", "no:cacheprovider", "-q", "--basetemp", str(basetemp)],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=600,
    )  # fmt: skip
    lines = run.stdout.strip().splitlines()
    return lines[-1] if lines else run.stderr


def count(summary: str, outcome: str) -> int:
    found = re.search(rf"(\d+) {outcome}", summary)
    return int(found.group(1)) if found else 0


def test_source_parse_tests_need_no_database(tmp_path):
    without = source_tests("not database", tmp_path / "without")
    assert count(without, "passed") >= 100, without
    assert not re.search(r"failed|error|skipped", without), without

    # and Postgres really was out of reach: every test that needs it errors
    needing = source_tests("database and not integration", tmp_path / "needing")
    assert count(needing, "errors?") >= 20 and not re.search(r"passed|skipped", needing), needing
