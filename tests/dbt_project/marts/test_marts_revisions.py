"""fct_revisions: every value a publisher changed between two loads, and the rows a
republished file withdrew, gathered from the loaders' history views; the expected changes are
worked out from the two files' texts, not from the warehouse."""

import csv
import dataclasses
import io

from loaders.core.load import load_table
from tests.dbt_project.marts.test_incremental import dbt
from tests.loaders.core.lifecycle_spec import SPEC, query
from tests.loaders.core.test_history import FIRST, REVISED

REPUBLISHED = dataclasses.replace(SPEC, full_republication=True)


def rows_by_key(text: str) -> dict[tuple[str, str], dict[str, str]]:
    return {(r["day"], r["station"]): r for r in csv.DictReader(io.StringIO(text))}


def expected_changes() -> set[tuple]:
    before, after = rows_by_key(FIRST), rows_by_key(REVISED)
    changes = set()
    for key, old in before.items():
        new = after.get(key)
        for column in ("count", "level"):
            if new is None:
                changes.add((key, column, float(old[column]), None, "withdrawn"))
            elif float(old[column]) != float(new[column]):
                changes.add((key, column, float(old[column]), float(new[column]), "revised"))
    return changes


def test_the_mart_lists_each_changed_and_withdrawn_value(dsn, mirror, tmp_path):
    mirror.put("toy", "readings.csv", FIRST)
    [first] = load_table(REPUBLISHED, dsn, mirror.settings)
    mirror.put("toy", "readings.csv", REVISED)
    [second] = load_table(REPUBLISHED, dsn, mirror.settings)
    results = dbt(dsn, tmp_path, "run", "--select", "fct_revisions")
    models = [r for r in results["results"] if r["unique_id"].startswith("model.")]
    assert [r["status"] for r in models] == ["success"]
    rows = query(
        dsn,
        "select row_key::jsonb ->> 'day', row_key::jsonb ->> 'station', column_name, old_value,"
        " new_value, change, table_name, row_date::text, old_load_id, new_load_id,"
        " new_loaded_at > old_loaded_at from marts.fct_revisions",
    )
    served = {
        ((day, station), column, float(old), None if new is None else float(new), change)
        for day, station, column, old, new, change, *_ in rows
    }
    assert served == expected_changes()
    assert len(expected_changes()) == 3  # one revised count; B's two values withdrawn
    for _, _, _, _, _, _, table, row_date, old_id, new_id, later in rows:
        assert (table, old_id, new_id, later) == (
            "toy__readings",
            first.load_id,
            second.load_id,
            True,
        )
        assert row_date in ("2020-03-01", "2020-03-02")
