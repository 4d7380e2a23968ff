"""Next-day new cases per state, with a rolling backtest against two naive baselines.

The model is a small autoregression, refitted by least squares for every forecast on the
56 days before it:  y[t+1] = a + b * y[t] + c * y[t-6] + d * mean(y[t-6..t]),  i.e. tomorrow
from today, from the same weekday last week (reporting follows the week) and from the
week's level. Negative forecasts are clipped to 0.

Baselines: `naive_last` (tomorrow = today) and `naive_7d_avg` (tomorrow = the mean of the
last 7 days). Backtest: one forecast per day over the last 90 days that have the history to
fit, scored by mean absolute error. A state's forecast comes from the model only where its
error is lower than both baselines'; elsewhere from the better baseline. Pure functions of
pandas frames: reading and writing the warehouse is the caller's.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import numpy as np
import pandas as pd

MODEL = "autoregression"
NAIVE_LAST = "naive_last"
NAIVE_7D_AVG = "naive_7d_avg"
METHODS = (MODEL, NAIVE_LAST, NAIVE_7D_AVG)

TRAINING_DAYS = 56
BACKTEST_DAYS = 90
MIN_BACKTEST_DAYS = 28
WEEK = 7

Predictor = Callable[[np.ndarray, int], float]


def features(values: np.ndarray, t: int) -> np.ndarray:
    """The model's inputs known on day t (needs t >= 6)."""
    return np.array([1.0, values[t], values[t - 6], values[t - 6 : t + 1].mean()])


def predict_model(values: np.ndarray, t: int) -> float:
    """Forecast values[t + 1] from values[: t + 1], fitted on the TRAINING_DAYS before it."""
    origins = range(t - TRAINING_DAYS, t)
    design = np.array([features(values, k) for k in origins])
    targets = values[t - TRAINING_DAYS + 1 : t + 1]
    coefficients, *_ = np.linalg.lstsq(design, targets, rcond=None)
    return max(0.0, float(features(values, t) @ coefficients))


def predict_last(values: np.ndarray, t: int) -> float:
    return float(values[t])


def predict_7d_avg(values: np.ndarray, t: int) -> float:
    return float(values[t - WEEK + 1 : t + 1].mean())


PREDICTORS: dict[str, Predictor] = {
    MODEL: predict_model,
    NAIVE_LAST: predict_last,
    NAIVE_7D_AVG: predict_7d_avg,
}

# The earliest day a forecast can be made from: the model's training window and its lag.
FIRST_ORIGIN = TRAINING_DAYS + WEEK - 1


def backtest(dates: list, values: np.ndarray) -> pd.DataFrame:
    """One row per method per backtested day: predicted, actual, absolute error."""
    origins = range(max(FIRST_ORIGIN, len(values) - 1 - BACKTEST_DAYS), len(values) - 1)
    rows = [
        (method, dates[t + 1], predict(values, t), values[t + 1])
        for t in origins
        for method, predict in PREDICTORS.items()
    ]
    columns = ["method", "target_date", "predicted_new_cases", "actual_new_cases"]
    frame = pd.DataFrame(rows, columns=columns).astype({"predicted_new_cases": float})
    frame["absolute_error"] = (frame["predicted_new_cases"] - frame["actual_new_cases"]).abs()
    return frame


def forecast_state(dates: list, values: np.ndarray) -> tuple[dict, pd.DataFrame]:
    """The next day's forecast of one state's series (sorted by day, no gaps) and its backtest."""
    tested = backtest(dates, values)
    errors = tested.groupby("method")["absolute_error"].mean().to_dict()
    n_days = tested["target_date"].nunique()
    if n_days >= MIN_BACKTEST_DAYS:
        best_baseline = min((NAIVE_LAST, NAIVE_7D_AVG), key=lambda m: errors[m])
        model_wins = errors[MODEL] < errors[best_baseline]
        method = MODEL if model_wins else best_baseline
    else:  # too little history to judge the model: the week's average, or the last day
        method = NAIVE_7D_AVG if len(values) >= WEEK else NAIVE_LAST
    last = len(values) - 1
    forecast = {
        "forecast_date": dates[last] + timedelta(days=1),
        "predicted_new_cases": PREDICTORS[method](values, last),
        "method": method,
        "is_model_forecast": method == MODEL,
        "last_actual_date": dates[last],
        "n_backtest_days": n_days,
        "mae_model": errors.get(MODEL),
        "mae_naive_last": errors.get(NAIVE_LAST),
        "mae_naive_7d_avg": errors.get(NAIVE_7D_AVG),
    }
    return forecast, tested


def latest_consecutive_days(rows: pd.DataFrame) -> pd.DataFrame:
    """The rows after the state's last reporting gap: the model's lags assume one row a day."""
    days = pd.to_datetime(rows["report_date"])
    gaps = (days.diff() != pd.Timedelta(days=1)).cumsum()
    return rows[gaps == gaps.iloc[-1]]


def forecast_states(daily: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """`daily`: state_fips, state_name, report_date, new_cases per state and day.
    Returns (one forecast per state, the backtest rows of every state)."""
    forecasts, backtests = [], []
    for (state_fips, state_name), rows in daily.groupby(["state_fips", "state_name"]):
        rows = latest_consecutive_days(rows.sort_values("report_date"))
        values = rows["new_cases"].to_numpy(dtype=float)
        forecast, tested = forecast_state(list(rows["report_date"]), values)
        forecasts.append({"state_fips": state_fips, "state_name": state_name, **forecast})
        backtests.append(tested.assign(state_fips=state_fips))
    return pd.DataFrame(forecasts), pd.concat(backtests, ignore_index=True)
