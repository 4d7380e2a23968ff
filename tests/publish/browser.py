"""Open a page in headless Chromium (Debian's chromium + chromium-driver; nothing downloaded)."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from tests.conftest import require_binary

CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1400,1000",
)

# Each Plotly chart: its id, the traces it draws, and the points of its visible traces.
CHARTS_SCRIPT = """
const count = (value) => (value && value.length !== undefined ? value.length : 0);
return Array.from(document.querySelectorAll('.js-plotly-plot')).map((chart) => ({
  id: chart.id,
  traces: (chart.data || []).length,
  points: (chart._fullData || [])
    .filter((trace) => trace.visible === true)
    .map((trace) => Math.max(count(trace.x), count(trace.y))),
}));
"""


@dataclass(frozen=True)
class Rendered:
    severe_logs: list[str]
    charts: list[dict]


def render_in_chromium(page: Path, screenshot: Path) -> Rendered:
    """Load `page` from disk, read the browser console and the charts, save a full screenshot."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    browser = require_binary("chromium", "chromium")
    driver_path = require_binary("chromedriver", "chromium-driver")
    with tempfile.TemporaryDirectory(prefix="chromium-profile-") as profile:
        options = webdriver.ChromeOptions()
        options.binary_location = browser
        for flag in (*CHROMIUM_FLAGS, f"--user-data-dir={profile}"):
            options.add_argument(flag)
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        driver = webdriver.Chrome(options=options, service=Service(executable_path=driver_path))
        try:
            driver.set_page_load_timeout(60)
            driver.get(page.resolve().as_uri())
            charts = driver.execute_script(CHARTS_SCRIPT)
            height = driver.execute_script("return document.body.scrollHeight")
            driver.set_window_size(1400, min(int(height) + 100, 8000))
            screenshot.parent.mkdir(parents=True, exist_ok=True)
            driver.save_screenshot(str(screenshot))
            logs = driver.get_log("browser")
        finally:
            driver.quit()
    severe = [entry["message"] for entry in logs if entry["level"] == "SEVERE"]
    return Rendered(severe, charts)
