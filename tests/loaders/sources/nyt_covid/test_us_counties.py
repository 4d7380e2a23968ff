"""NYT us-counties.csv: both date layouts, FIPS padded to five digits, places without FIPS,
quarantined rows, and when the file is listed (no real copy exists: fixtures only)."""

import gzip
import re
from dataclasses import replace
from datetime import date

import psycopg
import pytest

from loaders.core.errors import LoadError
from loaders.core.load import load_table
from loaders.core.spec import SourceFile
from loaders.sources.nyt_covid.tables import US_COUNTIES
from warehouse.settings import Settings

NYT = "nyt_covid"
HEAD = "date,county,state,fips,cases,deaths\n"
ORIGINAL = HEAD + (
    "2020-03-20,Kent,Delaware,10001,3,0\n"
    "2020-03-20,Kent,Maryland,24029,1,0\n"  # the same county name in another state
    "2020-03-20,New York City,New York,,5151,26\n"  # the five boroughs together, no FIPS
    "2020-03-20,Unknown,Delaware,,2,0\n"
    "2020-03-20,Adjuntas,Puerto Rico,72001,4,\n"  # Puerto Rico: deaths blank
    "2020-03-21,Kansas City,Missouri,,9,0\n"
)
RESAVED = HEAD.replace("\n", "\r\n") + (
    "3/20/2020,Autauga,Alabama,1001,1,0\r\n3/21/2020,Kent,Delaware,10001,4,0\r\n"
)


def query(dsn, sql):
    with psycopg.connect(dsn) as conn:
        return conn.execute(sql).fetchall()


def current(dsn):
    return query(
        dsn,
        "select date, state, county, fips, cases, deaths from raw.nyt_covid__us_counties "
        "where _superseded_load_id is null order by date, state, county",
    )


def load(dsn, mirror, content, **changes):
    mirror.put(NYT, US_COUNTIES.file_name, content)
    return load_table(
        replace(US_COUNTIES, **changes) if changes else US_COUNTIES,
        dsn,
        mirror.settings,
        force=True,
    )


def test_original_layout_lands_with_places_that_have_no_fips(dsn, mirror):
    [result] = load(dsn, mirror, ORIGINAL)
    assert (result.status, result.rows_loaded, result.rows_rejected) == ("succeeded", 6, 0)
    day, next_day = date(2020, 3, 20), date(2020, 3, 21)
    assert current(dsn) == [
        (day, "Delaware", "Kent", "10001", 3, 0),
        (day, "Delaware", "Unknown", None, 2, 0),
        (day, "Maryland", "Kent", "24029", 1, 0),
        (day, "New York", "New York City", None, 5151, 26),
        (day, "Puerto Rico", "Adjuntas", "72001", 4, None),
        (next_day, "Missouri", "Kansas City", None, 9, 0),
    ]


def test_spreadsheet_resave_lands_with_padded_fips(dsn, mirror):
    mirror.put(NYT, f"{US_COUNTIES.file_name}.gz", gzip.compress(RESAVED.encode()))
    [result] = load_table(US_COUNTIES, dsn, mirror.settings)
    assert result.rows_loaded == 2
    assert current(dsn) == [
        (date(2020, 3, 20), "Alabama", "Autauga", "01001", 1, 0),
        (date(2020, 3, 21), "Delaware", "Kent", "10001", 4, 0),
    ]


GOOD = "2020-03-20,Kent,Delaware,10001,3,0"
BAD_ROWS = [
    pytest.param("2020-03-32,Sussex,Delaware,10005,1,0",
                 "date: date %Y-%m-%d or %m/%d/%Y expected, found 2020-03-32", id="bad-date"),
    pytest.param("20/3/2020,Sussex,Delaware,10005,1,0",
                 "date: date %Y-%m-%d or %m/%d/%Y expected, found 20/3/2020", id="day-first"),
    pytest.param("2099-03-20,Sussex,Delaware,10005,1,0", "date in the future: 2099-03-20",
                 id="future-date"),
    pytest.param("2020-03-20,,Delaware,10005,1,0", "missing county", id="missing-county"),
    pytest.param("2020-03-20,Sussex,,10005,1,0", "missing state", id="missing-state"),
    pytest.param('2020-03-20,Sussex,Delaware,10005,"1,204",0',
                 "cases: an integer expected, found 1,204", id="thousands-separator"),
    pytest.param("2020-03-20,Sussex,Delaware,10005,-1,0", "negative cases: -1", id="negative"),
    pytest.param("2020-03-20,Sussex,Delaware,10005,1", "expected 6 fields, found 5",
                 id="short-row"),
    pytest.param("2020-03-20,Kent,Delaware,10001,4,0",
                 "duplicate key (date, state, county): first seen on line 2", id="duplicate"),
]  # fmt: skip


@pytest.mark.parametrize(("line", "reason"), BAD_ROWS)
def test_a_bad_row_is_quarantined_and_the_rest_lands(dsn, mirror, line, reason):
    [result] = load(dsn, mirror, f"{HEAD}{GOOD}\n{line}\n", reject_threshold=1.0)
    assert (result.rows_read, result.rows_rejected) == (2, 1)
    assert query(dsn, "select line_number, raw_line, reason from meta.rejected_rows") == [
        (3, line, reason)
    ]
    assert current(dsn) == [(date(2020, 3, 20), "Delaware", "Kent", "10001", 3, 0)]


@pytest.mark.parametrize(
    ("content", "error"),
    [
        pytest.param(HEAD.replace("county,", ""), "missing column 'county'", id="no-county"),
        pytest.param("", "found an empty file", id="empty"),
        pytest.param("<!DOCTYPE html><html>Not Found</html>\n", "found an HTML", id="html"),
    ],
)
def test_a_structural_fault_fails_the_load_and_writes_nothing(dsn, mirror, content, error):
    with pytest.raises(LoadError, match=re.escape(error)):
        load(dsn, mirror, content + GOOD + "\n" if content else content)
    assert query(dsn, "select count(*) from raw.nyt_covid__us_counties") == [(0,)]
    assert query(dsn, "select status from meta.load_log") == [("failed",)]


def test_above_the_threshold_nothing_lands(dsn, mirror):
    with pytest.raises(LoadError, match="1 of 2 rows broke the contract"):
        load(dsn, mirror, f"{HEAD}{GOOD}\n2020-03-20,Sussex,Delaware,10005,x,0\n")
    assert query(dsn, "select count(*) from raw.nyt_covid__us_counties") == [(0,)]


def test_a_folder_mirror_without_the_file_lists_nothing(dsn, mirror, monkeypatch):
    assert US_COUNTIES.files(Settings.from_env()) == []
    assert load_table(US_COUNTIES, dsn, mirror.settings) == []
    official = SourceFile("us-counties.csv", US_COUNTIES.official_url)
    mirror.put(NYT, "us-counties.csv.gz", gzip.compress(ORIGINAL.encode()))
    assert US_COUNTIES.files(Settings.from_env()) == [official]
    for elsewhere in ("", "http://mirror.example/data"):
        monkeypatch.setenv("WAREHOUSE_SOURCES", elsewhere)
        assert US_COUNTIES.files(Settings.from_env()) == [official]
    assert official.official_url.endswith("/nytimes/covid-19-data/master/us-counties.csv")
