"""How the Delaware DHSS files are read, with no database: timeline dates given a year, the
snapshot's index column dropped and its date from the commit, the ZIP centroids' JSON object,
the per-ZIP download, and the exact reason of each bad row or file."""

from datetime import date

import pytest

from loaders.core.errors import StructuralError
from loaders.core.parse import parse
from loaders.sources.delaware_dhss.tables import (
    MITIGATION_TIMELINE,
    SNAPSHOT_DATE,
    ZIP_CASE_RATES,
    ZIP_CASES,
    ZIP_CENTROIDS,
)
from tests.loaders.parsed import rows
from tests.loaders.sources.delaware_dhss.files import (
    DOWNLOAD_HEADER,
    GOOD_TIMELINE,
    TIMELINE_HEADER,
)

D = date

# --- mitigation timeline -------------------------------------------------------------------


def test_timeline_dates_get_a_year_and_further_notice_is_flagged():
    parsed = parse(
        MITIGATION_TIMELINE,
        TIMELINE_HEADER + "Sports may resume – with a safety plan,Jun 20,Further Notice\n"
        "Stay-at-Home order,Mar 22,Jun 01\n"
        "Winter pause,Dec 14,Jan 11\n"
        "Schools reopen,Jan 05,further notice\n",
    )
    assert (parsed.rows_read, len(parsed.rows), parsed.rejects) == (4, 4, [])
    columns = "start_date, mitigation, until_date, until_further_notice"
    assert rows(parsed, columns, order_by="start_date") == [
        (D(2020, 3, 22), "Stay-at-Home order", D(2020, 6, 1), False),
        (D(2020, 6, 20), "Sports may resume – with a safety plan", None, True),
        (D(2020, 12, 14), "Winter pause", D(2021, 1, 11), False),  # Until before Start: next year
        (D(2021, 1, 5), "Schools reopen", None, True),  # before March: the following year
    ]


def test_timeline_malformed_rows_are_rejected_with_their_reason():
    parsed = parse(
        MITIGATION_TIMELINE,
        TIMELINE_HEADER + "Face covering required,Apr 28,Further Notice\n"
        "Bad day,Jun 31,Further Notice\n"
        ",May 22,Further Notice\n"
        "Face covering required,Apr 28,Jun 01\n"
        "Too many,fields,Mar 12,Further Notice\n",
    )
    assert (parsed.rows_read, len(parsed.rows)) == (5, 1)
    assert rows(parsed, "mitigation, until_further_notice") == [("Face covering required", True)]
    assert parsed.rejects == [
        (
            3,
            "Bad day,Jun 31,Further Notice",
            "start_date: date %Y-%m-%d or %b %d, %Y or %b %d %Y expected, found Jun 31",
        ),
        (4, ",May 22,Further Notice", "missing mitigation"),
        (
            5,
            "Face covering required,Apr 28,Jun 01",
            "duplicate key (mitigation, start_date): first seen on line 2",
        ),
        (6, "Too many,fields,Mar 12,Further Notice", "expected 3 fields, found 4"),
    ]


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
def test_bad_timeline_files(content, outcome):
    if isinstance(outcome, tuple):
        parsed = parse(MITIGATION_TIMELINE, content)
        [(line, _, reason)] = parsed.rejects
        assert line == outcome[0] and reason.startswith(outcome[1])
        assert len(parsed.rows) == 8
    else:
        with pytest.raises(StructuralError, match=outcome):
            parse(MITIGATION_TIMELINE, content)


# --- per-ZIP snapshot (covid_nums.csv) -----------------------------------------------------


def test_zip_snapshot_drops_the_index_column_and_is_dated_by_its_vintage():
    parsed = parse(
        ZIP_CASE_RATES,
        ",Zipcode,Value\n299,19701,677.7\n591,19702,abc\n892,,5.0\n1193,19701,600\n"
        "1497,19703,-1\n1797,19947,1266.4\n",
        vintage=SNAPSHOT_DATE,
    )
    assert parsed.extra_columns == []  # the unnamed pandas index is not data
    snapshot = D.fromisoformat(SNAPSHOT_DATE)
    assert rows(parsed, "zip_code, snapshot_date, cases_per_10k") == [
        ("19701", snapshot, 677.7),
        ("19947", snapshot, 1266.4),
    ]
    assert parsed.rejects == [
        (3, "591,19702,abc", "cases_per_10k: a number expected, found abc"),
        (4, "892,,5.0", "missing zip_code"),
        (5, "1193,19701,600", "duplicate key (snapshot_date, zip_code): first seen on line 2"),
        (6, "1497,19703,-1", "negative cases_per_10k: -1"),
    ]


# --- ZIP centroids (markers.json) ----------------------------------------------------------


def test_zip_centroids_are_read_from_the_json_object():
    parsed = parse(
        ZIP_CENTROIDS,
        '{"19701": [39.598203, -75.69945], "19702": [39.6, "n/a"], "": [39.1, -75.5], '
        '"19701": [39.0, -75.0], "19703": [39.800945, -75.46455]}',
    )
    assert (parsed.rows_read, len(parsed.rejects)) == (5, 3)
    assert rows(parsed, "zip_code, latitude, longitude") == [
        ("19701", 39.598203, -75.69945),
        ("19703", 39.800945, -75.46455),
    ]
    assert parsed.rejects == [
        (2, '"19702": [39.6, "n/a"]', "longitude: a number expected, found n/a"),
        (3, '"": [39.1, -75.5]', "missing zip_code"),
        (4, '"19701": [39.0, -75.0]', "duplicate key (zip_code): first seen on line 1"),
    ]


# --- per-ZIP download (zip-code-<ZIP>/download_covid_19_data/cases) -------------------------


def test_zip_download_rows_and_malformed_rows():
    parsed = parse(
        ZIP_CASES,
        DOWNLOAD_HEADER
        + "Zip Code 19701,New Castle,Total Positive Cases,5,2020,3,15,Date reported,people,false\n"
        'Zip Code 19701,New Castle,Total Positive Cases,12.5,2020,3,15,Date reported,"rate per '
        '10,000 people",false\n'
        "Zip Code 19701,New Castle,Deaths,1,2020,2,30,Date of death,people,false\n"
        "Zip Code 19701,New Castle,Deaths,n/a,2020,3,16,Date of death,people,false\n"
        "County New Castle,New Castle,Deaths,1,2020,3,16,Date of death,people,false\n"
        "Zip Code 19701,New Castle,Total Positive Cases,6,2020,3,15,Date reported,people,false\n",
    )
    assert (parsed.rows_read, len(parsed.rows), len(parsed.rejects)) == (6, 2, 4)
    columns = "unit, date, zip_code, statistic, value, age_adjusted"
    assert rows(parsed, columns, order_by="unit, date") == [
        ("people", D(2020, 3, 15), "19701", "Total Positive Cases", 5.0, False),
        ("rate per 10,000 people", D(2020, 3, 15), "19701", "Total Positive Cases", 12.5, False),
    ]
    assert [(line, reason) for line, _, reason in parsed.rejects] == [
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
        parsed.rejects[1][1]
        == "Zip Code 19701,New Castle,Deaths,n/a,2020,3,16,Date of death,people,false"
    )
