"""What each raw table and column means, read from the dbt sources YAML: the one place the
descriptions are written (`dbt_project/models/staging/<source>/_<source>__sources.yml`), so
the Dagster UI and the dbt docs say the same thing."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from orchestration.defs.project import DBT_PROJECT_DIR

STAGING_DIR = DBT_PROJECT_DIR / "models" / "staging"


@dataclass(frozen=True)
class TableDocs:
    description: str
    columns: dict[str, str]  # column name -> description, in the YAML's order


def sources_yaml(source: str) -> Path:
    return STAGING_DIR / source / f"_{source}__sources.yml"


@cache
def source_definition(source: str) -> dict:
    """The source's entry in its sources YAML (name, loader, freshness, tables...); empty for
    a source with no YAML yet (tests/loaders/test_sources_yaml.py requires one per source)."""
    path = sources_yaml(source)
    if not path.exists():
        return {}
    document = yaml.safe_load(path.read_text())
    return next((entry for entry in document["sources"] if entry["name"] == source), {})


def table_docs(source: str, table: str) -> TableDocs:
    """The described table `table` of `source` (its name without the source prefix)."""
    tables = source_definition(source).get("tables", [])
    entry = next((t for t in tables if t["name"] == table), {})
    return TableDocs(
        description=" ".join(entry.get("description", "").split()),
        columns={c["name"]: c.get("description", "") for c in entry.get("columns", [])},
    )
