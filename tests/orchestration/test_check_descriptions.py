"""Every dbt test's Dagster check says what it checks (dagster-dbt reads only meta)."""

import json

import pytest

from orchestration.definitions import defs
from orchestration.defs.check_descriptions import TEMPLATES, describe_test
from orchestration.defs.project import dbt_project

MODEL = "{{ get_where_subquery(ref('fct_cases_daily')) }}"


def generic(name: str, column: str | None = None, **kwargs) -> dict:
    return {
        "name": f"{name}_x",
        "column_name": column,
        "description": "",
        "config": {"meta": {}},
        "test_metadata": {"name": name, "kwargs": {"model": MODEL, **kwargs}},
    }


@pytest.mark.parametrize(
    ("node", "expected"),
    [
        (generic("not_null", "geo_id"), "Fails when a row of fct_cases_daily has no geo_id."),
        (
            generic("accepted_values", "source", values=["nyt_covid", "jhu_csse"]),
            "Fails when fct_cases_daily.source holds a value other than nyt_covid, jhu_csse.",
        ),
        (
            generic("relationships", "geo_id", to="ref('states')", field="state_fips"),
            "Fails when a geo_id of fct_cases_daily is no state_fips of states: "
            "every geo_id must name one.",
        ),
        (
            generic("has_geography", "geo_id", geo_level="'state'"),
            "Fails when a geo_id of fct_cases_daily (geography level: state) is no geography "
            "of dim_geography; unmatched source keys belong in rpt_unmatched_geographies.",
        ),
    ],
)
def test_a_generic_test_is_described_from_its_arguments(node, expected):
    assert describe_test(node) == expected


def test_a_where_config_and_a_written_description_are_used():
    node = generic("not_null", "geo_id")
    node["config"]["where"] = "geo_level = 'state'"
    assert describe_test(node).endswith("Only rows where geo_level = 'state'.")
    node["description"] = "Written by hand.\n"
    assert describe_test(node) == "Written by hand."
    node["config"]["meta"]["description"] = "From meta."
    assert describe_test(node) == "From meta."


def test_every_generic_test_the_project_uses_has_a_template():
    manifest = json.loads(dbt_project.manifest_path.read_text())
    used = {
        (node.get("test_metadata") or {}).get("name")
        for node in manifest["nodes"].values()
        if node["resource_type"] == "test"
    }
    assert used - {None} <= set(TEMPLATES), used - set(TEMPLATES)


def test_every_dbt_check_in_dagster_has_a_description():
    """The check pages: none says 'No description provided'; singular tests use their YAML."""
    specs = [spec for assets in defs.assets for spec in getattr(assets, "check_specs", [])]
    dbt_specs = [spec for spec in specs if spec.metadata.get("dagster_dbt/unique_id")]
    assert len(dbt_specs) > 200
    missing = [spec.name for spec in dbt_specs if not (spec.description or "").strip()]
    assert not missing, missing
    described = {spec.name: spec.description for spec in dbt_specs}
    assert described["assert_one_source_per_geography"].startswith("Fails for each geography")
    assert "fct_hospital_daily" in described["not_null_fct_hospital_daily_state_fips"]
