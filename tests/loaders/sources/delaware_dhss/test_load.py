import csv
import dataclasses
import json

import psycopg
import pytest

from loaders.core import errors as base
from loaders.core.errors import StructuralError
from loaders.core.json_reader import read_json_object
from loaders.core.load import load_table
from loaders.sources.delaware_dhss.tables import (
    MITIGATION_TIMELINE,
    SNAPSHOT_DATE,
    TABLES,
    ZIP_CASE_RATES,
    ZIP_CASES,
    ZIP_CENTROIDS,
)
from warehouse.settings import Settings

TIMELINE_HEADER = "Mitigation,Start,Until\n"
DOWNLOAD_HEADER = "Location,County,Statistic,Value,Year,Month,Day,Date used,Unit,Age adjusted\n"


def lenient(spec):
    """The spec with a threshold a tiny fixture full of bad rows stays under."""
    return dataclasses.replace(spec, reject_threshold=1.0)


def current(dsn, spec, columns):
    with psycopg.connect(dsn) as conn:
        return conn.execute(
            f"select {columns} from raw.{spec.table} where _superseded_load_id is null "
            f"order by 1, 2"
        ).fetchall()


def rejects(dsn):
    with psycopg.connect(dsn) as conn:
        return conn.execute(
            "select line_number, raw_line, reason from meta.rejected_rows order by line_number"
        ).fetchall()


# --- mitigation timeline -------------------------------------------------------------------


def test_timeline_dates_get_a_year_and_further_notice_is_flagged(dsn, mirror):
    mirror.put(
        "delaware_dhss",
        "DE_Mitigation_Timeline.csv",
        TIMELINE_HEADER + "Sports may resume – with a safety plan,Jun 20,Further Notice\n"
        "Stay-at-Home order,Mar 22,Jun 01\n"
        "Winter pause,Dec 14,Jan 11\n"
        "Schools reopen,Jan 05,further notice\n",
    )
    [result] = load_table(MITIGATION_TIMELINE, dsn, mirror.settings)
    assert (result.status, result.rows_loaded, result.rows_rejected) == ("succeeded", 4, 0)
    rows = current(
        dsn,
        MITIGATION_TIMELINE,
        "start_date::text, mitigation, until_date::text, until_further_notice",
    )
    assert rows == [
        ("2020-03-22", "Stay-at-Home order", "2020-06-01", False),
        ("2020-06-20", "Sports may resume – with a safety plan", None, True),
        ("2020-12-14", "Winter pause", "2021-01-11", False),  # Until before Start: next year
        ("2021-01-05", "Schools reopen", None, True),  # before March: the following year
    ]


def test_timeline_malformed_rows_are_quarantined(dsn, mirror):
    mirror.put(
        "delaware_dhss",
        "DE_Mitigation_Timeline.csv",
        TIMELINE_HEADER + "Face covering required,Apr 28,Further Notice\n"
        "Bad day,Jun 31,Further Notice\n"
        ",May 22,Further Notice\n"
        "Face covering required,Apr 28,Jun 01\n"
        "Too many,fields,Mar 12,Further Notice\n",
    )
    [result] = load_table(lenient(MITIGATION_TIMELINE), dsn, mirror.settings)
    assert (result.rows_read, result.rows_loaded, result.rows_rejected) == (5, 1, 4)
    assert current(dsn, MITIGATION_TIMELINE, "mitigation, until_further_notice") == [
        ("Face covering required", True)
    ]
    found = rejects(dsn)
    assert [(line, raw, reason) for line, raw, reason in found if line != 5] == [
        (
            3,
            "Bad day,Jun 31,Further Notice",
            "start_date: date %Y-%m-%d or %b %d, %Y or %b %d %Y expected, found Jun 31",
        ),
        (4, ",May 22,Further Notice", "missing mitigation"),
        (6, "Too many,fields,Mar 12,Further Notice", "expected 3 fields, found 4"),
    ]
    [(_, _, duplicate)] = [row for row in found if row[0] == 5]
    assert duplicate == "duplicate key (mitigation, start_date): first seen on line 2"


# --- per-ZIP snapshot (covid_nums.csv) -----------------------------------------------------


def test_zip_snapshot_drops_the_index_column_and_is_dated_by_its_commit(dsn, mirror):
    mirror.put(
        "delaware_dhss",
        "covid_nums.csv",
        ",Zipcode,Value\n299,19701,677.7\n591,19702,abc\n892,,5.0\n1193,19701,600\n"
        "1497,19703,-1\n1797,19947,1266.4\n",
    )
    [result] = load_table(lenient(ZIP_CASE_RATES), dsn, mirror.settings)
    assert result.extra_columns == []  # the unnamed pandas index is not data
    assert current(dsn, ZIP_CASE_RATES, "zip_code, snapshot_date::text, cases_per_10k") == [
        ("19701", SNAPSHOT_DATE, 677.7),
        ("19947", SNAPSHOT_DATE, 1266.4),
    ]
    found = rejects(dsn)
    assert [row for row in found if row[0] != 5] == [
        (3, "591,19702,abc", "cases_per_10k: a number expected, found abc"),
        (4, "892,,5.0", "missing zip_code"),
        (6, "1497,19703,-1", "negative cases_per_10k: -1"),
    ]
    assert found[2][0] == 5 and found[2][2].startswith("duplicate key (snapshot_date, zip_code)")
    with psycopg.connect(dsn) as conn:
        [(vintage,)] = conn.execute("select vintage from meta.load_log").fetchall()
    assert vintage == "2021-01-19"


# --- ZIP centroids (markers.json) ----------------------------------------------------------


def test_json_object_becomes_rows_and_bad_entries(tmp_path):
    path = tmp_path / "m.json"
    path.write_text('{"19701": [39.5, -75.6], "19702": [1.0], "19703": [2, "x"]}')
    with path.open() as stream:
        header, chunks = read_json_object(stream, "m.json", "zip", ("lat", "lon"), 2)
        chunks = list(chunks)
    assert header == ["zip", "lat", "lon"]
    assert [c.frame.reset_index().values.tolist() for c in chunks] == [
        [[1, "19701", "39.5", "-75.6"]],
        [[3, "19703", "2", "x"]],
    ]
    assert chunks[0].bad_records == [
        (2, '"19702": [1.0]', "expected 2 scalar values, found a list of 1")
    ]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "expected a JSON object, found an empty file"),
        ("<html><body>Not found</body></html>", "expected a JSON object, found an HTML"),
        ('{"19701": [39.5, -75.6]', "expected a JSON object, found invalid JSON"),
        ("[[39.5, -75.6]]", "expected a JSON object of key -> values, found a list"),
    ],
)
def test_json_structural_problems_fail_with_what_was_found(tmp_path, content, message):
    path = tmp_path / "m.json"
    path.write_text(content)
    with path.open() as stream, pytest.raises(StructuralError, match=message):
        read_json_object(stream, "m.json", "zip", ("lat", "lon"), 10)


def test_zip_centroids_land_through_the_lifecycle(dsn, mirror):
    mirror.put(
        "delaware_dhss",
        "markers.json",
        '{"19701": [39.598203, -75.69945], "19702": [39.6, "n/a"], "": [39.1, -75.5], '
        '"19701": [39.0, -75.0], "19703": [39.800945, -75.46455]}',
    )
    [result] = load_table(lenient(ZIP_CENTROIDS), dsn, mirror.settings)
    assert (result.status, result.rows_read, result.rows_rejected) == ("succeeded", 5, 3)
    assert current(dsn, ZIP_CENTROIDS, "zip_code, latitude, longitude") == [
        ("19701", 39.598203, -75.69945),
        ("19703", 39.800945, -75.46455),
    ]
    found = rejects(dsn)
    assert found[:2] == [
        (2, '"19702": [39.6, "n/a"]', "longitude: a number expected, found n/a"),
        (3, '"": [39.1, -75.5]', "missing zip_code"),
    ]
    assert (found[2][0], found[2][2]) == (4, "duplicate key (zip_code): first seen on line 1")


# --- per-ZIP download (zip-code-<ZIP>/download_covid_19_data/cases) -------------------------


def test_zip_downloads_are_listed_only_when_present(mirror, monkeypatch):
    assert ZIP_CASES.files(Settings.from_env()) == []
    mirror.put("delaware_dhss", "zip-code-19702/download_covid_19_data/cases", DOWNLOAD_HEADER)
    mirror.put("delaware_dhss", "zip-code-19701/download_covid_19_data/cases.gz", b"")
    assert [f.relative_path for f in ZIP_CASES.files(Settings.from_env())] == [
        "zip-code-19701/download_covid_19_data/cases",
        "zip-code-19702/download_covid_19_data/cases",
    ]
    monkeypatch.delenv("WAREHOUSE_SOURCES")
    monkeypatch.setenv("DELAWARE_ZIP_CODES", "19947, 19701")
    assert [f.official_url for f in ZIP_CASES.files(Settings.from_env())] == [
        "https://myhealthycommunity.dhss.delaware.gov/locations/zip-code-19947/download_covid_19_data/cases",
        "https://myhealthycommunity.dhss.delaware.gov/locations/zip-code-19701/download_covid_19_data/cases",
    ]


def test_zip_download_without_files_loads_nothing_and_fails_nothing(dsn, mirror):
    assert load_table(ZIP_CASES, dsn, mirror.settings) == []


def test_zip_download_rows_and_malformed_rows(dsn, mirror):
    mirror.put(
        "delaware_dhss",
        "zip-code-19701/download_covid_19_data/cases",
        DOWNLOAD_HEADER
        + "Zip Code 19701,New Castle,Total Positive Cases,5,2020,3,15,Date reported,people,false\n"
        'Zip Code 19701,New Castle,Total Positive Cases,12.5,2020,3,15,Date reported,"rate per '
        '10,000 people",false\n'
        "Zip Code 19701,New Castle,Deaths,1,2020,2,30,Date of death,people,false\n"
        "Zip Code 19701,New Castle,Deaths,n/a,2020,3,16,Date of death,people,false\n"
        "County New Castle,New Castle,Deaths,1,2020,3,16,Date of death,people,false\n"
        "Zip Code 19701,New Castle,Total Positive Cases,6,2020,3,15,Date reported,people,false\n",
    )
    [result] = load_table(lenient(ZIP_CASES), dsn, mirror.settings)
    assert (result.rows_read, result.rows_loaded, result.rows_rejected) == (6, 2, 4)
    assert current(
        dsn, ZIP_CASES, "unit, date::text, zip_code, statistic, value, age_adjusted"
    ) == [
        ("people", "2020-03-15", "19701", "Total Positive Cases", 5.0, False),
        ("rate per 10,000 people", "2020-03-15", "19701", "Total Positive Cases", 12.5, False),
    ]
    found = rejects(dsn)
    assert [(line, reason) for line, _, reason in found] == [
        (4, "date: date %Y-%m-%d expected, found 2020-02-30"),
        (5, "value: a number expected, found n/a"),
        (6, "missing zip_code"),
        (
            7,
            "duplicate key (zip_code, date, statistic, unit, age_adjusted, date_used): "
            "first seen on line 2",
        ),
    ]
    assert (
        found[1][1] == "Zip Code 19701,New Castle,Deaths,n/a,2020,3,16,Date of death,people,false"
    )


# --- a corpus of bad files: the exact outcome, and nothing else changed ---------------------

GOOD_TIMELINE = TIMELINE_HEADER + "".join(
    f"Measure {n},Apr {n:02d},Further Notice\n" for n in range(1, 9)
)


@pytest.mark.parametrize(
    ("content", "outcome"),
    [
        (GOOD_TIMELINE + "Measure 9,Apr 31,Further Notice\n", (10, "start_date: date")),
        (GOOD_TIMELINE + "Measure 1,Apr 01,May 01\n", (10, "duplicate key")),
        (GOOD_TIMELINE + ",Apr 09,Further Notice\n", (10, "missing mitigation")),
        ("Mitigation,Begins,Until\nMeasure 1,Apr 01,Further Notice\n", "missing column 'Start'"),
        ("", "expected a CSV header line, found an empty file"),
        ("<!DOCTYPE html><html></html>\n", "expected CSV, found an HTML or XML page"),
        (b"Mitigation,Start,Until\nMesure \xe9t\xe9,Apr 01,Further Notice\n", "expected UTF-8"),
    ],
)
def test_bad_timeline_files(dsn, mirror, content, outcome):
    spec = dataclasses.replace(MITIGATION_TIMELINE, reject_threshold=0.2)
    mirror.put("delaware_dhss", "DE_Mitigation_Timeline.csv", GOOD_TIMELINE)
    load_table(spec, dsn, mirror.settings)
    columns = "mitigation, start_date, until_date, until_further_notice, _load_id"
    before = current(dsn, spec, columns)
    mirror.put("delaware_dhss", "DE_Mitigation_Timeline.csv", content)
    if isinstance(outcome, tuple):
        [result] = load_table(spec, dsn, mirror.settings)
        [(line, _, reason)] = rejects(dsn)
        assert (result.rows_rejected, line) == (1, outcome[0]) and reason.startswith(outcome[1])
    else:
        with pytest.raises(base.LoadError, match=outcome):
            load_table(spec, dsn, mirror.settings)
        assert rejects(dsn) == []
    assert current(dsn, spec, columns) == before


# --- the real files -------------------------------------------------------------------------


@pytest.mark.integration
def test_every_delaware_file_in_the_mirror_loads(dsn, shared_data, monkeypatch):
    monkeypatch.setenv("WAREHOUSE_SOURCES", str(shared_data))
    folder = shared_data / "delaware_dhss"
    specs = [MITIGATION_TIMELINE, ZIP_CASE_RATES, ZIP_CENTROIDS, ZIP_CASES]
    assert {s.table for s in TABLES} <= {s.table for s in specs}
    listed = {f.relative_path for spec in specs for f in spec.files(Settings.from_env())}
    assert listed == {p.name for p in folder.iterdir() if p.is_file()}  # every file, no more

    with (folder / "DE_Mitigation_Timeline.csv").open(encoding="utf-8") as handle:
        timeline = list(csv.DictReader(handle))
    with (folder / "covid_nums.csv").open(encoding="utf-8") as handle:
        snapshot = list(csv.DictReader(handle))
    centroids = json.loads((folder / "markers.json").read_text(), object_pairs_hook=list)
    expected_rows = [
        (MITIGATION_TIMELINE, len(timeline)),
        (ZIP_CASE_RATES, len(snapshot)),
        (ZIP_CENTROIDS, len(centroids)),
    ]
    for spec, count in expected_rows:
        [result] = load_table(spec, dsn, Settings.from_env())
        assert (result.status, result.rows_read, result.rows_rejected) == ("succeeded", count, 0)
        assert len(current(dsn, spec, "1, 1")) == count, spec.table
    assert (
        load_table(ZIP_CASES, dsn, Settings.from_env()) == []
    )  # no per-ZIP download is in the mirror

    columns = "mitigation, start_date::text, until_date::text, until_further_notice"
    by_text = {
        m: (start, until, flag)
        for m, start, until, flag in current(dsn, MITIGATION_TIMELINE, columns)
    }
    assert by_text["State of Emergency in effect"] == ("2020-03-12", None, True)
    phase_one = next(r for r in timeline if r["Mitigation"].startswith("Phase 1"))
    assert (phase_one["Start"], phase_one["Until"]) == ("Jun 01", "Jun 14")
    assert by_text[phase_one["Mitigation"]] == ("2020-06-01", "2020-06-14", False)
    dashed = [r["Mitigation"] for r in timeline if "\u2013" in r["Mitigation"]]
    assert dashed and all(text in by_text for text in dashed)
    further = sum(r["Until"] == "Further Notice" for r in timeline)
    assert sum(flag for _, _, flag in by_text.values()) == further
    assert all(start.startswith("2020-") for start, _, _ in by_text.values())

    rates = dict(current(dsn, ZIP_CASE_RATES, "zip_code, cases_per_10k"))
    assert rates == {r["Zipcode"]: float(r["Value"]) for r in snapshot}
    points = {
        z: [lat, lon]
        for z, lat, lon in current(dsn, ZIP_CENTROIDS, "zip_code, latitude, longitude")
    }
    assert points == dict(centroids)
