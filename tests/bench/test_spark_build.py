"""bench/spark_build.py's part of bench/RESULTS.md: Spark beside Postgres per size, as a ratio."""

from bench.spark_build import SELECTION, render


def test_the_ratio_is_spark_over_postgres_per_size():
    figures = {
        "command": "`dbt build ...`",
        "sizes": {
            1: {
                "postgres": 20.0,
                "spark": 50.0,
                "export": 3.0,
                "raw_rows": 1_500_000,
                "ratio": 2.5,
            },
            10: {"not_measured": "failed (out of memory)"},
        },
    }
    text = "\n".join(render(figures))
    assert "| 1x | 1,500,000 | 20.0 s | 50.0 s | 2.5x | 3.0 s |" in text
    assert "| 10x | failed (out of memory) |" in text


def test_not_measured_says_why():
    assert render({"not_measured": "no java"})[-1] == "Not measured: no java."
    assert render(None)[-1] == "Not measured: not run."


def test_the_marts_and_their_upstream_without_tests():
    assert "+path:models/marts" in SELECTION
    assert SELECTION[SELECTION.index("--exclude-resource-type") + 1 :] == ["test", "unit_test"]
