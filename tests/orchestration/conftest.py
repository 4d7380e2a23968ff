"""The dbt project parsed before the test modules here import the Dagster definitions."""

from tests.end_to_end import parse_dbt_project

parse_dbt_project()
