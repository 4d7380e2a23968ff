"""The dbt sources YAML and the loaders' contracts describe the same tables.

Facts are written once: columns, key and freshness limits in the contract (Python), meanings
in the YAML (dbt docs, and the Dagster UI reads them from there). These tests fail when one
side gains a table, a column or a limit the other does not have.
"""

from collections import defaultdict
from pathlib import Path

import pytest
import yaml

from loaders.core.raw_table import META_COLUMNS
from loaders.registry import TABLES

ROOT = Path(__file__).resolve().parents[2]
STAGING = ROOT / "dbt_project" / "models" / "staging"
SPECS_BY_SOURCE = defaultdict(list)
for _spec in TABLES:
    SPECS_BY_SOURCE[_spec.source.name].append(_spec)


def yaml_source(name: str) -> dict:
    document = yaml.safe_load((STAGING / name / f"_{name}__sources.yml").read_text())
    [source] = document["sources"]
    assert source["name"] == name
    return source


def test_one_loader_package_and_one_staging_folder_per_source():
    packages = {p.name for p in (ROOT / "loaders" / "sources").iterdir() if p.is_dir()}
    packages.discard("__pycache__")
    staging = {p.name for p in STAGING.iterdir() if p.is_dir()}
    assert packages == staging == set(SPECS_BY_SOURCE)


@pytest.mark.parametrize("name", sorted(SPECS_BY_SOURCE))
def test_the_yaml_lists_the_contracts_tables_and_columns(name):
    specs = {spec.name: spec for spec in SPECS_BY_SOURCE[name]}
    tables = {table["name"]: table for table in yaml_source(name)["tables"]}

    assert sorted(tables) == sorted(specs)
    for table_name, spec in specs.items():
        table = tables[table_name]
        assert table["identifier"] == spec.table
        columns = [column["name"] for column in table["columns"]]
        expected = spec.contract.names + [meta for meta, _ in META_COLUMNS]
        assert columns == expected, f"{spec.table}: YAML columns differ from the contract's"


@pytest.mark.parametrize("name", sorted(SPECS_BY_SOURCE))
def test_every_table_and_column_is_described(name):
    for table in yaml_source(name)["tables"]:
        assert (table.get("description") or "").strip(), f"{name}.{table['name']}"
        for column in table["columns"]:
            what = f"{name}.{table['name']}.{column['name']}"
            assert (column.get("description") or "").strip(), what


@pytest.mark.parametrize("name", sorted(SPECS_BY_SOURCE))
def test_the_yaml_names_the_loader_and_the_sources_freshness_limits(name):
    source = SPECS_BY_SOURCE[name][0].source
    declared = yaml_source(name)

    assert declared["schema"] == "raw"
    assert declared["loader"] == f"python loaders.sources.{name}"
    freshness = declared["config"]["freshness"]
    assert freshness["warn_after"] == {"count": source.warn_after_days, "period": "day"}
    assert freshness["error_after"] == {"count": source.error_after_days, "period": "day"}
