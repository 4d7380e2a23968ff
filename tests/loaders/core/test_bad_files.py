"""A corpus of bad files, each with its exact outcome: a row quarantined with its line, raw text
and reason while every other row lands; or the load fails with one line saying what was
expected and what was found, and nothing else changes."""

import dataclasses
import gzip

import pytest

from loaders.core.errors import LoadError
from loaders.core.load import load_table
from tests.loaders.core.lifecycle_spec import (
    GOOD,
    GOOD_ROWS,
    HEADER,
    SPEC,
    current_rows,
    ledger,
    raw_table,
    rejected,
)

LENIENT = dataclasses.replace(SPEC, reject_threshold=1.0)  # one bad row among few must not trip it
TWO_GOOD = "2020-03-01,A,1,0.5\n2020-03-01,B,2,1.5\n"

QUARANTINED = {
    # name: (bad row written after the two good rows, its line, reason)
    "unparseable number": ("2020-03-02,A,1O,2.5", 4, "count: an integer expected, found 1O"),
    "fractional count": ("2020-03-02,A,2.5,2.5", 4, "count: an integer expected, found 2.5"),
    "unparseable float": ("2020-03-02,A,3,n/a", 4, "level: a number expected, found n/a"),
    "infinite float": ("2020-03-02,A,3,inf", 4, "level: a number expected, found inf"),
    "count beyond bigint": (
        "2020-03-02,A,99999999999999999999,2.5",
        4,
        "count: an integer expected, found 99999999999999999999",
    ),
    "unparseable date": ("2020-02-30,A,3,2.5", 4, "day: date %Y-%m-%d expected, found 2020-02-30"),
    "missing key": ("2020-03-02,,3,2.5", 4, "missing station"),
    "missing date key": (",A,3,2.5", 4, "missing day"),
    "duplicate key in the file": (
        "2020-03-01, B ,7,1.50",
        4,
        "duplicate key (day, station): first seen on line 3",
    ),
    "date in the future": ("2999-01-01,A,3,2.5", 4, "day in the future: 2999-01-01"),
    "negative count": ("2020-03-02,A,-3,2.5", 4, "negative count: -3"),
    "too many fields": ("2020-03-02,A,3,2.5,x", 4, "expected 4 fields, found 5"),
    "too few fields": ("2020-03-02,A,3", 4, "expected 4 fields, found 3"),
    "a NUL byte": ("2020-03-02,A\x00,3,2.5", 4, "expected text, found a NUL byte"),
}


@pytest.mark.parametrize("case", QUARANTINED, ids=str)
def test_a_bad_row_is_quarantined_and_the_others_land(dsn, mirror, case):
    bad_row, line, reason = QUARANTINED[case]
    mirror.put("toy", "readings.csv", HEADER + TWO_GOOD + bad_row + "\n2020-03-02,B,4,3.5\n")
    [result] = load_table(LENIENT, dsn, mirror.settings)
    stored_text = bad_row.replace("\x00", "\\x00")  # Postgres text cannot hold NUL

    assert (result.status, result.rows_read, result.rows_loaded, result.rows_rejected) == (
        "succeeded",
        4,
        3,
        1,
    )
    assert rejected(dsn) == [(result.load_id, line, stored_text, reason)]
    assert current_rows(dsn) == GOOD_ROWS[:2] + [("2020-03-02", "B", 4, 3.5)]


def test_line_numbers_count_physical_lines_across_quoted_multi_line_fields(dsn, mirror):
    content = (
        HEADER + '2020-03-01,"A\nnorth",1,0.5\r\n'  # lines 2-3
        "\n"  # line 4: blank, skipped
        '2020-03-01,"B ""east""",x,1.5\n'  # line 5
        '2020-03-02,"C\n\nsouth",3\n'  # lines 6-8, one field short
        "2020-03-02,D,4,3.5\n"  # line 9
    )
    mirror.put("toy", "readings.csv", content)
    [result] = load_table(LENIENT, dsn, mirror.settings)
    assert rejected(dsn) == [
        (result.load_id, 5, '2020-03-01,"B ""east""",x,1.5', "count: an integer expected, found x"),
        (
            result.load_id,
            6,
            '2020-03-02,"C\n\nsouth",3',
            "expected 4 fields, found 3 (the record spans lines 6-8: a stray quote?)",
        ),
    ]
    assert current_rows(dsn) == [("2020-03-01", "A\nnorth", 1, 0.5), ("2020-03-02", "D", 4, 3.5)]


def gzipped(text: str) -> bytes:
    return gzip.compress(text.encode())


MANY = HEADER + "".join(f"2020-03-{1 + i % 28:02d},S{i},{i},0.5\n" for i in range(3000))

FAILING = {
    # name: (file name in the mirror, content, the message after "toy/readings.csv: ")
    "missing column": (
        "readings.csv",
        "day,station,level\n2020-03-02,A,2.5\n",
        "missing column 'count' (expected day, station, count, level; found day, station, level)",
    ),
    "two missing columns": (
        "readings.csv",
        "station,level\nA,2.5\n",
        "missing column 'day', 'count' (expected day, station, count, level; found station, level)",
    ),
    "empty file": ("readings.csv", "", "expected a CSV header line, found an empty file"),
    "blank lines only": (
        "readings.csv",
        "\n\r\n\n",
        "expected a CSV header line, found an empty file",
    ),
    "HTML page served instead of CSV": (
        "readings.csv",
        "<!DOCTYPE html>\n<html><body>Rate limit exceeded</body></html>\n",
        "expected CSV, found an HTML or XML page (starts '<!DOCTYPE html>')",
    ),
    "truncated gzip": (
        "readings.csv.gz",
        gzipped(MANY)[:-200],
        "expected a complete gzip file, found a truncated or corrupt one (Compressed file ended "
        "before the end-of-stream marker was reached)",
    ),
    "undecodable bytes": (
        "readings.csv",
        (HEADER + TWO_GOOD).encode() + "2020-03-02,Montréal,3,2.5\n".encode("latin-1"),
        "expected UTF-8 text, found undecodable bytes on line 4 (b'\\xe9', invalid continuation "
        "byte)",
    ),
    "UTF-16 file": (
        "readings.csv",
        (HEADER + TWO_GOOD).encode("utf-16"),
        "expected UTF-8 text, found undecodable bytes on line 1 (b'\\xff', invalid start byte)",
    ),
    "the same column twice": (
        "readings.csv",
        "day,station,count,level,count\n2020-03-02,A,3,2.5,4\n",
        "expected distinct column names, found 'count' twice (columns 3 and 5)",
    ),
    "a quote never closed": (
        "readings.csv",
        HEADER + TWO_GOOD + '2020-03-02,"A,3,2.5\n2020-03-02,B,4,3.5\n',
        "expected every quoted field to be closed, found one opened on line 4 that runs to the "
        "end of the file",
    ),
    "a last line cut short, fewer fields": (
        "readings.csv",
        HEADER + TWO_GOOD + "2020-03-02,A,3",
        "expected 4 fields on the last line, found 3: the file looks cut short (last line 4: "
        "'2020-03-02,A,3'); nothing was loaded",
    ),
    "a last line cut short, fewer fields, newline": (
        "readings.csv",
        HEADER + TWO_GOOD + "2020-03-02,A\n",
        "expected 4 fields on the last line, found 2: the file looks cut short (last line 4: "
        "'2020-03-02,A'); nothing was loaded",
    ),
    "a header and no rows": (
        "readings.csv",
        HEADER,
        "expected at least 1 data row, found 0; nothing was loaded",
    ),
}


@pytest.mark.parametrize("case", FAILING, ids=str)
def test_a_structural_problem_fails_the_load_and_changes_nothing(dsn, mirror, case):
    file_name, content, message = FAILING[case]
    mirror.put("toy", "readings.csv", HEADER + TWO_GOOD + "2020-03-02,A,1O,2.5\n")
    [good] = load_table(LENIENT, dsn, mirror.settings)  # something stored, one row rejected
    stored, rejects = raw_table(dsn), rejected(dsn)
    if file_name != "readings.csv":
        (mirror.root / "toy" / "readings.csv").unlink()
    mirror.put("toy", file_name, content)

    with pytest.raises(LoadError) as failure:
        load_table(LENIENT, dsn, mirror.settings)

    assert str(failure.value) == f"toy/readings.csv: {message}"
    assert ledger(dsn, "load_id, status, error, rows_loaded") == [
        (good.load_id, "succeeded", None, 2),
        (good.load_id + 1, "failed", str(failure.value), 0),
    ]
    assert raw_table(dsn) == stored
    assert rejected(dsn) == rejects


def test_a_file_that_may_be_empty_loads_with_no_rows(dsn, mirror):
    contract = dataclasses.replace(SPEC.contract, min_rows=0)
    may_be_empty = dataclasses.replace(SPEC, contract=contract)
    mirror.put("toy", "readings.csv", GOOD)
    load_table(may_be_empty, dsn, mirror.settings)
    stored = raw_table(dsn)
    mirror.put("toy", "readings.csv", HEADER)
    [result] = load_table(may_be_empty, dsn, mirror.settings)
    assert (result.status, result.rows_read, result.rows_added, result.warning) == (
        "succeeded",
        0,
        0,
        None,
    )
    assert raw_table(dsn) == stored


def test_too_few_rows_declared_as_a_warning_lands_and_says_so_in_the_ledger(dsn, mirror):
    warns = dataclasses.replace(
        SPEC, contract=dataclasses.replace(SPEC.contract, min_rows=5, too_few_rows="warn")
    )
    mirror.put("toy", "readings.csv", GOOD)
    [first] = load_table(warns, dsn, mirror.settings)
    [again] = load_table(warns, dsn, mirror.settings)  # the same file: judged again, not skipped

    warning = "toy/readings.csv: expected at least 5 data rows, found 3; loaded, but not counted "
    warning += "as fresh"
    assert (first.status, first.rows_loaded, first.warning) == ("succeeded", 3, warning)
    assert (again.status, again.warning) == ("succeeded", warning)
    assert ledger(dsn, "status, warning") == [("succeeded", warning), ("succeeded", warning)]
    assert current_rows(dsn) == GOOD_ROWS
