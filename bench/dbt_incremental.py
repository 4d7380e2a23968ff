"""dbt's full build vs its incremental build after one new day, at the largest size.

The warehouse gets every raw table the selection `+fct_cases_daily` reads: the JHU US deaths
table from the generated file, the others from the real mirror. Then a timed full build, and
per run one more day appended to the generated file and loaded (timed too, for information)
and a timed incremental build. Builds are `dbt build` of the selection's seeds and models
(tests excluded: they read whole tables on either kind of run).
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

from bench import inputs
from bench.server import fresh_database
from loaders.core.load import load_table
from loaders.registry import TABLES
from loaders.sources.jhu_csse.time_series import DEATHS_US
from warehouse.database import connection_env
from warehouse.settings import Mirror, Settings, child_environment

ROOT = Path(__file__).resolve().parents[1]
PROJECT = ROOT / "dbt_project"
MODEL = "fct_cases_daily"
SELECTION = ["--select", f"+{MODEL}", "--exclude-resource-type", "test", "unit_test"]
MAX_RUNS = 2  # incremental runs (one new day each); one full build: it takes minutes at 10x


def measure(admin: str, real_file: Path, size: int, work: Path, runs: int) -> dict:
    model = (PROJECT / "models" / "marts" / f"{MODEL}.sql").read_text().replace('"', "'")
    if "materialized='incremental'" not in model:
        return {"not_measured": f"{MODEL} is not an incremental model in this project yet"}
    try:
        return _measure(admin, real_file, size, work, min(runs, MAX_RUNS))
    except (subprocess.CalledProcessError, RuntimeError) as err:
        return {"not_measured": f"the dbt measurement failed ({str(err)[-500:]})"}


def _measure(admin: str, real_file: Path, size: int, work: Path, runs: int) -> dict:
    mirror = _mirror(real_file, size, work / "mirror_dbt", extra_days=0)
    figures = {"full": [], "incremental": [], "load_one_more_day": [], "incremental_in_dbt": []}
    with fresh_database(admin) as dsn:
        env = child_environment({**connection_env(dsn), "WAREHOUSE_SOURCES": str(mirror)})
        settings = Settings(sources=Mirror(str(mirror)), dsn=dsn)
        for spec in _raw_tables(env, work):
            load_table(spec, dsn, settings)
        figures["full"].append(_dbt(env, work, "--full-refresh"))
        figures["full_in_dbt"] = [_elapsed_in_dbt(work)]
        figures["full_nodes"] = _slowest_nodes(work)
        for day in range(1, runs + 1):
            _mirror(real_file, size, mirror, extra_days=day)
            started = time.perf_counter()
            load_table(DEATHS_US, dsn, settings)
            figures["load_one_more_day"].append(time.perf_counter() - started)
            figures["incremental"].append(_dbt(env, work))
            figures["incremental_in_dbt"].append(_elapsed_in_dbt(work))
        figures["incremental_nodes"] = _slowest_nodes(work)
    figures["command"] = f"`dbt build {' '.join(SELECTION)}` (seeds and models)"
    loads = ", ".join(f"{s:.1f}" for s in figures["load_one_more_day"])
    figures["note"] = (
        f"One full build (a minute or more at this size: the bench's time budget allows one), "
        f"then {runs} days appended one at a time, each loaded and followed by an incremental "
        f"build. Slowest nodes, full build: {figures['full_nodes']}; last incremental build: "
        f"{figures['incremental_nodes']}. Loading the file with one more day into the loaded "
        f"table (a staged merge of every row) took {loads} s."
    )
    return figures


def _elapsed_in_dbt(work: Path) -> float:
    """The last run's time as dbt counts it: the rest of the wall time is its start-up."""
    return json.loads((work / "dbt_target" / "run_results.json").read_text())["elapsed_time"]


def _slowest_nodes(work: Path, count: int = 4) -> str:
    """The nodes of the last dbt run that took longest, from its run_results.json."""
    results = json.loads((work / "dbt_target" / "run_results.json").read_text())
    nodes = sorted(results["results"], key=lambda r: r["execution_time"], reverse=True)
    total = f"{results['elapsed_time']:.1f} s in dbt"
    parts = [f"{n['unique_id'].split('.')[-1]} {n['execution_time']:.1f} s" for n in nodes]
    return ", ".join([*parts[:count], total])


def _mirror(real_file: Path, size: int, mirror: Path, extra_days: int) -> Path:
    """The real mirror's folders, but the JHU US deaths file generated: `size`x the days and
    `extra_days` new days after its last (each repeating the last day's values)."""
    real_root = real_file.parents[1]
    mirror.mkdir(parents=True, exist_ok=True)
    for folder in real_root.iterdir():
        if folder.is_dir() and folder.name != inputs.SOURCE and not (mirror / folder.name).exists():
            (mirror / folder.name).symlink_to(folder)
    (mirror / inputs.SOURCE).mkdir(exist_ok=True)
    for path in (real_root / inputs.SOURCE).iterdir():
        link = mirror / inputs.SOURCE / path.name
        if path.name != inputs.FILE and not link.exists():
            link.symlink_to(path)
    inputs.longer(real_file, size, mirror, extra_days=extra_days)
    return mirror


def _raw_tables(env: dict, work: Path) -> list:
    """The loader tables the selection reads, from dbt's manifest."""
    _dbt(env, work, command="parse")
    manifest = json.loads((work / "dbt_target" / "manifest.json").read_text())
    wanted, pending = set(), [f"model.covid_warehouse.{MODEL}"]
    while pending:
        for parent in manifest["parent_map"].get(pending.pop(), []):
            if parent not in wanted:
                wanted.add(parent)
                pending.append(parent)
    identifiers = {manifest["sources"][s]["identifier"] for s in wanted if s.startswith("source.")}
    specs = [spec for spec in TABLES if spec.table in identifiers]
    if len(specs) != len(identifiers):
        raise RuntimeError(f"no loader for some of {sorted(identifiers)}")
    return specs


def _dbt(env: dict, work: Path, *flags: str, command: str = "build") -> float:
    dbt = Path(sys.executable).with_name("dbt")
    args = [str(dbt), command, "--project-dir", str(PROJECT), "--profiles-dir", str(PROJECT)]
    args += ["--target-path", str(work / "dbt_target"), "--log-path", str(work / "dbt_logs")]
    if command == "build":
        args += [*SELECTION, *flags]
    started = time.perf_counter()
    done = subprocess.run(args, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"dbt {command} failed: {done.stdout[-1500:]}")
    return time.perf_counter() - started
