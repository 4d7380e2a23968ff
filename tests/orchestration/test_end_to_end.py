"""End to end: the real files, served over HTTP, through Dagster into a fresh database.

Mart values are checked against values computed here, with pandas, from the CSV files.
"""

import pandas as pd
import pytest

from orchestration.definitions import defs
from orchestration.summary import render, summarize
from tests.conftest import ROOT
from tests.orchestration.conftest import E2E_SELECTION, query

pytestmark = pytest.mark.integration


def test_every_asset_materialized_and_every_check_passed(built_warehouse):
    _, result = built_warehouse
    assert result.success
    failed = [
        e.event_specific_data
        for e in result.all_events
        if e.event_type_value == "ASSET_CHECK_EVALUATION" and not e.event_specific_data.passed
    ]
    assert failed == []
    materialized = {
        e.event_specific_data.materialization.asset_key
        for e in result.all_events
        if e.event_type_value == "ASSET_MATERIALIZATION"
    }
    expected = E2E_SELECTION.resolve(defs.resolve_asset_graph())
    assert materialized == expected
    assert {key.path[0] for key in materialized} == {"raw", "staging", "marts"}


def expected_cases(frame: pd.DataFrame, geo: str) -> pd.DataFrame:
    """Daily differences of the cumulative series, computed independently of the SQL."""
    frame = frame.sort_values([geo, "date"]).copy()
    grouped = frame.groupby(geo)
    frame["new_cases"] = grouped["cases"].diff().fillna(frame["cases"]).astype("int64")
    frame["new_deaths"] = grouped["deaths"].diff().fillna(frame["deaths"]).astype("int64")
    frame["is_correction"] = (grouped["cases"].diff() < 0) | (grouped["deaths"].diff() < 0)
    frame["new_cases_7d_avg"] = grouped["new_cases"].transform(
        lambda s: s.rolling(7, min_periods=1).mean()
    )
    frame["new_cases_7d_sum"] = grouped["new_cases"].transform(
        lambda s: s.rolling(7, min_periods=1).sum()
    )
    return frame


def test_state_case_diffs_match_the_file(built_warehouse, shared_data):
    dsn, _ = built_warehouse
    states = pd.read_csv(shared_data / "nyt_covid" / "us-states.csv", dtype={"fips": str})
    states["date"] = pd.to_datetime(states["date"], format="%m/%d/%Y").dt.date
    states["geo_id"] = states["fips"].str.zfill(2)
    expected = expected_cases(states, "geo_id")
    population = pd.read_csv(ROOT / "seeds" / "states.csv", dtype={"state_fips": str})
    expected = expected.merge(population, left_on="geo_id", right_on="state_fips")
    expected["per_100k"] = expected["new_cases_7d_sum"] / expected["population"] * 100_000

    mart = query(dsn, "select * from marts.fct_cases_daily where geo_level = 'state'")
    merged = expected.merge(
        mart,
        left_on=["geo_id", "date"],
        right_on=["geo_id", "report_date"],
        how="outer",
        indicator=True,
    )
    assert (merged["_merge"] == "both").all(), merged[merged["_merge"] != "both"].head()
    assert len(mart) == len(states) == 36910
    assert (merged["cases_cumulative"] == merged["cases"]).all()
    assert (merged["new_cases_x"] == merged["new_cases_y"]).all()
    assert (merged["new_deaths_x"] == merged["new_deaths_y"]).all()
    assert (merged["is_correction_x"] == merged["is_correction_y"]).all()
    assert (
        merged["new_cases_7d_avg_x"].sub(merged["new_cases_7d_avg_y"].astype(float)).abs().max()
        < 1e-6
    )
    assert merged["per_100k"].sub(merged["new_cases_per_100k_7d"].astype(float)).abs().max() < 1e-6


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
    expected = delaware["4/12/2020"] - delaware["4/11/2020"]
    [[actual]] = query(
        dsn,
        "select new_cases from marts.fct_cases_daily "
        "where geo_id = '10' and report_date = '2020-04-12'",
    ).values
    assert actual == expected


def test_nation_diffs_and_the_june_2021_correction(built_warehouse, shared_data):
    dsn, _ = built_warehouse
    nation = pd.read_csv(shared_data / "nyt_covid" / "us.csv")
    nation["date"] = pd.to_datetime(nation["date"]).dt.date
    nation["geo_id"] = "US"
    expected = expected_cases(nation, "geo_id").set_index("date")
    mart = query(
        dsn, "select * from marts.fct_cases_daily where geo_level = 'nation' order by report_date"
    ).set_index("report_date")
    assert list(mart.index) == list(expected.index)
    assert (mart["new_cases"] == expected["new_cases"]).all()
    assert (mart["is_correction"] == expected["is_correction"]).all()
    corrections = mart.index[mart["is_correction"]].astype(str).tolist()
    assert "2021-06-04" in corrections


def test_every_policy_event_is_in_the_timeline(built_warehouse, shared_data):
    dsn, _ = built_warehouse
    events = pd.read_csv(shared_data / "oi_economic_tracker" / "Policy Milestones - State.csv")
    events["policy_description"] = events["policy_description"].str.strip()  # loaders trim text
    expected = {
        (f"{fips:02d}", date, text)
        for fips, date, text in events[["statefips", "date", "policy_description"]].itertuples(
            index=False
        )
    }
    mart = query(
        dsn,
        "select distinct state_fips, cast(event_date as text) as d, description "
        "from marts.fct_restrictions_timeline",
    )
    assert set(map(tuple, mart.values)) == expected


def test_revenue_correlation_matches_a_pandas_recomputation(built_warehouse, shared_data):
    """In force = the latest closure/reopening of a category on or before the day (the
    timeline's events, as classified); r = Pearson of the count against Womply revenue."""
    dsn, _ = built_warehouse
    events = query(
        dsn,
        "select state_fips, event_date, category, event_type from marts.fct_restrictions_timeline "
        "where event_type in ('closure', 'reopening')",
    )
    events["closed"] = (events["event_type"] == "closure").astype(int)
    status = events.groupby(["state_fips", "category", "event_date"])["closed"].max().reset_index()
    revenue = pd.read_csv(
        shared_data / "oi_economic_tracker" / "Womply Revenue - State - Daily.csv",
        na_values=".",
    ).dropna(subset=["revenue_all"])
    revenue["date"] = pd.to_datetime(revenue[["year", "month", "day"]]).dt.date
    revenue["state_fips"] = revenue["statefips"].map("{:02d}".format)

    days = revenue[["state_fips", "date", "revenue_all"]].sort_values("date")
    days["date"] = pd.to_datetime(days["date"])
    status["event_date"] = pd.to_datetime(status["event_date"])
    days["in_force"] = 0
    for _, changes in status.groupby("category"):
        latest = pd.merge_asof(
            days,
            changes.sort_values("event_date")[["state_fips", "event_date", "closed"]],
            left_on="date",
            right_on="event_date",
            by="state_fips",
            direction="backward",
        )
        days["in_force"] += latest["closed"].fillna(0).astype(int).to_numpy()
    expected = {
        state: (group["in_force"].corr(group["revenue_all"]), len(group))
        for state, group in days.groupby("state_fips")
    }

    mart = query(
        dsn, "select state_fips, pearson_r, n_days from marts.fct_revenue_restrictions_correlation"
    )
    assert set(mart["state_fips"]) == set(expected)
    for state, r, n in mart.itertuples(index=False):
        want_r, want_n = expected[state]
        assert n == want_n, state
        if pd.isna(want_r):
            assert r is None or pd.isna(r), state
        else:
            assert abs(float(r) - want_r) < 1e-9, state


def test_run_summary_reports_rows_written_and_checks(built_warehouse, shared_data):
    dsn, result = built_warehouse
    rows = {row.asset: row for row in summarize(result.all_events)}
    with (shared_data / "nyt_covid" / "us-states.csv").open() as handle:
        state_lines = sum(1 for _ in handle) - 1
    assert rows["raw/nyt_covid__us_states"].rows == state_lines
    [[mart_rows]] = query(dsn, "select count(*) from marts.fct_cases_daily").values
    assert rows["marts/fct_cases_daily"].rows == mart_rows
    assert rows["marts/fct_cases_daily"].checks_passed > 0
    assert all(row.checks_failed == 0 for row in rows.values())
    text = render(list(rows.values()))
    assert "raw/nyt_covid__us_states" in text and f"{state_lines:,}" in text
