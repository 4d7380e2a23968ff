"""`parse()` (no database) and a real load read a file alike: the same rejects (line, raw text,
reason), the same typed rows as landed, the same counts and unknown columns, and the same
message when the file is structurally broken. The source tests check how files are read with
`parse()` alone; this keeps the two paths from drifting apart.

Compared on a plain CSV, JHU's wide series (several rows and rejects per line), a JSON object
and a CPS capture (a vintage, an unpivot). Duplicates are found by pandas in `parse()` and by
Postgres in a load, through the direct way into an empty table or the staged way into a table
with rows: both are compared."""

import dataclasses
from typing import NamedTuple

import psycopg
import pytest

from loaders.core.errors import LoadError, StructuralError
from loaders.core.load import load_table
from loaders.core.parse import parse
from loaders.core.spec import TableSpec
from loaders.sources.cps_covid.tables import SCHOOL_CASE_COUNTS
from loaders.sources.delaware_dhss.tables import ZIP_CENTROIDS
from loaders.sources.jhu_csse.time_series import DEATHS_US
from tests.loaders.core.lifecycle_spec import SPEC
from tests.loaders.parsed import rows

TOY = dataclasses.replace(SPEC, reject_threshold=1.0)  # fixtures full of bad rows must land
JHU = dataclasses.replace(DEATHS_US, reject_threshold=1.0)
TOY_FILE = (
    "day,station,count,level,note\n"
    "2020-03-01,A,1,0.5,x\n"  # 2
    "2020-03-01,B,2,1.5,\n"  # 3
    "2020-03-02,A,x,2.5,\n"  # 4 not an integer
    "2020-03-01, A ,9,9.5,\n"  # 5 repeats line 2's key
    "2020-03-02,,3,2.5,\n"  # 6 no station
    '2020-03-03,"C\nnorth",3,1.0,\n'  # 7-8 one record over two lines
    "2020-03-03,D,4\n"  # 9 short
    "2999-01-01,E,1,1.0,\n"  # 10 in the future
    "2020-03-01,B,7,7.5,\n"  # 11 repeats line 3's key
    "2020-03-01,A,8,8.5,\n"  # 12 repeats line 2's key again
    "2020-03-04,F,-1,0.1,\n"  # 13 negative
    "2020-03-04,G,5,inf,\n"  # 14 not a finite number
    "2020-03-05,H,6,3.25,\n"  # 15
)
TOY_OTHER_ROW = "day,station,count,level\n2020-02-01,Z,1,0.5\n"  # a key the file does not hold

US_HEAD = (
    "UID,iso2,iso3,code3,FIPS,Admin2,Province_State,Country_Region,Lat,Long_,Combined_Key,"
    "Population,1/22/20,1/23/20,1/24/20\n"
)
PLACE = 'US,USA,840,{fips},{county},Delaware,US,39.1,-75.5,"{county}, Delaware, US",1000'
JHU_FILE = US_HEAD + "".join(
    f"{uid},{PLACE.format(fips=fips, county=county)},{cells}\n"
    for uid, fips, county, cells in [
        ("84010001", "10001.0", "Kent", "0,1,2"),  # 2
        ("84010003", "10003.0", "New Castle", "3,x,5"),  # 3 one bad day
        ("84010001", "10001.0", "Kent", "7,8,9"),  # 4 repeats line 2's place: three days
        ("8401OOO5", "10005.0", "Sussex", "1,1,1"),  # 5 a bad UID: every day rejected
        ("84010005", "10005.0", "", "1,2,"),  # 6 blank county and a blank day: kept
    ]
)
JHU_OTHER_ROW = US_HEAD + f"84090010,{PLACE.format(fips='90010', county='Unassigned')},0,0,0\n"

CENTROIDS = dataclasses.replace(ZIP_CENTROIDS, reject_threshold=1.0)
JSON_FILE = (  # a JSON object: entries numbered from 1, raw text `"<key>": <value>`
    '{"19701": [39.59, -75.69], "19702": [39.6, "n/a"], "": [39.1, -75.5], '
    '"19701": [39.0, -75.0], "19703": [39.8, -75.46], "19704": [1.0]}'
)
JSON_OTHER_ROW = '{"19999": [38.5, -75.1]}'

CPS = dataclasses.replace(SCHOOL_CASE_COUNTS, reject_threshold=1.0)
CPS_FILE = (  # a capture: its stamp fills snapshot_date and captured_at
    "School,Latitude,Longitude,CPS_School_ID,7Total,14Total,gTotal,20210116,20210117\n"
    "ADMINISTRATIVE,41.88,-87.62,999999,0,0,5,1,0\n"  # 2
    "AGASSIZ,41.93,-87.65,609773,0,0,3,two,0\n"  # 3 one bad day
    ",41.82,-87.63,609774,0,0,1,0,0\n"  # 4 no school name: no key
    "ADMINISTRATIVE,41.88,-87.62,999999,0,0,9,2,2\n"  # 5 repeats line 2's school
    "ALCOTT,41.9\n"  # 6 short
    "ALBANY PARK,41.97,-87.71,609775,0,0,1,-1,0\n"  # 7 a negative correction is kept
)
CPS_OTHER_ROW = CPS_FILE.split("\n")[0] + "\nADDAMS,41.69,-87.53,609772,0,0,2,1,0\n"


class Case(NamedTuple):
    spec: TableSpec
    content: str
    other_row: str  # a file whose keys the content does not hold
    path: str | None = None  # where in the source's folder; default: the spec's file name
    other_path: str | None = None
    vintage: str | None = None


def landed(dsn: str, spec, load_id: int) -> list[tuple]:
    """The contract columns of the rows load `load_id` wrote, in key order."""
    key = ", ".join(spec.contract.natural_key)
    with psycopg.connect(dsn) as conn:
        return conn.execute(
            f"select {', '.join(spec.contract.names)} from raw.{spec.table} "
            f"where _load_id = %s order by {key}",
            [load_id],
        ).fetchall()


def recorded_rejects(dsn: str, load_id: int) -> list[tuple]:
    with psycopg.connect(dsn) as conn:
        return conn.execute(
            "select line_number, raw_line, reason from meta.rejected_rows where load_id = %s "
            "order by line_number, reason",
            [load_id],
        ).fetchall()


CASES = [
    pytest.param(Case(TOY, TOY_FILE, TOY_OTHER_ROW), id="toy"),
    pytest.param(Case(JHU, JHU_FILE, JHU_OTHER_ROW), id="jhu-wide-unpivot"),
    pytest.param(Case(CENTROIDS, JSON_FILE, JSON_OTHER_ROW), id="json-object"),
    pytest.param(
        Case(CPS, CPS_FILE, CPS_OTHER_ROW, path="snapshots/2021-02-10_allCpsCovidData.csv",
             other_path="snapshots/2021-02-03_allCpsCovidData.csv", vintage="2021-02-10"),
        id="cps-snapshot-unpivot",
    ),
]  # fmt: skip


@pytest.mark.parametrize("into", ["an empty table", "a table with rows"])
@pytest.mark.parametrize("case", CASES)
def test_parse_and_a_load_agree_on_rejects_and_rows(dsn, mirror, case, into):
    spec, source = case.spec, case.spec.source.name
    parsed = parse(spec, case.content, vintage=case.vintage, mirror=mirror.settings.sources)
    assert len(parsed.rejects) >= 4 and any("duplicate key" in r for *_, r in parsed.rejects)

    if into == "a table with rows":
        mirror.put(source, case.other_path or spec.file_name, case.other_row)
        load_table(spec, dsn, mirror.settings)
    mirror.put(source, case.path or spec.file_name, case.content)
    *_, result = load_table(spec, dsn, mirror.settings)  # an earlier snapshot is unchanged

    assert sorted(parsed.rejects) == recorded_rejects(dsn, result.load_id)
    key = ", ".join(spec.contract.natural_key)
    assert rows(parsed, ", ".join(spec.contract.names), order_by=key) == landed(
        dsn, spec, result.load_id
    )
    assert (result.rows_read, result.rows_loaded, result.rows_rejected) == (
        parsed.rows_read,
        len(parsed.rows),
        len(parsed.rejects),
    )
    assert result.extra_columns == parsed.extra_columns


BROKEN = [
    pytest.param(TOY, "day,station,level\n2020-03-02,A,2.5\n", id="missing-column"),
    pytest.param(TOY, TOY_FILE + '2020-03-06,"I,1,1.0\n2020-03-06,J,1,1.0\n', id="open-quote"),
    pytest.param(TOY, TOY_FILE.encode() + "2020-03-06,Montréal,1,1.0\n".encode("latin-1"),
                 id="not-utf-8"),
    pytest.param(JHU, US_HEAD.replace("1/23/20", "1/32/20") + "1,2\n", id="bad-date-header"),
]  # fmt: skip


@pytest.mark.parametrize(("spec", "content"), BROKEN)
def test_a_file_parse_refuses_fails_the_load_with_the_same_message(dsn, mirror, spec, content):
    with pytest.raises(StructuralError) as refused:
        parse(spec, content)
    mirror.put(spec.source.name, spec.file_name, content)
    with pytest.raises(LoadError) as failed:
        load_table(spec, dsn, mirror.settings)
    assert str(failed.value) == str(refused.value)
