"""The marts built on Spark beside Postgres: the same dbt selection (every mart and its
upstream: seeds and models, tests excluded) on a fresh database loaded from the mirror with the
JHU US deaths file at each size, timed on Postgres (`dbt build --full-refresh`) and on a local
Spark session (the raw tables exported as Parquet, then `dbt build --target spark`, each in a
new Spark home). The ratio is Spark's wall time over Postgres' (the export is timed apart)."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

from bench.dbt_incremental import _mirror
from bench.server import fresh_database
from loaders.core.load import load_table
from loaders.registry import TABLES
from warehouse.database import connection_env
from warehouse.settings import Mirror, Settings, child_environment
from warehouse.spark import export_raw, spark_env

ROOT = Path(__file__).resolve().parents[1]
PROJECT = ROOT / "dbt_project"
SELECTION = ["--select", "+path:models/marts", "--exclude-resource-type", "test", "unit_test"]


def measure(admin: str, real_file: Path, sizes: list[int], work: Path) -> dict:
    if shutil.which("java") is None:
        return {"not_measured": "no java (make system-deps installs openjdk-17-jre-headless)"}
    figures = {"command": f"`dbt build {' '.join(SELECTION)}`", "sizes": {}}
    for size in sizes:
        try:
            figures["sizes"][size] = _measure(admin, real_file, size, work / f"spark_{size}x")
        except (subprocess.CalledProcessError, RuntimeError) as err:
            figures["sizes"][size] = {"not_measured": f"failed ({str(err)[-500:]})"}
        print(f"  spark {size}x: {figures['sizes'][size]}", flush=True)
    return figures


def _measure(admin: str, real_file: Path, size: int, work: Path) -> dict:
    mirror = _mirror(real_file, size, work / "mirror", extra_days=0)
    with fresh_database(admin) as dsn:
        settings = Settings(
            sources=Mirror(str(mirror)), dsn=dsn, home=work / "home", engine="spark"
        )
        for spec in TABLES:
            load_table(spec, dsn, settings)
        env = child_environment(
            {**connection_env(dsn), **spark_env(settings), "WAREHOUSE_SOURCES": str(mirror)}
        )
        postgres = _dbt(env, work, "--full-refresh")
        started = time.perf_counter()
        counts = export_raw(dsn, settings.spark_raw)
        export = time.perf_counter() - started
        spark = _dbt(env, work, "--target", "spark")
    return {
        "postgres": postgres,
        "spark": spark,
        "export": export,
        "raw_rows": sum(counts.values()),
        "ratio": spark / postgres,
    }


def _dbt(env: dict, work: Path, *flags: str) -> float:
    dbt = Path(sys.executable).with_name("dbt")
    args = [str(dbt), "build", "--project-dir", str(PROJECT), "--profiles-dir", str(PROJECT)]
    args += ["--target-path", str(work / "dbt_target"), "--log-path", str(work / "dbt_logs")]
    started = time.perf_counter()
    done = subprocess.run(
        [*args, *SELECTION, *flags], env=env, cwd=work, capture_output=True, text=True
    )
    if done.returncode != 0:
        raise RuntimeError(f"dbt build {' '.join(flags)} failed: {done.stdout[-1500:]}")
    return time.perf_counter() - started


def render(figures: dict | None) -> list[str]:
    out = ["", "## dbt on Spark beside Postgres", ""]
    if not figures or figures.get("not_measured"):
        return [*out, f"Not measured: {(figures or {}).get('not_measured', 'not run')}."]
    out += [
        f"{figures['command']} on a fresh database (every loader table, the JHU US deaths file "
        "at each size), once per size: Postgres, then the raw tables exported as Parquet and "
        "the same build on a local Spark session (a new one per size: its start-up is "
        "included).",
        "",
        "| size | raw rows | Postgres | Spark | Spark / Postgres | export to Parquet |",
        "|---|---|---|---|---|---|",
    ]
    for size, run in figures["sizes"].items():
        if "not_measured" in run:
            out.append(f"| {size}x | {run['not_measured']} | | | | |")
            continue
        out.append(
            f"| {size}x | {run['raw_rows']:,} | {run['postgres']:.1f} s | {run['spark']:.1f} s "
            f"| {run['ratio']:.1f}x | {run['export']:.1f} s |"
        )
    return out


def main() -> None:
    """`python -m bench.spark_build [--sizes 1,10]`: this part of `make bench` alone."""
    import argparse
    import tempfile

    from bench import inputs
    from bench.server import throwaway_server

    parser = argparse.ArgumentParser(prog="python -m bench.spark_build")
    parser.add_argument("--sizes", default="1,10")
    sizes = sorted({int(s) for s in parser.parse_args().sizes.split(",")})
    with tempfile.TemporaryDirectory(prefix="bench-spark-") as folder:
        work = Path(folder)
        with throwaway_server(work / "pg") as admin:
            mirror = Path(Settings.from_env().sources.root or ROOT.parent / "shared" / "data")
            figures = measure(admin, mirror / inputs.SOURCE / inputs.FILE, sizes, work)
    print("\n".join(render(figures)))


if __name__ == "__main__":
    main()
