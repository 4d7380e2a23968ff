"""The report's state timeline and Delaware map: restriction periods over revenue, ZIPs, counties.

The map is a longitude/latitude scatter on plain axes with an equal-distance aspect ratio: it
needs no map tiles or outlines from the network, so the HTML renders offline.
"""

from __future__ import annotations

import math
from itertools import cycle

import pandas as pd
import plotly.graph_objects as go
from plotly.colors import qualitative
from plotly.subplots import make_subplots

from publish.charts import LAYOUT, add_selector, default_view

# The restriction categories counted in restrictions_in_force come first, top to bottom.
MS_PER_DAY = 86_400_000
DELAWARE_LATITUDE = 39.0


def restrictions_figure(restrictions: pd.DataFrame, revenue: pd.DataFrame) -> go.Figure:
    """Each restriction period as a bar per category, revenue change overlaid, per state."""
    figure = go.Figure()
    views, keys = [], []
    order = category_order(restrictions)
    colours = dict(zip(order, cycle(qualitative.Plotly + qualitative.D3), strict=False))
    dates = [restrictions["imposed_date"].max(), revenue["activity_date"].max()]
    last_day = pd.Timestamp(max(d for d in dates if pd.notna(d)))
    states = pd.concat([restrictions[["state_fips", "state_name"]], revenue[["state_fips"]]])
    names = states.dropna().drop_duplicates("state_fips").set_index("state_fips")["state_name"]
    for state_fips in sorted(set(restrictions["state_fips"]) | set(revenue["state_fips"])):
        first = len(figure.data)
        periods = restrictions[restrictions["state_fips"] == state_fips]
        if not periods.empty:
            imposed = pd.to_datetime(periods["imposed_date"])
            lifted = pd.to_datetime(periods["lifted_date"])
            end = lifted.fillna(last_day + pd.Timedelta(days=1))
            figure.add_bar(
                y=periods["category"],
                base=imposed.dt.strftime("%Y-%m-%d"),
                x=((end - imposed).dt.days.clip(lower=1) * MS_PER_DAY).tolist(),
                orientation="h",
                name="restriction in force",
                marker_color=[colours[category] for category in periods["category"]],
                customdata=list(
                    zip(
                        imposed.dt.strftime("%Y-%m-%d"),
                        lifted.dt.strftime("%Y-%m-%d").fillna("still in force"),
                        periods["imposed_description"].fillna(""),
                        strict=True,
                    )
                ),
                hovertemplate="%{y}: %{customdata[0]} to %{customdata[1]}<br>"
                "%{customdata[2]}<extra></extra>",
            )
        sales = revenue[revenue["state_fips"] == state_fips]
        if not sales.empty:
            figure.add_scatter(
                x=sales["activity_date"],
                y=sales["revenue_change"],
                yaxis="y2",
                mode="lines",
                name="small-business revenue vs January 2020",
                line={"color": "black", "width": 2},
            )
        views.append((names.get(state_fips, state_fips), list(range(first, len(figure.data)))))
        keys.append(state_fips)
    add_selector(figure, views, default_view(keys))
    figure.update_layout(
        title="Restrictions in force, with small-business revenue change overlaid",
        xaxis={"type": "date"},
        yaxis={"categoryorder": "array", "categoryarray": order[::-1], "title": None},
        yaxis2={"overlaying": "y", "side": "right", "tickformat": ".0%", "title": "revenue"},
        barmode="overlay",
        legend={"orientation": "h", "y": -0.15},
        **LAYOUT,
    )
    return figure


def category_order(restrictions: pd.DataFrame) -> list[str]:
    """The categories counted in force (the warehouse says which), then the others, each
    alphabetically."""
    kinds = restrictions.dropna(subset=["category"]).drop_duplicates("category")
    counted = kinds.loc[kinds["is_counted_in_force"].astype(bool), "category"]
    others = kinds.loc[~kinds["is_counted_in_force"].astype(bool), "category"]
    return sorted(counted) + sorted(others)


def delaware_map_figure(zips: pd.DataFrame, counties: pd.DataFrame) -> go.Figure:
    """Delaware ZIP codes at their centroids coloured by cases per 10,000 people, beside the
    counties' latest cumulative counts (what the county rows carry: deaths from JHU here)."""
    has_cases = counties["cases_cumulative"].notna().any()
    county_title = "Counties: cumulative cases and deaths"
    if not has_cases:
        county_title = "Counties: cumulative deaths<br>(no county case counts in this data)"
    figure = make_subplots(
        rows=1,
        cols=2,
        column_widths=[0.58, 0.42],
        horizontal_spacing=0.16,
        subplot_titles=["ZIP codes: cases per 10,000 people", county_title],
    )
    snapshot = zips["snapshot_date"].dropna()
    figure.add_scatter(
        x=zips["longitude"],
        y=zips["latitude"],
        mode="markers",
        name="ZIP code",
        text=zips["zip_code"],
        marker={
            "size": 11,
            "color": zips["cases_per_10k_people"],
            "colorscale": "YlOrRd",
            "showscale": True,
            "colorbar": {"title": "per 10k", "x": 0.5},
            "line": {"width": 0.5, "color": "#444"},
        },
        hovertemplate="ZIP %{text}: %{marker.color:.0f} cases per 10k<extra></extra>",
        row=1,
        col=1,
    )
    as_of = counties["report_date"].max()
    metrics = [("cases_cumulative", "cases")] if has_cases else []
    for column, label in [*metrics, ("deaths_cumulative", "deaths")]:
        figure.add_bar(
            x=counties[column],
            y=counties["geo_name"],
            orientation="h",
            name=f"{label} by {as_of} ({', '.join(sorted(set(counties['source'])))})",
            row=1,
            col=2,
        )
    # A degree of longitude is cos(latitude) as long as a degree of latitude.
    figure.update_yaxes(
        scaleanchor="x",
        scaleratio=1 / math.cos(math.radians(DELAWARE_LATITUDE)),
        title="latitude",
        row=1,
        col=1,
    )
    figure.update_xaxes(title="longitude", row=1, col=1)
    note = f"ZIP snapshot of {snapshot.max()}" if not snapshot.empty else "undated ZIP snapshot"
    figure.update_layout(
        title=f"Delaware: ZIP codes and counties ({note})",
        legend={"orientation": "h", "y": -0.15},
        **{**LAYOUT, "height": 620},
    )
    return figure
