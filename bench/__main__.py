"""`make bench`: the loader against `psql \\copy`, `dlt` and `to_sql`, its memory, dbt's incremental
build, Dagster's overhead and the unchanged-file refresh, on the real JHU US county deaths file
and on generated 3x and 10x versions of it; the daily cycle (`make run`: first, unchanged, one
new day) at 1x and 10x. Prints the figures; writes bench/RESULTS.md.

    python -m bench [--runs 3] [--sizes 1,3,10] [--cycle-sizes 1,10] [--results RESULTS.md]

The real file is read from WAREHOUSE_SOURCES (a folder mirror) or ../shared/data. Every
measurement gets a new database on a throwaway embedded Postgres; figures are medians of runs.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench import baselines, daily_cycle, dbt_incremental, dlt_peer, inputs, report, spark_build
from bench.server import fresh_database, throwaway_server
from loaders.sources.jhu_csse.time_series import DEATHS_US
from warehouse.settings import Settings, child_environment

ROOT = Path(__file__).resolve().parents[1]
TO_SQL_ROWS = 200_000  # to_sql runs ~20k rows/s here: the whole file would take a minute a run


def real_file() -> Path:
    mirror = Path(Settings.from_env().sources.root or ROOT.parent / "shared" / "data")
    path = mirror / inputs.SOURCE / inputs.FILE
    if not path.is_file():
        sys.exit(f"bench: expected the real JHU file at {path}; set WAREHOUSE_SOURCES=<mirror>")
    return path.resolve()


def child(task: str, dsn: str, mirror: Path) -> dict:
    """Runs `bench.child <task>` in a new process reading `mirror`; returns its JSON."""
    env = child_environment({"PYTHONPATH": str(ROOT)})
    done = subprocess.run(
        [sys.executable, "-m", "bench.child", task, dsn, str(mirror)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise RuntimeError(f"bench.child {task} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def measure_size(admin: str, size: int, mirror: Path, work: Path, runs: int, figures) -> None:
    rows_csv = work / f"rows_{size}x.csv"
    for run in range(runs):
        with fresh_database(admin) as dsn:
            loaded = child("load", dsn, mirror)
            if not rows_csv.exists():
                baselines.export_final_rows(dsn, rows_csv)
        figures.add(size, "load", loaded)
        print(f"  {size}x run {run + 1}: loader {loaded['seconds']:.1f} s", flush=True)
        with fresh_database(admin) as dsn:
            figures.add(size, "copy", {"seconds": baselines.psql_copy_seconds(dsn, rows_csv)})
        measure_dlt(admin, size, rows_csv, work, figures, with_merge=run == 0)
        if size == figures.largest:
            with fresh_database(admin) as dsn:
                figures.add(size, "dagster", child("dagster", dsn, mirror))
    if size == 1:
        frame = baselines.read_rows(rows_csv, TO_SQL_ROWS)
        for _ in range(runs):
            with fresh_database(admin) as dsn:
                seconds = baselines.to_sql_seconds(dsn, frame)
            figures.add(size, "to_sql", {"seconds": seconds, "rows": len(frame)})
    rows_csv.unlink()


def measure_dlt(admin: str, size: int, rows_csv: Path, work: Path, figures, with_merge: bool):
    """dlt's first load of the rows; at the largest size, once, its merge re-load of them with
    one more day (`bench/dlt_peer.py`)."""
    pipelines = work / "dlt_pipelines"
    with fresh_database(admin) as dsn:
        seconds = dlt_peer.load_seconds(dsn, rows_csv, pipelines, "append")
        figures.add(size, "dlt", {"seconds": seconds, "rows": dlt_peer.current_rows(dsn)})
        print(f"  {size}x dlt: {seconds:.1f} s", flush=True)
        if with_merge and size == figures.largest:
            republished = work / f"rows_{size}x_one_more_day.csv"
            rows = dlt_peer.with_one_more_day(rows_csv, republished)
            seconds = dlt_peer.load_seconds(dsn, republished, pipelines, "merge")
            republished.unlink()
            held = dlt_peer.current_rows(dsn)
            if held != rows:
                raise RuntimeError(f"dlt's merge left {held:,} rows, expected {rows:,}")
            figures.add(size, "dlt_merge", {"seconds": seconds, "rows": rows})
            print(f"  {size}x dlt merge of the file with one more day: {seconds:.1f} s", flush=True)
    shutil.rmtree(pipelines, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--sizes", default="1,3,10")
    parser.add_argument(
        "--cycle-sizes", default="1,10", help="sizes of the daily-cycle runs (none: skip them)"
    )
    parser.add_argument("--results", type=Path, default=ROOT / "bench" / "RESULTS.md")
    args = parser.parse_args()
    sizes = sorted({int(s) for s in args.sizes.split(",")})
    source = real_file()
    started = time.perf_counter()
    figures = report.Figures(sizes=sizes, runs=args.runs, table=DEATHS_US.table)
    figures.machine = report.machine()
    with tempfile.TemporaryDirectory(prefix="bench-") as folder:
        work = Path(folder)
        with throwaway_server(work / "pg") as admin:
            figures.machine["postgres"] = report.server_version(admin)
            for size in sizes:
                label = "the real file" if size == 1 else "GENERATED from the real file"
                print(f"{size}x ({label})", flush=True)
                mirror = work / f"mirror_{size}x"
                if size == 1:
                    inputs.real_mirror(source, mirror)
                else:
                    inputs.longer(source, size, mirror)
                measure_size(admin, size, mirror, work, args.runs, figures)
                if size == figures.largest:
                    figures.dbt = dbt_incremental.measure(admin, source, size, work, args.runs)
            figures.spark = spark_build.measure(
                admin, source, [s for s in sizes if s in (1, 10)], work
            )
            for size in sorted({int(s) for s in args.cycle_sizes.split(",") if s.strip()}):
                print(f"daily cycle at {size}x (`make run` three times)", flush=True)
                try:
                    figures.cycle[size] = daily_cycle.measure(
                        admin, source.parents[1], source, size, work
                    )
                except RuntimeError as err:
                    figures.cycle[size] = {"not_measured": str(err).splitlines()[0]}
            if not figures.loader_target_met():
                with fresh_database(admin) as dsn:
                    figures.profile = child("profile", dsn, work / f"mirror_{sizes[-1]}x")
    figures.total_seconds = time.perf_counter() - started
    text = report.render(figures)
    print(text)
    args.results.write_text(text)
    print(f"written to {args.results}")


if __name__ == "__main__":
    main()
