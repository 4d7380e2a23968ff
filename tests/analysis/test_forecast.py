"""The next-day forecast: the model, the baselines, the backtest and the choice between them."""

from datetime import date, timedelta

import numpy as np
import pandas as pd
import pytest

from analysis.forecast import (
    BACKTEST_DAYS,
    FIRST_ORIGIN,
    MODEL,
    NAIVE_7D_AVG,
    NAIVE_LAST,
    backtest,
    forecast_state,
    forecast_states,
    latest_consecutive_days,
    predict_model,
)

START = date(2021, 1, 1)


def days(n: int, start: date = START) -> list[date]:
    return [start + timedelta(days=i) for i in range(n)]


def linear_series(n: int) -> np.ndarray:
    """y[t+1] = 5 + 0.4 y[t] + 0.3 y[t-6] + 0.2 mean(y[t-6..t]), from a varied first week."""
    values = [10.0, 30.0, 20.0, 50.0, 40.0, 15.0, 25.0]
    while len(values) < n:
        t = len(values) - 1
        week = values[t - 6 : t + 1]
        values.append(5 + 0.4 * values[t] + 0.3 * values[t - 6] + 0.2 * sum(week) / 7)
    return np.array(values)


def weekly_series(n: int) -> np.ndarray:
    """A steady weekly reporting pattern (low weekends), like many states' new cases."""
    pattern = np.array([100.0, 900.0, 800.0, 700.0, 600.0, 500.0, 50.0])
    return np.resize(pattern, n)


def test_the_model_recovers_an_exact_autoregression():
    values = linear_series(80)
    t = 70
    week = values[t - 6 : t + 1]
    expected = 5 + 0.4 * values[t] + 0.3 * values[t - 6] + 0.2 * week.mean()
    assert predict_model(values, t) == pytest.approx(expected, rel=1e-9)


def test_the_baselines_predict_yesterday_and_the_weeks_mean():
    values = np.arange(1.0, 101.0)  # 1, 2, ..., 100
    tested = backtest(days(100), values).set_index(["method", "target_date"])
    last_day = days(100)[-1]
    assert tested.loc[(NAIVE_LAST, last_day), "predicted_new_cases"] == 99
    assert tested.loc[(NAIVE_7D_AVG, last_day), "predicted_new_cases"] == np.mean(range(93, 100))
    assert tested.loc[(NAIVE_LAST, last_day), "absolute_error"] == 1


def test_the_backtest_covers_the_last_90_days_with_a_forecast_each():
    n = 200
    tested = backtest(days(n), weekly_series(n))
    assert set(tested["method"]) == {MODEL, NAIVE_LAST, NAIVE_7D_AVG}
    targets = sorted(tested["target_date"].unique())
    assert len(targets) == BACKTEST_DAYS
    assert targets[-1] == days(n)[-1]
    assert (tested.groupby("method").size() == BACKTEST_DAYS).all()


def test_the_model_is_kept_where_it_beats_both_baselines():
    n = 200
    forecast, tested = forecast_state(days(n), weekly_series(n))
    errors = tested.groupby("method")["absolute_error"].mean()
    assert errors[MODEL] < min(errors[NAIVE_LAST], errors[NAIVE_7D_AVG])
    assert forecast["method"] == MODEL and forecast["is_model_forecast"]
    # tomorrow is the pattern's next weekday: the model has learnt the week
    assert forecast["predicted_new_cases"] == pytest.approx(weekly_series(n + 1)[-1], rel=1e-6)
    assert forecast["forecast_date"] == days(n)[-1] + timedelta(days=1)


def test_a_tie_goes_to_a_baseline():
    n = 120
    forecast, tested = forecast_state(days(n), np.full(n, 7.0))
    assert (tested["absolute_error"] < 1e-9).all()
    assert forecast["method"] in (NAIVE_LAST, NAIVE_7D_AVG)
    assert not forecast["is_model_forecast"]
    assert forecast["predicted_new_cases"] == 7.0


def test_a_short_series_gets_the_weeks_average_without_a_backtest():
    forecast, tested = forecast_state(days(20), np.arange(20.0))
    assert tested.empty and forecast["n_backtest_days"] == 0
    assert forecast["method"] == NAIVE_7D_AVG
    assert forecast["predicted_new_cases"] == np.mean(range(13, 20))


def test_only_the_days_after_the_last_reporting_gap_are_used():
    dates = days(10) + days(FIRST_ORIGIN + 40, START + timedelta(days=20))
    rows = pd.DataFrame({"report_date": dates, "new_cases": 1.0})
    kept = latest_consecutive_days(rows)
    assert list(kept["report_date"]) == dates[10:]


def test_every_state_gets_one_forecast_and_its_backtest_rows():
    n = 200
    frame = pd.concat(
        [
            pd.DataFrame(
                {"state_fips": fips, "state_name": name, "report_date": days(n), "new_cases": v}
            )
            for fips, name, v in [("10", "Delaware", weekly_series(n)), ("11", "DC", np.ones(n))]
        ]
    )
    forecasts, backtests = forecast_states(frame.sample(frac=1, random_state=1))  # any order
    assert list(forecasts["state_fips"]) == ["10", "11"]
    assert forecasts.set_index("state_fips").loc["10", "method"] == MODEL
    assert backtests.groupby("state_fips").size().to_dict() == {
        "10": 3 * BACKTEST_DAYS,
        "11": 3 * BACKTEST_DAYS,
    }
