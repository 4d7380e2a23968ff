"""Loading the JHU CSSE files into Postgres: an unchanged file is skipped, revisions add
versions only for what changed, a bad file lands nothing, each daily report is its own
vintage, and every real file of the mirror lands (how the files are read: test_parse.py)."""

import gzip
import re
from dataclasses import replace
from datetime import date

import pandas as pd
import psycopg
import pytest

from loaders.core.errors import LoadError
from loaders.core.load import load_table
from loaders.sources import jhu_csse
from loaders.sources.jhu_csse.daily_reports import DAILY_REPORTS_US
from loaders.sources.jhu_csse.time_series import (
    CONFIRMED_GLOBAL,
    DEATHS_GLOBAL,
    DEATHS_US,
    UID_LOOKUP,
)
from tests.loaders.sources.jhu_csse.files import KENT, OLD_REPORT, REPORT, REPORTS, US, US_HEAD
from warehouse.settings import Settings

JHU = "jhu_csse"
D = date


def query(dsn, sql):
    with psycopg.connect(dsn) as conn:
        return conn.execute(sql).fetchall()


def current(dsn, spec, columns):
    table = f"raw.{spec.table}"
    return query(
        dsn, f"select {columns} from {table} where _superseded_load_id is null order by 1, 2"
    )


def load(spec, dsn, mirror, content, **changes):
    mirror.put(JHU, spec.file_name, content)
    return load_table(
        replace(spec, **changes) if changes else spec, dsn, mirror.settings, force=True
    )


# The wide time series ---------------------------------------------------------------------------


def test_the_gzip_copy_loads_and_an_unchanged_file_is_skipped(dsn, mirror):
    mirror.put(JHU, f"{DEATHS_US.file_name}.gz", gzip.compress(US.encode()))
    [first] = load_table(DEATHS_US, dsn, mirror.settings)
    [second] = load_table(DEATHS_US, dsn, mirror.settings)
    assert (first.status, first.rows_added, second.status) == ("succeeded", 12, "unchanged")


def test_a_revised_file_adds_versions_only_for_changed_values(dsn, mirror):
    load(DEATHS_US, dsn, mirror, US_HEAD + f"{KENT},0,1\n")
    [revised] = load(DEATHS_US, dsn, mirror, US_HEAD.replace("1/23/20", "1/23/20,1/24/20") + (
        f"{KENT},0,2,2\n"
    ))  # fmt: skip
    assert (revised.rows_added, revised.rows_changed) == (1, 1)
    assert query(
        dsn,
        f"select date, deaths, _superseded_load_id is null from raw.{DEATHS_US.table} "
        "order by date, _load_id",
    ) == [
        (D(2020, 1, 22), 0, True),
        (D(2020, 1, 23), 1, False),
        (D(2020, 1, 23), 2, True),
        (D(2020, 1, 24), 2, True),
    ]


def test_a_broken_header_fails_the_load_and_writes_nothing(dsn, mirror):
    error = "column 14 '1/32/20': expected a date header M/D/YY, found an impossible date"
    with pytest.raises(LoadError, match=re.escape(error)):
        load(DEATHS_US, dsn, mirror, f"{US_HEAD.replace('1/23/20', '1/32/20')}{KENT},0,1\n")
    assert query(dsn, f"select count(*) from raw.{DEATHS_US.table}") == [(0,)]
    [(status, logged)] = query(dsn, "select status, error from meta.load_log")
    assert status == "failed" and logged.startswith(f"{JHU}/{DEATHS_US.file_name}: {error}")
    assert query(dsn, "select count(*) from meta.rejected_rows") == [(0,)]


def test_above_the_threshold_nothing_lands(dsn, mirror):
    with pytest.raises(LoadError, match=re.escape("1 of 12 rows broke the contract")):
        load(DEATHS_US, dsn, mirror, US.replace("55641,0,0", "55641,0,?"))
    assert query(dsn, f"select count(*) from raw.{DEATHS_US.table}") == [(0,)]
    assert query(dsn, "select reason from meta.rejected_rows") == [
        ("deaths: an integer expected, found ? (column 1/23/20)",)
    ]


# The daily US state reports --------------------------------------------------------------------


def test_daily_reports_load_oldest_first_each_dated_by_its_file_name(dsn, mirror):
    mirror.put(JHU, f"{REPORTS}/04-12-2020.csv", OLD_REPORT)
    mirror.put(JHU, f"{REPORTS}/01-05-2021.csv.gz", gzip.compress(REPORT.encode()))
    mirror.put(JHU, f"{REPORTS}/README.md", "not a report")
    results = load_table(DAILY_REPORTS_US, dsn, mirror.settings)
    assert [(r.file_name, r.rows_loaded, r.rows_rejected) for r in results] == [
        (f"{REPORTS}/04-12-2020.csv", 2, 0),
        (f"{REPORTS}/01-05-2021.csv", 2, 0),
    ]
    assert query(dsn, "select vintage from meta.load_log order by load_id") == [
        ("2020-04-12",),
        ("2021-01-05",),
    ]
    assert current(dsn, DAILY_REPORTS_US, "report_date, province_state") == [
        (D(2020, 4, 12), "Alabama"),
        (D(2020, 4, 12), "Recovered"),
        (D(2021, 1, 5), "Alabama"),
        (D(2021, 1, 5), "Diamond Princess"),
    ]


def test_a_revised_report_adds_versions_only_for_its_changed_rows(dsn, mirror):
    mirror.put(JHU, f"{REPORTS}/01-05-2021.csv", REPORT)
    load_table(DAILY_REPORTS_US, dsn, mirror.settings)
    mirror.put(JHU, f"{REPORTS}/01-05-2021.csv", REPORT.replace(",374095,4878,", ",374100,4878,"))
    [revised] = load_table(DAILY_REPORTS_US, dsn, mirror.settings)
    assert (revised.rows_added, revised.rows_changed) == (0, 1)
    assert current(dsn, DAILY_REPORTS_US, "province_state, confirmed") == [
        ("Alabama", 374100),
        ("Diamond Princess", 49),
    ]


# Integration: every file of the real mirror ----------------------------------------------------

DATE_HEADER = re.compile(r"\d{1,2}/\d{1,2}/\d{2}")


def expected_counts(folder):
    """Raw rows per table, counted from the files themselves (places x day columns)."""

    def read(path):
        return pd.read_csv(path, dtype=str, keep_default_na=False)

    counts = {}
    for spec, name in [
        (CONFIRMED_GLOBAL, CONFIRMED_GLOBAL.file_name),
        (DEATHS_GLOBAL, DEATHS_GLOBAL.file_name),
        (DEATHS_US, f"{DEATHS_US.file_name}.gz"),
    ]:
        frame = read(folder / name)
        days = [c for c in frame.columns if DATE_HEADER.fullmatch(c)]
        counts[spec.table] = len(frame) * len(days)
    counts[UID_LOOKUP.table] = len(read(folder / UID_LOOKUP.file_name))
    reports = sorted((folder / REPORTS).glob("*.csv"))
    counts[DAILY_REPORTS_US.table] = sum(len(read(path)) for path in reports)
    return counts


@pytest.mark.integration
def test_every_real_jhu_file_lands_with_no_rejects(dsn, shared_data, monkeypatch):
    monkeypatch.setenv("WAREHOUSE_SOURCES", str(shared_data))
    folder = shared_data / JHU
    for spec in jhu_csse.TABLES:
        load_table(spec, dsn, Settings.from_env())
    on_disk = {
        p.relative_to(folder).as_posix().removesuffix(".gz")
        for p in folder.rglob("*")
        if p.is_file() and p.relative_to(folder).parts[0] != "slices"
    }
    logged = query(dsn, "select file_name, status, rows_rejected from meta.load_log")
    assert {name for name, _, _ in logged} == on_disk
    assert {(status, rejected) for _, status, rejected in logged} == {("succeeded", 0)}
    assert query(dsn, "select count(*) from meta.rejected_rows") == [(0,)]

    found = {
        spec.table: query(
            dsn, f"select count(*) from raw.{spec.table} where _superseded_load_id is null"
        )[0][0]
        for spec in jhu_csse.TABLES
    }
    assert found == expected_counts(folder)

    us_deaths = pd.read_csv(folder / f"{DEATHS_US.file_name}.gz", dtype=str)
    last_day = us_deaths.columns[-1]
    assert last_day == "1/5/21"
    assert query(
        dsn, f"select sum(deaths) from raw.{DEATHS_US.table} where date = '2021-01-05'"
    ) == [(int(us_deaths[last_day].astype(int).sum()),)]
    assert query(
        dsn,
        f"select admin2, fips from raw.{DEATHS_US.table} where date = '2020-01-22' "
        "and admin2 in ('Out of DE', 'Unassigned') and province_state = 'Delaware' order by 1",
    ) == [("Out of DE", "80010"), ("Unassigned", "90010")]
    assert query(
        dsn,
        f"select combined_key, province_state from raw.{CONFIRMED_GLOBAL.table} "
        "where country_region = 'US' group by 1, 2",
    ) == [("US", None)]
    again = [
        r.status for spec in jhu_csse.TABLES for r in load_table(spec, dsn, Settings.from_env())
    ]
    assert set(again) == {"unchanged"}
