"""Johns Hopkins CSSE COVID-19 data: global and US time series, the UID lookup, and daily
US state reports.

Provenance, licence and quirks: `time_series.py` and `daily_reports.py`."""

from loaders.sources.jhu_csse.source import SOURCE
from loaders.sources.jhu_csse.time_series import TABLES

__all__ = ["SOURCE", "TABLES"]
