"""What the warehouse publishes for people and front ends: the HTML report and mart exports.

Plain Python over a Postgres connection string, no Dagster import; the assets in
orchestration/defs/publishing.py call it after the marts are built.
"""
