"""Loading the Delaware DHSS files into Postgres: the snapshot lands with its commit's date, no
per-ZIP download loads nothing, a bad file changes nothing already loaded, and every real file
of the mirror lands (how the files are read: test_parse.py)."""

import csv
import dataclasses
import json

import psycopg
import pytest

from loaders.core import errors as base
from loaders.core.load import load_table
from loaders.sources.delaware_dhss.tables import (
    MITIGATION_TIMELINE,
    TABLES,
    ZIP_CASE_RATES,
    ZIP_CASES,
    ZIP_CENTROIDS,
)
from tests.loaders.sources.delaware_dhss.files import GOOD_TIMELINE
from warehouse.settings import Settings


def current(dsn, spec, columns):
    with psycopg.connect(dsn) as conn:
        return conn.execute(
            f"select {columns} from raw.{spec.table} where _superseded_load_id is null "
            f"order by 1, 2"
        ).fetchall()


def rejects(dsn):
    with psycopg.connect(dsn) as conn:
        return conn.execute(
            "select line_number, raw_line, reason from meta.rejected_rows order by line_number"
        ).fetchall()


def test_the_zip_snapshot_lands_dated_by_its_commit(dsn, mirror):
    mirror.put("delaware_dhss", "covid_nums.csv", ",Zipcode,Value\n299,19701,677.7\n")
    [result] = load_table(ZIP_CASE_RATES, dsn, mirror.settings)
    assert current(dsn, ZIP_CASE_RATES, "zip_code, snapshot_date::text, cases_per_10k") == [
        ("19701", "2021-01-19", 677.7)
    ]
    with psycopg.connect(dsn) as conn:
        [(vintage,)] = conn.execute("select vintage from meta.load_log").fetchall()
    assert (result.status, vintage) == ("succeeded", "2021-01-19")


def test_zip_download_without_files_loads_nothing_and_fails_nothing(dsn, mirror):
    assert load_table(ZIP_CASES, dsn, mirror.settings) == []


@pytest.mark.parametrize(
    ("content", "outcome"),
    [
        pytest.param(GOOD_TIMELINE + "Measure 1,Apr 01,May 01\n", (10, "duplicate key"),
                     id="duplicate-of-a-loaded-row"),
        pytest.param("Mitigation,Begins,Until\nMeasure 1,Apr 01,Further Notice\n",
                     "missing column 'Start'", id="missing-column"),
    ],
)  # fmt: skip
def test_a_bad_timeline_file_changes_nothing_already_loaded(dsn, mirror, content, outcome):
    spec = dataclasses.replace(MITIGATION_TIMELINE, reject_threshold=0.2)
    mirror.put("delaware_dhss", "DE_Mitigation_Timeline.csv", GOOD_TIMELINE)
    load_table(spec, dsn, mirror.settings)
    columns = "mitigation, start_date, until_date, until_further_notice, _load_id"
    before = current(dsn, spec, columns)
    mirror.put("delaware_dhss", "DE_Mitigation_Timeline.csv", content)
    if isinstance(outcome, tuple):
        [result] = load_table(spec, dsn, mirror.settings)
        [(line, _, reason)] = rejects(dsn)
        assert (result.rows_rejected, line) == (1, outcome[0]) and reason.startswith(outcome[1])
    else:
        with pytest.raises(base.LoadError, match=outcome):
            load_table(spec, dsn, mirror.settings)
        assert rejects(dsn) == []
    assert current(dsn, spec, columns) == before


# --- the real files -------------------------------------------------------------------------


@pytest.mark.integration
def test_every_delaware_file_in_the_mirror_loads(dsn, shared_data, monkeypatch):
    monkeypatch.setenv("WAREHOUSE_SOURCES", str(shared_data))
    folder = shared_data / "delaware_dhss"
    specs = [MITIGATION_TIMELINE, ZIP_CASE_RATES, ZIP_CENTROIDS, ZIP_CASES]
    assert {s.table for s in TABLES} <= {s.table for s in specs}
    listed = {f.relative_path for spec in specs for f in spec.files(Settings.from_env())}
    assert listed == {p.name for p in folder.iterdir() if p.is_file()}  # every file, no more

    with (folder / "DE_Mitigation_Timeline.csv").open(encoding="utf-8") as handle:
        timeline = list(csv.DictReader(handle))
    with (folder / "covid_nums.csv").open(encoding="utf-8") as handle:
        snapshot = list(csv.DictReader(handle))
    centroids = json.loads((folder / "markers.json").read_text(), object_pairs_hook=list)
    expected_rows = [
        (MITIGATION_TIMELINE, len(timeline)),
        (ZIP_CASE_RATES, len(snapshot)),
        (ZIP_CENTROIDS, len(centroids)),
    ]
    for spec, count in expected_rows:
        [result] = load_table(spec, dsn, Settings.from_env())
        assert (result.status, result.rows_read, result.rows_rejected) == ("succeeded", count, 0)
        assert len(current(dsn, spec, "1, 1")) == count, spec.table
    assert (
        load_table(ZIP_CASES, dsn, Settings.from_env()) == []
    )  # no per-ZIP download is in the mirror

    columns = "mitigation, start_date::text, until_date::text, until_further_notice"
    by_text = {
        m: (start, until, flag)
        for m, start, until, flag in current(dsn, MITIGATION_TIMELINE, columns)
    }
    assert by_text["State of Emergency in effect"] == ("2020-03-12", None, True)
    phase_one = next(r for r in timeline if r["Mitigation"].startswith("Phase 1"))
    assert (phase_one["Start"], phase_one["Until"]) == ("Jun 01", "Jun 14")
    assert by_text[phase_one["Mitigation"]] == ("2020-06-01", "2020-06-14", False)
    dashed = [r["Mitigation"] for r in timeline if "\u2013" in r["Mitigation"]]
    assert dashed and all(text in by_text for text in dashed)
    further = sum(r["Until"] == "Further Notice" for r in timeline)
    assert sum(flag for _, _, flag in by_text.values()) == further
    assert all(start.startswith("2020-") for start, _, _ in by_text.values())

    rates = dict(current(dsn, ZIP_CASE_RATES, "zip_code, cases_per_10k"))
    assert rates == {r["Zipcode"]: float(r["Value"]) for r in snapshot}
    points = {
        z: [lat, lon]
        for z, lat, lon in current(dsn, ZIP_CENTROIDS, "zip_code, latitude, longitude")
    }
    assert points == dict(centroids)
