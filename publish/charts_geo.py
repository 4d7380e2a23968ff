"""The report's state timeline and Delaware map: restriction periods over revenue, ZIPs, counties.

The map is a longitude/latitude scatter on plain axes with an equal-distance aspect ratio,
drawn inside Delaware's outline (a simplified polygon kept here, accurate to about a kilometre):
it needs no map tiles or shapes from the network, so the HTML renders offline.
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
# Delaware's boundary as (longitude, latitude), clockwise from the tri-point with Pennsylvania
# and Maryland: the twelve-mile arc, the Delaware River and Bay, the Atlantic coast, the
# Transpeninsular Line and the Maryland line north. Simplified by hand from the state's
# published boundary description; for placing ZIP codes, not for surveying.
DELAWARE_OUTLINE = (
    (-75.7886, 39.7212),
    (-75.7735, 39.7800),
    (-75.7530, 39.8040),
    (-75.7160, 39.8280),
    (-75.6600, 39.8390),
    (-75.5940, 39.8340),
    (-75.5300, 39.8160),
    (-75.4800, 39.8060),
    (-75.4160, 39.8020),
    (-75.4650, 39.7630),
    (-75.5100, 39.7290),
    (-75.5480, 39.6850),
    (-75.5620, 39.6330),
    (-75.5870, 39.5800),
    (-75.5700, 39.4600),
    (-75.5300, 39.4000),
    (-75.4700, 39.3300),
    (-75.4000, 39.2300),
    (-75.3970, 39.1000),
    (-75.3300, 38.9800),
    (-75.3000, 38.9100),
    (-75.1900, 38.8100),
    (-75.0900, 38.8000),
    (-75.0700, 38.7100),
    (-75.0500, 38.5400),
    (-75.0490, 38.4510),
    (-75.6935, 38.4600),
    (-75.7880, 39.5628),
    (-75.7886, 39.7212),
)


def restrictions_figure(restrictions: pd.DataFrame, revenue: pd.DataFrame) -> go.Figure:
    """Each restriction period as a bar per category, per state; revenue change below it on its
    own axis (a percentage scale, not the category rows), sharing the dates."""
    figure = make_subplots(
        rows=2, cols=1, shared_xaxes=True, row_heights=[0.6, 0.4], vertical_spacing=0.06
    )
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
                row=1,
                col=1,
            )
        sales = revenue[revenue["state_fips"] == state_fips]
        if not sales.empty:
            figure.add_scatter(
                x=sales["activity_date"],
                y=sales["revenue_change"],
                mode="lines",
                name="small-business revenue vs January 2020",
                line={"color": "black", "width": 2},
                row=2,
                col=1,
            )
        views.append((names.get(state_fips, state_fips), list(range(first, len(figure.data)))))
        keys.append(state_fips)
    add_selector(figure, views, default_view(keys))
    figure.update_layout(
        title="Restrictions in force, and small-business revenue change",
        xaxis={"type": "date"},
        xaxis2={"type": "date"},
        yaxis={"categoryorder": "array", "categoryarray": order[::-1], "title": None},
        yaxis2={"tickformat": ".0%", "title": "revenue vs Jan 2020", "zeroline": True},
        barmode="overlay",
        legend={"orientation": "h", "y": -0.12},
        **{**LAYOUT, "height": 620},
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
    outline_x, outline_y = zip(*DELAWARE_OUTLINE, strict=True)
    figure.add_scatter(
        x=list(outline_x),
        y=list(outline_y),
        mode="lines",
        name="Delaware",
        line={"color": "#888", "width": 1.5},
        fill="toself",
        fillcolor="rgba(200, 200, 200, 0.15)",
        hoverinfo="skip",
        showlegend=False,
        row=1,
        col=1,
    )
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
