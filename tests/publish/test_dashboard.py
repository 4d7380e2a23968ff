"""The HTML report: charts drawn from the marts, written atomically, rendered in Chromium."""

from pathlib import Path

import psycopg
import pytest
from plotly.offline import get_plotlyjs

import publish.dashboard as dashboard
from publish.charts_geo import DELAWARE_OUTLINE
from publish.dashboard import FILE_NAME, write_dashboard
from tests.conftest import ROOT
from tests.publish.browser import render_in_chromium
from tests.publish.fixture_marts import (
    DAYS,
    DELAWARE_COUNTIES,
    POPULATIONS,
    SNAPSHOTS,
    STATES,
    create_fixture_marts,
    day,
    state_new_cases,
)


def state_new_cases_7d(fips: str) -> int:
    return sum(state_new_cases(fips, offset) for offset in range(DAYS - 7, DAYS))


SCREENSHOTS = ROOT / "reports" / "screenshots"
CHART_IDS = [
    "cases",
    "restrictions",
    "correlation",
    "forecast",
    "delaware",
    "per_capita",
    "schools",
    "canada",
]


@pytest.fixture
def marts(dsn):
    create_fixture_marts(dsn)
    return dsn


@pytest.fixture
def report(marts, tmp_path):
    path, parts = write_dashboard(marts, tmp_path)
    return path, {part.chart_id: part.figure for part in parts}


def visible(figure):
    return [trace for trace in figure.data if trace.visible]


def dropdown_labels(figure) -> list[str]:
    return [button.label for button in figure.layout.updatemenus[0].buttons]


def test_cases_show_delaware_first_and_every_us_geography_in_the_menu(report):
    _, figures = report
    cases = figures["cases"]
    assert dropdown_labels(cases) == ["United States", "Delaware", "Illinois"]  # no Canada
    bars, average = visible(cases)
    assert list(bars.y) == [state_new_cases("10", offset) for offset in range(DAYS)]
    expected_average = sum(state_new_cases("10", o) for o in range(DAYS - 7, DAYS)) / 7
    assert average.y[-1] == pytest.approx(expected_average)
    illinois = cases.layout.updatemenus[0].buttons[2].args[0]["visible"]
    shown = [trace for trace, on in zip(cases.data, illinois, strict=True) if on]
    assert list(shown[0].y) == [state_new_cases("17", offset) for offset in range(DAYS)]


def test_restriction_periods_are_bars_and_open_periods_run_to_the_last_day(report):
    _, figures = report
    bars, revenue = visible(figures["restrictions"])
    assert list(bars.y) == ["masks", "schools", "stay_at_home"]
    assert list(bars.base) == [str(day(2)), str(day(3)), str(day(5))]
    ms_per_day = 86_400_000
    lifted, open_since_5, open_since_2 = 12, DAYS - 5, DAYS - 2
    assert list(bars.x) == [d * ms_per_day for d in (open_since_2, lifted, open_since_5)]
    assert [point[1] for point in bars.customdata] == [
        "still in force",
        str(day(15)),
        "still in force",
    ]
    assert revenue.yaxis == "y2" and len(revenue.y) == DAYS
    assert revenue.y[-1] == pytest.approx(-0.01 * (DAYS - 1))


def test_revenue_has_its_own_axis_below_the_category_rows(report):
    """Revenue is a percentage on its own axis (not overlaid on the category rows, whose ticks
    would read as revenue levels), sharing the dates with the bars."""
    layout = report[1]["restrictions"].layout
    assert layout.yaxis2.overlaying is None and layout.yaxis2.tickformat == ".0%"
    bars_bottom = min(layout.yaxis.domain)
    revenue_top = max(layout.yaxis2.domain)
    assert revenue_top < bars_bottom
    assert layout.xaxis.matches == "x2" or layout.xaxis2.matches == "x"


def test_categories_counted_in_force_come_first_as_the_warehouse_marks_them(report):
    """The report reads which categories count from the mart, not from a list of its own."""
    _, figures = report
    top_to_bottom = list(figures["restrictions"].layout.yaxis.categoryarray)[::-1]
    assert top_to_bottom == ["dining", "schools", "stay_at_home", "masks"]


def test_correlation_shows_the_nation_beside_the_chosen_state(report):
    _, figures = report
    names = [trace.name for trace in visible(figures["correlation"])]
    assert names == [
        "United States",
        "strongest lag (United States)",
        "Delaware",
        "strongest lag (Delaware)",
    ]
    delaware = visible(figures["correlation"])[2]
    assert list(delaware.x) == list(range(29))


def test_forecast_compares_each_method_with_the_actuals(report):
    _, figures = report
    traces = visible(figures["forecast"])
    assert [t.name for t in traces] == [
        "actual new cases",
        "predicted: autoregression",
        "predicted: naive_last",
        "forecast (autoregression)",
    ]
    assert list(traces[0].y) == [42.0 + offset for offset in range(14, DAYS)]


def test_delaware_map_places_zips_and_labels_county_deaths_honestly(report):
    _, figures = report
    figure = figures["delaware"]
    outline, zips, deaths = figure.data
    assert outline.fill == "toself" and outline.x[0] == outline.x[-1]  # a closed polygon
    inside_longitudes = min(outline.x) < min(zips.x) and max(zips.x) < max(outline.x)
    assert inside_longitudes and min(outline.y) < min(zips.y) < max(zips.y) < max(outline.y)
    assert list(zips.text) == ["19701", "19901", "19966"]  # the ZIP without a centroid is left out
    assert list(zips.marker.color) == [310.5, 280.0, 255.25]
    assert list(deaths.y) == sorted(DELAWARE_COUNTIES.values())
    last = DAYS - 1
    by_name = {
        name: (index + 1) * 10 + last for index, name in enumerate(DELAWARE_COUNTIES.values())
    }
    assert list(deaths.x) == [by_name[name] for name in deaths.y]
    titles = [annotation.text for annotation in figure.layout.annotations]
    assert "no county case counts" in titles[1]
    assert figure.layout.yaxis.scaleanchor == "x"


def test_a_missing_mart_is_named_and_the_previous_report_kept(marts, tmp_path):
    write_dashboard(marts, tmp_path)
    before = (tmp_path / FILE_NAME).read_bytes()
    with psycopg.connect(marts, autocommit=True) as conn:
        conn.execute("drop table marts.fct_forecast_backtest")
    with pytest.raises(LookupError, match="marts.fct_forecast_backtest"):
        write_dashboard(marts, tmp_path)
    assert (tmp_path / FILE_NAME).read_bytes() == before


def test_a_failure_while_writing_leaves_the_previous_report(marts, tmp_path, monkeypatch):
    write_dashboard(marts, tmp_path)
    before = (tmp_path / FILE_NAME).read_bytes()

    def broken(*args):
        return "<html>" + 1  # fails part-way, after reading every mart

    monkeypatch.setattr(dashboard, "render", broken)
    with pytest.raises(TypeError):
        write_dashboard(marts, tmp_path)
    assert (tmp_path / FILE_NAME).read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == [FILE_NAME]  # no temporary file left


def test_the_page_needs_no_network(report):
    path, _ = report
    page = path.read_text()
    assert page.count(get_plotlyjs()) == 1  # the library itself, inline
    ours = page.replace(get_plotlyjs(), "")
    assert "cdn.plot.ly" not in ours and "<script src" not in ours and "http" not in ours
    assert ours.count("Plotly.newPlot") == len(CHART_IDS)


def check_rendering(page: Path, screenshot: Path) -> list[dict]:
    """No console errors; every chart has traces and each visible trace has points."""
    rendered = render_in_chromium(page, screenshot)
    assert rendered.severe_logs == []
    assert [chart["id"] for chart in rendered.charts] == CHART_IDS
    for chart in rendered.charts:
        assert chart["traces"] >= 1, chart["id"]
        assert chart["points"] and min(chart["points"]) >= 1, chart
    assert screenshot.stat().st_size > 10_000
    return rendered.charts


def test_the_report_renders_in_headless_chromium(report):
    path, _ = report
    charts = check_rendering(path, SCREENSHOTS / "dashboard-fixture.png")
    by_id = {chart["id"]: chart for chart in charts}
    assert by_id["cases"]["points"] == [DAYS, DAYS]
    assert by_id["delaware"]["points"] == [len(DELAWARE_OUTLINE), 3, len(DELAWARE_COUNTIES)]
    assert by_id["per_capita"]["points"] == [len(STATES), DAYS, DAYS]
    assert by_id["canada"]["points"][0] == len(range(0, DAYS, 2))


def test_per_capita_view_ranks_states_by_rate(report):
    bars, *hospital = report[1]["per_capita"].data
    rates = {
        name: state_new_cases_7d(fips) * 100_000 / POPULATIONS[fips]
        for fips, name in STATES.items()
    }
    assert list(bars.y) == sorted(rates, key=rates.get)  # highest at the top
    assert list(bars.x) == pytest.approx(sorted(rates.values()))
    assert [trace.name for trace in hospital] == [
        f"inpatients per 100k: {name}" for name in sorted(STATES.values())
    ]


def test_schools_and_canada_have_their_sections(report):
    new_cases, top = report[1]["schools"].data
    assert list(new_cases.x) == [str(SNAPSHOTS[1]), str(SNAPSHOTS[2])]
    assert list(new_cases.y) == [1 + 2 + 3, 1 + 2 + 3]  # every school, administrative too
    assert list(top.y) == ["ADDAMS", "ALCOTT HIGH SCHOOL"]  # fewest first: drawn bottom up
    provinces, phac, jhu = report[1]["canada"].data
    days = list(range(0, DAYS, 2))
    assert provinces.name == "Ontario"
    assert list(provinces.y) == pytest.approx([10 * o * 100_000 / 14_734_014 for o in days])
    assert list(phac.y) == [20 * o for o in days] and list(jhu.y) == [21 * o for o in days]


def test_the_report_says_its_sources_and_how_recent_its_data_is(report):
    path, _ = report
    page = path.read_text()
    assert f"Data through {day(DAYS - 1)}." in page
    sources = page[page.index('<section id="sources">') :]
    for name in ("nyt_covid", "jhu_csse", "phac_canada", "hhs_hospital", "cps_covid"):
        assert f"<b>{name}</b>" in sources
    assert "CC BY-NC 4.0" in sources and "no commercial use" in sources
