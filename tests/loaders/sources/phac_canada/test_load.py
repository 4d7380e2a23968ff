"""Loading the PHAC file into Postgres: the ledger records unknown columns, a bad or empty file
changes nothing already loaded, and the real file lands whole (how the file is read:
test_parse.py)."""

import csv
import dataclasses
from datetime import datetime

import psycopg
import pytest

from loaders.core.errors import LoadError
from loaders.core.load import load_table
from loaders.sources.phac_canada.tables import COVID19
from tests.loaders.sources.phac_canada.files import GOOD, HEADER
from warehouse.settings import Settings


def lenient(spec, threshold=1.0):
    return dataclasses.replace(spec, reject_threshold=threshold)


def current(dsn, columns):
    with psycopg.connect(dsn) as conn:
        return conn.execute(
            f"select {columns} from raw.phac_canada__covid19 where _superseded_load_id is null "
            "order by 1, 2"
        ).fetchall()


def rejects(dsn):
    with psycopg.connect(dsn) as conn:
        return conn.execute(
            "select line_number, raw_line, reason from meta.rejected_rows order by line_number"
        ).fetchall()


def test_the_ledger_records_unknown_columns(dsn, mirror):
    mirror.put(
        "phac_canada",
        "covid19.csv",
        "pruid,prname,prnameFR,date,numconf,raterecovered,numprob,numdeaths,numtotal,numtested\n"
        "35,Ontario,Ontario,2020-04-01,1,0.5,2,3,3,40\n",
    )
    [result] = load_table(COVID19, dsn, mirror.settings)
    assert result.extra_columns == ["raterecovered"]
    assert current(dsn, "numconf, numtested") == [(1, 40)]
    with psycopg.connect(dsn) as conn:
        assert conn.execute("select extra_columns from meta.load_log").fetchone() == (
            ["raterecovered"],
        )


@pytest.mark.parametrize(
    ("content", "outcome"),
    [
        pytest.param(GOOD + "10,P10,P10,31-01-2020,,2,0,0,2,1\n",
                     (7, "duplicate key (pruid, date)"), id="duplicate-of-a-loaded-row"),
        pytest.param(GOOD.replace("numprob,", "", 1).replace(",0,0,1,1", ",0,1,1"),
                     "missing column 'numprob'", id="missing-column"),
        pytest.param(HEADER, "expected at least 1 data row, found 0", id="header-and-no-rows"),
    ],
)  # fmt: skip
def test_a_bad_file_changes_nothing_already_loaded(dsn, mirror, content, outcome):
    spec = lenient(COVID19, 0.2)
    mirror.put("phac_canada", "covid19.csv", GOOD)
    load_table(spec, dsn, mirror.settings)
    columns = "pruid, date, numconf, numtotal, _load_id"
    before = current(dsn, columns)
    mirror.put("phac_canada", "covid19.csv", content)
    if isinstance(outcome, tuple):
        [result] = load_table(spec, dsn, mirror.settings)
        [(line, _, reason)] = rejects(dsn)
        assert (result.rows_rejected, line) == (1, outcome[0]) and reason.startswith(outcome[1])
    else:
        with pytest.raises(LoadError, match=outcome):
            load_table(spec, dsn, mirror.settings)
        assert rejects(dsn) == []
    assert current(dsn, columns) == before


@pytest.mark.integration
def test_the_real_file_loads(dsn, shared_data, monkeypatch):
    monkeypatch.setenv("WAREHOUSE_SOURCES", str(shared_data))
    folder = shared_data / "phac_canada"
    assert [f.relative_path for f in COVID19.files(Settings.from_env())] == [
        p.name for p in folder.iterdir()
    ]
    with (folder / "covid19.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))

    [result] = load_table(COVID19, dsn, Settings.from_env())
    assert (result.status, result.rows_read, result.rows_rejected) == ("succeeded", len(rows), 0)
    assert result.extra_columns == []
    loaded = {
        (pruid, day): (kind, name_fr, total)
        for pruid, day, kind, name_fr, total in current(
            dsn, "pruid, date, region_kind, prname_fr, numtotal"
        )
    }
    assert len(loaded) == len(rows)

    quebec = [r for r in rows if r["prnameFR"] == "Québec" and int(r["date"][:2]) <= 12]
    assert quebec  # days that a month-first reading would misplace
    for row in quebec:
        day = datetime.strptime(row["date"], "%d-%m-%Y").date()
        assert loaded[(24, day)] == ("province", "Québec", int(row["numtotal"]))

    kinds = [kind for kind, _, _ in loaded.values()]
    assert kinds.count("country") == sum(r["pruid"] == "1" for r in rows)
    assert kinds.count("repatriated") == sum(r["pruid"] == "99" for r in rows)
    assert "unknown" not in kinds
    with psycopg.connect(dsn) as conn:
        blanks = conn.execute(
            "select count(*) from raw.phac_canada__covid19 where numtested is null"
        ).fetchone()[0]
    assert blanks == sum(r["numtested"] == "" for r in rows)
