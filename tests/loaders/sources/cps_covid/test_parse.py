"""How the CPS files are read, with no database: both layouts of the per-school file (IDs
matched by name, then location, for the early ID-less layout, from the other snapshots of a
mirror folder), dated columns unpivoted, the district totals' three layouts, the two spellings
of the location files, and the exact reason of each bad row or file."""

from datetime import date

import pytest

from loaders.core.errors import StructuralError
from loaders.core.parse import parse
from loaders.sources.cps_covid.tables import (
    DISTRICT_TOTALS,
    SCHOOL_CASE_COUNTS,
    SCHOOL_LOCATIONS,
    SCHOOL_SNAPSHOTS,
)
from tests.loaders.parsed import reasons, rows
from tests.loaders.sources.cps_covid.files import (
    FEB_10,
    ID_HEADER,
    JAN_19,
    MALFORMED,
    MAR_28,
    SCHOOLS,
)

D = date


def test_id_layout_gives_one_row_per_school_and_one_per_dated_column():
    snapshots = parse(SCHOOL_SNAPSHOTS, FEB_10, vintage="2021-02-10")
    assert rows(
        snapshots,
        "snapshot_date, captured_at, school_key, school_id, school_id_match, school_name, "
        "latitude, cases_cumulative, cumulative_basis, cases_7day, cases_14day, cases_q2_sy21",
        order_by="school_key",
    ) == [
        (D(2021, 2, 10), "2021-02-10T00:00:00", "609772", 609772, "file", "ADDAMS", 41.6987388,
         2, "gTotal", 0, 0, None),
        (D(2021, 2, 10), "2021-02-10T00:00:00", "610001", 610001, "file", "MIDDLE NAME", 41.9,
         3, "gTotal", 0, 1, None),
        (D(2021, 2, 10), "2021-02-10T00:00:00", "999999", 999999, "file", "ADMINISTRATIVE",
         41.88235794, 5, "gTotal", 1, 2, None),
    ]  # fmt: skip
    counts = parse(SCHOOL_CASE_COUNTS, FEB_10, vintage="2021-02-10")
    assert len(counts.rows) == 12
    administrative = [
        row
        for row in rows(
            counts, "school_key, report_date, count_kind, cases", order_by="report_date"
        )
        if row[0] == "999999"
    ]
    assert administrative == [
        ("999999", D(2021, 1, 2), "weekly", 1),
        ("999999", D(2021, 1, 9), "weekly", 2),
        ("999999", D(2021, 1, 16), "daily", 1),
        ("999999", D(2021, 1, 17), "daily", 1),
    ]


def test_early_snapshot_is_matched_by_name_then_location_and_renames_stay_one_school(mirror):
    for day, content in (("2021-01-19", JAN_19), ("2021-02-10", FEB_10), ("2021-03-28", MAR_28)):
        mirror.put("cps_covid", f"snapshots/{day}_{SCHOOLS}", content)
    where = mirror.settings.sources
    early = parse(SCHOOL_SNAPSHOTS, JAN_19, vintage="2021-01-19", mirror=where)
    assert early.rejects == []
    assert rows(
        early,
        "snapshot_date, school_key, school_id, school_id_match, school_name, "
        "cases_cumulative, cumulative_basis, cases_q3_sy20, cases_q2_sy21",
        order_by="school_key",
    ) == [
        (D(2021, 1, 19), "609772", 609772, "name", "addams", 2, "quarter_sum", 0, 1),
        (D(2021, 1, 19), "610001", 610001, "location", "OLD NAME SCHOOL", 1, "quarter_sum", 0, 0),
        (D(2021, 1, 19), "999999", 999999, "name", "ADMINISTRATIVE", 6, "quarter_sum", 1, 3),
        (D(2021, 1, 19), "name:GONE SCHOOL", None, "unmatched", "GONE SCHOOL", 3, "quarter_sum",
         0, 2),
    ]  # fmt: skip
    # three names over three snapshots, one school
    names = [
        row
        for day, content in (("2021-01-19", JAN_19), ("2021-02-10", FEB_10), ("2021-03-28", MAR_28))
        for row in rows(
            parse(SCHOOL_SNAPSHOTS, content, vintage=day, mirror=where),
            "snapshot_date, school_key, school_name",
        )
        if row[1] == "610001"
    ]
    assert names == [
        (D(2021, 1, 19), "610001", "OLD NAME SCHOOL"),
        (D(2021, 2, 10), "610001", "MIDDLE NAME"),
        (D(2021, 3, 28), "610001", "NEW NAME ACADEMY"),
    ]
    # the early baseline is kept, marked as a baseline rather than a day's count
    baseline = parse(SCHOOL_CASE_COUNTS, JAN_19, vintage="2021-01-19", mirror=where)
    assert rows(baseline, "school_key, report_date, count_kind, cases", order_by="school_key") == [
        ("609772", D(2021, 1, 15), "baseline", 1),
        ("610001", D(2021, 1, 15), "baseline", 0),
        ("999999", D(2021, 1, 15), "baseline", 3),
        ("name:GONE SCHOOL", D(2021, 1, 15), "baseline", 2),
    ]


def test_malformed_rows_are_rejected_with_their_reason():
    snapshots = parse(SCHOOL_SNAPSHOTS, MALFORMED, vintage="2021-02-10")
    counts = parse(SCHOOL_CASE_COUNTS, MALFORMED, vintage="2021-02-10")
    duplicate = "duplicate key ({}): first seen on line 2"
    assert sorted(reasons(snapshots)) == [
        (3, "cases_cumulative: an integer expected, found x"),
        (5, "missing school_name"),
        (6, duplicate.format("snapshot_date, school_key")),
        (7, "expected 9 fields, found 2"),
    ]
    assert sorted(reasons(counts)) == [
        (4, "cases: an integer expected, found two"),
        (5, "missing school_key"),
        (5, "missing school_key"),
        (6, duplicate.format("snapshot_date, school_key, report_date")),
        (6, duplicate.format("snapshot_date, school_key, report_date")),
        (7, "expected 9 fields, found 2"),
    ]
    assert (snapshots.rows_read, len(snapshots.rows)) == (7, 3)
    assert (counts.rows_read, len(counts.rows)) == (13, 7)
    kept = rows(counts, "school_key, report_date, cases", order_by="school_key, report_date")
    assert [row for row in kept if row[0] in ("609773", "609775")] == [
        ("609773", D(2021, 1, 17), 0),
        ("609775", D(2021, 1, 16), -1),
        ("609775", D(2021, 1, 17), 0),
    ]
    assert [raw for line, raw, _ in snapshots.rejects if line == 3] == [
        "ADDAMS,41.69,-87.53,609772,0,0,x,0,1"
    ]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("School,Latitude,Longitude,gTotal,20210116\nA,1,2,3,4\n", "expected the columns"),
        (f"{ID_HEADER},20211345\nA,1,2,3,0,0,1,1\n", "'20211345' looks like a YYYYMMDD date"),
        (f"{ID_HEADER},20210116,20210116\nA,1,2,3,0,0,1,1,1\n", "20210116'? twice"),
    ],
)
def test_structural_problems_fail_with_a_message(content, message):
    for spec in (SCHOOL_SNAPSHOTS, SCHOOL_CASE_COUNTS):
        with pytest.raises(StructuralError, match=message):
            parse(spec, content, vintage="2021-02-10")


DISTRICT_COLUMNS = (
    "snapshot_date, report_date, cases_daily, cases_running, cases_7day_legacy, cases_7day_sum, "
    "cases_7day_avg, cases_14day_sum, cases_14day_avg"
)


def test_district_totals_are_read_in_all_three_layouts():
    layouts = [
        ("2021-01-21", "date,daily,running\n20210115,390,390\n20210116,0,390\n"),
        ("2021-02-02", "date,daily,running,7day\n20210115,390,390,390\n20210116,0,390,334\n"),
        ("2021-02-10", "date,daily,running,7DaySum,7DayAvg,14DaySum,14DayAvg\n"
                       "20200307,1,1,1,0.142857143,1,0.071428571\n"),
    ]  # fmt: skip
    found = [
        row
        for day, content in layouts
        for row in rows(parse(DISTRICT_TOTALS, content, vintage=day), DISTRICT_COLUMNS)
    ]
    assert found == [
        (D(2021, 1, 21), D(2021, 1, 15), 390, 390, None, None, None, None, None),
        (D(2021, 1, 21), D(2021, 1, 16), 0, 390, None, None, None, None, None),
        (D(2021, 2, 2), D(2021, 1, 15), 390, 390, 390.0, None, None, None, None),
        (D(2021, 2, 2), D(2021, 1, 16), 0, 390, 334.0, None, None, None, None),
        (D(2021, 2, 10), D(2020, 3, 7), 1, 1, None, 1, 0.142857143, 1, 0.071428571),
    ]


def test_malformed_district_totals_are_rejected_with_their_reason():
    parsed = parse(
        DISTRICT_TOTALS,
        "date,daily,running\n20210115,390,390\n20210116,many,390\n2021-01-17,0,390\n"
        "20210118,0,-1\n20990101,0,390\n20210115,1,391\n",
        vintage="2021-01-21",
    )
    assert reasons(parsed) == [
        (3, "cases_daily: an integer expected, found many"),
        (4, "report_date: date %Y%m%d expected, found 2021-01-17"),
        (5, "negative cases_running: -1"),
        (6, "report_date in the future: 20990101"),
        (7, "duplicate key (snapshot_date, report_date): first seen on line 2"),
    ]
    assert len(parsed.rows) == 1


def test_both_location_headers_are_read_as_one_identical_list():
    first = parse(
        SCHOOL_LOCATIONS,
        "School,SchoolHyphen,Latitude,Longitude\n"
        "AGASSIZ,AGASSIZ,41.9341263,-87.65622867\nAIR FORCE,AIR-FORCE,41.82,-87.63\n",
    )
    resaved = parse(  # a spreadsheet re-save: the other header spelling, float noise
        SCHOOL_LOCATIONS,
        "School,School-Hyphen,Latitude,Longitude\n"
        "AGASSIZ,AGASSIZ,41.934126299999996,-87.65622867\nAIR FORCE,AIR-FORCE,41.82,-87.63\n",
    )
    columns = "school_name, school_slug, latitude, longitude"
    assert rows(first, columns) == [
        ("AGASSIZ", "AGASSIZ", 41.9341263, -87.65622867),
        ("AIR FORCE", "AIR-FORCE", 41.82, -87.63),
    ]
    assert rows(resaved, columns) == rows(first, columns)
    assert (first.extra_columns, resaved.extra_columns) == ([], [])
