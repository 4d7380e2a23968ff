"""How the JHU CSSE files are read, with no database: the wide time series unpivoted, FIPS as
text, the national row's key, a corpus of bad rows and headers, the UID lookup, and the daily
reports dated by their file name."""

import gzip
from datetime import date

import pytest

from loaders.core.errors import StructuralError
from loaders.core.parse import parse
from loaders.sources.jhu_csse.daily_reports import DAILY_REPORTS_US
from loaders.sources.jhu_csse.time_series import (
    CONFIRMED_GLOBAL,
    DEATHS_GLOBAL,
    DEATHS_US,
    UID_LOOKUP,
)
from tests.loaders.parsed import rows
from tests.loaders.sources.jhu_csse.files import KENT, OLD_REPORT, REPORT, US, US_HEAD

D = date
GLOBAL_HEAD = "Province/State,Country/Region,Lat,Long,1/22/20,1/23/20,1/24/20\n"
GLOBAL = GLOBAL_HEAD + (
    "Alberta,Canada,53.9333,-116.5765,0,1,3\n"
    "Repatriated Travellers,Canada,,,0,0,2\n"
    ",US,40.0,-100.0,1,1,5\n"
)
US_DEATHS = [  # US, as rows of uid, fips, admin2, province_state, country_region, population, ...
    (16, "60", None, "American Samoa", "US", 55641, D(2020, 1, 22), 0),
    (16, "60", None, "American Samoa", "US", 55641, D(2020, 1, 23), 0),
    (84001001, "01001", "Autauga", "Alabama", "US", 55869, D(2020, 1, 22), 2),
    (84001001, "01001", "Autauga", "Alabama", "US", 55869, D(2020, 1, 23), 2),
    (84010001, "10001", "Kent", "Delaware", "US", 180786, D(2020, 1, 22), 0),
    (84010001, "10001", "Kent", "Delaware", "US", 180786, D(2020, 1, 23), 1),
    (84070002, None, "Dukes and Nantucket", "Massachusetts", "US", 0, D(2020, 1, 22), 0),
    (84070002, None, "Dukes and Nantucket", "Massachusetts", "US", 0, D(2020, 1, 23), None),
    (84080010, "80010", "Out of DE", "Delaware", "US", 0, D(2020, 1, 22), 0),
    (84080010, "80010", "Out of DE", "Delaware", "US", 0, D(2020, 1, 23), 3),
    (84090010, "90010", "Unassigned", "Delaware", "US", 0, D(2020, 1, 22), 4),
    (84090010, "90010", "Unassigned", "Delaware", "US", 0, D(2020, 1, 23), 1),
]
US_COLUMNS = "uid, fips, admin2, province_state, country_region, population, date, deaths"

# The wide time series ---------------------------------------------------------------------------


@pytest.mark.parametrize("spec", [CONFIRMED_GLOBAL, DEATHS_GLOBAL])
def test_global_series_unpivot_and_the_national_row_is_keyed_on_the_country(spec):
    parsed = parse(spec, GLOBAL)
    assert (parsed.rows_read, parsed.rejects) == (9, [])
    measure = spec.contract.names[-1]
    columns = f"combined_key, date, province_state, country_region, lat, long, {measure}"
    alberta = ("Alberta, Canada", "Alberta", "Canada", 53.9333, -116.5765)
    travellers = ("Repatriated Travellers, Canada", "Repatriated Travellers", "Canada", None, None)
    us = ("US", None, "US", 40.0, -100.0)
    days = [D(2020, 1, 22), D(2020, 1, 23), D(2020, 1, 24)]
    expected = [
        (key, day, *rest, value)
        for (key, *rest), values in [(alberta, (0, 1, 3)), (travellers, (0, 0, 2)), (us, (1, 1, 5))]
        for day, value in zip(days, values, strict=True)
    ]
    assert rows(parsed, columns, order_by="combined_key, date") == expected


def test_us_deaths_unpivot_with_fips_as_text_and_pseudo_counties_kept():
    parsed = parse(DEATHS_US, US)
    assert (parsed.rows_read, len(parsed.rows), parsed.extra_columns) == (12, 12, [])
    assert rows(parsed, US_COLUMNS, order_by="uid, date") == US_DEATHS


def test_the_gzip_copy_is_read_alike():
    parsed = parse(DEATHS_US, gzip.compress(US.encode()))
    assert rows(parsed, US_COLUMNS, order_by="uid, date") == US_DEATHS


KENT_LINE = f"{KENT},0,1"
BAD_US_FILES = [
    pytest.param(f"{KENT},0,x\n",
                 [(2, f"{KENT},0,x", "deaths: an integer expected, found x (column 1/23/20)")],
                 id="bad-number-in-a-day-column"),
    pytest.param(f"{KENT},1.5,1\n",
                 [(2, f"{KENT},1.5,1", "deaths: an integer expected, found 1.5 (column 1/22/20)")],
                 id="fractional-value"),
    pytest.param(f"{KENT},-1,1\n",
                 [(2, f"{KENT},-1,1", "deaths: an integer expected, found -1 (column 1/22/20)")],
                 id="negative-cumulative-value"),
    pytest.param(f"{KENT_LINE.replace('84010001', '8401OOO1')}\n",
                 [(2, KENT_LINE.replace("84010001", "8401OOO1"),
                   "uid: an integer expected, found 8401OOO1")] * 2,
                 id="bad-uid-rejects-every-day-of-the-place"),
    pytest.param(f"{KENT_LINE.replace(',Delaware,', ',,')}\n",
                 [(2, KENT_LINE.replace(",Delaware,", ",,"), "missing province_state")] * 2,
                 id="missing-state"),
    pytest.param(f"{KENT},0,1,7\n",
                 [(2, f"{KENT},0,1,7", "expected 14 fields, found 15")],
                 id="extra-field"),
    pytest.param(f"{KENT},0,1\n{KENT},0,2\n",
                 [(3, f"{KENT},0,2", "duplicate key (uid, date): first seen on line 2")] * 2,
                 id="duplicate-place"),
]  # fmt: skip


@pytest.mark.parametrize(("lines", "expected"), BAD_US_FILES)
def test_a_bad_row_or_cell_is_rejected_and_the_rest_is_kept(lines, expected):
    good = '84001001,US,USA,840,1001.0,Autauga,Alabama,US,32.5,-86.6,"Autauga, AL, US",55869,2,3'
    parsed = parse(DEATHS_US, f"{US_HEAD}{lines}{good}\n")
    assert sorted(parsed.rejects) == expected
    kept = rows(parsed, "uid, date, deaths", order_by="uid, date")
    assert [row for row in kept if row[0] == 84001001] == [
        (84001001, D(2020, 1, 22), 2),
        (84001001, D(2020, 1, 23), 3),
    ]
    kent = {(day, deaths) for uid, day, deaths in kept if uid == 84010001}
    if "column 1/23/20" in expected[0][2]:
        assert kent == {(D(2020, 1, 22), 0)}  # the other day of the place is still kept
    if "duplicate" in expected[0][2]:
        assert kent == {(D(2020, 1, 22), 0), (D(2020, 1, 23), 1)}  # the first one wins


BAD_HEADERS = [
    pytest.param(US_HEAD.replace("1/23/20", "1/32/20"),
                 "column 14 '1/32/20': expected a date header M/D/YY, found an impossible date",
                 id="impossible-date-header"),
    pytest.param(US_HEAD.replace("1/23/20", "1/23/20x"),
                 "column 14 '1/23/20x': expected a date header M/D/YY like every column from "
                 "'1/22/20' on", id="garbled-date-header"),
    pytest.param(US_HEAD.replace("1/23/20", "Total"),
                 "column 14 'Total': expected a date header", id="column-after-the-dates"),
    pytest.param(US_HEAD.replace("1/23/20", "01/22/2020"),
                 "columns '1/22/20' and '01/22/2020' (column 14) both hold 2020-01-22",
                 id="same-day-twice"),
    pytest.param(US_HEAD.replace(",1/22/20,1/23/20", ",Deaths,Total"),
                 "expected one column per day headed M/D/YY", id="no-date-columns"),
    pytest.param(US_HEAD.replace("Population,", "Pop,"), "missing column 'Population'",
                 id="missing-place-column"),
]  # fmt: skip


@pytest.mark.parametrize(("header", "error"), BAD_HEADERS)
def test_a_broken_header_fails_the_whole_file_with_one_line(header, error):
    with pytest.raises(StructuralError) as failure:
        parse(DEATHS_US, f"{header}{KENT},0,1\n")
    assert str(failure.value).startswith(f"jhu_csse/{DEATHS_US.file_name}: {error}")
    assert "\n" not in str(failure.value)


@pytest.mark.parametrize(
    ("content", "error"),
    [
        pytest.param(b"", "found an empty file", id="empty"),
        pytest.param(b"<html><body>Rate limited</body></html>\n", "found an HTML", id="html"),
        pytest.param(gzip.compress(US.encode())[:-30], "truncated or corrupt", id="truncated"),
    ],
)
def test_structural_faults_fail_the_whole_file(content, error):
    with pytest.raises(StructuralError, match=error):
        parse(DEATHS_US, content)


def test_a_new_place_column_is_reported_and_dates_in_the_future_are_rejected():
    content = US_HEAD.replace("Population,", "Population,Region,").replace("1/23/20", "1/23/99")
    parsed = parse(DEATHS_US, content + f"{KENT},South,0,1\n")
    assert parsed.extra_columns == ["Region"]
    assert rows(parsed, "uid, date, deaths") == [(84010001, D(2020, 1, 22), 0)]
    assert [reason for *_, reason in parsed.rejects] == ["date in the future: 2099-01-23"]


# The UID lookup ---------------------------------------------------------------------------------


def test_uid_lookup_pads_fips_by_kind_of_place():
    head = "UID,iso2,iso3,code3,FIPS,Admin2,Province_State,Country_Region,Lat,Long_,Combined_Key,"
    content = head + "Population\n" + (
        "124,CA,CAN,124,,,,Canada,60,-95,Canada,37855702\n"
        '12413,CA,CAN,124,,,Diamond Princess,Canada,,,"Diamond Princess, Canada",\n'
        '84000001,US,USA,840,1,,Alabama,US,32.3182,-86.9023,"Alabama, US",4903185\n'
        '84001001,US,USA,840,1001,Autauga,Alabama,US,32.54,-86.64,"Autauga, Alabama, US",55869\n'
        '84080010,US,USA,840,80010,Out of DE,Delaware,US,,,"Out of DE, Delaware, US",\n'
    )  # fmt: skip
    parsed = parse(UID_LOOKUP, content)
    assert (len(parsed.rows), parsed.rejects) == (5, [])
    assert rows(parsed, "uid, fips, province_state, combined_key, population") == [
        (124, None, None, "Canada", 37855702),
        (12413, None, "Diamond Princess", "Diamond Princess, Canada", None),
        (84000001, "01", "Alabama", "Alabama, US", 4903185),
        (84001001, "01001", "Alabama", "Autauga, Alabama, US", 55869),
        (84080010, "80010", "Delaware", "Out of DE, Delaware, US", None),
    ]


# The daily US state reports --------------------------------------------------------------------


def test_daily_reports_take_their_date_from_the_vintage_of_their_file_name():
    old = parse(DAILY_REPORTS_US, OLD_REPORT, vintage="2020-04-12")
    new = parse(DAILY_REPORTS_US, gzip.compress(REPORT.encode()), vintage="2021-01-05")
    assert [(len(p.rows), p.rejects) for p in (old, new)] == [(2, []), (2, [])]
    columns = (
        "report_date, province_state, last_update, confirmed, recovered, active, fips, uid, "
        "total_test_results, people_tested, people_hospitalized, mortality_rate, "
        "case_fatality_ratio, hospitalization_rate"
    )
    assert rows(old, columns) + rows(new, columns) == [
        (D(2020, 4, 12), "Alabama", "2020-04-12 23:18:15", 3667, None, 3470, "01", 84000001,
         None, 21583, 437, 2.61, None, 12.26),
        (D(2020, 4, 12), "Recovered", None, 0, 32988, -32988, None, 84070001,
         None, None, None, None, None, None),
        (D(2021, 1, 5), "Alabama", "2021-01-05 05:30:33", 374095, 202137, 167080, "01", 84000001,
         1903388, None, None, None, 1.30, None),
        (D(2021, 1, 5), "Diamond Princess", "2021-01-05 05:30:33", 49, None, 49, "88888",
         84088888, None, None, None, None, 0.0, None),
    ]  # fmt: skip
