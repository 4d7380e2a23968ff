"""The newest data date in a raw table against its publisher: current, old, or ended."""

import dataclasses
from datetime import date

import dagster as dg

from loaders.core.load import load_table
from orchestration.defs.newest_data import (
    ENDED,
    NEWEST_DATA_CHECK,
    OLD,
    judge_newest,
    newest_data_checks,
)
from orchestration.defs.resources import Warehouse
from tests.loaders.core.lifecycle_spec import GOOD, SOURCE, SPEC
from warehouse.settings import Settings

TODAY = date(2020, 3, 10)


def test_judged_against_the_publishers_cadence():
    # SOURCE: daily, warn after 1 day
    assert judge_newest(SOURCE, date(2020, 3, 9), TODAY).passed
    old = judge_newest(SOURCE, date(2020, 3, 7), TODAY)
    assert (old.state, old.passed) == (OLD, False)
    assert (
        old.reason == "newest data 2020-03-07 is 3 days old; toy publishes daily (1 days allowed)"
    )
    assert judge_newest(SOURCE, None, TODAY).passed  # no rows yet: nothing to age


def test_a_source_that_ended_is_ended_however_old_its_data():
    ended = dataclasses.replace(SOURCE, ended="2020-03-05")
    verdict = judge_newest(ended, date(2020, 1, 1), date(2030, 1, 1))
    assert (verdict.state, verdict.passed) == (ENDED, True)
    assert verdict.reason == "ended: toy stopped publishing on 2020-03-05; newest data 2020-01-01"


def run_checks(dsn, specs) -> dict:
    checks = newest_data_checks(specs)
    job = dg.define_asset_job("newest", selection=dg.AssetSelection.all_asset_checks())
    defs = dg.Definitions(
        assets=[dg.AssetSpec(["raw", spec.table]) for spec in specs],
        asset_checks=checks,
        jobs=[job],
        resources={"warehouse": Warehouse(Settings(dsn=dsn))},
    )
    result = defs.resolve_job_def("newest").execute_in_process()
    assert result.success  # old data warns, never fails the run
    return {e.asset_key.path[-1]: e for e in result.get_asset_check_evaluations()}


def test_the_check_reads_the_newest_date_of_the_current_rows(dsn, mirror):
    ended_source = dataclasses.replace(SOURCE, name="toy_ended", ended="2020-03-05")
    ended = dataclasses.replace(SPEC, source=ended_source)
    never = dataclasses.replace(SPEC, name="never")
    mirror.put("toy", "readings.csv", GOOD)  # days 2020-03-01 and 2020-03-02
    mirror.put("toy_ended", "readings.csv", GOOD)
    load_table(SPEC, dsn, mirror.settings)
    load_table(ended, dsn, mirror.settings)

    verdicts = run_checks(dsn, [SPEC, ended, never])

    old = verdicts["toy__readings"]
    age = (date.today() - date(2020, 3, 2)).days
    assert (old.check_name, old.passed, old.severity) == (
        NEWEST_DATA_CHECK,
        False,
        dg.AssetCheckSeverity.WARN,
    )
    assert old.description.startswith(f"newest data 2020-03-02 is {age:,} days old")
    assert old.metadata["newest_data"].value == "2020-03-02"
    assert verdicts["toy_ended__readings"].passed
    assert verdicts["toy_ended__readings"].metadata["state"].value == "ended"
    assert verdicts["toy__never"].passed  # no table yet
