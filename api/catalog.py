"""What the API serves, read from the dbt manifest: one source of truth for the marts, their
descriptions, their grain (the unique key their tests check) and their columns' descriptions.

Which column is a mart's geography and which its date is worked out from its columns, or
declared in the model's `meta: {api: {geography_level: ..., geography_id: ..., date: ...}}`
(`grain: [...]` too, for a table no unique test covers, such as a source written by Python).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from pathlib import Path

MARTS_SCHEMA = "marts"
# A geography id column and the geography level every row of such a mart has.
GEOGRAPHY_IDS = (("state_fips", "state"), ("county_fips", "county"), ("zip_code", "zip"))


class ManifestError(RuntimeError):
    """The dbt manifest is missing or holds no marts."""


@dataclass(frozen=True)
class Column:
    name: str
    description: str


@dataclass(frozen=True)
class Mart:
    name: str
    description: str
    columns: tuple[Column, ...]
    grain: tuple[str, ...]  # the unique key: the order rows are served in
    geography_level: str | None = None  # a column, or None
    fixed_level: str | None = None  # the level of every row when there is no level column
    geography_id: str | None = None
    date: str | None = None

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(column.name for column in self.columns)


def read_manifest(path: Path) -> dict[str, Mart]:
    """Every model of the `marts` schema in the manifest at `path`, by name."""
    if not path.is_file():
        raise ManifestError(f"no dbt manifest at {path}: run `make run` (or dbt parse) first")
    return marts_from_manifest(json.loads(path.read_text()))


def marts_from_manifest(manifest: dict) -> dict[str, Mart]:
    """Every model in `marts`, and every source table there (written by Python)."""
    nodes = manifest["nodes"].values()
    models = {
        node["unique_id"]: node
        for node in [*nodes, *manifest.get("sources", {}).values()]
        if node["resource_type"] in ("model", "source")
        and node["schema"] == MARTS_SCHEMA
        and node["config"].get("enabled", True)
    }
    keys = _unique_keys(nodes, set(models))
    marts = {}
    for unique_id, node in models.items():
        columns = tuple(
            Column(name, (column.get("description") or "").strip())
            for name, column in node["columns"].items()
        )
        declared = node.get("meta", {}).get("api") or node["config"].get("meta", {}).get("api")
        if declared and declared.get("grain"):
            keys[unique_id] = tuple(declared["grain"])
        if not keys.get(unique_id):
            raise ManifestError(
                f"{node['name']} declares no unique key (a unique or "
                "unique_combination_of_columns test): the API cannot page it in a stable order"
            )
        name = node.get("identifier") or node["name"]
        marts[name] = _placed(
            Mart(
                name=name,
                description=" ".join((node.get("description") or "").split()),
                columns=columns,
                grain=keys[unique_id],
            ),
            declared or {},
        )
    if not marts:
        raise ManifestError("the dbt manifest holds no model in the marts schema")
    return dict(sorted(marts.items()))


def _unique_keys(nodes, models: set[str]) -> dict[str, tuple[str, ...]]:
    """The narrowest unique key each model's data tests declare."""
    keys: dict[str, tuple[str, ...]] = {}
    for node in nodes:
        if node["resource_type"] != "test" or node.get("attached_node") not in models:
            continue
        metadata = node.get("test_metadata") or {}
        kwargs = metadata.get("kwargs", {})
        if metadata.get("name") == "unique":
            key = (kwargs["column_name"],)
        elif metadata.get("name") == "unique_combination_of_columns":
            key = tuple(kwargs["combination_of_columns"])
        else:
            continue
        known = keys.get(node["attached_node"])
        if known is None or len(key) < len(known):
            keys[node["attached_node"]] = key
    return keys


def _placed(mart: Mart, declared: dict) -> Mart:
    """`mart` with its geography and date columns: declared, else from the column names."""
    names = mart.column_names
    level = declared.get("geography_level")
    geo_id = declared.get("geography_id")
    fixed = declared.get("fixed_level")
    if geo_id is None and {"geo_level", "geo_id"} <= set(names):
        level, geo_id = "geo_level", "geo_id"
    if geo_id is None:
        geo_id, fixed = next(((c, lvl) for c, lvl in GEOGRAPHY_IDS if c in names), (None, None))
    date = declared.get("date")
    if date is None:  # a date in the grain, else the mart's only date column
        in_grain = [c for c in mart.grain if c.endswith("_date")]
        dated = [c for c in names if c.endswith("_date")]
        date = in_grain[0] if in_grain else (dated[0] if len(dated) == 1 else None)
    for column in (level, geo_id, date, *mart.grain):
        if column is not None and column not in names:
            raise ManifestError(f"{mart.name}: {column!r} is not one of its columns")
    return replace(
        mart,
        geography_level=level,
        fixed_level=None if level else fixed,
        geography_id=geo_id,
        date=date,
    )
