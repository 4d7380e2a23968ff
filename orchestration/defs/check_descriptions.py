"""What each dbt test checks, in a sentence, for its Dagster asset check page.

dagster-dbt 0.29 reads a check's description from the test's `meta.description` only, and
dbt's own `description:` of a test is blank unless written by hand. So a test's description
is, in order: its `meta.description`; its dbt `description:` (how the singular tests in
`dbt_project/tests/_tests.yml` are described); else a sentence built from the generic test
and its arguments (`TEMPLATES`), so no check says "No description provided".
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

REFERENCE = re.compile(r"""(?:ref|source)\((?:'[^']*',\s*)?'([^']+)'\)""")

TEMPLATES = {
    "not_null": "Fails when a row of {model} has no {column}.",
    "unique": "Fails when two rows of {model} share a {column}: {column} is a key.",
    "accepted_values": "Fails when {model}.{column} holds a value other than {values}.",
    "relationships": (
        "Fails when a {column} of {model} is no {field} of {to}: every {column} must name one."
    ),
    "unique_combination_of_columns": (
        "Fails when two rows of {model} share ({combination_of_columns}): one row per "
        "combination is the table's grain."
    ),
    "has_geography": (
        "Fails when a {column} of {model} (geography level: {geo_level}) is no geography of "
        "dim_geography; unmatched source keys belong in rpt_unmatched_geographies."
    ),
}


def describe_test(test: Mapping[str, Any]) -> str:
    """One sentence on what the dbt test node `test` (from the manifest) checks."""
    meta = test.get("meta") or test.get("config", {}).get("meta") or {}
    if meta.get("description"):
        return meta["description"].strip()
    if test.get("description"):
        return test["description"].strip()
    generic = test.get("test_metadata") or {}
    name = generic.get("name")
    if not name:
        return f"Singular dbt test {test['name']} (dbt_project/tests/{test['name']}.sql)."
    arguments = {key: _text(value) for key, value in generic.get("kwargs", {}).items()}
    arguments["model"] = _referenced(arguments.get("model", "")) or test.get("attached_node", "")
    arguments["column"] = test.get("column_name") or arguments.get("column_name", "")
    template = TEMPLATES.get(name, "Fails when dbt test {test} finds rows in {model}.")
    sentence = template.format_map(_Default(arguments, test=name))
    where = test.get("config", {}).get("where")
    return f"{sentence} Only rows where {where}." if where else sentence


def _referenced(text: str) -> str:
    match = REFERENCE.search(text)
    return match.group(1) if match else text


def _text(value: Any) -> str:
    if isinstance(value, list | tuple):
        return ", ".join(str(item) for item in value)
    text = str(value)
    return _referenced(text) if "ref(" in text or "source(" in text else text.strip("'")


class _Default(dict):
    def __missing__(self, key: str) -> str:
        return f"<{key}>"
