"""fct_cases_daily and fct_case_source_reconciliation, row by row, against pandas
recomputations from the mirror's files (the real files, loaded end to end through Dagster)."""

import numpy as np
import pandas as pd
import pytest

from tests.dbt_project.marts import mirror_frames as files
from tests.end_to_end import query

pytestmark = pytest.mark.integration

COMPARED = [
    "cases_cumulative",
    "deaths_cumulative",
    "new_cases",
    "new_deaths",
    "new_cases_7d_avg",
    "new_cases_per_100k_7d",
    "new_deaths_7d_avg",
    "new_deaths_per_100k_7d",
    "is_correction",
    "is_gap_fill",
    "days_since_previous_report",
]


def mart_rows(dsn, geo_level: str) -> pd.DataFrame:
    frame = query(dsn, "select * from marts.fct_cases_daily where geo_level = %s", [geo_level])
    frame["date"] = pd.to_datetime(frame["report_date"])
    return frame


def assert_same_rows(expected: pd.DataFrame, mart: pd.DataFrame, columns=COMPARED):
    """Every (geo_id, date) in both, and every compared column equal (NaN equals null)."""
    merged = expected.merge(
        mart, on=["geo_id", "date"], how="outer", suffixes=("_file", "_mart"), indicator=True
    )
    unmatched = merged[merged["_merge"] != "both"]
    assert unmatched.empty, unmatched[["geo_id", "date", "_merge"]].head()
    for column in columns:
        want = pd.to_numeric(merged[f"{column}_file"].astype(float), errors="coerce")
        got = pd.to_numeric(merged[f"{column}_mart"].astype(float), errors="coerce")
        same = np.isclose(want, got, rtol=1e-9, atol=1e-9, equal_nan=True)
        assert same.all(), (column, merged.loc[~same, ["geo_id", "date"]].head())


def with_population(frame: pd.DataFrame, population: pd.Series) -> pd.DataFrame:
    frame["new_cases_per_100k_7d"] = frame["new_cases_7d_sum"] * 100_000 / population
    frame["new_deaths_per_100k_7d"] = frame["new_deaths_7d_sum"] * 100_000 / population
    return frame


def test_every_state_row_matches_us_states_csv(built_warehouse, shared_data):
    dsn, _ = built_warehouse
    states = files.nyt_states(shared_data)
    expected = files.daily_diffs(states, "geo_id", "cases", "deaths")
    expected = expected.rename(columns={"cases": "cases_cumulative", "deaths": "deaths_cumulative"})
    seed = files.state_seed().set_index("state_fips")["population"]
    expected = with_population(expected, expected["geo_id"].map(seed))
    mart = mart_rows(dsn, "state")
    assert len(mart) == len(states) == 36_910
    assert_same_rows(expected, mart)
    assert set(mart["source"]) == {"nyt_covid"} and set(mart["parent_geo_id"]) == {"US"}


def test_every_nation_row_matches_us_csv_including_the_june_2021_fall(built_warehouse, shared_data):
    dsn, _ = built_warehouse
    nation = files.nyt_nation(shared_data)
    expected = files.daily_diffs(nation, "geo_id", "cases", "deaths")
    expected = expected.rename(columns={"cases": "cases_cumulative", "deaths": "deaths_cumulative"})
    expected = with_population(expected, files.state_seed()["population"].sum())
    mart = mart_rows(dsn, "nation").query("geo_id == 'US'")
    assert_same_rows(expected, mart)
    june_4 = mart.set_index("report_date").loc[pd.Timestamp("2021-06-04").date()]
    assert june_4["is_correction"] and june_4["new_cases"] == 33_312_812 - 33_336_811


def test_delaware_new_cases_on_a_day_is_the_difference_of_two_cumulative_values(
    built_warehouse, shared_data
):
    dsn, _ = built_warehouse
    lines = (shared_data / "nyt_covid" / "us-states.csv").read_text().splitlines()
    delaware = {
        line.split(",")[0]: int(line.split(",")[3])
        for line in lines[1:]
        if line.split(",")[1] == "Delaware"
    }
    [[actual]] = query(
        dsn,
        "select new_cases from marts.fct_cases_daily "
        "where geo_level = 'state' and geo_id = '10' and report_date = '2020-04-12'",
    ).values
    assert actual == delaware["4/12/2020"] - delaware["4/11/2020"]


def test_every_county_row_matches_the_jhu_deaths_file(built_warehouse, shared_data):
    """The mirror has no NYT county file, so every county comes from JHU (deaths only).
    Counties: five-digit FIPS whose first two digits are the state's (no pseudo-counties)."""
    dsn, _ = built_warehouse
    places = files.jhu_county_deaths(shared_data)
    seed = files.state_seed()
    places = places.merge(seed, left_on="Province_State", right_on="state_name")
    places = places.dropna(subset=["FIPS"])
    places["geo_id"] = places["FIPS"].astype(int).astype(str).str.zfill(5)
    counties = places[places["geo_id"].str[:2] == places["state_fips"]]
    expected = files.daily_diffs(counties, "geo_id", None, "deaths")
    expected = expected.rename(columns={"deaths": "deaths_cumulative"})
    expected["cases_cumulative"] = np.nan
    expected["new_cases_per_100k_7d"] = np.nan
    population = expected["Population"].where(expected["Population"] > 0)
    expected["new_deaths_per_100k_7d"] = expected["new_deaths_7d_sum"] * 100_000 / population
    mart = mart_rows(dsn, "county")
    assert mart["geo_id"].nunique() == 3222 and len(mart) == 3222 * 350
    assert_same_rows(expected, mart)
    parents = mart.drop_duplicates("geo_id").set_index("geo_id")["parent_geo_id"]
    assert (parents == parents.index.str[:2]).all()
    assert set(mart["source"]) == {"jhu_csse"}


def test_canada_and_its_provinces_match_phac_with_gaps_filled(built_warehouse, shared_data):
    dsn, _ = built_warehouse
    regions = files.phac(shared_data)
    codes = pd.read_csv(files.ROOT / "seeds" / "canada_regions.csv")
    regions = regions.merge(codes, on="pruid")  # drops the repatriated travellers (pruid 99)
    expected = files.daily_diffs(regions, "geo_id", "numtotal", "numdeaths")
    expected = expected.rename(
        columns={"numtotal": "cases_cumulative", "numdeaths": "deaths_cumulative"}
    )
    expected = with_population(expected, expected["population"])
    mart = pd.concat([mart_rows(dsn, "province"), mart_rows(dsn, "nation").query("geo_id == 'CA'")])
    assert_same_rows(expected, mart)
    assert mart["is_gap_fill"].sum() == expected["is_gap_fill"].sum() > 0
    ontario = mart[mart["geo_id"] == "CA-ON"]
    assert set(ontario["geo_name"]) == {"Ontario"} and set(ontario["parent_geo_id"]) == {"CA"}


def test_jhu_county_sums_against_nyt_state_deaths(built_warehouse, shared_data):
    dsn, _ = built_warehouse
    places = files.jhu_county_deaths(shared_data)
    sums = places.groupby(["Province_State", "date"])["deaths"].sum().reset_index()
    states = files.nyt_states(shared_data)
    expected = sums.merge(states, left_on=["Province_State", "date"], right_on=["state", "date"])
    expected["difference"] = expected["deaths_x"] - expected["deaths_y"]
    beyond = expected["difference"].abs() > np.maximum(0.05 * expected["deaths_y"].abs(), 10)
    mart = query(
        dsn,
        "select state_fips, report_date, primary_value, compared_value, difference, "
        "is_beyond_tolerance from marts.fct_case_source_reconciliation "
        "where comparison = 'county_sum_vs_state' and compared_source = 'jhu_csse'",
    )
    assert len(mart) == len(expected)
    assert mart["difference"].astype("int64").sum() == expected["difference"].sum()
    assert mart["is_beyond_tolerance"].sum() == beyond.sum() > 0


def test_nyt_against_jhu_daily_state_reports(built_warehouse, shared_data):
    dsn, _ = built_warehouse
    reports = []
    for path in sorted((shared_data / "jhu_csse" / "csse_covid_19_daily_reports_us").glob("*.csv")):
        frame = pd.read_csv(path)
        frame["date"] = pd.to_datetime(path.stem, format="%m-%d-%Y")
        reports.append(frame)
    jhu = pd.concat(reports)
    states = files.nyt_states(shared_data)
    both = jhu.merge(states, left_on=["Province_State", "date"], right_on=["state", "date"])
    mart = query(
        dsn,
        "select state_name, report_date, metric, primary_value, compared_value "
        "from marts.fct_case_source_reconciliation where comparison = 'nyt_vs_jhu_state'",
    )
    cases = mart[mart["metric"] == "cases"].set_index(["state_name", "report_date"])
    assert len(cases) == len(both) == 110
    for row in both.itertuples():
        got = cases.loc[(row.state, row.date.date())]
        assert (got["primary_value"], got["compared_value"]) == (row.cases, row.Confirmed)
