"""The codebook written beside each mart's export: what every column is (its type, its
meaning from the dbt docs), which sources the mart draws on and their licences, and how to
read the files (FIPS and ZIP codes as text).

Meanings and lineage come from dbt's manifest (`dbt_project/target/manifest.json`, written by
every dbt parse or build): the dbt docs stay the one place columns are described.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from publish.credits import credits_markdown
from warehouse.settings import PROJECT_ROOT

MANIFEST = PROJECT_ROOT / "dbt_project" / "target" / "manifest.json"
RAW_SCHEMA = "raw"
# Columns that hold codes with leading zeros: text in the CSV, to be read as text.
CODE_COLUMNS = ("geo_id", "parent_geo_id", "state_fips", "county_fips", "zip_code", "geo_code")


@dataclass(frozen=True)
class MartDocs:
    description: str = ""
    columns: dict[str, str] = field(default_factory=dict)
    sources: tuple[str, ...] = ()


def load_manifest(path: Path = MANIFEST) -> dict[str, Any] | None:
    """dbt's manifest, or None before the project was first parsed."""
    return json.loads(path.read_text()) if path.is_file() else None


def mart_docs(manifest: dict[str, Any] | None, mart: str) -> MartDocs:
    """The mart's description, column descriptions and the loaded sources upstream of it."""
    if manifest is None:
        return MartDocs()
    node_id, node = _find(manifest, mart)
    if node is None:
        return MartDocs()
    columns = {
        name: (column.get("description") or "").strip() for name, column in node["columns"].items()
    }
    description = (node.get("description") or "").strip()
    return MartDocs(description, columns, _upstream_sources(manifest, node_id))


def codebook_markdown(
    mart: str,
    columns: list[tuple[str, str]],
    docs: MartDocs,
    rows: int,
    data_through: str | None,
    scope: str,
) -> str:
    """The codebook of one export file pair (`scope` says which rows it holds)."""
    sources = ", ".join(docs.sources) or "not recorded"
    lines = [
        f"# {mart}",
        "",
        docs.description or "(not described in the dbt docs)",
        "",
        f"Files: `{mart}.csv` and `{mart}.parquet`, {scope}: {rows:,} rows."
        + (f" Data through {data_through}." if data_through else ""),
        f"Sources: {sources}.",
        "",
        "## Columns",
        "",
        "| column | type | meaning | source |",
        "|---|---|---|---|",
    ]
    for name, data_type in columns:
        meaning = docs.columns.get(name) or "(not described in the dbt docs)"
        meaning = " ".join(meaning.split()).replace("|", "\\|")
        lines.append(f"| `{name}` | {data_type} | {meaning} | {sources} |")
    codes = [name for name, _ in columns if name in CODE_COLUMNS]
    lines += ["", "## Reading the files", ""]
    lines.append(
        "CSV: comma-separated, header row, ISO dates (YYYY-MM-DD), `true`/`false`, an empty "
        "field is a null. Parquet keeps every type as listed above (codes as strings)."
    )
    if codes:
        dtypes = ", ".join(f'"{name}": str' for name in codes)
        lines += [
            "",
            f"Codes with leading zeros ({', '.join(f'`{c}`' for c in codes)}) are text: read "
            "them as text, or Alabama's state code '01' becomes the number 1 and no longer "
            "matches. In pandas:",
            "",
            f'    pd.read_csv("{mart}.csv", dtype={{{dtypes}}})',
            "",
            f"In R: `readr::read_csv(file, col_types = cols({codes[0]} = col_character()))`; in "
            "a spreadsheet, import those columns as Text. Or read the Parquet file, which keeps "
            "them as strings.",
        ]
    lines += ["", credits_markdown(docs.sources or None).rstrip(), ""]
    return "\n".join(lines)


def _find(manifest: dict[str, Any], mart: str) -> tuple[str | None, dict | None]:
    for collection in ("nodes", "sources"):
        for unique_id, node in manifest.get(collection, {}).items():
            is_mart = (
                node.get("resource_type") in ("model", "source") and node.get("schema") == "marts"
            )
            if is_mart and node.get("name") == mart:
                return unique_id, node
    return None, None


def _upstream_sources(manifest: dict[str, Any], node_id: str) -> tuple[str, ...]:
    """Loaded sources (schema raw) upstream of the node; a Python-written mart (a dbt source in
    `marts`) names the models it reads in `config.meta.reads`."""
    found, stack, seen = set(), [node_id], set()
    while stack:
        current = stack.pop()
        if current in seen:
            continue
        seen.add(current)
        source = manifest.get("sources", {}).get(current)
        if source is not None:
            if source.get("schema") == RAW_SCHEMA:
                found.add(source["source_name"])
            meta = {**source.get("meta", {}), **source.get("config", {}).get("meta", {})}
            stack += [f"model.{source['package_name']}.{name}" for name in meta.get("reads", [])]
            continue
        stack += manifest.get("parent_map", {}).get(current, [])
    return tuple(sorted(found))
