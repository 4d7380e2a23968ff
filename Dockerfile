# The image for the Dagster code location, webserver and daemon (see docker-compose.yml).
FROM python:3.11-slim

ENV PYTHONUNBUFFERED=1 \
    DAGSTER_HOME=/opt/dagster/home \
    DBT_SEND_ANONYMOUS_USAGE_STATS=false \
    DBT_USE_COLORS=false

WORKDIR /opt/warehouse
COPY pyproject.toml README.md ./
COPY api api
COPY loaders loaders
COPY orchestration orchestration
COPY analysis analysis
COPY publish publish
COPY warehouse warehouse
COPY dbt_project dbt_project
COPY seeds seeds
# Editable: the code finds dbt_project/ and seeds/ beside its own sources.
# EXTRAS: optional extras of pyproject.toml; k8s (dagster-k8s) for deploy/k8s.
ARG EXTRAS=k8s
RUN pip install --no-cache-dir -e ".[${EXTRAS}]" && mkdir -p /opt/dagster/home
COPY dagster.yaml /opt/dagster/home/dagster.yaml
COPY deploy/workspace.yaml /opt/dagster/workspace.yaml
# The manifest the code location reads; parsing needs no database.
RUN cd dbt_project && dbt parse --quiet

# Run unprivileged; dbt writes target/ and logs/ under dbt_project at run time.
RUN useradd --create-home --uid 1000 warehouse \
    && chown -R warehouse /opt/warehouse /opt/dagster
USER warehouse
