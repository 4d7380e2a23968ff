"""How the Opportunity Insights files are read, with no database: each file's quirks (dates in
three columns, `.` for missing, optional and inserted columns), a corpus of bad files, and the
two Policy Milestones layouts."""

from datetime import date

import pytest

from loaders.core.errors import StructuralError
from loaders.core.parse import parse
from loaders.sources.oi_economic_tracker.geoids import GEOIDS_CITY, GEOIDS_COUNTY, GEOIDS_STATE
from loaders.sources.oi_economic_tracker.policy import POLICY_MILESTONES_STATE as POLICY
from loaders.sources.oi_economic_tracker.series import (
    AFFINITY_COUNTY_WEEKLY,
    AFFINITY_STATE_DAILY,
    COVID_STATE_DAILY,
    WOMPLY_MERCHANTS_COUNTY_DAILY,
    WOMPLY_REVENUE_COUNTY_DAILY,
)
from tests.loaders.parsed import rows
from tests.loaders.sources.oi_economic_tracker.files import (
    AFFINITY_HEAD,
    COVID_HEAD,
    LONG,
    REVENUE,
    WIDE,
    WIDE_HEAD,
)

D = date
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
def test_each_file_is_read_with_its_quirks_fixed(spec, content, columns, expected):
    parsed = parse(spec, content)
    assert (parsed.rejects, parsed.extra_columns) == ([], [])
    assert rows(parsed, columns, order_by=", ".join(spec.contract.natural_key)) == expected


BAD_ROWS = [
    pytest.param("2020,1,12,10003,-.08.1", "revenue_all: a number expected, found -.08.1",
                 id="bad-decimal"),
    pytest.param("2020,13,10,10003,.01", "date: date %Y-%m-%d expected, found 2020-13-10",
                 id="bad-month"),
    pytest.param("2020,1,10,10003,-.05", "duplicate key (date, countyfips): first seen on line 2",
                 id="duplicate-key"),
    pytest.param("2020,1,12,.,.01", "missing countyfips", id="missing-fips"),
    pytest.param("2020,1,12,10O03,.01", "countyfips: an integer expected, found 10O03",
                 id="bad-fips"),
    pytest.param("2099,1,1,10003,.01", "date in the future: 2099-01-01", id="future-date"),
    pytest.param("2020,1,12,10003,.01,7", "expected 5 fields, found 6", id="extra-field"),
]  # fmt: skip


@pytest.mark.parametrize(("line", "reason"), BAD_ROWS)
def test_a_bad_row_is_rejected_with_its_reason_and_the_rest_is_kept(line, reason):
    parsed = parse(WOMPLY_REVENUE_COUNTY_DAILY, REVENUE + line + "\n")
    assert parsed.rejects == [(4, line, reason)]
    assert rows(parsed, "date, countyfips, revenue_all") == [
        (D(2020, 1, 10), 10003, -0.0881),
        (D(2020, 1, 11), 10003, None),
    ]


@pytest.mark.parametrize(
    ("content", "error"),
    [
        pytest.param("year,month,day,countyfips,revenue\n2020,1,10,10003,-.0881\n",
                     "missing column 'revenue_all'", id="missing-value-column"),
        pytest.param("year,day,countyfips,revenue_all\n2020,10,10003,-.0881\n",
                     "missing column 'month'", id="missing-month-column"),
        pytest.param("", "found an empty file", id="empty-file"),
        pytest.param("<!DOCTYPE html><html>rate limited</html>\n", "found an HTML",
                     id="html-page"),
    ],
)  # fmt: skip
def test_a_structural_fault_fails_the_whole_file(content, error):
    with pytest.raises(StructuralError, match=error):
        parse(WOMPLY_REVENUE_COUNTY_DAILY, content)


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
def test_other_contract_breaches_are_rejected(spec, content, reason):
    parsed = parse(spec, content)
    assert (parsed.rows_read, [(line, why) for line, _, why in parsed.rejects]) == (
        1,
        [(2, reason)],
    )


def test_covid_columns_inserted_mid_row_are_read_by_name_and_unknown_ones_reported():
    later = COVID_HEAD.replace(",case_count,", ",case_count,hospitalized_count,icu_count,")
    parsed = parse(COVID_STATE_DAILY, later + "2021,3,2,10,1300,13,89000,150,7,1410,1,2,3,4\n")
    assert parsed.extra_columns == ["icu_count"]
    assert rows(parsed, "date, death_count, hospitalized_count, case_rate") == [
        (D(2021, 3, 2), 1410.0, 150.0, 2.0)
    ]
    earlier = parse(COVID_STATE_DAILY, COVID_HEAD + "2021,3,1,10,1200,12,88000,1400,1,2,3,4\n")
    assert earlier.extra_columns == []
    assert rows(earlier, "date, death_count, hospitalized_count, case_rate") == [
        (D(2021, 3, 1), 1400.0, None, 2.0)
    ]


POLICY_COLUMNS = (
    "layout, statefips, statename, date, policy_description, schools_first_closed, "
    "nonessential_biz_first_closed, stayathome_first_start"
)


def test_the_wide_policy_layout_is_unpivoted_to_one_row_per_milestone():
    parsed = parse(POLICY, WIDE)
    assert (len(parsed.rows), parsed.rejects) == (6, [])
    d, sd = (10, "Delaware"), (46, "South Dakota")
    assert rows(parsed, POLICY_COLUMNS, order_by="statefips, date, policy_description") == [
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


def test_the_long_policy_layout_is_read_as_published():
    parsed = parse(POLICY, LONG)
    assert (parsed.rows_read, parsed.rejects) == (3, [])
    d = (10, "Delaware")
    assert rows(parsed, POLICY_COLUMNS) == [
        ("long", *d, D(2020, 3, 16), "Delaware public schools closed", True, False, False),
        ("long", *d, D(2020, 3, 24), "Delaware issued stay at home order, closed businesses",
         False, True, True),
        ("long", 47, "Tennessee", D(2022, 12, 20), "Tennessee reopened businesses",
         False, False, False),  # after the vintage's commit, before today: kept as published
    ]  # fmt: skip


def test_an_unknown_column_in_the_wide_layout_is_reported():
    content = "statename,statefips,schools_closed,mask_mandate\nDelaware,10,2020-03-16,2020-04-28\n"
    parsed = parse(POLICY, content)
    assert (parsed.extra_columns, len(parsed.rows)) == (["mask_mandate"], 1)
    assert rows(parsed, "date, policy_description, layout") == [
        (D(2020, 3, 16), "Delaware closed public schools [schools_closed]", "wide")
    ]
