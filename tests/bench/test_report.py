"""The bench report's daily-cycle figures: each target met or missed, a miss with where the
time went."""

from bench.report import Figures, cycle_targets, render


def cycle_run(seconds: float, startup: float, dbt: float = 0.0) -> dict:
    return {
        "seconds": seconds,
        "cpu_seconds": 4.0,
        "startup": startup,
        "loaders": 2.0,
        "dbt": dbt,
        "steps": 40,
        "load": 3.0,
    }


def figures() -> Figures:
    f = Figures(sizes=[1], runs=1, table="jhu_csse__deaths_us")
    f.machine = {
        "date": "today",
        "cpu": "cpu",
        "cores": 2,
        "ram_gib": 8,
        "python": "3.11",
        "psql": "psql",
        "load_average": "1.0",
    }
    f.add(1, "load", {"seconds": 2.0, "rows": 1000, "peak_rss_mib": 300, "unchanged_seconds": 0.01})
    f.add(1, "copy", {"seconds": 1.0})
    f.cycle = {
        1: {
            "first": cycle_run(200.0, 9.0, dbt=100.0),
            "unchanged": cycle_run(12.0, 8.0),
            "new_day": cycle_run(80.0, 9.0, dbt=40.0),  # 0.4 of the first run: missed
        },
        10: {"not_measured": "the run failed"},
    }
    return f


def test_each_daily_cycle_target_is_met_or_missed_against_its_bound():
    rows = {text: (value, where) for text, value, _, _, where in cycle_targets(figures())}
    assert rows["`make run` when nothing changed, s at 1x"][0] == 12.0
    assert rows["start-up before the first step (unchanged run), s at 1x"][0] == 8.0
    assert rows["`make run` after one new day vs a first run at 1x"][0] == 0.4
    assert rows["`make run` when nothing changed, s at 10x"][0] is None


def test_a_missed_target_is_printed_missed_with_where_the_time_went():
    text = render(figures())
    assert "| `make run` when nothing changed, s at 1x | 12.000 | <= 15 | met |" in text
    assert (
        "| `make run` after one new day vs a first run at 1x | 0.400 | <= 0.25 | MISSED |" in text
    )
    assert (
        "- `make run` after one new day vs a first run at 1x: missed; where the time went: "
        "start-up 9.0 s, loader steps 2.0 s, dbt 40.0 s, the rest 29.0 s" in text
    )
    assert "| `make run` when nothing changed, s at 10x | not measured | <= 15 | - |" in text


def with_peers() -> Figures:
    f = figures()
    f.add(1, "dlt", {"seconds": 4.0, "rows": 1000})
    f.add(1, "dlt_merge", {"seconds": 12.0, "rows": 1010})
    f.dbt = {"command": "`dbt build`", "full": [100.0], "incremental": [4.0]}
    f.dbt["load_one_more_day"] = [3.0]
    return f


def test_each_peer_is_a_ratio_to_copy_and_to_the_loader():
    text = render(with_peers())
    # rows/s: loader 500, \copy 1000, dlt 250
    assert "| 1x | this loader | 1,000 | 2.00 | 500 | 0.50 | 1.00 |" in text
    assert "| 1x | `psql \\copy` | 1,000 | 1.00 | 1,000 | 1.00 | 2.00 |" in text
    assert "| 1x | dlt (parquet, ADBC) | 1,000 | 4.00 | 250 | 0.25 | 0.50 |" in text


def test_the_republished_file_is_timed_for_the_loader_and_for_dlts_merge():
    f = with_peers()
    assert f.ratios()["republished"] == 1.5  # 3 s against a first load of 2 s
    text = render(f)
    assert "this loader (a staged merge" in text and "3.00 s, 1.50x its first load" in text
    assert "12.00 s, 3.00x its first load, 4.00x this loader's re-load" in text
    assert (
        "| file republished with one more day vs its first load at 1x | 1.500 | <= 0.8 | MISSED |"
        in text
    )
    assert "| incremental one-day build vs full build at 1x | 0.040 | <= 0.05 | met |" in text
