"""How the NYT files are read, with no database: both date layouts, FIPS padded (to two digits
for states, five for counties), places without FIPS, and the exact reason of each bad row."""

import gzip
import re
from datetime import date

import pytest

from loaders.core.errors import StructuralError
from loaders.core.parse import parse
from loaders.sources.nyt_covid.tables import US_COUNTIES, US_STATES
from tests.loaders.parsed import rows

STATES_RESAVED = (
    "date,state,fips,cases,deaths\r\n3/11/2020,Delaware,10,1,0\r\n3/12/2020,Alabama,1,4,0\r\n"
)
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
COUNTY_COLUMNS = "date, state, county, fips, cases, deaths"


def test_both_state_layouts_are_read_with_padded_fips():
    parsed = parse(US_STATES, STATES_RESAVED)
    assert parsed.rejects == []
    assert rows(parsed, "date, fips, cases") == [
        (date(2020, 3, 11), "10", 1),
        (date(2020, 3, 12), "01", 4),
    ]


def test_original_county_layout_keeps_places_that_have_no_fips():
    parsed = parse(US_COUNTIES, ORIGINAL)
    assert (parsed.rows_read, len(parsed.rows), parsed.rejects) == (6, 6, [])
    day, next_day = date(2020, 3, 20), date(2020, 3, 21)
    assert rows(parsed, COUNTY_COLUMNS, order_by="date, state, county") == [
        (day, "Delaware", "Kent", "10001", 3, 0),
        (day, "Delaware", "Unknown", None, 2, 0),
        (day, "Maryland", "Kent", "24029", 1, 0),
        (day, "New York", "New York City", None, 5151, 26),
        (day, "Puerto Rico", "Adjuntas", "72001", 4, None),
        (next_day, "Missouri", "Kansas City", None, 9, 0),
    ]


def test_a_gzipped_spreadsheet_resave_is_read_with_padded_county_fips():
    parsed = parse(US_COUNTIES, gzip.compress(RESAVED.encode()))
    assert rows(parsed, COUNTY_COLUMNS) == [
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
    pytest.param("2020-03-20,Kent,Delaware,10001,4,0",
                 "duplicate key (date, state, county): first seen on line 2", id="duplicate"),
]  # fmt: skip


@pytest.mark.parametrize(("line", "reason"), BAD_ROWS)
def test_a_bad_row_is_rejected_with_its_reason_and_the_rest_is_kept(line, reason):
    parsed = parse(US_COUNTIES, f"{HEAD}{GOOD}\n{line}\n")
    assert (parsed.rows_read, parsed.rejects) == (2, [(3, line, reason)])
    assert rows(parsed, COUNTY_COLUMNS) == [(date(2020, 3, 20), "Delaware", "Kent", "10001", 3, 0)]


@pytest.mark.parametrize(
    ("content", "error"),
    [
        pytest.param(HEAD.replace("county,", "") + GOOD + "\n", "missing column 'county'",
                     id="no-county"),
        pytest.param("", "found an empty file", id="empty"),
        pytest.param(f"{HEAD}{GOOD}\n2020-03-20,Sussex,Delaware,10005,1\n",
                     "expected 6 fields on the last line, found 5: the file looks cut short",
                     id="short-last-row"),
        pytest.param(f"{HEAD}{GOOD}\n2020-03-20,Sussex,Delaware,10005,1,0",
                     "expected the file to end with a newline", id="no-final-newline"),
        pytest.param(f"<!DOCTYPE html><html>Not Found</html>\n{GOOD}\n", "found an HTML",
                     id="html"),
    ],
)  # fmt: skip
def test_a_structural_fault_fails_the_whole_file(content, error):
    with pytest.raises(StructuralError, match=re.escape(error)):
        parse(US_COUNTIES, content)
