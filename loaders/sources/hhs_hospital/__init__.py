"""US HHS: COVID-19 Reported Patient Impact and Hospital Capacity by State Timeseries.

Provenance, licence and quirks: `tables.py`."""

from loaders.sources.hhs_hospital.tables import SOURCE, TABLES

__all__ = ["SOURCE", "TABLES"]
