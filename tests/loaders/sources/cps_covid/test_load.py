import dataclasses
import gzip
from datetime import datetime

import pandas as pd
import psycopg
import pytest

from loaders.core.errors import LoadError
from loaders.core.load import load_table
from loaders.core.snapshots import snapshot_files
from loaders.sources.cps_covid.tables import (
    DISTRICT_TOTALS,
    LOCATION_FILES,
    SCHOOL_CASE_COUNTS,
    SCHOOL_LOCATIONS,
    SCHOOL_SNAPSHOTS,
    TABLES,
)
from warehouse.settings import Mirror, Settings

SCHOOLS = "allCpsCovidData.csv"
ID_HEADER = "School,Latitude,Longitude,CPS_School_ID,7Total,14Total,gTotal"
EARLY_HEADER = (
    "School,Latitude,Longitude,mer_coords_x,mer_coords_y,Q3 SY20,Q4 SY20,Summer SY20,Q1 SY21,"
    "Q2 SY21"
)
# 2021-02-10: weekly buckets 2021-01-02 and 2021-01-09 (next column 7 days later), then daily.
FEB_10 = (
    f"{ID_HEADER},20210102,20210109,20210116,20210117\n"
    "ADMINISTRATIVE,41.88235794,-87.62813012,999999,1,2,5,1,2,1,1\n"
    "ADDAMS,41.6987388,-87.53297604,609772,0,0,2,1,0,0,1\n"
    "MIDDLE NAME,41.9,-87.7,610001,0,1,3,0,2,1,0\n"
)
# 2021-03-28: school 610001 renamed again.
MAR_28 = (
    f"{ID_HEADER},20210116,20210117\n"
    "ADMINISTRATIVE,41.88235794,-87.62813012,999999,0,0,6,1,1\n"
    "ADDAMS,41.6987388,-87.53297604,609772,0,0,2,0,1\n"
    "NEW NAME ACADEMY,41.9,-87.7,610001,0,0,4,1,0\n"
)
# 2021-01-19, early layout: no ID; `20210115` is the Q2 SY21 total so far.
JAN_19 = (
    f"{EARLY_HEADER},20210115\n"
    "ADMINISTRATIVE,41.88235794,-87.62813012,-9754718.8,5143373.4,1,0,0,2,3,3\n"
    " addams ,41.6987388,-87.53297604,-9744126.3,5115958.2,0,0,0,1,1,1\n"
    "OLD NAME SCHOOL,41.9000000001,-87.7,-9762000.1,5148000.2,0,1,0,0,0,0\n"
    "GONE SCHOOL,41.5,-87.5,-9740000.1,5090000.2,0,0,1,0,2,2\n"
)


def query(dsn, sql):
    with psycopg.connect(dsn) as conn:
        return conn.execute(sql).fetchall()


def latest(table, columns):
    """Current versions of the latest capture of each day, as the staging models read them."""
    return (
        f"select {columns} from (select *, max(captured_at) over (partition by snapshot_date) "
        f"as latest from raw.cps_covid__{table} where _superseded_load_id is null) t "
        f"where captured_at = latest order by 1, 2, 3"
    )


def rejects(dsn, table):
    return query(
        dsn,
        "select line_number, reason from meta.rejected_rows "
        f"where table_name = 'cps_covid__{table}' order by line_number, reason",
    )


def test_id_layout_lands_one_row_per_school_and_one_per_dated_column(dsn, mirror):
    mirror.put("cps_covid", f"snapshots/2021-02-10_{SCHOOLS}", FEB_10)
    load_table(SCHOOL_SNAPSHOTS, dsn, mirror.settings)
    load_table(SCHOOL_CASE_COUNTS, dsn, mirror.settings)
    assert query(
        dsn,
        "select snapshot_date::text, captured_at, school_key, school_id, school_id_match, "
        "school_name, latitude, cases_cumulative, cumulative_basis, cases_7day, cases_14day, "
        "cases_q2_sy21 from raw.cps_covid__school_snapshots order by school_key",
    ) == [
        ("2021-02-10", "2021-02-10T00:00:00", "609772", 609772, "file", "ADDAMS", 41.6987388,
         2, "gTotal", 0, 0, None),
        ("2021-02-10", "2021-02-10T00:00:00", "610001", 610001, "file", "MIDDLE NAME", 41.9,
         3, "gTotal", 0, 1, None),
        ("2021-02-10", "2021-02-10T00:00:00", "999999", 999999, "file", "ADMINISTRATIVE",
         41.88235794, 5, "gTotal", 1, 2, None),
    ]  # fmt: skip
    assert query(
        dsn,
        "select school_key, report_date::text, count_kind, cases "
        "from raw.cps_covid__school_case_counts where school_key = '999999' order by 2",
    ) == [
        ("999999", "2021-01-02", "weekly", 1),
        ("999999", "2021-01-09", "weekly", 2),
        ("999999", "2021-01-16", "daily", 1),
        ("999999", "2021-01-17", "daily", 1),
    ]
    assert query(dsn, "select count(*) from raw.cps_covid__school_case_counts") == [(12,)]


def test_early_snapshot_is_matched_by_name_then_location_and_renames_stay_one_school(dsn, mirror):
    for day, content in (("2021-01-19", JAN_19), ("2021-02-10", FEB_10), ("2021-03-28", MAR_28)):
        mirror.put("cps_covid", f"snapshots/{day}_{SCHOOLS}", content)
    load_table(SCHOOL_SNAPSHOTS, dsn, mirror.settings)
    load_table(SCHOOL_CASE_COUNTS, dsn, mirror.settings)
    assert query(
        dsn,
        "select snapshot_date::text, school_key, school_id, school_id_match, school_name, "
        "cases_cumulative, cumulative_basis, cases_q3_sy20, cases_q2_sy21 "
        "from raw.cps_covid__school_snapshots where snapshot_date = '2021-01-19' order by 2",
    ) == [
        ("2021-01-19", "609772", 609772, "name", "addams", 2, "quarter_sum", 0, 1),
        ("2021-01-19", "610001", 610001, "location", "OLD NAME SCHOOL", 1, "quarter_sum", 0, 0),
        ("2021-01-19", "999999", 999999, "name", "ADMINISTRATIVE", 6, "quarter_sum", 1, 3),
        ("2021-01-19", "name:GONE SCHOOL", None, "unmatched", "GONE SCHOOL", 3, "quarter_sum",
         0, 2),
    ]  # fmt: skip
    # three names over three snapshots, one school
    assert query(
        dsn,
        "select snapshot_date::text, school_name from raw.cps_covid__school_snapshots "
        "where school_key = '610001' order by 1",
    ) == [
        ("2021-01-19", "OLD NAME SCHOOL"),
        ("2021-02-10", "MIDDLE NAME"),
        ("2021-03-28", "NEW NAME ACADEMY"),
    ]
    # the early baseline is kept, marked as a baseline rather than a day's count
    assert query(
        dsn,
        "select school_key, report_date::text, count_kind, cases "
        "from raw.cps_covid__school_case_counts where snapshot_date = '2021-01-19' order by 1",
    ) == [
        ("609772", "2021-01-15", "baseline", 1),
        ("610001", "2021-01-15", "baseline", 0),
        ("999999", "2021-01-15", "baseline", 3),
        ("name:GONE SCHOOL", "2021-01-15", "baseline", 2),
    ]


def test_a_later_capture_of_the_same_day_wins(dsn, mirror):
    mirror.put("cps_covid", f"snapshots/2021-03-28_{SCHOOLS}", MAR_28)
    later = MAR_28.replace(",6,1,1\n", ",7,1,2\n").replace(
        "ADDAMS,41.6987388,-87.53297604,609772,0,0,2,0,1\n", ""
    )
    mirror.put("cps_covid", f"snapshots/2021-03-28T1830_{SCHOOLS}", later)
    assert [f.vintage for f in SCHOOL_SNAPSHOTS.files(Settings.from_env())] == [
        "2021-03-28",
        "2021-03-28T18:30:00",
    ]
    load_table(SCHOOL_SNAPSHOTS, dsn, mirror.settings)
    load_table(SCHOOL_CASE_COUNTS, dsn, mirror.settings)
    assert query(dsn, latest("school_snapshots", "snapshot_date::text, school_key, "
                             "cases_cumulative, captured_at")) == [
        ("2021-03-28", "610001", 4, "2021-03-28T18:30:00"),
        ("2021-03-28", "999999", 7, "2021-03-28T18:30:00"),
    ]  # fmt: skip
    assert query(dsn, latest("school_case_counts", "school_key, report_date::text, cases")) == [
        ("610001", "2021-01-16", 1),
        ("610001", "2021-01-17", 0),
        ("999999", "2021-01-16", 1),
        ("999999", "2021-01-17", 2),
    ]
    # the earlier capture is kept as superseded versions (and ADDAMS, absent later, as is)
    assert query(
        dsn,
        "select school_key, cases_cumulative, _superseded_load_id is null "
        "from raw.cps_covid__school_snapshots where captured_at = '2021-03-28T00:00:00' "
        "order by 1",
    ) == [("609772", 2, True), ("610001", 4, False), ("999999", 6, False)]


MALFORMED = (
    f"{ID_HEADER},20210116,20210117\n"
    "ADMINISTRATIVE,41.88,-87.62,999999,0,0,5,1,0\n"  # 2 good
    "ADDAMS,41.69,-87.53,609772,0,0,x,0,1\n"  # 3 bad gTotal
    "AGASSIZ,41.93,-87.65,609773,0,0,3,two,0\n"  # 4 bad daily count
    ",41.82,-87.63,609774,0,0,1,0,0\n"  # 5 no school name
    "ADMINISTRATIVE,41.88,-87.62,999999,0,0,9,2,2\n"  # 6 duplicate of line 2
    "ALBANY PARK,41.97,-87.71,609775,0,0,1,-1,0\n"  # 7 a negative correction is kept
    "ALCOTT,41.9\n"  # 8 short row
)


def test_malformed_rows_are_quarantined_with_their_reason(dsn, mirror):
    mirror.put("cps_covid", f"snapshots/2021-02-10_{SCHOOLS}", MALFORMED)
    [snapshots] = load_table(
        dataclasses.replace(SCHOOL_SNAPSHOTS, reject_threshold=1.0), dsn, mirror.settings
    )
    [counts] = load_table(
        dataclasses.replace(SCHOOL_CASE_COUNTS, reject_threshold=1.0), dsn, mirror.settings
    )
    duplicate = "duplicate key ({}): first seen on line 2"
    assert rejects(dsn, "school_snapshots") == [
        (3, "cases_cumulative: an integer expected, found x"),
        (5, "missing school_name"),
        (6, duplicate.format("snapshot_date, school_key")),
        (8, "expected 9 fields, found 2"),
    ]
    assert rejects(dsn, "school_case_counts") == [
        (4, "cases: an integer expected, found two"),
        (5, "missing school_key"),
        (5, "missing school_key"),
        (6, duplicate.format("snapshot_date, school_key, report_date")),
        (6, duplicate.format("snapshot_date, school_key, report_date")),
        (8, "expected 9 fields, found 2"),
    ]
    assert (snapshots.rows_read, snapshots.rows_loaded) == (7, 3)
    assert (counts.rows_read, counts.rows_loaded) == (13, 7)
    assert query(
        dsn,
        "select school_key, report_date::text, cases from raw.cps_covid__school_case_counts "
        "where school_key in ('609773', '609775') order by 1, 2",
    ) == [("609773", "2021-01-17", 0), ("609775", "2021-01-16", -1), ("609775", "2021-01-17", 0)]
    raw_line = query(dsn, "select raw_line from meta.rejected_rows where line_number = 3")
    assert raw_line == [("ADDAMS,41.69,-87.53,609772,0,0,x,0,1",)]


def test_too_many_rejects_fail_the_load_and_land_nothing(dsn, mirror):
    mirror.put("cps_covid", f"snapshots/2021-02-10_{SCHOOLS}", MALFORMED)
    with pytest.raises(LoadError, match="above the 1% threshold; nothing was loaded"):
        load_table(SCHOOL_SNAPSHOTS, dsn, mirror.settings)
    assert query(dsn, "select count(*) from raw.cps_covid__school_snapshots") == [(0,)]
    assert query(dsn, "select status, rows_rejected from meta.load_log") == [("failed", 4)]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("School,Latitude,Longitude,gTotal,20210116\nA,1,2,3,4\n", "expected the columns"),
        (f"{ID_HEADER},20211345\nA,1,2,3,0,0,1,1\n", "'20211345' looks like a YYYYMMDD date"),
        (f"{ID_HEADER},20210116,20210116\nA,1,2,3,0,0,1,1,1\n", "20210116'? twice"),
    ],
)
def test_structural_problems_fail_with_a_message(dsn, mirror, content, message):
    mirror.put("cps_covid", f"snapshots/2021-02-10_{SCHOOLS}", content)
    for spec in (SCHOOL_SNAPSHOTS, SCHOOL_CASE_COUNTS):
        with pytest.raises(LoadError, match=message):
            load_table(spec, dsn, mirror.settings)


def test_district_totals_load_all_three_layouts(dsn, mirror):
    mirror.put(
        "cps_covid",
        "snapshots/2021-01-21_CPStotals.csv",
        "date,daily,running\n20210115,390,390\n20210116,0,390\n",
    )
    mirror.put(
        "cps_covid",
        "snapshots/2021-02-02_CPStotals.csv",
        "date,daily,running,7day\n20210115,390,390,390\n20210116,0,390,334\n",
    )
    mirror.put("cps_covid", "snapshots/2021-02-10_CPStotals.csv",
               "date,daily,running,7DaySum,7DayAvg,14DaySum,14DayAvg\n"
               "20200307,1,1,1,0.142857143,1,0.071428571\n")  # fmt: skip
    load_table(DISTRICT_TOTALS, dsn, mirror.settings)
    assert query(
        dsn,
        "select snapshot_date::text, report_date::text, cases_daily, cases_running, "
        "cases_7day_legacy, cases_7day_sum, cases_7day_avg, cases_14day_sum, cases_14day_avg "
        "from raw.cps_covid__district_totals order by 1, 2",
    ) == [
        ("2021-01-21", "2021-01-15", 390, 390, None, None, None, None, None),
        ("2021-01-21", "2021-01-16", 0, 390, None, None, None, None, None),
        ("2021-02-02", "2021-01-15", 390, 390, 390.0, None, None, None, None),
        ("2021-02-02", "2021-01-16", 0, 390, 334.0, None, None, None, None),
        ("2021-02-10", "2020-03-07", 1, 1, None, 1, 0.142857143, 1, 0.071428571),
    ]


def test_malformed_district_totals_are_quarantined(dsn, mirror):
    mirror.put(
        "cps_covid",
        "snapshots/2021-01-21_CPStotals.csv",
        "date,daily,running\n20210115,390,390\n20210116,many,390\n2021-01-17,0,390\n"
        "20210118,0,-1\n20990101,0,390\n20210115,1,391\n",
    )
    [result] = load_table(
        dataclasses.replace(DISTRICT_TOTALS, reject_threshold=1.0), dsn, mirror.settings
    )
    assert rejects(dsn, "district_totals") == [
        (3, "cases_daily: an integer expected, found many"),
        (4, "report_date: date %Y%m%d expected, found 2021-01-17"),
        (5, "negative cases_running: -1"),
        (6, "report_date in the future: 20990101"),
        (7, "duplicate key (snapshot_date, report_date): first seen on line 2"),
    ]
    assert result.rows_loaded == 1
    assert query(dsn, "select count(*) from raw.cps_covid__district_totals") == [(1,)]


def test_both_location_headers_load_as_one_list(dsn, mirror):
    mirror.put(
        "cps_covid",
        "SchoolLocations.csv",
        "School,SchoolHyphen,Latitude,Longitude\n"
        "AGASSIZ,AGASSIZ,41.9341263,-87.65622867\nAIR FORCE,AIR-FORCE,41.82,-87.63\n",
    )
    mirror.put(  # a spreadsheet re-save: the other header spelling, float noise
        "cps_covid",
        "SchoolLocations1.csv",
        "School,School-Hyphen,Latitude,Longitude\n"
        "AGASSIZ,AGASSIZ,41.934126299999996,-87.65622867\nAIR FORCE,AIR-FORCE,41.82,-87.63\n",
    )
    first, second = load_table(SCHOOL_LOCATIONS, dsn, mirror.settings)
    assert (first.rows_added, second.rows_added, second.rows_changed) == (2, 0, 0)
    assert query(
        dsn,
        "select school_name, school_slug, latitude, longitude, _load_id "
        "from raw.cps_covid__school_locations order by 1",
    ) == [
        ("AGASSIZ", "AGASSIZ", 41.9341263, -87.65622867, first.load_id),
        ("AIR FORCE", "AIR-FORCE", 41.82, -87.63, first.load_id),
    ]


def test_root_file_is_a_new_capture_only_when_it_differs_from_the_newest_snapshot(mirror):
    now = datetime(2021, 9, 1, 7, 30)
    mirror.put("cps_covid", f"snapshots/2021-03-28_{SCHOOLS}", MAR_28)
    mirror.put("cps_covid", f"snapshots/2021-02-10_{SCHOOLS}", FEB_10)
    mirror.put("cps_covid", f"snapshots/2021-02-10_{SCHOOLS}.txt", "not a capture")
    mirror.put("cps_covid", SCHOOLS, gzip.compress(MAR_28.encode()))  # same content, gzipped

    def listed():
        return [
            (f.relative_path, f.vintage)
            for f in snapshot_files(mirror.settings.sources, "cps_covid", SCHOOLS, "u", now)
        ]

    assert listed() == [
        (f"snapshots/2021-02-10_{SCHOOLS}", "2021-02-10"),
        (f"snapshots/2021-03-28_{SCHOOLS}", "2021-03-28"),
    ]
    mirror.put("cps_covid", SCHOOLS, MAR_28 + "HOPE,41.79,-87.64,610002,0,0,0,0,0\n")
    assert listed()[-1] == (SCHOOLS, "2021-09-01T07:30:00")


@pytest.mark.parametrize("mirror_setting", [None, "http://mirror.example/data"])
def test_without_a_folder_every_fetch_of_the_current_file_is_a_capture(mirror_setting):
    where = Mirror(mirror_setting)
    [current] = snapshot_files(where, "cps_covid", SCHOOLS, "https://x/a.csv", datetime(2021, 9, 1))
    assert (current.relative_path, current.vintage) == (SCHOOLS, "2021-09-01T00:00:00")


@pytest.mark.integration
def test_every_cps_file_lands_from_the_mirror(dsn, shared_data, monkeypatch):
    monkeypatch.setenv("WAREHOUSE_SOURCES", str(shared_data))
    folder = shared_data / "cps_covid"
    for spec in TABLES:
        load_table(spec, dsn, Settings.from_env())
    assert query(dsn, "select count(*) from meta.rejected_rows") == [(0,)]
    assert query(
        dsn,
        "select count(*) from meta.load_log where file_name = 'allCpsCovidData.csv'"
        " or file_name = 'CPStotals.csv'",
    ) == [(0,)]  # root copies of the newest: skipped

    expected_schools, expected_counts, cumulative, early_ids = [], [], {}, {}
    for path in sorted(folder.glob(f"snapshots/*_{SCHOOLS}")):
        day = path.name[:10]
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        dated = [c for c in frame.columns if c.isdigit() and len(c) == 8]
        expected_schools.append((day, len(frame)))
        expected_counts.append((day, len(frame) * len(dated)))
        if "gTotal" in frame.columns:
            cumulative[day] = int(frame["gTotal"].astype(int).sum())
            ids = dict(zip(frame["School"], frame["CPS_School_ID"], strict=True))
            early_ids.setdefault("ids", ids)
        else:
            quarters = ["Q3 SY20", "Q4 SY20", "Summer SY20", "Q1 SY21", "Q2 SY21"]
            cumulative[day] = int(frame[quarters].astype(int).to_numpy().sum())
    per_day = "select snapshot_date::text, count(*) from raw.cps_covid__{} group by 1 order by 1"
    assert query(dsn, per_day.format("school_snapshots")) == expected_schools
    assert query(dsn, per_day.format("school_case_counts")) == expected_counts
    raw_cumulative = dict(
        query(
            dsn,
            "select snapshot_date::text, cast(sum(cases_cumulative) as bigint) "
            "from raw.cps_covid__school_snapshots group by 1",
        )
    )
    assert raw_cumulative == cumulative
    rise = [cumulative["2021-03-28"] - cumulative["2021-02-10"],
            cumulative["2021-08-29"] - cumulative["2021-03-28"]]  # fmt: skip
    assert rise == [47, 1041]  # as SOURCES.md documents
    assert [raw_cumulative["2021-03-28"] - raw_cumulative["2021-02-10"],
            raw_cumulative["2021-08-29"] - raw_cumulative["2021-03-28"]] == rise  # fmt: skip

    # every early (ID-less) school gets the ID the first ID-bearing snapshot gives its name
    early = query(
        dsn,
        "select school_name, school_key, school_id_match from "
        "raw.cps_covid__school_snapshots where cumulative_basis = 'quarter_sum'",
    )
    assert len(early) == 2 * 517
    assert {(name, key, how) for name, key, how in early} == {
        (name, early_ids["ids"][name], "name") for name, _, _ in early
    }

    totals = sorted(folder.glob("snapshots/*_CPStotals.csv"))
    expected_totals = [(p.name[:10], len(pd.read_csv(p, dtype=str))) for p in totals]
    assert query(dsn, per_day.format("district_totals")) == expected_totals
    # the two location files name the same schools; the second adds no version
    names = [set(pd.read_csv(folder / f, dtype=str)["School"]) for f in LOCATION_FILES]
    assert names[0] == names[1]
    assert query(
        dsn, "select count(*), count(distinct _load_id) from raw.cps_covid__school_locations"
    ) == [(len(names[0]), 1)]
