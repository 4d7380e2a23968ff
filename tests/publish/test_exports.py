"""Mart exports: full and latest CSV/Parquet, stable to the byte, replaced atomically."""

import pandas as pd
import psycopg
import pyarrow.parquet as pq
import pytest

import publish.exports as exports
from publish.exports import LATEST, export_mart, mart_tables
from tests.publish.fixture_marts import DAYS, STATES, create_fixture_marts, day


@pytest.fixture
def marts(dsn):
    create_fixture_marts(dsn)
    return dsn


def read_table(dsn: str, name: str) -> pd.DataFrame:
    with psycopg.connect(dsn) as conn:
        cursor = conn.execute(f"select * from marts.{name}")
        return pd.DataFrame(cursor.fetchall(), columns=[c.name for c in cursor.description])


def snapshot(folder) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_every_mart_is_exported_full_and_the_dated_ones_latest(marts, tmp_path):
    for mart in mart_tables(marts):
        result = export_mart(marts, mart, tmp_path)
        expected = {f"{mart}.csv", f"{mart}.parquet"}
        if mart in LATEST:
            expected |= {f"latest/{mart}.csv", f"latest/{mart}.parquet"}
        assert set(result.files) == expected
        assert result.rows == len(read_table(marts, mart))
    assert not (tmp_path / "latest" / "dim_delaware_zip_cases.csv").exists()
    assert not (tmp_path / "latest" / "fct_revenue_restrictions_correlation.csv").exists()


def test_csv_and_parquet_hold_the_table_in_key_order(marts, tmp_path):
    result = export_mart(marts, "fct_cases_daily", tmp_path)
    table = read_table(marts, "fct_cases_daily")
    csv_text = (tmp_path / "fct_cases_daily.csv").read_text()
    header, first = csv_text.splitlines()[:2]
    assert header.split(",") == list(table.columns)  # table order, no index column
    assert first.startswith("county,10001,Kent,10,2020-03-01,jhu_csse,,10,,,false")
    frame = pd.read_csv(
        tmp_path / "fct_cases_daily.csv", dtype={"geo_id": str, "parent_geo_id": str}
    )
    keys = list(zip(frame["geo_level"], frame["geo_id"], frame["report_date"], strict=True))
    assert keys == sorted(keys) and len(frame) == len(table) == result.rows
    parquet = pq.read_table(tmp_path / "fct_cases_daily.parquet").to_pandas()
    assert list(parquet.columns) == list(table.columns)
    assert parquet["report_date"].iloc[0] == day(0)
    assert parquet["is_correction"].dtype == bool
    delaware = parquet[(parquet["geo_level"] == "state") & (parquet["geo_id"] == "10")]
    expected = table[(table["geo_level"] == "state") & (table["geo_id"] == "10")]
    assert list(delaware["new_cases"]) == list(expected.sort_values("report_date")["new_cases"])
    assert parquet["cases_cumulative"].isna().sum() == table["cases_cumulative"].isna().sum()


def test_latest_is_each_geographys_last_day(marts, tmp_path):
    result = export_mart(marts, "fct_cases_daily", tmp_path)
    full = pd.read_csv(tmp_path / "fct_cases_daily.csv", dtype={"geo_id": str})
    last = full.groupby(["geo_level", "geo_id"])["report_date"].transform("max")
    expected = full[full["report_date"] == last].reset_index(drop=True)
    latest = pd.read_csv(tmp_path / "latest" / "fct_cases_daily.csv", dtype={"geo_id": str})
    pd.testing.assert_frame_equal(latest, expected)
    assert result.latest_rows == len(STATES) + 2 + 3  # states, US and Canada, DE counties
    assert set(latest["report_date"]) == {str(day(DAYS - 1))}
    parquet = pq.read_table(tmp_path / "latest" / "fct_cases_daily.parquet").to_pandas()
    assert len(parquet) == len(latest)


def test_strings_keep_quotes_commas_and_the_difference_between_empty_and_null(marts, tmp_path):
    with psycopg.connect(marts, autocommit=True) as conn:
        conn.execute(
            "update marts.fct_restrictions_timeline set imposed_description = '' "
            "where restriction_period_id = '17-1'"
        )
    export_mart(marts, "fct_restrictions_timeline", tmp_path)
    parquet = pq.read_table(tmp_path / "fct_restrictions_timeline.parquet").to_pandas()
    descriptions = dict(
        zip(parquet["restriction_period_id"], parquet["imposed_description"], strict=True)
    )
    assert descriptions == {
        "10-1": "Closed schools",
        "10-2": 'Stay at home, "now"',
        "10-3": "Masks in public",
        "17-1": "",
    }
    lifted = dict(zip(parquet["restriction_period_id"], parquet["lifted_date"], strict=True))
    assert lifted["10-2"] is None
    assert '"Stay at home, ""now"""' in (tmp_path / "fct_restrictions_timeline.csv").read_text()


def test_exporting_unchanged_data_again_gives_identical_bytes(marts, tmp_path, monkeypatch):
    for mart in mart_tables(marts):
        export_mart(marts, mart, tmp_path)
    first = snapshot(tmp_path)
    monkeypatch.setattr(exports, "CSV_BLOCK_BYTES", 1 << 20)
    for mart in mart_tables(marts):
        export_mart(marts, mart, tmp_path)
    assert snapshot(tmp_path) == first


def test_a_large_mart_is_converted_in_blocks(marts, tmp_path, monkeypatch):
    monkeypatch.setattr(exports, "CSV_BLOCK_BYTES", 1024)
    export_mart(marts, "fct_cases_daily", tmp_path)
    parquet = pq.ParquetFile(tmp_path / "fct_cases_daily.parquet")
    assert parquet.metadata.num_row_groups > 1
    assert parquet.metadata.num_rows == len(read_table(marts, "fct_cases_daily"))


def test_a_failure_mid_export_leaves_the_previous_files(marts, tmp_path, monkeypatch):
    export_mart(marts, "fct_cases_daily", tmp_path)
    before = snapshot(tmp_path)
    with psycopg.connect(marts, autocommit=True) as conn:
        conn.execute("delete from marts.fct_cases_daily where geo_level = 'county'")
    convert = exports._csv_to_parquet
    calls = []

    def fail_on_the_latest_file(csv_path, parquet_path, schema):
        calls.append(parquet_path)
        if len(calls) == 2:  # the full files are written, the latest ones are not
            parquet_path.write_bytes(b"half a file")
            raise OSError("disk full")
        return convert(csv_path, parquet_path, schema)

    monkeypatch.setattr(exports, "_csv_to_parquet", fail_on_the_latest_file)
    with pytest.raises(OSError, match="disk full"):
        export_mart(marts, "fct_cases_daily", tmp_path)
    assert snapshot(tmp_path) == before  # nothing replaced, no temporary file left


def test_an_unknown_mart_says_what_to_do(marts, tmp_path):
    with pytest.raises(LookupError, match="no table marts.fct_nothing.*make run"):
        export_mart(marts, "fct_nothing", tmp_path)
