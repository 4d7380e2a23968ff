"""Chicago Public Schools COVID-19 cases per school, district totals, and school locations.

Provenance, licence and quirks: `tables.py`."""

from loaders.sources.cps_covid.tables import SOURCE, TABLES

__all__ = ["SOURCE", "TABLES"]
