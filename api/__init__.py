"""A read-only HTTP API over the marts: `make api` (`python -m api`).

`catalog` describes each mart from the dbt manifest (descriptions, grain, geography and date
columns); `store` reads the marts as the `bi_reader` role; `app` is the FastAPI application.
"""
