"""Dagster code location: every loader table and dbt model as one lineage graph."""
