"""New York Times COVID-19 data: cumulative cases and deaths for the nation, the states and
the counties.

Provenance, licence and quirks: `tables.py`."""

from loaders.sources.nyt_covid.tables import SOURCE, TABLES

__all__ = ["SOURCE", "TABLES"]
