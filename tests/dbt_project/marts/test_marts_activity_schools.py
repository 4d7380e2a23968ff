"""fct_business_activity_daily, fct_school_case_changes and the forecast tables against
values computed here from the mirror's files."""

import numpy as np
import pandas as pd
import pytest

from tests.dbt_project.marts import mirror_frames as files
from tests.end_to_end import query

pytestmark = pytest.mark.integration

ID_SNAPSHOTS = ["2021-02-10", "2021-03-28", "2021-08-29"]  # the snapshots with CPS_School_ID


def expected_activity(data) -> pd.DataFrame:
    """Every state and county day of the Womply and Affinity files, side by side."""
    series = []
    for level, geo, files_by_measure in [
        (
            "state",
            "statefips",
            {
                "revenue_change": ("Womply Revenue - State - Daily.csv", "revenue_all"),
                "merchants_open_change": ("Womply Merchants - State - Daily.csv", "merchants_all"),
                "consumer_spending_change": ("Affinity - State - Daily.csv", "spend_all"),
            },
        ),
        (
            "county",
            "countyfips",
            {
                "revenue_change": ("Womply Revenue - County - Daily.csv", "revenue_all"),
                "merchants_open_change": ("Womply Merchants - County - Daily.csv", "merchants_all"),
                "consumer_spending_change": ("Affinity - County - Weekly.csv", "spend_all"),
            },
        ),
    ]:
        width = 2 if level == "state" else 5
        for measure, (name, column) in files_by_measure.items():
            weekly = "Weekly" in name
            dates = ("year", "month", "day_endofweek") if weekly else ("year", "month", "day")
            frame = files.oi(data, name, dates)
            frame = frame.rename(columns={column: "value"})
            frame["geo_id"] = frame[geo].astype(int).astype(str).str.zfill(width)
            frame["geo_level"], frame["measure"] = level, measure
            series.append(frame[["geo_level", "geo_id", "date", "measure", "value"]])
    long = pd.concat(series)
    keys = ["geo_level", "geo_id", "date", "measure"]
    return long.groupby(keys)["value"].first().unstack("measure").reset_index()


def test_every_activity_row_matches_the_womply_and_affinity_files(built_warehouse, shared_data):
    dsn, _ = built_warehouse
    expected = expected_activity(shared_data)
    mart = query(dsn, "select * from marts.fct_business_activity_daily")
    mart["date"] = pd.to_datetime(mart["activity_date"])
    merged = expected.merge(mart, on=["geo_level", "geo_id", "date"], how="outer", indicator=True)
    assert (merged["_merge"] == "both").all(), merged[merged["_merge"] != "both"].head()
    for measure in ["revenue_change", "merchants_open_change", "consumer_spending_change"]:
        want = merged[f"{measure}_x"].astype(float)
        got = merged[f"{measure}_y"].astype(float)
        assert np.isclose(want, got, equal_nan=True).all(), measure
    provisional = files.oi(shared_data, "Affinity - State - Daily.csv")["provisional"].sum()
    assert mart["is_provisional"].sum() == provisional > 0


def id_snapshot_totals(data) -> pd.DataFrame:
    """gTotal per CPS_School_ID in each snapshot that carries the ID."""
    frames = []
    for day in ID_SNAPSHOTS:
        frame = pd.read_csv(data / "cps_covid" / "snapshots" / f"{day}_allCpsCovidData.csv")
        frame = frame[["CPS_School_ID", "School", "gTotal"]].assign(
            snapshot_date=pd.Timestamp(day).date()
        )
        frames.append(frame)
    return pd.concat(frames).rename(columns={"CPS_School_ID": "school_id"})


def test_new_school_cases_are_differences_of_the_files_totals(built_warehouse, shared_data):
    dsn, _ = built_warehouse
    totals = id_snapshot_totals(shared_data).sort_values(["school_id", "snapshot_date"])
    totals["new_cases"] = totals.groupby("school_id")["gTotal"].diff()
    mart = query(
        dsn,
        "select cast(school_key as bigint) as school_id, snapshot_date, cases_cumulative, "
        "new_cases from marts.fct_school_case_changes where snapshot_date >= '2021-02-10'",
    )
    merged = totals.merge(mart, on=["school_id", "snapshot_date"], how="outer", indicator=True)
    assert (merged["_merge"] == "both").all()
    assert (merged["gTotal"] == merged["cases_cumulative"]).all()
    later = merged[merged["snapshot_date"] > pd.Timestamp("2021-02-10").date()]
    assert (later["new_cases_x"] == later["new_cases_y"].astype(float)).all()
    district = later.groupby("snapshot_date")["new_cases_y"].sum().astype(int).to_dict()
    assert list(district.values()) == [47, 1041]  # SOURCES.md: district gTotal +47, +1,041


def test_schools_of_the_id_less_snapshots_are_schools_of_the_id_bearing_ones(
    built_warehouse, shared_data
):
    """The early snapshots carry no CPS_School_ID; each of their schools must become one of
    the schools the later files identify, not a school of its own (renames are covered by
    the dbt unit test test_school_snapshot_diffs_across_a_rename)."""
    dsn, _ = built_warehouse
    ids = set(id_snapshot_totals(shared_data)["school_id"].astype(str))
    mart = query(dsn, "select * from marts.fct_school_case_changes")
    assert set(mart["school_key"]) == ids
    early = mart[mart["snapshot_date"] < pd.Timestamp("2021-02-10").date()]
    for day in ["2021-01-19", "2021-01-21"]:
        path = shared_data / "cps_covid" / "snapshots" / f"{day}_allCpsCovidData.csv"
        schools = len(path.read_text().splitlines()) - 1
        assert (early["snapshot_date"].astype(str) == day).sum() == schools
    assert early["school_key"].isin(ids).all()


def test_forecast_backtest_uses_the_files_new_cases(built_warehouse, shared_data):
    """naive_last predicts each day from the day before: both come from us-states.csv."""
    dsn, _ = built_warehouse
    states = files.daily_diffs(files.nyt_states(shared_data), "geo_id", "cases", "deaths")
    new_cases = states.set_index(["geo_id", "date"])["new_cases"]
    backtest = query(dsn, "select * from marts.fct_forecast_backtest where method = 'naive_last'")
    for row in backtest.sample(300, random_state=7).itertuples():
        day = pd.Timestamp(row.target_date)
        assert row.actual_new_cases == new_cases[(row.state_fips, day)]
        assert row.predicted_new_cases == new_cases[(row.state_fips, day - pd.Timedelta(days=1))]


def test_each_state_forecast_comes_from_its_best_backtested_method(built_warehouse, shared_data):
    dsn, _ = built_warehouse
    forecast = query(dsn, "select * from marts.fct_case_forecast").set_index("state_fips")
    backtest = query(dsn, "select * from marts.fct_forecast_backtest")
    errors = backtest.groupby(["state_fips", "method"])["absolute_error"].mean().unstack()
    states = files.nyt_states(shared_data)
    assert set(forecast.index) == set(states["geo_id"])
    for state, row in forecast.iterrows():
        baseline = min(errors.loc[state, "naive_last"], errors.loc[state, "naive_7d_avg"])
        if row["is_model_forecast"]:
            assert errors.loc[state, "autoregression"] < baseline
        else:
            assert errors.loc[state, row["method"]] == baseline
        assert str(row["forecast_date"]) == "2022-01-01"
    assert forecast["is_model_forecast"].sum() > len(forecast) / 2
