"""The API's view of the marts, read from a small manifest: grain, geography and date columns."""

import pytest

from api.catalog import ManifestError, marts_from_manifest


def model(name, columns, meta=None):
    return {
        "unique_id": f"model.p.{name}",
        "resource_type": "model",
        "name": name,
        "schema": "marts",
        "description": f"One row per thing ({name}).",
        "config": {"enabled": True, "meta": {"api": meta} if meta else {}},
        "columns": {c: {"name": c, "description": f"the {c}"} for c in columns},
    }


def key_test(name, attached, kind, **kwargs):
    return {
        "unique_id": f"test.p.{name}",
        "resource_type": "test",
        "attached_node": f"model.p.{attached}",
        "test_metadata": {"name": kind, "kwargs": kwargs},
    }


def manifest(*nodes):
    return {"nodes": {node["unique_id"]: node for node in nodes}}


def test_geography_date_and_grain_are_worked_out_from_the_columns():
    marts = marts_from_manifest(
        manifest(
            model("fct_a", ["geo_level", "geo_id", "report_date", "cases"]),
            key_test(
                "ua",
                "fct_a",
                "unique_combination_of_columns",
                combination_of_columns=["geo_level", "geo_id", "report_date"],
            ),
            model("fct_b", ["state_fips", "imposed_date", "lifted_date", "category"]),
            key_test(
                "ub",
                "fct_b",
                "unique_combination_of_columns",
                combination_of_columns=["state_fips", "category", "imposed_date"],
            ),
            model("dim_c", ["zip_code", "rate", "snapshot_date"]),
            key_test("uc", "dim_c", "unique", column_name="zip_code"),
            key_test("nc", "dim_c", "not_null", column_name="zip_code"),
            model("fct_d", ["school_key", "lag_days", "value"]),
            key_test(
                "ud",
                "fct_d",
                "unique_combination_of_columns",
                combination_of_columns=["school_key", "lag_days"],
            ),
        )
    )
    a, b, c, d = marts["fct_a"], marts["fct_b"], marts["dim_c"], marts["fct_d"]
    assert (a.geography_level, a.geography_id, a.date, a.grain) == (
        "geo_level",
        "geo_id",
        "report_date",
        ("geo_level", "geo_id", "report_date"),
    )
    assert (b.fixed_level, b.geography_id, b.date) == ("state", "state_fips", "imposed_date")
    assert (c.fixed_level, c.geography_id, c.date, c.grain) == (
        "zip",
        "zip_code",
        "snapshot_date",
        ("zip_code",),
    )
    assert (d.geography_id, d.date) == (None, None)
    assert a.columns[3].description == "the cases"


def test_declared_metadata_wins_and_is_checked():
    declared = {"geography_id": "district", "fixed_level": "district", "date": "day"}
    marts = marts_from_manifest(
        manifest(
            model("fct_e", ["district", "day", "other_date"], declared),
            key_test("ue", "fct_e", "unique", column_name="district"),
        )
    )
    assert (marts["fct_e"].geography_id, marts["fct_e"].fixed_level) == ("district", "district")
    assert marts["fct_e"].date == "day"
    with pytest.raises(ManifestError, match="'missing' is not one of its columns"):
        marts_from_manifest(
            manifest(
                model("fct_f", ["x"], {"date": "missing"}),
                key_test("uf", "fct_f", "unique", column_name="x"),
            )
        )


def test_a_source_table_in_marts_is_served_by_its_declared_grain():
    source = {
        **model("fct_case_forecast", ["state_fips", "forecast_date"], {"grain": ["state_fips"]}),
        "unique_id": "source.p.forecasts.fct_case_forecast",
        "resource_type": "source",
        "identifier": "fct_case_forecast",
    }
    marts = marts_from_manifest({"nodes": {}, "sources": {source["unique_id"]: source}})
    forecast = marts["fct_case_forecast"]
    assert (forecast.grain, forecast.geography_id, forecast.date) == (
        ("state_fips",),
        "state_fips",
        "forecast_date",
    )


def test_a_mart_without_a_unique_key_cannot_be_paged():
    with pytest.raises(ManifestError, match="fct_g declares no unique key"):
        marts_from_manifest(manifest(model("fct_g", ["x"])))
