"""The report's comparisons: states per 100,000 people, Chicago schools, Canada's provinces."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from publish.charts import LAYOUT


def per_capita_figure(latest: pd.DataFrame, hospital: pd.DataFrame) -> go.Figure:
    """Each state's latest 7-day new cases and deaths per 100,000 (bars, highest first), and
    COVID-19 inpatients per 100,000 over time in the states HHS data covers."""
    figure = make_subplots(
        rows=1,
        cols=2,
        column_widths=[0.45, 0.55],
        horizontal_spacing=0.14,
        subplot_titles=[
            f"New cases in the 7 days to {latest['report_date'].max()}, per 100,000",
            "COVID-19 inpatients per 100,000 (HHS)",
        ],
    )
    ordered = latest.sort_values("new_cases_per_100k_7d")
    figure.add_bar(
        x=ordered["new_cases_per_100k_7d"],
        y=ordered["geo_name"],
        orientation="h",
        name="new cases per 100k (7 days)",
        marker_color="#3182bd",
        hovertemplate="%{y}: %{x:.0f} per 100k<extra></extra>",
        row=1,
        col=1,
    )
    for state_name, rows in hospital.groupby("state_name", sort=True):
        figure.add_scatter(
            x=rows["report_date"],
            y=rows["covid_inpatients_per_100k"],
            mode="lines",
            name=f"inpatients per 100k: {state_name}",
            row=1,
            col=2,
        )
    figure.update_yaxes(title="per 100,000 people", row=1, col=2)
    figure.update_layout(
        title="Across states, per 100,000 people",
        legend={"orientation": "h", "y": -0.12},
        **{**LAYOUT, "height": max(520, 16 * len(latest) + 160)},
    )
    return figure


def schools_figure(snapshots: pd.DataFrame, top_schools: pd.DataFrame) -> go.Figure:
    """Chicago Public Schools: new cases district-wide between snapshots of the publisher's
    file, and the schools with the most cases at the latest snapshot."""
    figure = make_subplots(
        rows=1,
        cols=2,
        column_widths=[0.5, 0.5],
        horizontal_spacing=0.22,
        subplot_titles=[
            "New cases since the previous snapshot, all schools",
            f"Most cases to date, latest snapshot ({top_schools['snapshot_date'].max()})",
        ],
    )
    figure.add_bar(
        x=snapshots["snapshot_date"].astype(str),
        y=snapshots["new_cases"],
        name="new cases between snapshots",
        marker_color="#fd8d3c",
        customdata=snapshots["days_since_previous_snapshot"],
        hovertemplate="%{y} new cases over %{customdata} days to %{x}<extra></extra>",
        row=1,
        col=1,
    )
    ordered = top_schools.sort_values("cases_cumulative")
    figure.add_bar(
        x=ordered["cases_cumulative"],
        y=ordered["latest_school_name"],
        orientation="h",
        name="cases to date",
        marker_color="#e6550d",
        row=1,
        col=2,
    )
    figure.update_xaxes(type="category", title="snapshot", row=1, col=1)
    figure.update_layout(
        title="Chicago Public Schools: cases reported by school",
        legend={"orientation": "h", "y": -0.2},
        **LAYOUT,
    )
    return figure


def canada_figure(provinces: pd.DataFrame, reconciliation: pd.DataFrame) -> go.Figure:
    """Cumulative cases per 100,000 in each province (PHAC), and Canada's total as PHAC and JHU
    publish it (fct_canada_source_reconciliation)."""
    figure = make_subplots(
        rows=1,
        cols=2,
        column_widths=[0.55, 0.45],
        horizontal_spacing=0.1,
        subplot_titles=[
            "Cumulative cases per 100,000, by province (PHAC)",
            "Canada's cumulative cases: PHAC against JHU",
        ],
    )
    for geo_name, rows in provinces.groupby("geo_name", sort=True):
        per_100k = rows["cases_cumulative"] * 100_000 / rows["population"]
        figure.add_scatter(
            x=rows["report_date"], y=per_100k, mode="lines+markers", name=geo_name, row=1, col=1
        )
    for column, label, colour in [
        ("primary_value", "PHAC", "#b30000"),
        ("compared_value", "JHU CSSE", "#636363"),
    ]:
        figure.add_scatter(
            x=reconciliation["report_date"],
            y=reconciliation[column],
            mode="lines+markers",
            name=f"Canada: {label}",
            line={"color": colour, "dash": "dot" if label != "PHAC" else "solid"},
            row=1,
            col=2,
        )
    figure.update_layout(
        title="Canada: provinces and territories", legend={"orientation": "h", "y": -0.15}, **LAYOUT
    )
    return figure
