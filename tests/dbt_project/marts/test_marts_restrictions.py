"""The restriction marts and the revenue analyses, against pandas recomputations: periods
from the classified policy events and Delaware's file, days in force from the periods, and
correlations and event windows from the Womply file."""

from datetime import date, timedelta

import numpy as np
import pandas as pd
import pytest

from tests.dbt_project.marts import mirror_frames as files
from tests.end_to_end import query

pytestmark = pytest.mark.integration

CATEGORIES = ["schools", "nonessential_business", "stay_at_home", "gatherings", "dining"]


def expected_oi_periods(events: pd.DataFrame) -> set[tuple]:
    """Walk each state's category events in date order: a closure (which wins a day with
    both) starts a period when none is in force, a reopening ends the one in force."""
    periods = set()
    events = events[events["event_type"].isin(["closure", "reopening"])]
    for (state, category), group in events.groupby(["state_fips", "category"]):
        closed_on = group.groupby("event_date")["event_type"].apply(lambda t: "closure" in set(t))
        start = None
        for day, is_closure in closed_on.sort_index().items():
            if is_closure and start is None:
                start = day
            elif not is_closure and start is not None:
                periods.add((state, category, start, day))
                start = None
        if start is not None:
            periods.add((state, category, start, None))
    return periods


def mart_periods(dsn) -> pd.DataFrame:
    return query(dsn, "select * from marts.fct_restrictions_timeline")


def test_oi_periods_follow_the_classified_events(built_warehouse):
    dsn, _ = built_warehouse
    events = query(dsn, "select * from staging.int_policy_events__categorized")
    periods = mart_periods(dsn).query("source == 'oi_economic_tracker'")
    got = {
        (
            r.state_fips,
            r.category,
            r.imposed_date,
            None if pd.isna(r.lifted_date) else r.lifted_date,
        )
        for r in periods.itertuples()
    }
    assert got == expected_oi_periods(events)
    assert len(periods) == len(got)  # one row per period


def test_delaware_measures_are_periods_of_2020_ending_the_day_after_until(
    built_warehouse, shared_data
):
    dsn, _ = built_warehouse
    measures = pd.read_csv(shared_data / "delaware_dhss" / "DE_Mitigation_Timeline.csv")
    periods = mart_periods(dsn).query("source == 'delaware_dhss'")
    assert set(periods["imposed_description"]) == set(measures["Mitigation"])
    for measure in measures.itertuples():
        start = pd.to_datetime(f"{measure.Start} 2020", format="%b %d %Y").date()
        lifted = (
            None
            if measure.Until == "Further Notice"
            else pd.to_datetime(f"{measure.Until} 2020", format="%b %d %Y").date()
            + timedelta(days=1)
        )
        rows = periods[periods["imposed_description"] == measure.Mitigation]
        assert (rows["imposed_date"] == start).all(), measure.Mitigation
        assert all((d if pd.notna(d) else None) == lifted for d in rows["lifted_date"])
        assert (rows["state_fips"] == "10").all()
    stay_home = periods[periods["imposed_description"].str.startswith("Stay-at-Home")]
    assert set(stay_home["category"]) == {"stay_at_home", "nonessential_business"}


def test_days_in_force_count_to_the_lift_or_the_as_of_day(built_warehouse):
    dsn, _ = built_warehouse
    periods = mart_periods(dsn)
    as_of = periods["as_of_date"].iloc[0]
    ends = periods["lifted_date"].where(periods["lifted_date"].notna(), as_of + timedelta(days=1))
    expected = [
        (end - start).days for start, end in zip(periods["imposed_date"], ends, strict=True)
    ]
    assert list(periods["days_in_force"]) == expected
    assert (periods["is_lifted"] == periods["lifted_date"].notna()).all()


def expected_daily(periods: pd.DataFrame, first: date, last: date, states) -> pd.DataFrame:
    """One row per state and day: a category is in force when any of its periods covers it."""
    days = pd.date_range(first, last)
    grid = pd.MultiIndex.from_product([states, days], names=["state_fips", "calendar_date"])
    frame = pd.DataFrame(index=grid)
    for category in CATEGORIES:
        covered = set()
        for period in periods[periods["category"] == category].itertuples():
            end = period.lifted_date if pd.notna(period.lifted_date) else last + timedelta(days=1)
            for day in pd.date_range(period.imposed_date, end - timedelta(days=1)):
                covered.add((period.state_fips, day))
        frame[f"is_{category}_restricted"] = [key in covered for key in grid]
    frame["restrictions_in_force"] = frame.sum(axis=1)
    frame = frame.reset_index()
    frame["calendar_date"] = frame["calendar_date"].dt.date
    return frame


@pytest.fixture(scope="module")
def restrictions_daily(built_warehouse, shared_data):
    """Recomputed from the timeline's periods, for every state of the policy file."""
    dsn, _ = built_warehouse
    periods = mart_periods(dsn)
    events = pd.read_csv(shared_data / "oi_economic_tracker" / "Policy Milestones - State.csv")
    states = sorted(events["statefips"].map("{:02d}".format).unique())
    return expected_daily(periods, date(2020, 1, 1), periods["as_of_date"].iloc[0], states)


def test_every_state_day_in_force_matches_the_periods(built_warehouse, restrictions_daily):
    dsn, _ = built_warehouse
    mart = query(dsn, "select * from marts.fct_restrictions_daily")
    merged = restrictions_daily.merge(mart, on=["state_fips", "calendar_date"], how="outer")
    assert len(merged) == len(mart) == len(restrictions_daily)
    for column in [f"is_{c}_restricted" for c in CATEGORIES] + ["restrictions_in_force"]:
        assert (merged[f"{column}_x"] == merged[f"{column}_y"]).all(), column


def womply_revenue(data) -> pd.DataFrame:
    revenue = files.oi(data, "Womply Revenue - State - Daily.csv").dropna(subset=["revenue_all"])
    revenue["state_fips"] = revenue["statefips"].map("{:02d}".format)
    return revenue[["state_fips", "date", "revenue_all"]]


def test_correlation_at_every_lag_matches_a_pandas_recomputation(
    built_warehouse, shared_data, restrictions_daily
):
    dsn, _ = built_warehouse
    revenue = womply_revenue(shared_data)
    daily = restrictions_daily[["state_fips", "calendar_date", "restrictions_in_force"]].copy()
    daily["calendar_date"] = pd.to_datetime(daily["calendar_date"])
    expected = {}
    for lag in range(29):
        shifted = daily.assign(date=daily["calendar_date"] + pd.Timedelta(days=lag))
        pairs = shifted.merge(revenue, on=["state_fips", "date"])
        for state, group in pairs.groupby("state_fips"):
            expected[("state", state, lag)] = (
                group["restrictions_in_force"].corr(group["revenue_all"]),
                len(group),
            )
        expected[("nation", "US", lag)] = (
            pairs["restrictions_in_force"].corr(pairs["revenue_all"]),
            len(pairs),
        )
    mart = query(dsn, "select * from marts.fct_revenue_restrictions_correlation")
    assert len(mart) == len(expected)
    for row in mart.itertuples():
        want_r, want_n = expected[(row.geo_level, row.geo_id, row.lag_days)]
        assert row.n_days == want_n
        if np.isnan(want_r):
            assert row.pearson_r is None or np.isnan(row.pearson_r)
        else:
            assert abs(row.pearson_r - want_r) < 1e-9, (row.geo_id, row.lag_days)
    for (_level, geo), group in mart.groupby(["geo_level", "geo_id"]):
        strength = group["pearson_r"].abs().fillna(-1)
        best = group.loc[strength == strength.max(), "lag_days"].min()
        assert group.loc[group["is_strongest_lag"], "lag_days"].tolist() == [best], geo
        assert (group["strongest_lag_days"] == best).all()


def test_event_study_means_match_the_revenue_file(built_warehouse, shared_data):
    dsn, _ = built_warehouse
    revenue = womply_revenue(shared_data).set_index(["state_fips", "date"])["revenue_all"]
    periods = mart_periods(dsn).query("category in @CATEGORIES")
    events = {(p.state_fips, p.category, "closure", p.imposed_date) for p in periods.itertuples()}
    events |= {
        (p.state_fips, p.category, "reopening", p.lifted_date)
        for p in periods.itertuples()
        if pd.notna(p.lifted_date)
    }
    mart = query(dsn, "select * from marts.fct_revenue_event_study")
    assert len(mart) == len(events)
    by_event = mart.set_index(["state_fips", "category", "event_type", "event_date"])
    for state, category, kind, day in events:
        row = by_event.loc[(state, category, kind, day)]
        day = pd.Timestamp(day)
        before = [revenue.get((state, day - pd.Timedelta(days=k))) for k in range(1, 15)]
        after = [revenue.get((state, day + pd.Timedelta(days=k))) for k in range(14)]
        before = [v for v in before if v is not None]
        after = [v for v in after if v is not None]
        assert (row["n_days_before"], row["n_days_after"]) == (len(before), len(after))
        if before:
            assert abs(row["mean_revenue_change_before"] - np.mean(before)) < 1e-9
        if after:
            assert abs(row["mean_revenue_change_after"] - np.mean(after)) < 1e-9
    delaware_closures = mart.query("state_fips == '10' and event_type == 'closure'")
    assert delaware_closures["n_days_before"].gt(0).any()
