"""Public Health Agency of Canada (Health Infobase): COVID-19 cases, deaths and tests per
province and territory.

Provenance, licence and quirks: `tables.py`."""

from loaders.sources.phac_canada.tables import SOURCE, TABLES

__all__ = ["SOURCE", "TABLES"]
