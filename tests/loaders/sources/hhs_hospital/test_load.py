"""Loading the HHS hospital file into Postgres: a bad file changes nothing already loaded, and
the real file lands whole (how the file is read: test_parse.py)."""

import csv
import dataclasses
from datetime import datetime

import psycopg
import pytest

from loaders.core.errors import LoadError
from loaders.core.load import load_table
from loaders.sources.hhs_hospital.tables import MEASURES, PATIENT_IMPACT_STATE
from tests.loaders.sources.hhs_hospital.files import GOOD, row
from warehouse.settings import Settings

FILE = PATIENT_IMPACT_STATE.file_name


def current(dsn, columns):
    with psycopg.connect(dsn) as conn:
        return conn.execute(
            f"select {columns} from raw.hhs_hospital__patient_impact_state "
            "where _superseded_load_id is null order by 1, 2"
        ).fetchall()


def rejects(dsn):
    with psycopg.connect(dsn) as conn:
        return conn.execute(
            "select line_number, raw_line, reason from meta.rejected_rows order by line_number"
        ).fetchall()


@pytest.mark.parametrize(
    ("content", "outcome"),
    [
        pytest.param(GOOD + row("DE", "2021/01/01", "1"), (7, "duplicate key (state, date)"),
                     id="duplicate-of-a-loaded-row"),
        pytest.param(GOOD.replace(",deaths_covid", "", 1), "missing column 'deaths_covid'",
                     id="missing-column"),
    ],
)  # fmt: skip
def test_a_bad_file_changes_nothing_already_loaded(dsn, mirror, content, outcome):
    spec = dataclasses.replace(PATIENT_IMPACT_STATE, reject_threshold=0.2)
    mirror.put("hhs_hospital", FILE, GOOD)
    load_table(spec, dsn, mirror.settings)
    columns = "state, date, inpatient_beds, deaths_covid, _load_id"
    before = current(dsn, columns)
    mirror.put("hhs_hospital", FILE, content)
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
    folder = shared_data / "hhs_hospital"
    assert [f.relative_path for f in PATIENT_IMPACT_STATE.files(Settings.from_env())] == [
        p.name for p in folder.iterdir()
    ]
    with (folder / FILE).open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))

    [result] = load_table(PATIENT_IMPACT_STATE, dsn, Settings.from_env())
    assert (result.status, result.rows_read, result.rows_rejected) == ("succeeded", len(rows), 0)
    assert result.extra_columns == []
    loaded = {
        (state, day): values
        for state, day, *values in current(dsn, "state, date, " + ", ".join(MEASURES))
    }
    assert len(loaded) == len(rows)

    def expected(cell):
        return None if cell == "" else int(cell.replace(",", ""))

    quoted = [r for r in rows if "," in r["total_adult_patients_hospitalized_confirmed_covid"]]
    assert quoted  # e.g. "2,663"
    for source in (quoted[0], rows[0], rows[-1]):
        day = datetime.strptime(source["date"], "%Y/%m/%d").date()
        assert loaded[(source["state"], day)] == [expected(source[m]) for m in MEASURES]

    for index, measure in enumerate(MEASURES):
        values = [v[index] for v in loaded.values()]
        cells = [r[measure] for r in rows]
        assert values.count(None) == cells.count(""), measure
        assert sum(v for v in values if v is not None) == sum(
            expected(c) for c in cells if c != ""
        ), measure
