"""Loading the Opportunity Insights files into Postgres: a bad file lands nothing, the ledger
records unknown columns, revisions add versions only for what changed, the two Policy
Milestones layouts never supersede each other, and every real file of the mirror lands (how the
files are read: test_parse.py)."""

from dataclasses import replace
from datetime import date
from pathlib import Path

import pandas as pd
import psycopg
import pytest

from loaders.core.errors import LoadError
from loaders.core.load import load_table
from loaders.sources import oi_economic_tracker as oi
from loaders.sources.oi_economic_tracker.policy import POLICY_MILESTONES_STATE as POLICY
from loaders.sources.oi_economic_tracker.series import (
    AFFINITY_STATE_DAILY,
    COVID_STATE_DAILY,
    WOMPLY_REVENUE_COUNTY_DAILY,
)
from tests.loaders.sources.oi_economic_tracker.files import (
    AFFINITY_HEAD,
    COVID_HEAD,
    LONG,
    REVENUE,
    VINTAGE_PATH,
    WIDE,
)
from warehouse.settings import Settings

OI = "oi_economic_tracker"
D = date


def query(dsn, sql, params=None):
    with psycopg.connect(dsn) as conn:
        return conn.execute(sql, params).fetchall()


def current(dsn, spec, columns):
    key = ", ".join(spec.contract.natural_key)
    return query(
        dsn,
        f"select {columns} from raw.{spec.table} where _superseded_load_id is null order by {key}",
    )


def load(spec, dsn, mirror, content, **changes):
    mirror.put(OI, spec.file_name, content)
    return load_table(
        replace(spec, **changes) if changes else spec, dsn, mirror.settings, force=True
    )


def test_a_structural_fault_fails_the_load_and_writes_nothing(dsn, mirror):
    with pytest.raises(LoadError, match="missing column 'revenue_all'"):
        load(WOMPLY_REVENUE_COUNTY_DAILY, dsn, mirror, "year,month,day,countyfips,revenue\n"
             "2020,1,10,10003,-.0881\n")  # fmt: skip
    assert query(dsn, f"select count(*) from raw.{WOMPLY_REVENUE_COUNTY_DAILY.table}") == [(0,)]
    assert query(dsn, "select status from meta.load_log") == [("failed",)]
    assert query(dsn, "select count(*) from meta.rejected_rows") == [(0,)]


def test_above_the_threshold_nothing_lands_and_rejects_are_kept(dsn, mirror):
    with pytest.raises(LoadError, match="1 of 3 rows broke the contract"):
        load(WOMPLY_REVENUE_COUNTY_DAILY, dsn, mirror, REVENUE + "2020,1,12,10003,x\n")
    assert query(dsn, f"select count(*) from raw.{WOMPLY_REVENUE_COUNTY_DAILY.table}") == [(0,)]
    assert query(dsn, "select line_number from meta.rejected_rows") == [(4,)]


def test_the_ledger_records_the_columns_each_load_did_not_know(dsn, mirror):
    load(COVID_STATE_DAILY, dsn, mirror, COVID_HEAD + "2021,3,1,10,1200,12,88000,1400,1,2,3,4\n")
    later = COVID_HEAD.replace(",case_count,", ",case_count,hospitalized_count,icu_count,")
    revised = later + "2021,3,2,10,1300,13,89000,150,7,1410,1,2,3,4\n"
    [result] = load(COVID_STATE_DAILY, dsn, mirror, revised)
    assert result.status == "succeeded" and result.extra_columns == ["icu_count"]
    assert query(dsn, "select extra_columns from meta.load_log order by load_id") == [
        ([],),
        (["icu_count"],),
    ]
    assert current(dsn, COVID_STATE_DAILY, "date, death_count, hospitalized_count, case_rate") == [
        (D(2021, 3, 1), 1400.0, None, 2.0),
        (D(2021, 3, 2), 1410.0, 150.0, 2.0),
    ]


def test_a_revised_vintage_adds_versions_only_for_changed_rows(dsn, mirror):
    first = AFFINITY_HEAD + "2021,5,30,10,d,.101,0\n2021,5,31,10,d,.12,1\n2021,6,6,10,w,.13,1\n"
    revised = AFFINITY_HEAD + (
        "2021,5,30,10,d,.101,0\n2021,5,31,10,d,.125,0\n2021,6,6,10,d,.13,0\n2021,6,13,10,w,.14,1\n"
    )
    [one] = load(AFFINITY_STATE_DAILY, dsn, mirror, first)
    [two] = load(AFFINITY_STATE_DAILY, dsn, mirror, revised)
    assert (two.rows_added, two.rows_changed) == (1, 2)
    versions = query(
        dsn,
        "select date, freq, spend_all, provisional, _load_id, _superseded_load_id "
        f"from raw.{AFFINITY_STATE_DAILY.table} order by date, _load_id",
    )
    assert versions == [
        (D(2021, 5, 30), "d", 0.101, False, one.load_id, None),
        (D(2021, 5, 31), "d", 0.12, True, one.load_id, two.load_id),
        (D(2021, 5, 31), "d", 0.125, False, two.load_id, None),
        (D(2021, 6, 6), "w", 0.13, True, one.load_id, two.load_id),
        (D(2021, 6, 6), "d", 0.13, False, two.load_id, None),
        (D(2021, 6, 13), "w", 0.14, True, two.load_id, None),
    ]
    [again] = load(AFFINITY_STATE_DAILY, dsn, mirror, revised)
    assert (again.rows_added, again.rows_changed) == (0, 0)


def test_both_policy_layouts_land_in_one_table_and_never_supersede_each_other(dsn, mirror):
    mirror.put(OI, VINTAGE_PATH, WIDE)
    mirror.put(OI, POLICY.file_name, LONG)
    wide, long = load_table(POLICY, dsn, mirror.settings)
    assert (wide.rows_loaded, long.rows_loaded, long.rows_changed) == (6, 3, 0)
    assert query(dsn, "select file_name, vintage from meta.load_log order by load_id") == [
        (VINTAGE_PATH, "2020-11-13"),
        (POLICY.file_name, None),
    ]
    assert query(
        dsn,
        f"select layout, count(*) from raw.{POLICY.table} where _superseded_load_id is null "
        "group by 1 order by 1",
    ) == [("long", 3), ("wide", 6)]
    again = load_table(POLICY, dsn, mirror.settings, force=True)
    assert [(r.rows_added, r.rows_changed) for r in again] == [(0, 0), (0, 0)]


# Integration: every file of the real mirror ---------------------------------------------------


def expected_counts(folder: Path) -> dict[str, int]:
    """Raw rows per table, counted from the files themselves."""

    def rows(name):
        return pd.read_csv(folder / name, dtype=str, keep_default_na=False, encoding="utf-8-sig")

    counts = {s.table: len(rows(s.file_name)) for s in oi.TABLES if s is not POLICY}
    wide = rows(VINTAGE_PATH).drop(columns=["statename", "statefips"])
    counts[f"{POLICY.table} long"] = len(rows(POLICY.file_name))
    counts[f"{POLICY.table} wide"] = int((wide != "").to_numpy().sum())
    return counts


@pytest.mark.integration
def test_every_real_oi_file_lands_with_no_rejects(dsn, shared_data, monkeypatch):
    monkeypatch.setenv("WAREHOUSE_SOURCES", str(shared_data))
    folder = shared_data / OI
    for spec in oi.TABLES:
        load_table(spec, dsn, Settings.from_env())
    files = {
        p.relative_to(folder).as_posix()
        for p in folder.rglob("*")
        if p.is_file() and p.relative_to(folder).parts[0] != "docs"
    }
    logged = query(dsn, "select file_name, status, rows_rejected from meta.load_log")
    assert {name for name, _, _ in logged} == files
    assert {(status, rejected) for _, status, rejected in logged} == {("succeeded", 0)}
    assert query(dsn, "select count(*) from meta.rejected_rows") == [(0,)]

    found = {}
    for spec in oi.TABLES:
        for layout, count in query(
            dsn,
            f"select {'layout' if spec is POLICY else 'null'}, count(*) from raw.{spec.table} "
            "where _superseded_load_id is null group by 1",
        ):
            found[f"{spec.table} {layout}" if layout else spec.table] = count
    assert found == expected_counts(folder)

    affinity = pd.read_csv(folder / AFFINITY_STATE_DAILY.file_name, dtype=str)
    assert query(
        dsn, f"select freq, count(*) from raw.{AFFINITY_STATE_DAILY.table} group by 1 order by 1"
    ) == sorted(affinity["freq"].value_counts().items())
    assert query(dsn, f"select statename from raw.{POLICY.table} where date = '2022-12-20'") == [
        ("Tennessee",)
    ]
    again = [r.status for spec in oi.TABLES for r in load_table(spec, dsn, Settings.from_env())]
    assert set(again) == {"unchanged"}
