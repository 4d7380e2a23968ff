"""Analyses written back to the warehouse by Python: forecasts that SQL cannot express."""
