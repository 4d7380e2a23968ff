import csv
import dataclasses
from datetime import datetime

import psycopg
import pytest

from loaders.core.errors import LoadError
from loaders.core.load import load_table
from loaders.sources.phac_canada.tables import COVID19
from warehouse.settings import Settings

HEADER = "pruid,prname,prnameFR,date,update,numconf,numprob,numdeaths,numtotal,numtoday\n"


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


def test_dates_are_day_first_and_non_provinces_are_flagged(dsn, mirror):
    mirror.put(
        "phac_canada",
        "covid19.csv",
        HEADER + "24,Quebec,Québec,05-03-2020,,2,0,0,2,1\n"
        "11,Prince Edward Island,Île-du-Prince-Édouard,12-03-2020,,1,0,0,1,1\n"
        "60,Yukon,Yukon,12-03-2020,,0,0,0,0,0\n"
        "1,Canada,Canada,12-03-2020,,120,3,1,123,-2\n"
        "99,Repatriated travellers,Voyageurs rapatriés,12-03-2020,,9,0,0,9,0\n"
        "98,Somewhere new,Ailleurs,12-03-2020,,0,0,0,0,0\n",
    )
    [result] = load_table(COVID19, dsn, mirror.settings)
    assert (result.status, result.rows_loaded, result.rows_rejected) == ("succeeded", 6, 0)
    assert current(dsn, "pruid, date::text, region_kind, prname_fr, numtotal, numtoday") == [
        (1, "2020-03-12", "country", "Canada", 123, -2),  # a negative daily count is a correction
        (11, "2020-03-12", "province", "Île-du-Prince-Édouard", 1, 1),
        (24, "2020-03-05", "province", "Québec", 2, 1),  # 5 March, not 3 May
        (60, "2020-03-12", "territory", "Yukon", 0, 0),
        (98, "2020-03-12", "unknown", "Ailleurs", 0, 0),
        (99, "2020-03-12", "repatriated", "Voyageurs rapatriés", 9, 0),
    ]
    assert current(dsn, "update_flag, numtested") == [(None, None)] * 6  # blank, then absent


def test_malformed_rows_are_quarantined(dsn, mirror):
    mirror.put(
        "phac_canada",
        "covid19.csv",
        HEADER + "35,Ontario,Ontario,31-01-2020,,3,0,0,3,3\n"
        "35,Ontario,Ontario,2/1/2020,,3,0,0,3,0\n"
        "35,Ontario,Ontario,32-01-2020,,3,0,0,3,0\n"
        "59,British Columbia,Colombie-Britannique,31-01-2020,,1,0,0,one,1\n"
        ",Alberta,Alberta,31-01-2020,,0,0,0,0,0\n"
        "35,Ontario,Ontario,31-01-2020,,4,0,0,4,1\n"
        "48,Alberta,Alberta,31-01-2020,,-1,0,0,0,0\n",
    )
    [result] = load_table(lenient(COVID19), dsn, mirror.settings)
    assert (result.rows_read, result.rows_loaded, result.rows_rejected) == (7, 1, 6)
    assert current(dsn, "pruid, date::text, numconf") == [(35, "2020-01-31", 3)]
    found = rejects(dsn)
    date_expected = "date: date %d-%m-%Y or %Y-%m-%d expected, found "
    assert [row for row in found if row[0] != 7] == [
        (3, "35,Ontario,Ontario,2/1/2020,,3,0,0,3,0", date_expected + "2/1/2020"),
        (4, "35,Ontario,Ontario,32-01-2020,,3,0,0,3,0", date_expected + "32-01-2020"),
        (
            5,
            "59,British Columbia,Colombie-Britannique,31-01-2020,,1,0,0,one,1",
            "numtotal: an integer expected, found one",
        ),
        (6, ",Alberta,Alberta,31-01-2020,,0,0,0,0,0", "missing pruid"),
        (8, "48,Alberta,Alberta,31-01-2020,,-1,0,0,0,0", "negative numconf: -1"),
    ]
    [(_, _, duplicate)] = [row for row in found if row[0] == 7]
    assert duplicate == "duplicate key (pruid, date): first seen on line 2"


def test_columns_are_matched_by_header(dsn, mirror):
    mirror.put(
        "phac_canada",
        "covid19.csv",
        "pruid,prname,prnameFR,date,numconf,raterecovered,numprob,numdeaths,numtotal,numtested\n"
        "35,Ontario,Ontario,2020-04-01,1,0.5,2,3,3,40\n",
    )
    [result] = load_table(COVID19, dsn, mirror.settings)
    assert result.extra_columns == ["raterecovered"]
    assert current(dsn, "numconf, numprob, numdeaths, numtested, date::text") == [
        (1, 2, 3, 40, "2020-04-01")
    ]
    with psycopg.connect(dsn) as conn:
        assert conn.execute("select extra_columns from meta.load_log").fetchone() == (
            ["raterecovered"],
        )


GOOD = HEADER + "".join(f"{p},P{p},P{p},31-01-2020,,1,0,0,1,1\n" for p in (10, 11, 12, 13, 24))


@pytest.mark.parametrize(
    ("content", "outcome"),
    [
        (GOOD + "35,Ontario,Ontario,3/16/2020,,1,0,0,1,1\n", (7, "date: date %d-%m-%Y")),
        (GOOD + "10,P10,P10,31-01-2020,,2,0,0,2,1\n", (7, "duplicate key (pruid, date)")),
        (GOOD + "x,P,P,31-01-2020,,1,0,0,1,1\n", (7, "pruid: an integer expected")),
        (GOOD.replace("numprob,", "", 1).replace(",0,0,1,1", ",0,1,1"), "missing column 'numprob'"),
        (HEADER.encode() + b"24,Quebec,Qu\xe9bec,01-03-2020,,1,0,0,1,1\n", "UTF-8"),
        ("<html><head><title>503</title></head></html>\n", "found an HTML or XML page"),
        (HEADER, None),  # a header and no rows: loads nothing, changes nothing
    ],
)
def test_bad_files(dsn, mirror, content, outcome):
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
    elif outcome is None:
        [result] = load_table(spec, dsn, mirror.settings)
        assert (result.status, result.rows_read) == ("succeeded", 0)
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
