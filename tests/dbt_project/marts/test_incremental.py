"""The incremental case facts: an incremental run after new days and late corrections builds
exactly what a full refresh builds, including for a source lagging behind the others."""

import json
import os
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import psycopg
import pytest

from loaders.core.load import create_table, load_table
from loaders.registry import table
from tests.conftest import ROOT
from warehouse.database import connection_env

LOOKBACK_DAYS = 7
START = date(2020, 3, 1)
INCREMENTAL_MODELS = ["fct_cases_daily", "fct_case_source_reconciliation"]


def days(n: int) -> list[date]:
    return [START + timedelta(days=i) for i in range(n)]


def cumulative(n: int, step: int, revised: dict[int, int] | None = None) -> list[int]:
    values = [step * (i + 1) + i * i for i in range(n)]
    for index, value in (revised or {}).items():
        values[index] = value
    return values


def nyt_files(n: int, revised: dict[int, int] | None = None) -> dict[str, str]:
    series = list(zip(days(n), cumulative(n, 10, revised), strict=True))
    us = "date,cases,deaths\n" + "".join(f"{d},{c * 3},{c // 10}\n" for d, c in series)
    states = "date,state,fips,cases,deaths\n" + "".join(
        f"{d},Delaware,10,{c},{c // 20}\n{d},Guam,66,{c // 2},0\n" for d, c in series
    )
    counties = "date,county,state,fips,cases,deaths\n" + "".join(
        f"{d},Kent,Delaware,10001,{c // 4},{c // 40}\n" for d, c in series
    )
    return {"us.csv": us, "us-states.csv": states, "us-counties.csv": counties}


def jhu_file(n: int, revised: dict[int, int] | None = None) -> str:
    """Kent is in NYT's county file, so only New Castle and Sussex come from JHU."""
    head = "UID,iso2,iso3,code3,FIPS,Admin2,Province_State,Country_Region,Lat,Long_,Combined_Key,"
    head += "Population," + ",".join(f"{d.month}/{d.day}/{d.year % 100}" for d in days(n))
    rows = []
    for uid, fips, county in [(84010001, 10001, "Kent"), (84010003, 10003, "New Castle")]:
        values = cumulative(n, fips % 7 + 1, revised)
        rows.append(
            f'{uid},US,USA,840,{fips}.0,{county},Delaware,US,39.0,-75.5,"{county}, Delaware, US",'
            f"1000,{','.join(map(str, values))}"
        )
    rows.append(
        '84010005,US,USA,840,10005.0,Sussex,Delaware,US,38.6,-75.3,"Sussex, Delaware, US",2000,'
        + ",".join(map(str, cumulative(n, 2)))
    )
    return "\n".join([head, *rows]) + "\n"


def phac_file() -> str:
    lines = ["pruid,prname,prnameFR,date,numconf,numprob,numdeaths,numtotal"]
    for index, day in enumerate(days(12)):
        if index in (4, 5):  # a reporting gap
            continue
        lines.append(f"35,Ontario,Ontario,{day:%d-%m-%Y},{index * 3},0,{index},{index * 3}")
    return "\n".join(lines) + "\n"


LOADED = [
    ("nyt_covid__us", "nyt_covid"),
    ("nyt_covid__us_states", "nyt_covid"),
    ("nyt_covid__us_counties", "nyt_covid"),
    ("jhu_csse__deaths_us", "jhu_csse"),
    ("phac_canada__covid19", "phac_canada"),
]


def load(dsn, mirror, nyt: dict[str, str], jhu: str) -> None:
    for name, content in nyt.items():
        mirror.put("nyt_covid", name, content)
    mirror.put("jhu_csse", "time_series_covid19_deaths_US.csv", jhu)
    mirror.put("phac_canada", "covid19.csv", phac_file())
    for name, _ in LOADED:
        for result in load_table(table(name), dsn, mirror.settings):
            assert result.status in ("succeeded", "unchanged"), result.error
    for name in ("jhu_csse__daily_reports_us", "jhu_csse__uid_lookup"):
        create_table(table(name), dsn)  # also read by the models: empty here


def dbt(dsn: str, work: Path, *args: str) -> dict:
    """Run dbt on the test database; returns run_results.json."""
    env = {**os.environ, **connection_env(dsn)}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    command = ["dbt", *args, "--target-path", str(work / "target"), "--log-path", str(work)]
    done = subprocess.run(
        command, cwd=ROOT / "dbt_project", env=env, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stdout[-3000:]
    return json.loads((work / "target" / "run_results.json").read_text())


def build(dsn, work, *, full_refresh: bool) -> dict:
    selection = " ".join(f"+{model}" for model in INCREMENTAL_MODELS)
    args = [
        "run",
        "--select",
        selection,
        "--vars",
        json.dumps({"cases_lookback_days": LOOKBACK_DAYS}),
    ]
    return dbt(dsn, work, *args, *(["--full-refresh"] if full_refresh else []))


def snapshot(dsn, model: str) -> list[tuple]:
    with psycopg.connect(dsn) as conn:
        rows = conn.execute(f"select * from marts.{model}").fetchall()
    return sorted(rows, key=lambda row: tuple(str(value) for value in row))


def rows_written(results: dict, model: str) -> int:
    [result] = [r for r in results["results"] if r["unique_id"].endswith(f".{model}")]
    return result["adapter_response"]["rows_affected"]


@pytest.mark.integration  # a real dbt run: slower than the unit tests
def test_incremental_run_equals_a_full_refresh(dsn, mirror, tmp_path):
    dbt(dsn, tmp_path, "seed", "--select", "states canada_regions")
    load(dsn, mirror, nyt_files(30), jhu_file(10))
    build(dsn, tmp_path, full_refresh=True)
    before = snapshot(dsn, "fct_cases_daily")

    # NYT: 4 new days and a fall inside the lookback; JHU, 20 days behind NYT (further than
    # the lookback): 4 new days and a correction of its own latest week.
    load(dsn, mirror, nyt_files(34, revised={26: 400}), jhu_file(14, revised={8: 50}))
    incremental = build(dsn, tmp_path, full_refresh=False)
    after = {model: snapshot(dsn, model) for model in INCREMENTAL_MODELS}
    build(dsn, tmp_path, full_refresh=True)
    for model in INCREMENTAL_MODELS:
        assert after[model] == snapshot(dsn, model), model

    # It was incremental: it wrote only the windows, yet the new days and the falls are there.
    total = len(after["fct_cases_daily"])
    assert total > len(before) and rows_written(incremental, "fct_cases_daily") < total / 2
    new_jhu_day = START + timedelta(days=13)
    assert any(row[1] == "10003" and row[4] == new_jhu_day for row in after["fct_cases_daily"])
    falls = {(row[1], row[4]) for row in after["fct_cases_daily"] if row[13]}  # is_correction
    assert ("10", START + timedelta(days=26)) in falls
    assert ("10003", START + timedelta(days=8)) in falls
