import csv
import dataclasses
from datetime import datetime

import psycopg
import pytest

from loaders.core.errors import LoadError
from loaders.core.load import load_table
from loaders.sources.hhs_hospital.tables import MEASURES, PATIENT_IMPACT_STATE
from warehouse.settings import Settings

FILE = PATIENT_IMPACT_STATE.file_name
HEADER = "\ufeffstate,date," + ",".join(MEASURES) + "\n"


def row(state, day, *values):
    """A data line: the first measures from `values`, the rest 0."""
    cells = [*values, *(["0"] * (len(MEASURES) - len(values)))]
    return ",".join([state, day, *cells]) + "\n"


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


def test_bom_quoted_thousands_blanks_and_unsorted_rows(dsn, mirror):
    mirror.put(
        "hhs_hospital",
        FILE,
        HEADER
        + row("PA", "2021/04/15", "1", '"33,373"', '"27,410"', "371")
        + row("DE", "2020/03/02", "0", '"1,234,567"', "", "")
        + row("DE", "2020/03/01", "2", "999", "12"),
    )
    [result] = load_table(PATIENT_IMPACT_STATE, dsn, mirror.settings)
    assert (result.status, result.rows_loaded, result.rows_rejected) == ("succeeded", 3, 0)
    assert result.extra_columns == []  # the BOM does not hide the first header
    columns = (
        "state, date::text, critical_staffing_shortage_today_yes, inpatient_beds, "
        "inpatient_beds_used, previous_day_admission_adult_covid_confirmed"
    )
    assert current(dsn, columns) == [
        ("DE", "2020-03-01", 2, 999, 12, 0),
        ("DE", "2020-03-02", 0, 1234567, None, None),
        ("PA", "2021-04-15", 1, 33373, 27410, 371),
    ]


def test_malformed_rows_are_quarantined(dsn, mirror):
    mirror.put(
        "hhs_hospital",
        FILE,
        HEADER
        + row("MD", "2021/06/10", "1", '"11,914"')
        + row("MD", "2021/13/01", "1", "5")
        + row("MD", "2021/06/11", "1", '"3,41"')
        + row("MD", "2021/06/12", "1", "12.5")
        + row("", "2021/06/10", "1", "5")
        + row("MD", "2021/06/10", "1", "6")
        + row("NJ", "2021/06/10", "-1", "5"),
    )
    spec = dataclasses.replace(PATIENT_IMPACT_STATE, reject_threshold=1.0)
    [result] = load_table(spec, dsn, mirror.settings)
    assert (result.rows_read, result.rows_loaded, result.rows_rejected) == (7, 1, 6)
    assert current(dsn, "state, date::text, inpatient_beds") == [("MD", "2021-06-10", 11914)]
    zeros = ",0" * (len(MEASURES) - 2)
    found = rejects(dsn)
    assert [r for r in found if r[0] != 7] == [
        (
            3,
            f"MD,2021/13/01,1,5{zeros}",
            "date: date %Y/%m/%d or %Y-%m-%d expected, found 2021/13/01",
        ),
        (4, f'MD,2021/06/11,1,"3,41"{zeros}', "inpatient_beds: an integer expected, found 3,41"),
        (5, f"MD,2021/06/12,1,12.5{zeros}", "inpatient_beds: an integer expected, found 12.5"),
        (6, f",2021/06/10,1,5{zeros}", "missing state"),
        (
            8,
            f"NJ,2021/06/10,-1,5{zeros}",
            "negative critical_staffing_shortage_today_yes: -1",
        ),
    ]
    [(_, _, duplicate)] = [r for r in found if r[0] == 7]
    assert duplicate == "duplicate key (state, date): first seen on line 2"


GOOD = HEADER + "".join(
    row(s, "2021/01/01", "1", '"1,000"') for s in ("DE", "IL", "MD", "NJ", "PA")
)


@pytest.mark.parametrize(
    ("content", "outcome"),
    [
        (GOOD + row("DE", "01/02/2021", "1"), (7, "date: date %Y/%m/%d")),
        (GOOD + row("DE", "2021/01/01", "1"), (7, "duplicate key (state, date)")),
        (GOOD + row("DE", "2021/01/02", "1", '"10,00"'), (7, "inpatient_beds: an integer")),
        (GOOD + row("DE", "2099/01/01", "1"), (7, "date in the future")),
        (GOOD.replace(",deaths_covid", "", 1), "missing column 'deaths_covid'"),
        ("<html><body>Service Unavailable</body></html>", "found an HTML or XML page"),
        ("\ufeff", "expected a CSV header line, found an empty file"),
    ],
)
def test_bad_files(dsn, mirror, content, outcome):
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
