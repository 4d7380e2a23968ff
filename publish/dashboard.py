"""The static HTML report: every chart in one file that opens offline in any browser.

plotly.js is embedded once in the page (no CDN) and no chart needs map tiles or outlines from
the network. Written to `reports/dashboard.html` at the project's root (or WAREHOUSE_REPORTS
folder), replaced atomically. `python -m publish.dashboard` builds it from the warehouse.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import plotly.graph_objects as go
from plotly.offline import get_plotlyjs

from publish.atomic import replacing
from publish.charts import cases_figure, correlation_figure, forecast_figure
from publish.charts_compare import canada_figure, per_capita_figure, schools_figure
from publish.charts_geo import delaware_map_figure, restrictions_figure
from publish.codebook import load_manifest, mart_docs
from publish.credits import credits
from publish.report_data import REPORT_MARTS, ReportData, read_report_data

FILE_NAME = "dashboard.html"
PLOT_CONFIG = {"displaylogo": False, "responsive": True}


@dataclass(frozen=True)
class Section:
    chart_id: str
    heading: str
    text: str
    figure: go.Figure


def sections(data: ReportData) -> list[Section]:
    return [
        Section(
            "cases",
            "Daily new cases",
            "New cases per day (bars) and their 7-day average (line), from fct_cases_daily. "
            "Pick a state, or the United States, in the menu.",
            cases_figure(data.cases),
        ),
        Section(
            "restrictions",
            "Restrictions and small-business revenue",
            "Each bar is a period a restriction category was in force (fct_restrictions_timeline);"
            " below, on its own scale, Womply small-business revenue change against January 2020 "
            "(fct_business_activity_daily).",
            restrictions_figure(data.restrictions, data.revenue),
        ),
        Section(
            "correlation",
            "Revenue and restrictions, by lag",
            "Pearson correlation between the restrictions in force and revenue change some days "
            "later (fct_revenue_restrictions_correlation); the star marks the strongest lag. "
            "The dashed line is the nation.",
            correlation_figure(data.correlation),
        ),
        Section(
            "forecast",
            "Forecast against actuals",
            "Each method's backtest predictions of daily new cases against the cases reported "
            "(fct_forecast_backtest), and the forecast ahead (fct_case_forecast).",
            forecast_figure(data.backtest, data.forecast),
        ),
        Section(
            "delaware",
            "Delaware",
            "ZIP codes at their centroids, coloured by cases per 10,000 people "
            "(dim_delaware_zip_cases), inside the state's outline, and each county's latest "
            "cumulative counts (fct_cases_daily county rows).",
            delaware_map_figure(data.zips, data.counties),
        ),
        Section(
            "per_capita",
            "Across states, per 100,000 people",
            "Each state's new cases over its last 7 reported days per 100,000 residents "
            "(fct_cases_daily), and COVID-19 inpatients per 100,000 in the states the HHS "
            "hospital data covers (fct_hospital_daily): rates, so states of any size compare.",
            per_capita_figure(data.per_capita, data.hospital),
        ),
        Section(
            "schools",
            "Chicago Public Schools",
            "New cases across the district's schools between snapshots of the published file, and "
            "the schools with the most cases to date (fct_school_case_changes). Snapshots are "
            "irregular: each bar covers the days since the one before.",
            schools_figure(data.school_snapshots, data.top_schools),
        ),
        Section(
            "canada",
            "Canada",
            "Cumulative cases per 100,000 in each province and territory, from PHAC "
            "(fct_cases_daily), and Canada's total as PHAC and JHU CSSE publish it "
            "(fct_canada_source_reconciliation).",
            canada_figure(data.provinces, data.canada_reconciliation),
        ),
    ]


def data_through(data: ReportData) -> str | None:
    """The last day of the case facts the report shows."""
    days = data.cases["report_date"].dropna()
    return str(days.max()) if not days.empty else None


def report_sources() -> list[str]:
    """The loaded sources upstream of the marts the report reads (dbt's lineage); every
    source when the manifest is absent."""
    manifest = load_manifest()
    names = {name for mart in REPORT_MARTS for name in mart_docs(manifest, mart).sources}
    return sorted(names) or [credit.source for credit in credits()]


def sources_html(sources: list[str]) -> str:
    """Each source, its licence and the attribution it asks for; addresses as text (the
    page loads nothing from the network)."""
    items = []
    for credit in credits(sources):
        homepage = re.sub(r"^https?://", "", credit.homepage)
        attribution = re.sub(r"https?://", "", credit.attribution)
        items.append(
            f"<li><b>{html.escape(credit.source)}</b> ({html.escape(homepage)}): "
            f"{html.escape(attribution)} Licence: {html.escape(credit.licence)}.</li>"
        )
    return "<ul>" + "".join(items) + "</ul>"


def render(
    parts: list[Section], built_at: datetime, through: str | None = None, sources: str = ""
) -> str:
    body = []
    for part in parts:
        chart = part.figure.to_html(
            full_html=False, include_plotlyjs=False, div_id=part.chart_id, config=PLOT_CONFIG
        )
        body.append(
            f"<section><h2>{html.escape(part.heading)}</h2><p>{html.escape(part.text)}</p>"
            f"{chart}</section>"
        )
    stamp = built_at.strftime("%Y-%m-%d %H:%M UTC")
    through_text = f"Data through {through}. " if through else ""
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>COVID warehouse report</title>
<style>body{{font-family:sans-serif;max-width:1200px;margin:0 auto;padding:1em}}
section{{margin-bottom:2em}}p{{color:#444}}</style>
<script type="text/javascript">{get_plotlyjs()}</script>
</head><body>
<h1>COVID warehouse report</h1>
<p id="data-through">{through_text}Built {stamp} from the tables in schema <code>marts</code>.</p>
{"".join(body)}
<section id="sources"><h2>Sources</h2>{sources}</section>
</body></html>
"""


def write_dashboard(dsn: str, folder: Path) -> tuple[Path, list[Section]]:
    """Read the marts, draw every chart, replace the HTML file in `folder` (WAREHOUSE_REPORTS,
    `reports/` by default); returns it and the sections."""
    target = folder / FILE_NAME
    data = read_report_data(dsn)
    parts = sections(data)
    page = render(parts, datetime.now(UTC), data_through(data), sources_html(report_sources()))
    with replacing(target) as (temporary,):
        temporary.write_text(page, encoding="utf-8")
    return target, parts


if __name__ == "__main__":
    from warehouse.database import warehouse_dsn
    from warehouse.settings import Settings

    settings = Settings.from_env()
    path, _ = write_dashboard(warehouse_dsn(settings), settings.reports)
    print(f"Report written to {path}")
