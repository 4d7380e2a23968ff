"""The generic load lifecycle on a test-only table: idempotency, revisions, the missing-column
abort, the reject threshold, columns matched by name, and the ledger of each."""

import dataclasses
import hashlib

import psycopg
import pytest

from loaders.core.contract import Column
from loaders.core.errors import LoadError
from loaders.core.load import load_table
from tests.loaders.core.lifecycle_spec import (
    GOOD,
    GOOD_ROWS,
    HEADER,
    SPEC,
    TABLE,
    current_rows,
    ledger,
    query,
    raw_table,
    rejected,
)

COUNTS = "status, rows_read, rows_loaded, rows_added, rows_changed, rows_rejected"


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def test_loading_the_same_file_again_changes_nothing_and_the_ledger_says_so(dsn, mirror):
    mirror.put("toy", "readings.csv", GOOD)
    [first] = load_table(SPEC, dsn, mirror.settings)
    stored = raw_table(dsn)
    [skipped] = load_table(SPEC, dsn, mirror.settings)
    [merged] = load_table(SPEC, dsn, mirror.settings, force=True)

    assert (first.status, first.rows_added) == ("succeeded", 3)
    assert (skipped.status, skipped.rows_read) == ("unchanged", 0)
    assert (merged.status, merged.rows_read, merged.rows_added, merged.rows_changed) == (
        "succeeded",
        3,
        0,
        0,
    )
    assert raw_table(dsn) == stored  # same rows, same versions, same load ids and times
    assert current_rows(dsn) == GOOD_ROWS
    assert {row[4] for row in stored} == {first.load_id}
    assert ledger(dsn, f"load_id, {COUNTS}, sha256, bytes, error") == [
        (first.load_id, "succeeded", 3, 3, 3, 0, 0, sha256(GOOD), len(GOOD), None),
        (skipped.load_id, "unchanged", 0, 0, 0, 0, 0, sha256(GOOD), len(GOOD), None),
        (merged.load_id, "succeeded", 3, 3, 0, 0, 0, sha256(GOOD), len(GOOD), None),
    ]


def test_a_revised_file_adds_versions_only_for_changed_and_new_rows(dsn, mirror):
    mirror.put("toy", "readings.csv", GOOD)
    [first] = load_table(SPEC, dsn, mirror.settings)
    first_versions = {(r[0], r[1]): r for r in raw_table(dsn)}
    revised = GOOD.replace("2020-03-01,B,2,1.5", "2020-03-01,B,20,1.5") + "2020-03-02,B,4,3.5\n"
    mirror.put("toy", "readings.csv", revised)
    [second] = load_table(SPEC, dsn, mirror.settings)

    assert (second.rows_added, second.rows_changed) == (1, 1)
    versions = [(r[0], r[1], r[2], r[4], r[6]) for r in raw_table(dsn)]
    assert versions == [
        ("2020-03-01", "A", 1, first.load_id, None),
        ("2020-03-01", "B", 2, first.load_id, second.load_id),  # kept, superseded
        ("2020-03-01", "B", 20, second.load_id, None),
        ("2020-03-02", "A", 3, first.load_id, None),
        ("2020-03-02", "B", 4, second.load_id, None),
    ]
    unchanged = [r for r in raw_table(dsn) if r[1] == "A"]
    assert unchanged == [first_versions[(r[0], r[1])] for r in unchanged]  # untouched
    assert ledger(dsn, f"load_id, {COUNTS}") == [
        (first.load_id, "succeeded", 3, 3, 3, 0, 0),
        (second.load_id, "succeeded", 4, 4, 1, 1, 0),
    ]


def test_a_missing_contract_column_fails_the_load_and_changes_nothing(dsn, mirror):
    mirror.put("toy", "readings.csv", GOOD)
    load_table(SPEC, dsn, mirror.settings)
    before = raw_table(dsn)
    mirror.put("toy", "readings.csv", "day,station,level\n2020-03-03,A,9.5\n")

    with pytest.raises(LoadError) as failure:
        load_table(SPEC, dsn, mirror.settings)

    message = str(failure.value)
    assert message.startswith("toy/readings.csv: missing column 'count'")
    assert "\n" not in message
    assert ledger(dsn, "status, error")[-1] == ("failed", message)
    assert raw_table(dsn) == before
    assert rejected(dsn) == []


def rows_with_bad(total: int, bad: int) -> str:
    """`total` rows of which the first `bad` have an unparseable count."""
    lines = [
        f"2020-01-{1 + i // 10:02d},S{i % 10},{'x' if i < bad else i},0.5" for i in range(total)
    ]
    return HEADER + "\n".join(lines) + "\n"


def test_above_the_reject_threshold_nothing_lands_but_the_rejects_are_kept(dsn, mirror):
    mirror.put("toy", "readings.csv", GOOD)
    load_table(SPEC, dsn, mirror.settings)
    before = raw_table(dsn)
    mirror.put("toy", "readings.csv", rows_with_bad(200, 3))  # 1.5% > 1%

    with pytest.raises(LoadError) as failure:
        load_table(SPEC, dsn, mirror.settings)

    [(load_id, status, rows_read, rows_rejected, error)] = ledger(
        dsn, "load_id, status, rows_read, rows_rejected, error"
    )[1:]
    assert (status, rows_read, rows_rejected) == ("failed", 200, 3)
    assert error == str(failure.value)
    assert "3 of 200 rows broke the contract, above the 1% threshold" in error
    assert f"See meta.rejected_rows, load_id = {load_id}" in error
    assert raw_table(dsn) == before
    assert [(line, reason) for _, line, _, reason in rejected(dsn)] == [
        (line, "count: an integer expected, found x") for line in (2, 3, 4)
    ]


def test_at_the_threshold_the_load_goes_on_and_a_spec_may_allow_more(dsn, mirror):
    mirror.put("toy", "readings.csv", rows_with_bad(200, 2))  # exactly 1%: not above
    [at_limit] = load_table(SPEC, dsn, mirror.settings)
    assert (at_limit.status, at_limit.rows_loaded, at_limit.rows_rejected) == ("succeeded", 198, 2)

    mirror.put("toy", "readings.csv", rows_with_bad(200, 10))  # 5%
    with pytest.raises(LoadError, match="10 of 200 rows"):
        load_table(SPEC, dsn, mirror.settings)
    [lenient] = load_table(dataclasses.replace(SPEC, reject_threshold=0.05), dsn, mirror.settings)
    assert (lenient.status, lenient.rows_rejected, lenient.rows_changed) == ("succeeded", 10, 0)
    assert len(current_rows(dsn)) == 198  # rows 2..9 rejected now were loaded before: kept


def test_a_column_inserted_mid_row_loads_and_is_reported(dsn, mirror):
    mirror.put(
        "toy",
        "readings.csv",
        "day,station,note,count,level,extra\n2020-03-01,A,hi,1,0.5,\n2020-03-01,B,,2,1.5,z\n",
    )
    [result] = load_table(SPEC, dsn, mirror.settings)
    assert (result.status, result.extra_columns) == ("succeeded", ["note", "extra"])
    assert current_rows(dsn) == GOOD_ROWS[:2]
    assert ledger(dsn, "extra_columns") == [(["note", "extra"],)]


def test_columns_are_matched_by_header_not_position(dsn, mirror):
    mirror.put("toy", "readings.csv", "level,count,station,day\n0.5,1,A,2020-03-01\n")
    load_table(SPEC, dsn, mirror.settings)
    assert current_rows(dsn) == GOOD_ROWS[:1]


def test_an_unexpected_error_is_recorded_as_failed_and_raised(dsn, mirror):
    def broken(frame):
        if len(frame):
            raise KeyError("no such thing")
        return frame

    mirror.put("toy", "readings.csv", GOOD)
    with pytest.raises(KeyError):
        load_table(dataclasses.replace(SPEC, reshape=broken), dsn, mirror.settings)
    assert ledger(dsn, "status, error") == [("failed", "unexpected KeyError: 'no such thing'")]
    assert raw_table(dsn) == []


def test_several_files_load_in_order_and_the_first_failure_stops_the_table(dsn, mirror):
    from loaders.core.spec import SourceFile

    def two_vintages(spec, settings):
        return [
            SourceFile(f"v{n}/readings.csv", spec.official_url, f"2020-0{n}-01") for n in (1, 2)
        ]

    spec = dataclasses.replace(SPEC, list_files=two_vintages)
    mirror.put("toy", "v1/readings.csv", GOOD)
    mirror.put("toy", "v2/readings.csv", GOOD.replace("A,3,", "A,30,"))
    results = load_table(spec, dsn, mirror.settings)
    assert [(r.file_name, r.rows_added, r.rows_changed) for r in results] == [
        ("v1/readings.csv", 3, 0),
        ("v2/readings.csv", 0, 1),
    ]
    assert ledger(dsn, "file_name, vintage, status") == [
        ("v1/readings.csv", "2020-01-01", "succeeded"),
        ("v2/readings.csv", "2020-02-01", "succeeded"),
    ]


def test_an_unchanged_file_is_read_again_when_the_contract_changes(dsn, mirror):
    file = HEADER.replace("level\n", "level,unit\n") + "2020-03-01,A,1,0.5,mm\n"
    mirror.put("toy", "readings.csv", file)
    [first] = load_table(SPEC, dsn, mirror.settings)
    with_unit = dataclasses.replace(
        SPEC,
        contract=dataclasses.replace(
            SPEC.contract, columns=(*SPEC.contract.columns, Column("unit", "text", required=False))
        ),
    )
    [second] = load_table(with_unit, dsn, mirror.settings)
    [third] = load_table(with_unit, dsn, mirror.settings)
    assert (first.status, second.status, third.status) == ("succeeded", "succeeded", "unchanged")
    assert first.extra_columns == ["unit"] and second.extra_columns == []
    assert query(dsn, f"select unit from {TABLE} where _superseded_load_id is null") == [("mm",)]


def test_a_table_with_no_file_yet_exists_empty_so_staging_can_read_it(dsn, mirror):
    nothing_listed = dataclasses.replace(SPEC, list_files=lambda spec, settings: [])
    assert load_table(nothing_listed, dsn, mirror.settings) == []
    columns = query(
        dsn,
        "select column_name from information_schema.columns "
        "where table_schema = 'raw' and table_name = %s order by ordinal_position",
        [SPEC.table],
    )
    assert [c for (c,) in columns][:4] == ["day", "station", "count", "level"]
    assert raw_table(dsn) == []


def test_a_first_load_leaves_the_table_as_defined_its_index_and_no_defaults(dsn, mirror):
    mirror.put("toy", "readings.csv", GOOD)
    [result] = load_table(SPEC, dsn, mirror.settings)
    assert (result.status, result.rows_added) == ("succeeded", 3)
    assert query(
        dsn,
        "select column_name, column_default from information_schema.columns "
        "where table_schema = 'raw' and column_name in ('_load_id', '_loaded_at') order by 1",
    ) == [("_load_id", None), ("_loaded_at", None)]
    assert query(
        dsn,
        "select indexdef like '%%UNIQUE%%(day, station)%%WHERE (_superseded_load_id IS NULL)' "
        "from pg_indexes where schemaname = 'raw'",
    ) == [(True,)]
    loaded = query(dsn, f"select distinct _load_id, _loaded_at is not null from {TABLE}")
    assert loaded == [(result.load_id, True)]


def test_an_unchanged_load_takes_no_exclusive_lock_while_the_table_is_read(dsn, mirror):
    """Readers (dbt's views, a BI query) hold the table while an unchanged file is checked:
    the check must not wait for them (DDL would), let alone block them."""
    mirror.put("toy", "readings.csv", GOOD)
    load_table(SPEC, dsn, mirror.settings)
    with psycopg.connect(dsn) as reader:
        reader.execute(f"select count(*) from {TABLE}")  # holds an access share lock
        impatient = psycopg.conninfo.make_conninfo(dsn, options="-c lock_timeout=2s")
        [again] = load_table(SPEC, impatient, mirror.settings)
        assert again.status == "unchanged"


def test_a_column_added_to_the_contract_is_added_to_the_table(dsn, mirror):
    mirror.put("toy", "readings.csv", GOOD)
    load_table(SPEC, dsn, mirror.settings)
    wider = dataclasses.replace(
        SPEC,
        contract=dataclasses.replace(
            SPEC.contract, columns=(*SPEC.contract.columns, Column("note", "text", required=False))
        ),
    )
    [result] = load_table(
        wider, dsn, mirror.settings
    )  # a new contract reads the unchanged file again
    assert result.status == "succeeded"
    columns = query(
        dsn,
        "select column_name from information_schema.columns where table_name = %s",
        [SPEC.table],
    )
    assert ("note",) in columns
