"""One FIPS rule, two implementations: loaders/core/fips.py (the loaders) and the dbt macro
`fips_text` (staging). Both run the same cases, written here by hand."""

import json
import subprocess

import pandas as pd
import psycopg
import pytest

from loaders.core.fips import fips_text
from orchestration.defs.project import DBT_EXECUTABLE, DBT_PROJECT_DIR
from tests.end_to_end import warehouse_environment

# (as published, width, as the warehouse keys on it); None is null.
CASES = [
    ("1", 2, "01"),
    ("01", 2, "01"),
    (" 6 ", 2, "06"),
    ("1.0", 2, "01"),
    ("6.00", 2, "06"),
    ("1001", 5, "01001"),
    ("10001.0", 5, "10001"),
    ("10001", 5, "10001"),
    ("80010", 5, "80010"),  # JHU's own "Out of DE" code, kept
    ("123456", 5, "123456"),  # longer than the width: never cut
    ("", 2, None),
    ("   ", 5, None),
    (None, 2, None),
    ("US", 2, "US"),  # not a number: kept for the contract and tests to flag
    ("1.5", 2, "1.5"),
    ("-1", 2, "-1"),
    ("1..0", 2, "1..0"),
]


@pytest.mark.parametrize(("published", "width", "expected"), CASES)
def test_the_python_rule(published, width, expected):
    assert fips_text(pd.Series([published], dtype=object), width).tolist() == [expected]


def test_integers_are_padded_like_their_text():
    assert fips_text(pd.Series([1, 6, 10001]), 5).tolist() == ["00001", "00006", "10001"]


def test_jhu_mixes_states_and_counties_in_one_column():
    published = pd.Series(["1.0", "60", "1001", "10001.0", "90010", ""])
    assert fips_text(published, None).tolist() == ["01", "60", "01001", "10001", "90010", None]


def test_the_dbt_macro_agrees_with_the_python_rule(dsn, monkeypatch):
    """The macro compiled by dbt and run by Postgres gives the same answers, text and integers."""
    rows = ", ".join(
        f"({i}, {'null' if p is None else repr(p)}, {w})" for i, (p, w, _) in enumerate(CASES)
    )
    inline = (
        "select case width when 2 then {{ fips_text('published', 2) }}"
        " else {{ fips_text('published', 5) }} end as fips"
        f" from (values {rows}) as cases(i, published, width) order by i"
    )
    integers = "select {{ fips_text('cast(1 as bigint)', 5) }}, {{ fips_text('6', 2) }}"
    warehouse_environment(monkeypatch, dsn)

    assert [fips for (fips,) in run_compiled(inline, dsn)] == [e for *_, e in CASES]
    assert run_compiled(integers, dsn) == [("00001", "06")]


def run_compiled(inline: str, dsn: str) -> list[tuple]:
    compiled = subprocess.run(
        [DBT_EXECUTABLE, "compile", "--quiet", "--output", "json", "--inline", inline],
        cwd=DBT_PROJECT_DIR,
        capture_output=True,
        text=True,
    )
    assert compiled.returncode == 0, compiled.stdout + compiled.stderr
    with psycopg.connect(dsn) as conn:
        return conn.execute(json.loads(compiled.stdout)["compiled"]).fetchall()
