"""Delaware DHSS: the state's COVID-19 mitigation timeline and ZIP-level case data.

Provenance, licence and quirks: `tables.py`."""

from loaders.sources.delaware_dhss.tables import SOURCE, TABLES

__all__ = ["SOURCE", "TABLES"]
