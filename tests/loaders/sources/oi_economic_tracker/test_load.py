"""Opportunity Insights loaders: each file's quirks, a corpus of bad files, revisions, the two
Policy Milestones layouts, and every real file of the mirror."""

from dataclasses import replace
from datetime import date
from pathlib import Path

import pandas as pd
import psycopg
import pytest

from loaders.core.errors import LoadError
from loaders.core.load import load_table
from loaders.core.spec import SourceFile
from loaders.sources import oi_economic_tracker as oi
from loaders.sources.oi_economic_tracker.geoids import GEOIDS_CITY, GEOIDS_COUNTY, GEOIDS_STATE
from loaders.sources.oi_economic_tracker.policy import POLICY_MILESTONES_STATE as POLICY
from loaders.sources.oi_economic_tracker.series import (
    AFFINITY_COUNTY_WEEKLY,
    AFFINITY_STATE_DAILY,
    COVID_STATE_DAILY,
    WOMPLY_MERCHANTS_COUNTY_DAILY,
    WOMPLY_REVENUE_COUNTY_DAILY,
)
from warehouse.settings import Settings

OI = "oi_economic_tracker"
D = date
REVENUE_HEAD = "year,month,day,countyfips,revenue_all\n"
REVENUE = REVENUE_HEAD + "2020,1,10,10003,-.0881\n2020,1,11,10003,.\n"
AFFINITY_HEAD = "year,month,day,statefips,freq,spend_all,provisional\n"
COVID_HEAD = (
    "year,month,day,statefips,new_case_count,new_death_count,case_count,death_count,"
    "new_case_rate,case_rate,new_death_rate,death_rate\n"
)
WIDE_HEAD = (
    "\ufeffstatename,statefips,schools_closed,nonessential_biz_closed,stayathome_start,"
    "regional_biz_opened,regional_stayathome_end,statewide_biz_opened,"
    "statewide_stayathome_end,regional_biz_reclosed,statewide_biz_reclosed\r\n"
)
WIDE = (
    WIDE_HEAD + "Delaware,10,2020-03-16,2020-03-24,2020-03-24,,,2020-06-01,2020-05-31,,\r\n"
    "South Dakota,46,2020-03-16,,,,,,,,\r\n"
)
LONG_HEAD = (
    "statefips,statename,date,policy_description,schools_first_closed,"
    "nonessential_biz_first_closed,stayathome_first_start\n"
)
LONG = LONG_HEAD + (
    "10,Delaware,2020-03-16,Delaware public schools closed,1,0,0\n"
    '10,Delaware,2020-03-24,"Delaware issued stay at home order, closed businesses",0,1,1\n'
    "47,Tennessee,2022-12-20,Tennessee reopened businesses,0,0,0\n"
)


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


GOOD_FILES = [
    pytest.param(
        WOMPLY_REVENUE_COUNTY_DAILY,
        REVENUE + "2020,12,1,17031,.0000543\n",
        "date, countyfips, revenue_all",
        [(D(2020, 1, 10), 10003, -0.0881), (D(2020, 1, 11), 10003, None),
         (D(2020, 12, 1), 17031, 0.0000543)],
        id="womply-revenue-county",
    ),
    pytest.param(
        WOMPLY_MERCHANTS_COUNTY_DAILY,
        "year,month,day,countyfips,merchants_all\n2020,3,9,10001,-.256\n",
        "date, countyfips, merchants_all",
        [(D(2020, 3, 9), 10001, -0.256)],
        id="womply-merchants-county",
    ),
    pytest.param(
        AFFINITY_STATE_DAILY,
        AFFINITY_HEAD + "2021,6,12,1,d,.171,1\n2021,6,13,1,w,.,1\n2020,1,1,2,d,-.05,0\n",
        "date, statefips, freq, spend_all, spend_aap, provisional",
        [(D(2020, 1, 1), 2, "d", -0.05, None, False), (D(2021, 6, 12), 1, "d", 0.171, None, True),
         (D(2021, 6, 13), 1, "w", None, None, True)],
        id="affinity-state-optional-columns-absent",
    ),
    pytest.param(
        AFFINITY_COUNTY_WEEKLY,
        "year,month,day_endofweek,countyfips,spend_all\r\n2020,1,12,10001,-.0811\r\n"
        "2020,7,5,17031,.00807\r\n",
        "date_endofweek, countyfips, spend_all",
        [(D(2020, 1, 12), 10001, -0.0811), (D(2020, 7, 5), 17031, 0.00807)],
        id="affinity-county-weekly-crlf",
    ),
    pytest.param(
        COVID_STATE_DAILY,
        COVID_HEAD + "2020,1,21,1,.,.,.,.,.,.,.,.\n"
        "2021,3,1,10,1200,12,88000,1400,123,9037,1.2,143\n",
        "date, statefips, new_case_count, case_count, death_rate, vaccine_count",
        [(D(2020, 1, 21), 1, None, None, None, None),
         (D(2021, 3, 1), 10, 1200.0, 88000.0, 143.0, None)],
        id="covid-state-dots",
    ),
    pytest.param(
        GEOIDS_STATE,
        "statefips,statename,stateabbrev,state_pop2019\n1,Alabama,AL,4903185\n",
        "statefips, statename, stateabbrev, state_pop2019",
        [(1, "Alabama", "AL", 4903185)],
        id="geoids-state",
    ),
    pytest.param(
        GEOIDS_COUNTY,
        "countyfips,countyname,cityid,cityname,cz,czname,statename,statefips,stateabbrev,"
        "county_pop2019\n1001,Autauga,,,11101,Montgomery,Alabama,1,AL,55869\n"
        "15005,Kalawao,,,,,Hawaii,15,HI,86\n17031,Cook,3,Chicago,24300,Chicago,Illinois,17,IL,"
        "5150233\n",
        "countyfips, cityid, cityname, cz, statefips, county_pop2019",
        [(1001, None, None, 11101, 1, 55869), (15005, None, None, None, 15, 86),
         (17031, 3, "Chicago", 24300, 17, 5150233)],
        id="geoids-county-blank-city",
    ),
    pytest.param(
        GEOIDS_CITY,
        "cityid,cityname,stateabbrev,statename,statefips,lat,lon,city_pop2019\n"
        "3,Chicago,IL,Illinois,17,41.88,-87.63,5150233\n",
        "cityid, cityname, statefips, lat, lon, city_pop2019",
        [(3, "Chicago", 17, 41.88, -87.63, 5150233)],
        id="geoids-city",
    ),
]  # fmt: skip


@pytest.mark.parametrize(("spec", "content", "columns", "expected"), GOOD_FILES)
def test_each_file_lands_with_its_quirks_fixed(dsn, mirror, spec, content, columns, expected):
    [result] = load(spec, dsn, mirror, content)
    assert (result.status, result.rows_rejected, result.extra_columns) == ("succeeded", 0, [])
    assert current(dsn, spec, columns) == expected


def rejected(*rejects):
    return {"rejects": list(rejects)}


BAD_FILES = [
    pytest.param(REVENUE + "2020,1,12,10003,-.08.1\n",
                 rejected((4, "2020,1,12,10003,-.08.1",
                           "revenue_all: a number expected, found -.08.1")), id="bad-decimal"),
    pytest.param(REVENUE + "2020,13,10,10003,.01\n",
                 rejected((4, "2020,13,10,10003,.01",
                           "date: date %Y-%m-%d expected, found 2020-13-10")), id="bad-month"),
    pytest.param(REVENUE + "2020,1,10,10003,-.05\n",
                 rejected((4, "2020,1,10,10003,-.05",
                           "duplicate key (date, countyfips): first seen on line 2")),
                 id="duplicate-key"),
    pytest.param(REVENUE + "2020,1,12,.,.01\n",
                 rejected((4, "2020,1,12,.,.01", "missing countyfips")), id="missing-fips"),
    pytest.param(REVENUE + "2020,1,12,10O03,.01\n",
                 rejected((4, "2020,1,12,10O03,.01",
                           "countyfips: an integer expected, found 10O03")), id="bad-fips"),
    pytest.param(REVENUE + "2099,1,1,10003,.01\n",
                 rejected((4, "2099,1,1,10003,.01", "date in the future: 2099-01-01")),
                 id="future-date"),
    pytest.param(REVENUE + "2020,1,12,10003,.01,7\n",
                 rejected((4, "2020,1,12,10003,.01,7", "expected 5 fields, found 6")),
                 id="extra-field"),
    pytest.param("year,month,day,countyfips,revenue\n2020,1,10,10003,-.0881\n",
                 {"error": "missing column 'revenue_all'"}, id="missing-value-column"),
    pytest.param("year,day,countyfips,revenue_all\n2020,10,10003,-.0881\n",
                 {"error": "missing column 'month'"}, id="missing-month-column"),
    pytest.param("", {"error": "found an empty file"}, id="empty-file"),
    pytest.param("<!DOCTYPE html><html>rate limited</html>\n", {"error": "found an HTML"},
                 id="html-page"),
]  # fmt: skip


@pytest.mark.parametrize(("content", "outcome"), BAD_FILES)
def test_a_bad_file_quarantines_the_row_or_fails_whole(dsn, mirror, content, outcome):
    spec = replace(WOMPLY_REVENUE_COUNTY_DAILY, reject_threshold=1.0)
    if "error" in outcome:
        with pytest.raises(LoadError, match=outcome["error"]):
            load(spec, dsn, mirror, content)
        assert query(dsn, f"select count(*) from raw.{spec.table}") == [(0,)]
        assert query(dsn, "select status from meta.load_log") == [("failed",)]
    else:
        [result] = load(spec, dsn, mirror, content)
        assert result.rows_rejected == len(outcome["rejects"])
        assert current(dsn, spec, "date, countyfips, revenue_all") == [
            (D(2020, 1, 10), 10003, -0.0881),
            (D(2020, 1, 11), 10003, None),
        ]
    assert query(
        dsn, "select line_number, raw_line, reason from meta.rejected_rows order by 1"
    ) == outcome.get("rejects", [])


@pytest.mark.parametrize(
    ("spec", "content", "reason"),
    [
        (AFFINITY_STATE_DAILY, AFFINITY_HEAD + "2021,6,1,1,d,.1,2\n", "provisional: true/false "
         "expected, found 2"),
        (AFFINITY_STATE_DAILY, AFFINITY_HEAD + "2021,6,1,1,.,.1,0\n", "missing freq"),
        (COVID_STATE_DAILY, COVID_HEAD + "2021,3,1,10,1,0,-5,0,1,1,0,0\n",
         "negative case_count: -5"),
        (GEOIDS_STATE, "statefips,statename,stateabbrev,state_pop2019\n,Alabama,AL,4903185\n",
         "missing statefips"),
        (POLICY, WIDE_HEAD + "Delaware,10,2020-03-3x,,,,,,,,\r\n",
         "date: date %Y-%m-%d expected, found 2020-03-3x"),
    ],
)  # fmt: skip
def test_other_contract_breaches_are_quarantined(dsn, mirror, spec, content, reason):
    [result] = load(spec, dsn, mirror, content, reject_threshold=1.0)
    assert (result.rows_read, result.rows_rejected) == (1, 1)
    assert query(dsn, "select line_number, reason from meta.rejected_rows") == [(2, reason)]


def test_above_the_threshold_nothing_lands_and_rejects_are_kept(dsn, mirror):
    with pytest.raises(LoadError, match="1 of 3 rows broke the contract"):
        load(WOMPLY_REVENUE_COUNTY_DAILY, dsn, mirror, REVENUE + "2020,1,12,10003,x\n")
    assert query(dsn, f"select count(*) from raw.{WOMPLY_REVENUE_COUNTY_DAILY.table}") == [(0,)]
    assert query(dsn, "select line_number from meta.rejected_rows") == [(4,)]


def test_covid_columns_inserted_mid_row_load_by_name_and_unknown_ones_are_reported(dsn, mirror):
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


VINTAGE_PATH = "vintage_2020-11-13/Policy Milestones - State.csv"


def test_policy_files_list_the_mirror_vintage_first(mirror, monkeypatch):
    official = POLICY.official_url
    assert POLICY.files(Settings.from_env()) == [
        SourceFile(POLICY.file_name, official)
    ]  # no vintage folder
    mirror.put(OI, VINTAGE_PATH, WIDE)
    [vintage, now] = POLICY.files(Settings.from_env())
    assert (vintage.relative_path, vintage.vintage) == (VINTAGE_PATH, "2020-11-13")
    assert "ba81ca353805e948b9420ccec5e7b4860ccb46e6" in vintage.official_url
    assert now == SourceFile(POLICY.file_name, official)
    for elsewhere in ("http://mirror.example/data", ""):
        monkeypatch.setenv("WAREHOUSE_SOURCES", elsewhere)
        assert POLICY.files(Settings.from_env()) == [SourceFile(POLICY.file_name, official)]


def test_both_policy_layouts_land_in_one_table_and_never_supersede_each_other(dsn, mirror):
    mirror.put(OI, VINTAGE_PATH, WIDE)
    mirror.put(OI, POLICY.file_name, LONG)
    wide, long = load_table(POLICY, dsn, mirror.settings)
    assert (wide.rows_loaded, long.rows_loaded, long.rows_changed) == (6, 3, 0)
    assert query(dsn, "select file_name, vintage from meta.load_log order by load_id") == [
        (VINTAGE_PATH, "2020-11-13"),
        (POLICY.file_name, None),
    ]
    columns = (
        "layout, statefips, statename, date, policy_description, schools_first_closed, "
        "nonessential_biz_first_closed, stayathome_first_start"
    )
    rows = query(
        dsn,
        f"select {columns} from raw.{POLICY.table} where _superseded_load_id is null "
        "order by layout, statefips, date, policy_description",
    )
    d, sd = (10, "Delaware"), (46, "South Dakota")
    assert rows == [
        ("long", *d, D(2020, 3, 16), "Delaware public schools closed", True, False, False),
        ("long", *d, D(2020, 3, 24), "Delaware issued stay at home order, closed businesses",
         False, True, True),
        ("long", 47, "Tennessee", D(2022, 12, 20), "Tennessee reopened businesses",
         False, False, False),  # after the vintage's commit, before today: kept as published
        ("wide", *d, D(2020, 3, 16), "Delaware closed public schools [schools_closed]",
         True, False, False),
        ("wide", *d, D(2020, 3, 24), "Delaware issued stay at home order [stayathome_start]",
         False, False, True),
        ("wide", *d, D(2020, 3, 24), "Delaware ordered closed all non-essential businesses "
         "[nonessential_biz_closed]", False, True, False),
        ("wide", *d, D(2020, 5, 31), "Delaware ended stay at home order statewide "
         "[statewide_stayathome_end]", False, False, False),
        ("wide", *d, D(2020, 6, 1), "Delaware reopened businesses statewide "
         "[statewide_biz_opened]", False, False, False),
        ("wide", *sd, D(2020, 3, 16), "South Dakota closed public schools [schools_closed]",
         True, False, False),
    ]  # fmt: skip
    again = load_table(POLICY, dsn, mirror.settings, force=True)
    assert [(r.rows_added, r.rows_changed) for r in again] == [(0, 0), (0, 0)]


def test_an_unknown_column_in_the_wide_layout_is_reported(dsn, mirror):
    content = "statename,statefips,schools_closed,mask_mandate\nDelaware,10,2020-03-16,2020-04-28\n"
    [result] = load(POLICY, dsn, mirror, content)
    assert (result.extra_columns, result.rows_loaded) == (["mask_mandate"], 1)
    assert current(dsn, POLICY, "date, policy_description, layout") == [
        (D(2020, 3, 16), "Delaware closed public schools [schools_closed]", "wide")
    ]


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
