"""Loading the CPS files into Postgres: snapshots land over each other (a later capture of a
day wins, a renamed school keeps its key), too many rejects land nothing, the second location
file adds no version, and every real file of the mirror lands (how the files are read:
test_parse.py)."""

import pandas as pd
import psycopg
import pytest

from loaders.core.errors import LoadError
from loaders.core.load import load_table
from loaders.sources.cps_covid.tables import (
    LOCATION_FILES,
    SCHOOL_CASE_COUNTS,
    SCHOOL_LOCATIONS,
    SCHOOL_SNAPSHOTS,
    TABLES,
)
from tests.loaders.sources.cps_covid.files import FEB_10, JAN_19, MALFORMED, MAR_28, SCHOOLS
from warehouse.settings import Settings


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


def test_snapshots_land_over_each_other_and_a_renamed_school_stays_one_key(dsn, mirror):
    for day, content in (("2021-01-19", JAN_19), ("2021-02-10", FEB_10), ("2021-03-28", MAR_28)):
        mirror.put("cps_covid", f"snapshots/{day}_{SCHOOLS}", content)
    loaded = load_table(SCHOOL_SNAPSHOTS, dsn, mirror.settings)
    assert [(r.status, r.rows_loaded) for r in loaded] == [
        ("succeeded", 4),
        ("succeeded", 3),
        ("succeeded", 3),
    ]
    # the early (ID-less) snapshot got its IDs from the later ones in the mirror
    assert query(
        dsn,
        "select school_key, school_id_match from raw.cps_covid__school_snapshots "
        "where snapshot_date = '2021-01-19' order by 1",
    ) == [("609772", "name"), ("610001", "location"), ("999999", "name"),
          ("name:GONE SCHOOL", "unmatched")]  # fmt: skip
    # three names over three snapshots, one school, every version current
    assert query(
        dsn,
        "select snapshot_date::text, school_name, _superseded_load_id is null "
        "from raw.cps_covid__school_snapshots where school_key = '610001' order by 1",
    ) == [
        ("2021-01-19", "OLD NAME SCHOOL", True),
        ("2021-02-10", "MIDDLE NAME", True),
        ("2021-03-28", "NEW NAME ACADEMY", True),
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


def test_too_many_rejects_fail_the_load_and_land_nothing(dsn, mirror):
    mirror.put("cps_covid", f"snapshots/2021-02-10_{SCHOOLS}", MALFORMED)
    with pytest.raises(LoadError, match="above the 1% threshold; nothing was loaded"):
        load_table(SCHOOL_SNAPSHOTS, dsn, mirror.settings)
    assert query(dsn, "select count(*) from raw.cps_covid__school_snapshots") == [(0,)]
    assert query(dsn, "select status, rows_rejected from meta.load_log") == [("failed", 4)]


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
