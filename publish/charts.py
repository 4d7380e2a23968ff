"""Plotly figures of the report, each built from DataFrames alone (report_data.py reads them).

Figures with one view per state carry every state's traces and a dropdown that shows one
state at a time (Delaware first), so the HTML needs no server.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

DEFAULT_STATE = "10"  # Delaware
NATION = "US"
LAYOUT = {"template": "plotly_white", "height": 480, "margin": {"t": 110, "r": 30, "b": 40}}


def add_selector(figure: go.Figure, views: list[tuple[str, list[int]]], default: int) -> None:
    """A dropdown of `views` (label, the traces it shows); view `default` is shown first."""
    count = len(figure.data)
    for index, trace in enumerate(figure.data):
        trace.visible = index in views[default][1]
    buttons = [
        {
            "label": label,
            "method": "update",
            "args": [{"visible": [index in shown for index in range(count)]}],
        }
        for label, shown in views
    ]
    figure.update_layout(
        updatemenus=[
            {
                "buttons": buttons,
                "active": default,
                "x": 0,
                "xanchor": "left",
                "y": 1.03,
                "yanchor": "bottom",
            }
        ]
    )


def default_view(keys: list[str], preferred: str = DEFAULT_STATE) -> int:
    return keys.index(preferred) if preferred in keys else 0


def cases_figure(cases: pd.DataFrame) -> go.Figure:
    """Daily new cases (bars) and their 7-day average (line), per state and the nation."""
    figure = go.Figure()
    views, keys = [], []
    geographies = cases[["geo_level", "geo_id", "geo_name"]].drop_duplicates()
    geographies = geographies.sort_values(["geo_level", "geo_name"])  # the nation first
    for geo_id, geo_name in zip(geographies["geo_id"], geographies["geo_name"], strict=True):
        rows = cases[cases["geo_id"] == geo_id]
        first = len(figure.data)
        figure.add_bar(
            x=rows["report_date"], y=rows["new_cases"], name="new cases", marker_color="#9ecae1"
        )
        figure.add_scatter(
            x=rows["report_date"],
            y=rows["new_cases_7d_avg"],
            name="7-day average",
            mode="lines",
            line={"color": "#08519c", "width": 2},
        )
        views.append((geo_name, [first, first + 1]))
        keys.append(geo_id)
    add_selector(figure, views, default_view(keys))
    figure.update_layout(
        title="Daily new cases and 7-day average", yaxis_title="new cases per day", **LAYOUT
    )
    return figure


def correlation_figure(correlation: pd.DataFrame) -> go.Figure:
    """Pearson r between restrictions in force and revenue, by lag, for a state and the nation."""
    figure = go.Figure()
    traces: dict[str, int] = {}
    names: dict[str, str] = {}
    for (geo_level, geo_id), rows in correlation.groupby(["geo_level", "geo_id"], sort=False):
        traces[geo_id] = len(figure.data)
        names[geo_id] = rows["geo_name"].iloc[0]
        strongest = rows[rows["is_strongest_lag"].fillna(False).astype(bool)]
        figure.add_scatter(
            x=rows["lag_days"],
            y=rows["pearson_r"],
            mode="lines+markers",
            name=names[geo_id],
            line={"dash": "dash" if geo_level == "nation" else "solid"},
            hovertemplate="lag %{x} days: r = %{y:.2f}<extra>" + names[geo_id] + "</extra>",
        )
        if not strongest.empty:
            label = f"strongest lag ({names[geo_id]})"
            figure.add_scatter(
                x=strongest["lag_days"],
                y=strongest["pearson_r"],
                mode="markers",
                name=label,
                marker={"symbol": "star", "size": 14},
            )
    states = sorted((geo for geo in traces if geo != NATION), key=names.get)
    nation = _own_traces(traces, NATION, len(figure.data))
    views = [(names[geo], nation + _own_traces(traces, geo, len(figure.data))) for geo in states]
    add_selector(figure, views or [(names.get(NATION, "nation"), nation)], default_view(states))
    figure.update_layout(
        title="Correlation of small-business revenue with restrictions in force, by lag",
        xaxis_title="lag (days between restrictions and revenue)",
        yaxis_title="Pearson r",
        yaxis_range=[-1, 1],
        **LAYOUT,
    )
    return figure


def _own_traces(first_trace: dict[str, int], geo: str, total: int) -> list[int]:
    """The traces a geography added: from its first up to the next geography's first."""
    if geo not in first_trace:
        return []
    start = first_trace[geo]
    later = [index for index in first_trace.values() if index > start]
    return list(range(start, min(later, default=total)))


def forecast_figure(backtest: pd.DataFrame, forecast: pd.DataFrame) -> go.Figure:
    """Backtest predictions of each method against the actual new cases, per state."""
    figure = go.Figure()
    views, keys = [], []
    names = dict(zip(forecast["state_fips"], forecast["state_name"], strict=True))
    for state_fips, rows in backtest.groupby("state_fips", sort=True):
        first = len(figure.data)
        actual = rows.drop_duplicates("target_date").sort_values("target_date")
        figure.add_scatter(
            x=actual["target_date"],
            y=actual["actual_new_cases"],
            name="actual new cases",
            mode="lines+markers",
            line={"color": "black", "width": 3},
        )
        for method, predicted in rows.groupby("method", sort=True):
            figure.add_scatter(
                x=predicted["target_date"],
                y=predicted["predicted_new_cases"],
                name=f"predicted: {method}",
                mode="lines+markers",
            )
        ahead = forecast[forecast["state_fips"] == state_fips]
        if not ahead.empty:
            figure.add_scatter(
                x=ahead["forecast_date"],
                y=ahead["predicted_new_cases"],
                name=f"forecast ({ahead['method'].iloc[0]})",
                mode="markers",
                marker={"symbol": "diamond", "size": 12, "color": "#d62728"},
            )
        views.append((names.get(state_fips, state_fips), list(range(first, len(figure.data)))))
        keys.append(state_fips)
    add_selector(figure, views, default_view(keys))
    figure.update_layout(
        title="Forecast against actuals: backtest predictions per method",
        yaxis_title="new cases per day",
        **LAYOUT,
    )
    return figure
