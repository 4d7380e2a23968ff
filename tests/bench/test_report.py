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
